"""Command line: argument handling only; the work is done by the library modules.

Exit codes: 0 success/conforms, 1 validation violations, 2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

import errno
import functools
import json
import sys
from pathlib import Path

import click

from wpsgraph import __version__
from wpsgraph import query as q
from wpsgraph.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_VIOLATIONS, WpsError
from wpsgraph.folders import atomic_write
from wpsgraph.namespaces import BASE_ENV, Names


def _guard(func):
    """Turn library errors into one-line messages and documented exit codes, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        _terminate_cleanly()
        try:
            return func(*args, **kwargs)
        except WpsError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(e.exit_code)
        except MemoryError:
            click.echo("error: out of memory: close other programs, or work on fewer files at once", err=True)
            sys.exit(EXIT_INPUT)
        except BrokenPipeError:  # output piped into `head` and closed early: not an error
            sys.stderr.close()
            sys.exit(EXIT_OK)
        except OSError as e:  # the machine refused: a full disk, a read-only folder, a damaged store
            click.echo(f"error: {environment_message(e)}", err=True)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except RuntimeError as e:  # RocksDB's word for a damaged store
            if "Corruption" not in str(e):
                click.echo(f"internal error: {type(e).__name__}: {e} (please report it)", err=True)
                sys.exit(EXIT_INTERNAL)
            click.echo(f"error: the store is damaged ({str(e).splitlines()[0][:160]}): rebuild it with "
                       "'wpsgraph build'", err=True)
            sys.exit(EXIT_INPUT)
        except Exception as e:  # a bug: say so plainly
            click.echo(f"internal error: {type(e).__name__}: {e} (please report it)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def _terminate_cleanly():
    """SIGTERM unwinds like Ctrl-C (so staging folders and temporary files are removed) instead of killing at once."""
    import signal
    import threading

    def stop(signum, _frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
            signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, stop)


def environment_message(e: OSError) -> str:
    """One line for an error of the environment, with what to do."""
    from wpsgraph.folders import output_error

    text = str(e)
    if e.errno is None and ("Corruption" in text or "corrupt" in text.lower()):
        return f"the store is damaged ({text.splitlines()[0][:200]}): rebuild it with 'wpsgraph build'"
    if e.errno is None and "No space left" in text:
        return "the disk is full: free some space and run again"
    if e.filename and e.errno is not None and e.errno not in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR):
        return str(output_error(e.filename, e))
    where = f"{e.filename}: " if e.filename else ""
    return f"{where}{e.strerror or text.splitlines()[0] if text else type(e).__name__}"


def _input_limit(ctx, _param, value):
    from wpsgraph import inputs

    inputs.configure(value, progress=lambda m: click.echo(m, err=True))
    return value


max_input_option = click.option("--max-input-mb", type=click.FloatRange(min=0.001), envvar="WPSGRAPH_MAX_INPUT_MB",
                                default=None, expose_value=False, callback=_input_limit, metavar="MB",
                                help="Largest input file read (default 512 MB).")

base_option = click.option("--base-iri", "base", envvar=BASE_ENV, default=None, metavar="IRI",
                           help="Base namespace of every wpsgraph IRI (default https://w3id.org/wpsgraph/).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wpsgraph")
