"""The headless commands, kept thin over the core; errors become messages here, not tracebacks.

Exit status: 0 on success, 1 when any input was refused or a file could not be used, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotations import schema as schema_mod
from annotations.errors import ClaimdeskError
from annotations.settings import load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimdesk", description="Turn news articles into a gold dataset of facts.")
    parser.set_defaults(db=None, annotator=None, review=False, doc=None, screenshot=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--db", help="workspace database (default: $CLAIMDESK_DB or ./claimdesk.db)")
        return p

    gui = command("gui", "open the desktop app (the default command)")
    gui.add_argument("--annotator", help="your name, stored with every decision")
    gui.add_argument("--review", action="store_true", help="open in review mode")
    gui.add_argument("--doc", help="open this article (name or SHA-256)")
    gui.add_argument("--screenshot", metavar="FILE.png", help="render the window offscreen to a PNG and exit")

    imp = command("import", "import .txt files, folders of them, and JSONL")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--lang", default="auto", help="language code of the texts, or auto (default) to detect it")
    imp.add_argument("--encoding", help="encoding for files that are not UTF-8 (for example latin-1)")

    command("stats", "documents, spans and claims in the workspace")

    schema = sub.add_parser("schema", help="check schema files")
    schema_sub = schema.add_subparsers(dest="schema_command", metavar="ACTION", required=True)
    check = schema_sub.add_parser("check", help="report every problem in schema files, or ok")
    check.add_argument("paths", nargs="*", metavar="PATH", help="claims.yaml and/or entities.yaml (default: the ones in force)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run one headless command (main.py hands `gui` to the gui package instead)."""
    try:
        return COMMANDS[args.command](args)
    except ClaimdeskError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; everything stored so far is kept", file=sys.stderr)
        return 130


def _store(args):
    from annotations.store import Store

    return Store(load_settings(args.db).db_path)


def cmd_import(args) -> int:
    from tqdm import tqdm

    from annotations.ingest import import_paths

    with _store(args) as store, tqdm(desc="importing", unit="doc", disable=None, file=sys.stderr) as bar:
        report = import_paths(store, args.paths, lang=args.lang, encoding=args.encoding, progress=lambda _: bar.update())
    for refused in report.refused:
        print(f"refused {refused.source}: {refused.reason}", file=sys.stderr)
    if report.present:
        print(f"{len(report.present)} already in the workspace (same text), left as they were")
    print(f"imported {len(report.added)} document{'s' * (len(report.added) != 1)}"
          + (f", refused {len(report.refused)}" if report.refused else ""))
    return 0 if report.ok else 1


def cmd_stats(args) -> int:
    with _store(args) as store:
        stats = store.stats()
    docs = stats["documents"]
    print(f"documents: {sum(docs.values())}" + (f" ({', '.join(f'{k} {v}' for k, v in docs.items())})" if docs else ""))
    for title, key in (("spans by status", "spans"), ("claims by status", "claims_by_status"), ("claims by type", "claims_by_type")):
        values = stats[key]
        print(f"{title}: " + (", ".join(f"{k} {v}" for k, v in values.items()) if values else "none"))
    print("annotators: " + (", ".join(stats["annotators"]) or "none"))
    return 0


def cmd_schema(args) -> int:
    settings = load_settings()
    paths = [Path(p) for p in args.paths] or [settings.claims_schema, settings.entities_schema]
    problems = schema_mod.check(paths)
    for problem in problems:
        print(problem)
    if not problems:
        print("ok")
    return 1 if problems else 0


COMMANDS = {"import": cmd_import, "stats": cmd_stats, "schema": cmd_schema}

