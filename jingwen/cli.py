"""``jingwen``: clean documents, train and evaluate models, serve them.

Exit codes: 0 success, 1 the input or a model was unusable (the message says which and where),
2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

# Each process is one worker: OpenMP/BLAS thread teams on top of our own processes only contend.
# Set before anything imports scikit-learn (the service package does), or it is read too late.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from service.settings import KEEP_DEFAULT, LABELS, MODELS_DIR_DEFAULT, Settings

log = logging.getLogger("jingwen")


def _keep(value: str) -> tuple[str, ...]:
    labels = tuple(x.strip() for x in value.split(",") if x.strip())
    unknown = [x for x in labels if x not in LABELS]
    if unknown or not labels:
        raise argparse.ArgumentTypeError(f"unknown label(s) {unknown or value!r}; choose from {', '.join(LABELS)}")
    return labels


def _add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--models-dir", type=Path, default=None, help=f"models directory (default {MODELS_DIR_DEFAULT}, env JINGWEN_MODELS_DIR)")
    p.add_argument("--model", default=None, help="model name inside the models directory (default: the one CURRENT names)")


def _cleaner(args: argparse.Namespace, keep: tuple[str, ...] = KEEP_DEFAULT):  # noqa: ANN202
    from service import Cleaner

    settings = Settings.from_env(models_dir=args.models_dir, model=args.model)
    return Cleaner.from_dir(settings.models_dir, settings.model, keep=keep)


BATCH_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".gz", ".parquet")


def _batch_input(args: argparse.Namespace) -> Path | None:
    """The corpus to clean in batch form: --input/--jsonl, or a FILE that is a directory, JSONL or Parquet."""
    if args.input or args.jsonl:
        return args.input or args.jsonl
    if args.file and args.file != "-":
        path = Path(args.file)
        if path.is_dir() or path.name.lower().endswith(BATCH_SUFFIXES):
            return path
    return None


def cmd_clean(args: argparse.Namespace) -> int:
    source = _batch_input(args)
    if source is not None:
        return _clean_batch(args, source)
    from service.textio import decode

    cleaner = _cleaner(args, args.keep)
    source = args.file or "-"
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    text = decode(data, args.encoding, "<stdin>" if source == "-" else source)
    result = cleaner.clean(text)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.json:
            payload = {"text": result.text, "paragraphs": [p.to_dict() for p in result.paragraphs], "stats": result.stats()}
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        else:
            out.write(result.text + ("\n" if result.text else ""))
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _usage(message: str) -> int:
    print(f"jingwen clean: usage error: {message}", file=sys.stderr)
    return 2


def _clean_batch(args: argparse.Namespace, source: Path) -> int:
    """``jingwen clean`` on a corpus: every record to the output or the rejects, summary on stderr."""
    from service.batch import BatchError, BatchOptions, BatchUsageError, clean_corpus, format_summary
    from service.corpus_evidence import SiteRepeatParams
    from service.textio import check_encoding

    if not args.output:
        return _usage("a corpus (JSONL, Parquet or a .txt directory) needs -o/--output")
    if args.json:
        return _usage("--json is for one document; a corpus gets annotations unless --no-paragraphs")
    if args.resume and args.overwrite:
        return _usage("--resume and --overwrite exclude each other")
    if args.keep_original and args.no_paragraphs:
        return _usage("--keep-original is for correcting labels, which needs the paragraphs: drop --no-paragraphs")
    check_encoding(args.encoding)
    try:
        site_params = SiteRepeatParams(args.site_min_docs, args.site_min_share, args.site_max_doc_share)
        options = BatchOptions(
            text_field=args.text_field, id_field=args.id_field, paragraphs=not args.no_paragraphs,
            keep_original=args.keep_original, keep=args.keep,
            encoding=args.encoding, shard_size=args.shard_size, max_chars=args.max_chars,
            max_line_chars=args.max_line_chars, site_field=args.site_field, site_params=site_params,
            output_format=args.format, rejects=args.rejects, resume=args.resume, overwrite=args.overwrite,
            keep_shards=args.keep_shards, progress=not args.no_progress,
            **({"workers": args.workers} if args.workers is not None else {}),
        )
    except ValueError as exc:
        return _usage(str(exc))
    try:
        if args.engine == "ray":
            try:
                from service.batch_ray import clean_files
            except ImportError as exc:
                print(f"jingwen clean: error: --engine ray needs Ray Data ({exc}); pip install 'jingwen[ray]'", file=sys.stderr)
                return 1
            summary = clean_files(source, args.output, options, models_dir=args.models_dir, model=args.model, address=args.ray_address)
        else:
            summary = clean_corpus(source, args.output, options, models_dir=args.models_dir, model=args.model)
    except BatchUsageError as exc:
        return _usage(str(exc))
    except BatchError as exc:
        print(f"jingwen clean: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"jingwen clean: interrupted; committed shards are kept, rerun with --resume to finish {args.output}", file=sys.stderr)
        return 130
    print(format_summary(summary), file=sys.stderr)
    if args.report:
        args.report.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if args.strict and summary.get("rejected") else 0


def cmd_train(args: argparse.Namespace) -> int:
    from service.model import ParagraphClassifier
    from training.recipe import CORPORA_DEFAULT, DEVSET_DEFAULT, SEEDS_DEFAULT, Recipe
    from training.train import train, training_summary

    allowed = set(ParagraphClassifier().get_params()) - {"lexicon_terms"}
    params: dict[str, object] = {}
    for item in args.param:
        key, sep, raw = item.partition("=")
        if not sep or key.strip() not in allowed:
            print(f"jingwen train: usage error: --param {item!r}: expected KEY=VALUE with KEY one of {', '.join(sorted(allowed))}", file=sys.stderr)
            return 2
        try:
            params[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[key.strip()] = raw
    if args.cv_folds < 0:
        print("jingwen train: usage error: --cv-folds must be 0 (off) or more", file=sys.stderr)
        return 2
    models_dir = args.models_dir or args.out.parent
    if args.promote and args.out.parent.resolve() != Path(models_dir).resolve():
        print(f"jingwen train: usage error: --promote needs --out inside the models directory {models_dir}", file=sys.stderr)
        return 2
    recipe = Recipe(
        seeds=None if args.no_seeds else (args.seeds or SEEDS_DEFAULT),
        devset=None if args.no_devset else (args.devset or DEVSET_DEFAULT),
        corpora=args.corpora or CORPORA_DEFAULT,
        user_data=list(args.data),
        synthetic_docs=0 if args.no_synthetic else args.synthetic,
        seed=args.seed,
        params=params,
        served_models=Path(models_dir),
        cv_folds=args.cv_folds,
    )
    _, manifest = train(recipe, args.out, args.version)
    switch = None
    if args.promote:
        from service.registry import promote

        switch = promote(Path(models_dir), args.out.name)
    if args.json:
        metrics = manifest.get("metrics", {})
        print(json.dumps({
            "model": str(args.out), "version": manifest["version"],
            "synthesis": manifest["training"]["synthesis"], "lexicon": manifest["training"]["lexicon"],  # type: ignore[index]
            "evaluation": manifest["training"]["evaluation"],  # type: ignore[index]
            "promoted": switch is not None,
            "metrics": {
                k: {"keep_f1": v["char"]["keep_f1"], "content_kept": v["char"]["content_kept"], "removed": v["char"]["removed"]}
                for k, v in metrics.items()  # type: ignore[union-attr]
            },
        }, ensure_ascii=False, indent=1))
    else:
        print(training_summary(manifest, args.out))
        if switch is not None and switch.changed:
            print(f"promoted: {args.out.name} is now served from {models_dir} (was {switch.previous or 'none'})")
        elif switch is not None:
            print(f"{args.out.name} is the served model in {models_dir} (already promoted)")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from training.baseline import baseline_labels
    from training.data import read_labelled
    from training.evaluate import score
    from training.metrics import evaluate, format_report

    docs = [d for path in args.data for d in read_labelled(path)]
    reports: dict[str, object] = {}
    if args.baseline:
        texts = [t for d in docs for t in d.texts]
        reports["baseline"] = evaluate([lab for d in docs for lab in d.labels], baseline_labels(texts), [len(t) for t in texts])
    for name in args.model or [None]:
        ns = argparse.Namespace(models_dir=args.models_dir, model=name)
        cleaner = _cleaner(ns)
        reports[f"{cleaner.model.path.name} ({cleaner.version})"] = score(cleaner.model.classifier, docs)
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=1, default=float))
    else:
        for title, report in reports.items():
            print(format_report(report, f"== {title}"))  # type: ignore[arg-type]
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from service import registry

    models_dir = Settings.from_env(models_dir=args.models_dir).models_dir
    if args.action == "list":
        entries = registry.list_models(models_dir, verify_files=args.verify)
        if args.json:
            print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
            return 0
        if not entries:
            print(f"no models in {models_dir}")
            return 0
        name_w = max(4, *(len(e.name) for e in entries))
        ver_w = max(7, *(len(e.version) for e in entries))
        print(f"  {'name':<{name_w}}  {'version':<{ver_w}}  {'created':<25}  metrics")
        for e in entries:
            mark = "*" if e.current else " "
            note = f"  [{e.error}]" if e.error else ("  [verified]" if e.verified else "")
            print(f"{mark} {e.name:<{name_w}}  {e.version:<{ver_w}}  {e.created:<25}  {e.summary()}{note}")
        current = registry.current_name(models_dir)
        if current and not any(e.current for e in entries):
            print(f"CURRENT names {current!r}, which is not a model directory here")
        return 0
    if args.action == "promote":
        switch = registry.promote(models_dir, args.name)
        if not switch.changed:
            print(f"{switch.current} is already the served model in {models_dir}")
        else:
            print(f"promoted: {switch.current} is now served from {models_dir} (was {switch.previous or 'none'}); "
                  "a running server picks it up when it restarts or reloads")
        return 0
    switch = registry.rollback(models_dir)
    print(f"rolled back: {switch.current} is served again from {models_dir} (was {switch.previous or 'none'}); "
          "a running server picks it up when it restarts or reloads")
    return 0


def cmd_uncertain(args: argparse.Namespace) -> int:
    from training.uncertain import find_uncertain, read_documents, write_records

    if args.n < 1 or args.context < 0:
        print("jingwen uncertain: usage error: -n must be at least 1 and --context at least 0", file=sys.stderr)
        return 2
    cleaner = _cleaner(args)
    docs = read_documents(args.input, args.text_field, args.id_field, args.site_field)
    records = find_uncertain(cleaner.model.classifier, docs, n=args.n, by=args.by, context=args.context,
                             model_name=cleaner.model.path.name)
    count = write_records(records, args.output)
    chosen = sum(1 for r in records for p in r["paragraphs"] if p.get("uncertain"))  # type: ignore[union-attr]
    print(f"jingwen uncertain: {chosen} paragraphs (least certain by {args.by}) in {count} records written to {args.output}; "
          f"correct their labels, then: jingwen train --data {args.output} --out models/NAME", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from service.app import run

    settings = Settings.from_env(
        models_dir=args.models_dir, model=args.model, host=args.host, port=args.port, workers=args.workers,
        max_body_bytes=args.max_body_bytes, max_batch_documents=args.max_batch_documents,
    )
    run(settings)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jingwen", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    from service.batch import SHARD_SIZE_DEFAULT
    from service.batch_worker import MAX_CHARS_DEFAULT, MAX_LINE_CHARS_DEFAULT
    from service.corpus_evidence import SITE_REPEAT_MAX_DOC_SHARE, SITE_REPEAT_MIN_DOCS, SITE_REPEAT_MIN_SHARE

    p = sub.add_parser(
        "clean", help="clean one document (FILE or stdin) or a corpus (JSONL, .jsonl.gz, Parquet, a .txt directory)",
        description="Clean one document, or a corpus in batch form: a FILE that is a directory of .txt files or "
        "ends in .jsonl, .jsonl.gz, .ndjson, .gz or .parquet (or --input) is cleaned record by record into -o, "
        "in shards that --resume can finish after a crash. See the README, 'Cleaning a corpus'.",
    )
    p.add_argument("file", nargs="?", help="text file to clean (- or nothing: stdin), or a corpus (see above)")
    p.add_argument("-i", "--input", type=Path, help="corpus to clean: JSONL (plain or gzip), Parquet, or a directory of .txt files")
    p.add_argument("--jsonl", type=Path, help="same as --input (kept for old scripts)")
    p.add_argument("-o", "--output", type=Path, help="one document: write here instead of stdout; a corpus: a directory of "
                   "shards, or a .jsonl/.jsonl.gz/.parquet file assembled at the end")
    p.add_argument("--keep", type=_keep, default=KEEP_DEFAULT, help="labels to keep, comma-separated (default: content)")
    p.add_argument("--encoding", default="utf-8", help="input encoding (default utf-8; e.g. gb18030, big5)")
    p.add_argument("--json", action="store_true", help="one document: print labels, scores and offsets as JSON")
    g = p.add_argument_group("corpus (batch) options")
    g.add_argument("--no-paragraphs", action="store_true", help="no per-paragraph annotations in the output")
    g.add_argument("--keep-original", action="store_true",
                   help="JSONL: also write the input text as original_text, so corrected output trains with jingwen train --data")
    g.add_argument("--strict", action="store_true", help="exit 1 if any record was rejected")
    g.add_argument("--text-field", default="text", help="field (column) holding the text (default: text)")
    g.add_argument("--id-field", default="id", help="field (column) holding the record id, for rejects (default: id)")
    g.add_argument("--workers", type=int, default=None, help="worker processes (default: the machine's cores; 0: in this process)")
    g.add_argument("--shard-size", type=int, default=SHARD_SIZE_DEFAULT, help=f"input records per output shard (default {SHARD_SIZE_DEFAULT})")
    g.add_argument("--resume", action="store_true", help="finish an interrupted run into the same -o")
    g.add_argument("--overwrite", action="store_true", help="replace an earlier run (or file) at -o")
    g.add_argument("--report", type=Path, help="also write the summary here as JSON")
    g.add_argument("--rejects", type=Path, help="rejected records here (default: OUT/_rejects.jsonl or FILE.rejects.jsonl)")
    g.add_argument("--format", choices=("jsonl", "jsonl.gz"), default=None,
                   help="shard format for JSONL input written to a directory (default: like the input)")
    g.add_argument("--max-chars", type=int, default=MAX_CHARS_DEFAULT, help=f"reject texts longer than this (default {MAX_CHARS_DEFAULT:,} characters)")
    g.add_argument("--max-line-chars", type=int, default=MAX_LINE_CHARS_DEFAULT, help=f"reject texts with a longer line (default {MAX_LINE_CHARS_DEFAULT:,})")
    g.add_argument("--keep-shards", action="store_true", help="single-file output: keep FILE._shards/ after assembling")
    g.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    g = p.add_argument_group("site evidence (a line repeated across a site's pages is template or spam)")
    g.add_argument("--site-field", default=None,
                   help="field naming each record's site; a URL value counts by its host (e.g. --site-field url). "
                   "Enables a first pass that counts repeated lines per site")
    g.add_argument("--site-min-docs", type=int, default=SITE_REPEAT_MIN_DOCS,
                   help=f"a repeated line occurs in at least this many documents of the site (default {SITE_REPEAT_MIN_DOCS})")
    g.add_argument("--site-min-share", type=float, default=SITE_REPEAT_MIN_SHARE, help=f"... and in at least this share of them (default {SITE_REPEAT_MIN_SHARE})")
    g.add_argument("--site-max-doc-share", type=float, default=SITE_REPEAT_MAX_DOC_SHARE,
                   help=f"leave a document alone when repeated lines are more than this share of its content (default {SITE_REPEAT_MAX_DOC_SHARE})")
    g = p.add_argument_group("engine")
    g.add_argument("--engine", choices=("local", "ray"), default="local", help="local process pool (default) or Ray Data")
    g.add_argument("--ray-address", default=None, help="Ray cluster to join (e.g. auto, ray://head:10001); default: a local Ray")
    _add_model_args(p)
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser(
        "train", help="train a model directory from labelled data and the synthetic recipe",
        description="Train on your labelled JSONL (--data) together with the shipped recipe (seeds, dev set, "
        "synthetic pages), cross-validate on your data and compare with the served model. See the README, 'Retraining on your own labels'.",
    )
    p.add_argument("--out", type=Path, required=True, help="model directory to write, e.g. models/my-model")
    p.add_argument("--data", type=Path, action="append", default=[],
                   help="your labelled JSONL (repeatable): seeds format, or `clean --jsonl --keep-original` output with labels corrected")
    p.add_argument("--seeds", type=Path, help="seed documents (default: seeds/labelled.jsonl)")
    p.add_argument("--devset", type=Path, help="labelled real pages (default: ../shared/devset/docs.jsonl)")
    p.add_argument("--corpora", type=Path, help="prose corpora and lexicons for synthesis, laid out like tests/fixtures/corpora "
                   "(default: ../shared/corpora; without it, the prose of your labelled documents and the served model's lexicon)")
    p.add_argument("--no-seeds", action="store_true")
    p.add_argument("--no-devset", action="store_true")
    p.add_argument("--no-synthetic", action="store_true", help="train on labelled files only")
    p.add_argument("--synthetic", type=int, default=None, help="number of synthetic documents")
    p.add_argument("--seed", type=int, default=None, help="synthesis seed")
    p.add_argument("--cv-folds", type=int, default=3,
                   help="cross-validate on your --data, grouped by site (else document), with this many folds; each "
                   "costs one more fit (default 3; 0: off)")
    p.add_argument("--models-dir", type=Path, default=None,
                   help="where the served model is (CURRENT): compared with, and lends its spam lexicon when there are "
                   "no corpora (default: the directory of --out)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="classifier parameter, e.g. stage2_iter=50 (repeatable; for experiments and tests)")
    p.add_argument("--version", help="version string for the manifest (default: today's date)")
    p.add_argument("--promote", action="store_true", help="make it the served model (jingwen models promote) once trained")
    p.add_argument("--json", action="store_true", help="print a JSON summary instead of the report")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="score models on labelled data, per label, by line and by character")
    p.add_argument("--data", type=Path, action="append", required=True, help="labelled JSONL (repeatable)")
    p.add_argument("--models-dir", type=Path, default=None)
    p.add_argument("--model", action="append", help="model name (repeat to compare models side by side)")
    p.add_argument("--baseline", action="store_true", help="also score the plain-text rules baseline")
    p.add_argument("--json", action="store_true", help="print the full reports as JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("models", help="model versions: list, promote one to served, roll back",
                       description="Model versions in the models directory; CURRENT names the served one, HISTORY the "
                       "ones it named before. Promotion and rollback verify the model first and switch atomically.")
    msub = p.add_subparsers(dest="action", required=True)
    q = msub.add_parser("list", help="every model: name, version, created, metrics; * marks the served one")
    q.add_argument("--verify", action="store_true", help="also check every model file's SHA-256 against its manifest")
    q.add_argument("--json", action="store_true")
    q.add_argument("--models-dir", type=Path, default=None)
    q = msub.add_parser("promote", help="serve model NAME (verified first; the old one is kept in HISTORY)")
    q.add_argument("name")
    q.add_argument("--models-dir", type=Path, default=None)
    q = msub.add_parser("rollback", help="serve the previously promoted model again")
    q.add_argument("--models-dir", type=Path, default=None)
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("uncertain", help="the paragraphs the model is least sure of, as labelled data to correct",
                       description="Read {\"id\", \"text\"} JSONL, write the N least certain paragraphs with their "
                       "neighbours in the labelled format, pre-labelled by the model, ready to correct and train on.")
    p.add_argument("input", type=Path, help="documents, JSONL")
    p.add_argument("-n", type=int, default=200, help="uncertain paragraphs to select (default 200; a repeated line counts once)")
    p.add_argument("-o", "--output", type=Path, required=True, help="labelled JSONL to write")
    p.add_argument("--by", choices=("margin", "entropy"), default="margin",
                   help="margin between the two highest scores (default) or entropy of the scores")
    p.add_argument("--context", type=int, default=2, help="neighbours on each side (default 2)")
    p.add_argument("--text-field", default="text")
    p.add_argument("--id-field", default="id")
    p.add_argument("--site-field", default="site", help="field naming the site, carried to the output (default: site)")
    _add_model_args(p)
    p.set_defaults(func=cmd_uncertain)

    p = sub.add_parser("serve", help="run the HTTP service")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--max-body-bytes", type=int, default=None)
    p.add_argument("--max-batch-documents", type=int, default=None)
    _add_model_args(p)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "train":
        from training.recipe import SYNTHESIS_SEED_DEFAULT, SYNTHETIC_DOCS_DEFAULT

        args.synthetic = SYNTHETIC_DOCS_DEFAULT if args.synthetic is None else args.synthetic
        args.seed = SYNTHESIS_SEED_DEFAULT if args.seed is None else args.seed
    from service.artifact import ModelError
    from service.textio import DecodeError
    from training.data import LabelledDataError

    try:
        return int(args.func(args))
    except (DecodeError, ModelError, LabelledDataError, FileNotFoundError, IsADirectoryError, LookupError) as exc:
        print(f"jingwen {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
