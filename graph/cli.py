"""The `techcurbs` command: build, validate, query, stats, serve and export the graph."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pyoxigraph as ox

from graph.build import compile_data
from graph.errors import DataError
from graph.query import GRAPH_FORMATS, QueryError, Table, format_table, run, serialise, solutions_table
from graph.remote import RemoteError
from graph.stats import graph_stats
from graph.store import StoreMissingError, build_info, open_store, publish
from graph.vocab import DATA_DIR, DEFAULT_STORE

EXPORT_FORMATS = ("nq", "ttl", "trig", "jsonld", "graphml")


def _progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def _data_dirs(args: argparse.Namespace) -> list[Path]:
    return [Path(d) for d in args.data] if args.data else [DATA_DIR]


def cmd_build(args: argparse.Namespace) -> int:
    compiled = compile_data(_data_dirs(args), progress=_progress)
    if args.to:
        from graph.remote import publish_remote

        sent = publish_remote(compiled, args.to)
        print(f"published {sent} quads from {len(compiled.dataset.records)} records to {args.to}")
        return 0
    info = publish(compiled, Path(args.store), progress=_progress)
    print(f"built {info.quads} quads from {info.records} records into {args.store} (build {info.digest[:12]})")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    compiled = compile_data(_data_dirs(args), progress=_progress)
    print(f"valid: {len(compiled.dataset.records)} records, {compiled.quad_count} quads")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    result = run(open_store(Path(args.store)), args.sparql)
    if args.format != "table":
        sys.stdout.buffer.write(serialise(result, args.format))
    elif isinstance(result, ox.QuerySolutions):
        print(format_table(solutions_table(result)))
    elif isinstance(result, ox.QueryBoolean):
        print("true" if bool(result) else "false")
    else:
        sys.stdout.buffer.write(serialise(result, "ttl"))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    store = open_store(Path(args.store))
    info = build_info(Path(args.store))
    print(f"build {info.digest[:12]}: {info.quads} quads, {info.records} records")
    for section in graph_stats(store):
        print(f"\n## {section.title}\n")
        if args.format == "csv":
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(section.variables)
            writer.writerows(section.rows)
            print(out.getvalue().rstrip())
        else:
            print(format_table(Table(section.variables, section.rows)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from graph.export import export_graph

    store = open_store(Path(args.store))
    data = export_graph(store, args.format)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(store=Path(args.store))
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="techcurbs", description=__doc__)
    sub = main.add_subparsers(dest="command", required=True)

    def with_store(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--store", default=str(DEFAULT_STORE), help="path of the built store (default: %(default)s)")
        return p

    def with_data(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--data", action="append", metavar="DIR", help="a data directory; repeat to add more")
        return p

    build = with_store(with_data(sub.add_parser("build", help="validate the data and publish a new store")))
    build.add_argument(
        "--to", metavar="STORE_URL", help="publish to a remote Graph Store Protocol URL instead of the local store"
    )
    build.set_defaults(func=cmd_build)
    with_data(sub.add_parser("validate", help="check the data without publishing")).set_defaults(func=cmd_validate)
    query = with_store(sub.add_parser("query", help="run a SPARQL query on the store"))
    query.add_argument("sparql")
    query.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml", *GRAPH_FORMATS], default="table")
    query.set_defaults(func=cmd_query)
    stats = with_store(sub.add_parser("stats", help="coverage figures of the built graph"))
    stats.add_argument("--format", choices=["table", "csv"], default="table")
    stats.set_defaults(func=cmd_stats)
    export = with_store(sub.add_parser("export", help="write the whole graph in one format"))
    export.add_argument("--format", choices=EXPORT_FORMATS, default="nq")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)
    serve = with_store(sub.add_parser("serve", help="serve the API and explorer"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as exc:
        print(f"techcurbs: {exc}", file=sys.stderr)
        return 1
    except (StoreMissingError, QueryError, RemoteError) as exc:
        print(f"techcurbs: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
