"""What every picture shares: asking with the focus bound, short labels, saving with alt text."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

import html
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only
# SVG text as text, not glyph outlines: a quarter of the size, and readable, searchable and selectable in a page
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "wpsgraph"  # the SVG's element ids the same on every run, not random

from wpsgraph.errors import WpsError  # noqa: E402
from wpsgraph.namespaces import Names  # noqa: E402
from wpsgraph.query.catalogue import Param, Query  # noqa: E402
from wpsgraph.query.run import Result, run  # noqa: E402

FORMATS = (".svg", ".png")
# Colour-blind-safe (Okabe–Ito)
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


@dataclass
class Picture:
    figure: Figure
    title: str
    alt: str            # what the picture shows, for people who cannot see it


def ask(store, text: str, names: Names, focus: str | None = None) -> Result:
    """Answer a SELECT, with ?focus bound to the IRI ``focus`` by a VALUES block (never pasted)."""
    params = [Param("focus", "iri", "<urn:none>")] if focus is not None else []
    query = Query("plot", Path("<plot>"), "", "", params, text)
    return run(query, store, {"focus": f"<{focus}>"} if focus is not None else {}, names)


def short(text: str, width: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def wrap(text: str, width: int = 22, lines: int = 3) -> str:
    parts = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = short(parts[-1] + " …", width)
    return "\n".join(parts)


def save(picture: Picture, out: Path) -> Path:
    """Write an .svg (with <title> and <desc>) or a .png (Title and Description metadata)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise WpsError(f"{out}: write a .svg or .png file")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".png":
            picture.figure.savefig(out, dpi=150, bbox_inches="tight",
                                   metadata={"Title": picture.title, "Description": picture.alt})
        else:
            # no Date: a picture of the same data is the same file whenever it is drawn
            picture.figure.savefig(out, bbox_inches="tight", metadata={"Title": picture.title, "Date": None})
            _label_svg(out, picture)
    except OSError as e:
        raise WpsError(f"{out}: cannot write: {e.strerror or e}") from None
    finally:
        import matplotlib.pyplot as plt

        plt.close(picture.figure)
    return out


def _label_svg(path: Path, picture: Picture) -> None:
    text = path.read_text(encoding="utf-8")
    labels = (f'<title id="plot-title">{html.escape(picture.title)}</title>'
              f'<desc id="plot-desc">{html.escape(picture.alt)}</desc>')
    text = re.sub(r"(<svg\b[^>]*?)>", lambda m: m.group(1) + ' role="img" aria-labelledby="plot-title plot-desc">'
                  + labels, text, count=1)
    path.write_text(text, encoding="utf-8")