def main():
    """wpsgraph: the Women, Peace and Security knowledge graph.

    Load the ontology and source data, reason (OWL 2 RL), validate (SHACL), and answer canned SPARQL questions.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "github"]), default="text",
              show_default=True, help="text for people; sarif for code scanning; junit for test reports; github "
                                      "for annotations on a pull request; json for scripts.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Lowest severity that makes the exit code 1.")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="SHACL engine: the set-based engine on Oxigraph, or pySHACL (the reference, much slower).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache ($WPSGRAPH_CACHE, "
                                                 "default $XDG_CACHE_HOME/wpsgraph).")
@click.option("--db", type=click.Path(path_type=Path), default=None,
              help="Check the files against this build folder's graph (of any size) instead of the shipped one. "
                   "A file named as one of the build's sources is checked as an edit of it (it replaces that "
                   "source's graph).")
@max_input_option
@base_option
@_guard
def validate(paths, fmt, fail_on, engine, output, no_cache, db, base):
    """Validate the shipped ontology and data, or the given data files against the shipped graph.

    Every result names the file, line and column of the offending statement. Exit 0 conforms, 1 violations
    (or what --fail-on names), 2 unreadable or not well-formed input (the other files are still checked).
    """
    from wpsgraph.errors import EXIT_INPUT
    from wpsgraph.validation.command import run as run_check
    from wpsgraph.validation.reports import render

    names = Names(base)
    files = None
    if paths:
        files = _input_files(paths)
        if not files:
            raise WpsError(f"no .ttl files in {', '.join(map(str, paths))}")
    report = run_check(files, names, engine, use_cache=not no_cache, db=db)
    for f in report.findings:
        if f.severity == "error":
            where = f.file + (f":{f.line}" if f.line else "") + (f":{f.column}" if f.line and f.column else "")
            click.echo(f"error: {where}: {f.message}", err=True)
    text = render(report, fmt, names)
    if output is not None:
        atomic_write(output, text + "\n")
    else:
        click.echo(text)
    if report.unreadable:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_VIOLATIONS if report.failed(fail_on) else EXIT_OK)


def _expand(paths) -> list[Path]:
    out = []
    for p in paths:
        out += sorted(p.rglob("*.ttl")) if p.is_dir() else [p]
    return out


def _input_files(paths) -> list[Path]:
    """The data files named on the command line (folders expanded, - read from standard input), each checked to
    be a regular file within the size limit before anything reads it."""
    from wpsgraph import inputs

    missing = [p for p in paths if str(p) != "-" and not p.exists() and not p.is_symlink()]
    if missing:
        raise WpsError(f"{missing[0]}: no such file or folder")
    files = [inputs.from_stdin() if str(p) == "-" else p for p in paths]
    files = list(dict.fromkeys(_expand(files)))
    for f in files:
        inputs.check(f)
    return files


@main.command("draft")
@click.argument("article", type=click.Path(path_type=Path, allow_dash=True), default="-")
@click.option("--url", default=None, help="The article's URL (schema:url).")
@click.option("--published", default=None, metavar="DATE",
              help="Publication date (YYYY-MM-DD), when the text has no dateline; relative dates count from it.")
@click.option("--publisher", default=None, metavar="NAME", help="Who published it, when the text has no byline.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Write the draft here (its stem names the source); the review list goes beside it as "
                   "FILE.review.txt. Without it the draft goes to standard output and the review list to stderr.")
@_guard
def draft_command(article, url, published, publisher, out):
    """Draft data/sources/<slug>.ttl from a plain-text ARTICLE (a file, or - for standard input).

    Known resources are linked, new ones minted, dates and roles drafted; each statement sits under the
    sentence it comes from, and what the tool is unsure of is commented out with '#?'."""
    from wpsgraph import inputs
    from wpsgraph.drafting import draft

    source = inputs.from_stdin(".txt") if str(article) == "-" else article
    try:
        text = inputs.read_bytes(source).decode("utf-8")  # a regular file, bounded
    except UnicodeDecodeError as e:
        raise WpsError(f"{article}: cannot read the article ({e.__class__.__name__})") from None
    d = draft(text, url=url, published=published, publisher=publisher, stem=out.stem if out else None)
    if out is not None:
        review = out.with_name(out.name + ".review.txt")
        atomic_write(out, d.turtle())
        atomic_write(review, d.review_text())
        click.echo(f"drafted {out} ({len(d.items)} resources, {len(d.linked())} linked to the graph) and {review} "
                   f"in {d.seconds:.2f} s", err=True)
    else:
        click.echo(d.turtle(), nl=False)
        click.echo(d.review_text(), err=True, nl=False)


@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def list_queries(fmt):
    """List the canned queries with their titles and parameters."""
    catalogue = q.catalogue()
    if fmt == "json":
        click.echo(json.dumps([{"name": x.name, "title": x.title, "description": x.description,
                                "params": [vars(p) for p in x.params]} for x in catalogue.values()], indent=1))
        return
    for x in catalogue.values():
        click.echo(f"{x.name}\n    {x.title}")
        for p in x.params:
            click.echo(f"    --param {p.name}=<{p.kind}>  (default {p.default}){'  ' + p.doc if p.doc else ''}")


def _params(values) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise WpsError(f"--param expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


@main.command("find")
@click.argument("text")
@click.option("--type", "cls", default=None, metavar="CLASS",
              help="Only instances of this class (wps:Organisation, Organisation, 'military command'; inferred "
                   "types count).")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(q.FORMATS), default="table", show_default=True)
@click.option("--db", type=click.Path(path_type=Path), default=None,
              help="A folder written by 'wpsgraph build' (default: the shipped data, in memory).")
@base_option
@_guard
def find(text, cls, limit, fmt, db, base):
    """Find resources by name: labels and alternative labels in every language, acronyms, IRI local names;
    accents, case and small misspellings do not matter. Best match first."""
    from wpsgraph.query import lookup

    names = Names(base)
    index = lookup.Index.of_store(_store(db, (), names), names)
    matches = index.search(text, index.class_iri(cls) if cls else None, limit)
    if not matches:
        raise WpsError(f"nothing in the graph is named like {text!r}")
    out = q.render(lookup.as_result(matches, names), fmt, names, q.terminal_width())
    click.echo(out, nl=not out.endswith("\n"))


def _store(db, data, names):
    if db is not None:
        return q.open_db(db)  # no import of the build pipeline (rdflib, owlrl, pySHACL): 0.3 s less per query
    from wpsgraph.pipeline.build import in_memory

    files = None
    if data:
        from wpsgraph import resources
        files = resources.reference_files() + _expand(data)
    return in_memory(files, names).store


def _resolve(query, given, index_of, ask, names):
    """Parameters given as names become IRIs (a note on stderr says which); unknown IRIs are errors. An IRI is
    checked by one small query (``ask``); the index of every name is read only for a name."""
    from wpsgraph.query import lookup

    if not any(p.kind == "iri" and p.name in given for p in query.params):
        return given
    given, notes = lookup.resolve_params(query, given, index_of, names, lookup.known(ask, names))
    for note in notes:
        click.echo(note.note(names), err=True)
    return given


@main.command("query")
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(q.FORMATS), default="table", show_default=True)
@click.option("--db", type=click.Path(path_type=Path), default=None,
              help="A folder written by 'wpsgraph build' (default: load and reason the shipped data in memory).")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Query these data files instead of the shipped sources (in memory).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Ask this SPARQL 1.1 endpoint instead (credentials from $WPSGRAPH_AUTH=user:password).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="With --endpoint: seconds to wait for the connection and for each read.")
@click.option("--lang", type=click.Choice(["en", "es", "fr"]), default=None,
              help="Labels (every xLabel column beside an IRI column x) in this language where the data has them.")
@base_option
@_guard
def run_query(name, params, fmt, db, data, endpoint, timeout, lang, base):
    """Answer a canned query NAME, or an ad-hoc FILE.rq, over the reasoned graph or at a SPARQL endpoint.

    An ad-hoc query may use the project's prefixes (wps:, country:, organisation:...) without declaring them."""
    from wpsgraph.query import adhoc

    names = Names(base)
    query = q.find(name)
    canned = query.name in q.catalogue() and query.path == q.catalogue()[query.name].path
    if not canned:
        query = adhoc.declare_prefixes(query)
    given = _params(params)
    if endpoint is not None:
        if db is not None or data:
            raise WpsError("--endpoint asks a remote store: it does not combine with --db or --data")
        from wpsgraph.endpoints import remote
        from wpsgraph.query import lookup
        ask = lambda text: remote.run(lookup.adhoc(text), endpoint, {}, names, timeout)
        given = _resolve(query, given, lambda: lookup.Index.of(ask, names), ask, names)
        result = remote.run(query, endpoint, given, names, timeout)
        text = q.render(result, fmt, names, q.terminal_width())
        click.echo(text, nl=not text.endswith("\n"))
        return
    store = _store(db, data, names)
    from wpsgraph.query import lookup
    index = []
    index_of = lambda: index[0] if index else index.append(lookup.Index.of_store(store, names)) or index[0]
    given = _resolve(query, given, index_of, lambda text: q.run(lookup.adhoc(text), store, names=names), names)
    result = q.run(query, store, given, names)
    if lang:
        result = adhoc.relabel(result, index_of(), lang)
    if not canned and adhoc.duplicates(result):
        click.echo(adhoc.DUPLICATES_NOTE.format(n=adhoc.duplicates(result)), err=True)
    text = q.render(result, fmt, names, q.terminal_width())
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument("kind", type=click.Choice(["timeline", "network", "naps"]))
@click.argument("subject", required=False)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The picture to write: FILE.svg or .png.")
@click.option("--db", type=click.Path(path_type=Path), default=None,
              help="A folder written by 'wpsgraph build' (default: the shipped data, in memory).")
