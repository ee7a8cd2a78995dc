"""The Python API (wpsgraph.api): canned and ad-hoc queries, parameters by name, typed DataFrames, labels in
another language; and docs/examples/notebook.py runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from wpsgraph import query as q
from wpsgraph.api import Graph, to_frame
from wpsgraph.errors import QueryError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph(shipped):
    return Graph(shipped.store, shipped.names)


def test_frame_keeps_stated_dates_beside_a_sortable_date(graph):
    df = graph.frame("country-timeline", country="Mexico")
    assert str(df["date"].dtype) == "string" and str(df["date_date"].dtype) == "datetime64[ns]"
    course = df[df["item"] == "event:diils-wps-course-sedena-semar"].iloc[0]
    assert course["date"] == "--08-01" and course["date_precision"] == "month-day"
    assert course["date_date"] == pd.Timestamp("2021-08-01")  # from resolvedDate: the source gives no year
    ministerial = df[df["item"] == "event:north-american-defense-ministerial-2021"].iloc[0]
    assert (ministerial["date"], ministerial["date_precision"]) == ("2021-05", "month")
    assert ministerial["date_date"] == pd.Timestamp("2021-05-01")
    assert df["date_date"].isna().sum() == df["date"].isna().sum()


def test_frame_types_numbers_and_iris(graph):
    df = graph.frame("national-action-plans")
    assert str(df["edition"].dtype) == "Int64" and str(df["plan"].dtype) == "string"
    assert df["plan"].str.startswith("commitment:").all()
    full = graph.frame("national-action-plans", compact=False)
    assert full["plan"].str.startswith("https://").all()


def test_names_and_iris_give_the_same_rows(graph):
    assert graph.rows("events-of-actor", actor="USNORTHCOM") == \
        graph.rows("events-of-actor", {"actor": "organisation:usnorthcom"})
    with pytest.raises(QueryError, match="did you mean country:MX"):
        graph.rows("country-timeline", country="country:mx")


def test_adhoc_text_without_prefixes(graph):
    df = graph.frame("SELECT ?plan ?date WHERE { ?plan a wps:NationalActionPlan ; wps:adoptionDate ?date }")
    assert len(df) > 10 and {"date_precision", "date_date"} <= set(df.columns)


def test_labels_in_spanish(graph):
    df = graph.frame("national-action-plans", lang="es")
    assert "México" in set(df["countryLabel"]) and "Mexico" not in set(df["countryLabel"])
    assert "Mexico" in set(graph.frame("national-action-plans")["countryLabel"])


def test_find(graph):
    assert graph.find("SEMAR")[0].iri.endswith("/organisation/semar")
    assert graph.find("navy", type="Organisation")


def test_ask_and_construct_frames():
    from wpsgraph.query.run import Result

    assert to_frame(Result([], [], boolean=True))["boolean"].tolist() == [True]


def test_example_script_runs():
    done = subprocess.run([sys.executable, str(ROOT / "docs" / "examples" / "notebook.py")], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "U.S. Northern Command" in done.stdout and "--08-01" in done.stdout and "Afganistán" in done.stdout


def test_only_the_prefixes_used_are_declared():
    from wpsgraph.query import adhoc

    assert adhoc.injected("ASK { }") == ""
    added = adhoc.injected("PREFIX wps: <urn:x#> SELECT ?c WHERE { ?c a wps:Country ; rdfs:label ?l }")
    assert added.startswith("PREFIX rdfs: <") and "wps:" not in added and "country:" not in added


def test_syntax_error_is_one_line_with_position(tmp_path):
    from click.testing import CliRunner

    from wpsgraph.cli import main

    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE {\n  ?s a wps:Country .\n  FILTER(?s = ) \n}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"error: {bad}:") and "does not parse" in line and len(line) < 300