@base_option
@_guard
def plot(kind, subject, out, db, base):
    """Draw a picture: 'timeline ACTOR|COUNTRY', 'network ACTOR|COUNTRY|THEME', 'naps' (adoptions per year and
    region). SUBJECT is an IRI, prefix:name or a name. Prints the picture's alt text."""
    from wpsgraph.plots.command import plot as run_plot

    names = Names(base)
    picture = run_plot(kind, subject, out, _store(db, (), names), names)
    click.echo(f"wrote {out}: {picture.alt}")


@main.command()
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Data files or folders to build from (default: the shipped reference data and sources).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True)
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--full", is_flag=True,
              help="Build anew, even when --out is a build that only changed data files could update.")
@max_input_option
@base_option
@_guard
def build(data, out, quiet, full, base):
    """Load, reason, validate; write the dataset (TriG), inferred triples, validation report and a query store.

    When --out holds an earlier build and only data files changed (added, edited, removed), it is updated: the
    result equals a full build's."""
    from wpsgraph import resources
    from wpsgraph.pipeline.build import build as run_build
    from wpsgraph.pipeline.build import stderr_progress

    files = None
    if data:
        files = resources.reference_files() + _input_files(data)
        files = list(dict.fromkeys(p.resolve() for p in files))
    result = run_build(files, out, Names(base), progress=None if quiet else stderr_progress, incremental=not full)
    c = result.report.counts()
    click.echo(f"built {result.out}: {result.counts['asserted']} asserted + {result.counts['inferred']} inferred "
               f"triples; {c['violation']} violation(s), {c['warning']} warning(s)")
    if not result.report.conforms:
        click.echo(f"the data does not conform: see {result.out / 'validation.json'} "
                   "or run 'wpsgraph validate'", err=True)
        sys.exit(EXIT_VIOLATIONS)


@main.command()
@click.option("--triples", type=click.IntRange(min=1), required=True, metavar="N",
              help="About how many triples to write (the last synthetic article may go a little over).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same file.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The Turtle file to write.")
@_guard
def synth(triples, seed, out):
    """Write realistic synthetic WPS data (about N triples, Turtle) for scale tests and benchmarks."""
    from wpsgraph.pipeline.synth import write

    written = write(out, triples, seed)
    click.echo(f"wrote {out}: {written} triples (seed {seed})", err=True)


@main.command()
@click.option("--db", type=click.Path(path_type=Path), default=None,
              help="A folder written by 'wpsgraph build' (default: build the shipped data into a temporary folder).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30, show_default=True,
              help="Seconds after which a query is stopped (its worker killed) and answered 504.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries answered at once (one worker process each).")
@click.option("--queue", "queue_size", type=click.IntRange(min=0), default=64, show_default=True,
              help="Queries that may wait for a worker; more get 503 with Retry-After.")
@click.option("--max-memory-mb", type=click.IntRange(min=64), default=2048, show_default=True,
              help="Memory one worker may use; a query needing more is stopped (500).")
@click.option("--max-result-mb", type=click.IntRange(min=1), default=256, show_default=True,
              help="Largest result sent; a larger one is refused (500).")
@click.option("--allow-service", multiple=True, metavar="HOST",
              help="Let SERVICE clauses call this host (repeatable); by default the endpoint makes no outbound "
                   "request.")
@_guard
def serve(db, host, port, timeout, workers, queue_size, max_memory_mb, max_result_mb, allow_service):
    """Serve the graph read-only at a SPARQL 1.1 endpoint, with a query page for the browser.

    Every query has a hard time limit and bounded memory: it runs in a worker process that is killed at the
    deadline."""
    from wpsgraph.endpoints.serve import Limits
    from wpsgraph.endpoints.serve import serve as run_serve
    from wpsgraph.pipeline.build import stderr_progress

    limits = Limits(timeout, workers, queue_size, max_memory_mb, max_result_mb, tuple(allow_service))
    run_serve(db, host, port, timeout, say=lambda m: print(m, flush=True), progress=stderr_progress, limits=limits)


@main.command()
@click.argument("url")
@click.option("--db", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="The folder written by 'wpsgraph build'.")
@click.option("--replace", is_flag=True, help="Replace graphs the store already holds with other content.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--sparql", default=None, metavar="URL",
              help="The store's SPARQL query endpoint, to find graphs the build no longer has (default: guessed "
                   "from URL: /store → /query, /data → /sparql).")
@_guard
def push(url, db, replace, timeout, sparql):
    """Upload the build to a store's SPARQL 1.1 Graph Store endpoint URL: a named graph per source, plus inferred.

    With --replace the store ends up equal to the build under the build's graph namespace: changed graphs are
    replaced and graphs the build no longer has are removed (each one named on stderr)."""
    from wpsgraph.endpoints.push import push as run_push

    click.echo(run_push(db, url, replace, timeout, say=lambda m: click.echo(m, err=True), sparql=sparql).summary())


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Folder to write the site into (replaced whole).")
@click.option("--lang", type=click.Choice(["en", "es", "fr"]), default="en", show_default=True,
              help="Language of the pages and labels (falling back to English).")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Data files or folders to publish (default: the shipped reference data and sources).")
@click.option("--serve", "serve_after", is_flag=True, help="Then serve the site with content negotiation.")
@click.option("--host", default="127.0.0.1", show_default=True, help="With --serve: address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="With --serve: port to listen on.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--pictures/--no-pictures", default=True, show_default=True,
              help="Draw timelines and networks on the pages that have enough to show, and the NAP chart.")
@max_input_option
@base_option
@_guard
def publish(out, lang, data, serve_after, host, port, quiet, pictures, base):
    """Write a linked-data site: a page, Turtle and JSON-LD per resource, ontology docs, VoID/DCAT, dumps."""
    from wpsgraph import resources
    from wpsgraph.pipeline.build import stderr_progress
    from wpsgraph.publishing.publish import publish as run_publish

    files = None
    if data:
        files = list(dict.fromkeys(p.resolve() for p in resources.reference_files() + _input_files(data)))
    result = run_publish(out, Names(base), lang, files, progress=None if quiet else stderr_progress,
                         pictures=pictures)
    click.echo(f"published {result.out}: {result.pages} pages, {result.rdf_files} RDF files, "
               f"{result.resources} resources")
    if serve_after:
        _serve_site(out, host, port)


@main.command("serve-site")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@_guard
def serve_site(folder, host, port):
    """Serve a folder written by 'wpsgraph publish': each resource IRI answers HTML, Turtle or JSON-LD by Accept."""
    _serve_site(folder, host, port)


def _serve_site(folder, host, port):
    from wpsgraph.publishing.conneg import make_server

    server = make_server(folder, host, port)
    click.echo(f"serving {folder} at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":  # pragma: no cover
    main()

