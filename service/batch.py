"""Batch cleaning of a corpus: JSONL (plain or .gz), Parquet, or a directory of .txt files.

    >>> from service.batch import BatchOptions, clean_corpus
    >>> summary = clean_corpus(Path("crawl.jsonl.gz"), Path("clean/"), options=BatchOptions(workers=8))
    >>> summary["in"] == summary["out"] + summary["rejected"]
    True

The parent process reads the input in chunks and writes shards; ``workers`` processes (spawned,
each with ``OMP_NUM_THREADS=1`` and its own model loaded once by the pool initializer) parse,
clean and serialise the chunks. Results are written in input order.

Every input record ends up in the output or in the rejects file with its line (Parquet: row;
.txt: file) and a reason. Output is sharded and every shard is committed atomically with a marker
(:mod:`service.batch_io`), so ``resume=True`` finishes an interrupted run with exactly the records
of an uninterrupted one. With ``site_field`` set, a first pass counts lines repeated across each
site's documents and the cleaning pass applies the site-repeat override
(:mod:`service.corpus_evidence`).

Output layout (README, "Cleaning a corpus"):

* ``-o DIR`` (no file suffix): ``DIR/part-NNNNN.<jsonl|jsonl.gz|parquet>`` shards plus
  ``_manifest/`` (one marker per shard), ``_rejects/`` and ``_rejects.jsonl``, ``_run.json``,
  ``_site_repeats.json`` (with site evidence) and ``_SUCCESS`` (the summary) when done.
* ``-o FILE.jsonl`` / ``.jsonl.gz`` / ``.parquet``: the same shards under ``FILE._shards/`` while
  running; at the end they are concatenated into ``FILE`` (temporary file, fsync, rename) with
  ``FILE.rejects.jsonl`` beside it, and the shard directory is removed.
* a .txt directory in, ``-o DIR``: ``DIR/<same relative path>.txt`` cleaned texts, annotations
  as ``DIR/_annotations/part-NNNNN.jsonl`` shards, and the same markers and rejects.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .batch_io import (
    ANNOTATIONS_DIR,
    LOCK_FILE,
    REJECTS_FILE,
    RUN_FILE,
    SITE_REPEATS_FILE,
    SUCCESS_FILE,
    BatchError,
    BatchUsageError,
    Chunk,
    OpenShard,
    Position,
    ShardMarker,
    ShardStore,
    atomic_write,
    completed_shards,
    concat_files,
    concat_parquet,
    open_source,
)
from .batch_worker import (
    MAX_CHARS_DEFAULT,
    MAX_LINE_CHARS_DEFAULT,
    ChunkOut,
    Worker,
    WorkerSpec,
    add_stats,
    empty_stats,
    init_process,
    output_schema,
    run_in_process,
)
from .corpus_evidence import SiteLineCounter, SiteRepeatParams, repeats_table_from_json, repeats_table_to_json
from .settings import KEEP_DEFAULT, LABELS, Settings

log = logging.getLogger(__name__)

SHARD_SIZE_DEFAULT = 10_000
"""Input records per output shard: the unit of resumption."""
CHUNK_DOCS_DEFAULT = 64
"""Records per task sent to a worker (also the model's vectorised batch)."""
CHUNK_BYTES_DEFAULT = 4 << 20
"""... or fewer, once a chunk holds this many input bytes."""
INFLIGHT_PER_WORKER = 3
"""Chunks queued per worker: enough to keep workers busy, few enough to bound memory."""
SINGLE_FILE_SUFFIXES = (".jsonl", ".ndjson", ".json", ".gz", ".parquet")

__all__ = [
    "BatchError",
    "BatchUsageError",
    "BatchOptions",
    "clean_corpus",
    "clean_jsonl",
    "completed_shards",
    "default_workers",
    "format_summary",
]


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class BatchOptions:
    """How to run a batch; every field has a CLI flag of the same name (``jingwen clean --help``)."""

    text_field: str = "text"
    id_field: str = "id"
    paragraphs: bool = True
    keep_original: bool = False
    """JSONL: also write the input text as ``original_text`` (what the offsets index), so the output,
    labels corrected by hand, is training data for ``jingwen train --data``."""
    keep: tuple[str, ...] = KEEP_DEFAULT
    encoding: str = "utf-8"
    workers: int = field(default_factory=default_workers)
    shard_size: int = SHARD_SIZE_DEFAULT
    chunk_docs: int = CHUNK_DOCS_DEFAULT
    chunk_bytes: int = CHUNK_BYTES_DEFAULT
    max_chars: int = MAX_CHARS_DEFAULT
    max_line_chars: int = MAX_LINE_CHARS_DEFAULT
    site_field: str | None = None
    site_params: SiteRepeatParams = field(default_factory=SiteRepeatParams)
    output_format: str | None = None  # jsonl | jsonl.gz for a JSONL input written to a directory
    single_file: bool | None = None  # None: decided by the output's suffix
    rejects: Path | None = None  # where the assembled rejects go (default: see the module docstring)
    resume: bool = False
    overwrite: bool = False
    keep_shards: bool = False
    progress: bool = True

    def __post_init__(self) -> None:
        if self.shard_size < 1 or self.chunk_docs < 1 or self.chunk_bytes < 1:
            raise ValueError("shard_size, chunk_docs and chunk_bytes must be positive")
        if self.workers < 0:
            raise ValueError("workers must be >= 0 (0: clean in this process)")
        if self.resume and self.overwrite:
            raise ValueError("resume and overwrite exclude each other")


# -- plumbing: ordered parallel map --------------------------------------------------------------------


class _Executor:
    """Runs worker tasks in ``workers`` spawned processes (or in this one for 0), results in input order."""

    def __init__(self, spec: WorkerSpec, workers: int, cleaner: object | None = None) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.local: Worker | None = None
        if workers == 0:
            self.local = Worker(spec, cleaner)
        else:
            # Inherited by the spawned workers (which may start later, one per submit): BLAS and
            # OpenMP read these when they load; the initializer also caps them with threadpoolctl.
            self._saved_env = {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
            os.environ.update(dict.fromkeys(self._saved_env, "1"))
            self.pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn"), initializer=init_process, initargs=(spec,)
            )

    def imap(self, mode: str, chunks: Iterator[Chunk]) -> Iterator[tuple[Chunk, object]]:
        if self.local is not None:
            from threadpoolctl import threadpool_limits

            # One thread, as in a pool worker: OpenMP threads fighting over the cores make the
            # stage-2 trees an order of magnitude slower.
            with threadpool_limits(limits=1):
                for c in chunks:
                    yield c, self.local.run((mode, *c.task))
            return
        assert self.pool is not None
        window: deque[tuple[Chunk, Future]] = deque()
        limit = max(2, self.workers * INFLIGHT_PER_WORKER)
        try:
            for c in chunks:
                window.append((c, self.pool.submit(run_in_process, (mode, *c.task))))
                if len(window) >= limit:
                    c0, f0 = window.popleft()
                    yield c0, f0.result()
            while window:
                c0, f0 = window.popleft()
                yield c0, f0.result()
        except BrokenProcessPool:
            raise BatchError(
                "a worker process died (the model failed to load, see above? out of memory? killed?); "
                "the committed shards are kept: fix the cause and rerun with --resume"
            ) from None
        finally:
            for _, f in window:
                f.cancel()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
            for k, v in self._saved_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


# -- progress -------------------------------------------------------------------------------------------


class _Progress:
    """A tqdm bar over input bytes (MB/s and ETA) with documents/s; silent when disabled."""

    def __init__(self, enabled: bool, total: int, initial: int, desc: str) -> None:
        self.bar = None
        self.docs = 0
        self.t0 = time.monotonic()
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - tqdm is a dependency; degrade to the final summary only
                log.warning("tqdm is not installed: no progress bar")
                return
            self.bar = tqdm(
                total=total or None, initial=initial, unit="B", unit_scale=True,
                desc=desc, file=sys.stderr, dynamic_ncols=True, mininterval=0.5,
            )
            self.last = initial

    def update(self, progress: int, docs: int) -> None:
        self.docs += docs
        if self.bar is None:
            return
        self.bar.update(max(0, progress - self.last))
        self.last = max(self.last, progress)
        rate = self.docs / max(1e-9, time.monotonic() - self.t0)
        self.bar.set_postfix_str(f"{self.docs} docs, {rate:.1f} docs/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# -- the run ------------------------------------------------------------------------------------------------


@dataclass
class _Layout:
    output: Path
    root: Path  # where shards, markers and run files live
    single: bool
    fmt: str
    text_root: Path | None = None

    @property
    def rejects(self) -> Path:
        return self.output.with_name(self.output.name + ".rejects.jsonl") if self.single else self.root / REJECTS_FILE


def _layout(source_kind: str, source_family: str, output: Path, options: BatchOptions) -> _Layout:
    output = Path(output)
    name = output.name.lower()
    single = options.single_file
    if single is None:
        single = not output.is_dir() and name.endswith(SINGLE_FILE_SUFFIXES)
    if source_kind == "txt":
        if single:
            raise BatchUsageError(f"{output}: a directory of .txt files is cleaned into a directory, not a single file")
        return _Layout(output, output, False, "txt", text_root=output)
    if source_kind == "parquet":
        if single and not name.endswith(".parquet"):
            raise BatchUsageError(f"{output}: Parquet input is written as Parquet (use a .parquet file or a directory)")
        if options.output_format not in (None, "parquet"):
            raise BatchUsageError("Parquet input is written as Parquet")
        fmt = "parquet"
    else:
        if single and name.endswith(".parquet"):
            raise BatchUsageError(f"{output}: JSONL input is written as JSONL (.jsonl, .jsonl.gz or a directory)")
        if single:
            fmt = "jsonl.gz" if name.endswith(".gz") else "jsonl"
        else:
            fmt = options.output_format or source_family
        if fmt not in ("jsonl", "jsonl.gz"):
            raise BatchUsageError(f"unknown output format {fmt!r} for JSONL input (jsonl or jsonl.gz)")
    root = output.with_name(output.name + "._shards") if single else output
    return _Layout(output, root, bool(single), fmt)


def _model_identity(models_dir: Path | None, model: str | None, cleaner: object | None) -> tuple[Path, str]:
    """The model directory the workers load and its version; fails here, not in every worker."""
    from .artifact import MANIFEST_FILE, resolve_model_dir

    if cleaner is not None:
        return Path(cleaner.model.path), str(cleaner.version)  # type: ignore[attr-defined]
    settings = Settings.from_env(models_dir=models_dir, model=model)
    path = resolve_model_dir(settings.models_dir, settings.model)
    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    return path, str(manifest.get("version", "unknown"))


def _run_config(source: object, layout: _Layout, options: BatchOptions, model_path: Path, version: str) -> dict:
    return {
        "format_version": 1,
        "input": source.identity(),  # type: ignore[attr-defined]
        "format": layout.fmt,
        "single_file": layout.single,
        "output": str(layout.output.resolve()),
        "shard_size": options.shard_size,
        "text_field": options.text_field,
        "id_field": options.id_field,
        "paragraphs": options.paragraphs,
        "keep": list(options.keep),
        "encoding": options.encoding,
        "max_chars": options.max_chars,
        "max_line_chars": options.max_line_chars,
        "model": {"path": str(model_path.resolve()), "version": version},
        "site_evidence": None if not options.site_field else {"field": options.site_field, **options.site_params.to_dict()},
    }


def _lock(root: Path) -> int | None:
    """Hold ``root/_lock`` (``flock``) for the run: a second run into the same output fails at once.

    The kernel drops the lock when the process dies, however it dies, so ``--resume`` after a
    crash or ``kill -9`` finds it free.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no protection against concurrent runs
        return None
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
        os.close(fd)
        raise BatchError(f"{root} is being written by another jingwen clean (pid {holder}); wait for it or stop it") from None
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode("ascii"))
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _prepare_output(layout: _Layout, config: dict, options: BatchOptions) -> tuple[dict | None, int | None]:
    """Check what is already at the output and lock it.

    Returns ``(summary, None)`` when a finished run leaves nothing to do, else ``(None, lock)``.
    """
    root, run_file = layout.root, layout.root / RUN_FILE
    # refusals that touch nothing
    if layout.single and layout.output.exists() and not run_file.exists():
        if options.resume:
            return {"status": "already complete", "output": str(layout.output)}, None
        if not options.overwrite:
            raise BatchError(f"{layout.output} exists; pass --overwrite to replace it")
    if not run_file.exists() and root.is_dir() and any(p.name != LOCK_FILE for p in root.iterdir()):
        raise BatchError(f"{root} exists, is not empty and is not a jingwen batch output; choose another -o")
    lock = _lock(root)
    try:
        if run_file.exists():
            if options.overwrite:
                for p in root.iterdir():
                    if p.name != LOCK_FILE:
                        shutil.rmtree(p) if p.is_dir() else p.unlink()
            elif options.resume:
                previous = json.loads(run_file.read_text(encoding="utf-8"))
                diff = [k for k in config if k != "output" and previous.get(k) != config[k]]
                if diff:
                    raise BatchError(
                        f"{root}: cannot resume, the run was started with different "
                        + ", ".join(f"{k} ({previous.get(k)!r} then, {config[k]!r} now)" for k in diff)
                        + "; pass --overwrite to start again"
                    )
                if (root / SUCCESS_FILE).exists():
                    _unlock(lock)
                    return {**json.loads((root / SUCCESS_FILE).read_text(encoding="utf-8")), "status": "already complete"}, None
            else:
                n = len(ShardStore(root, config["format"]).completed())
                raise BatchError(
                    f"{root} holds an earlier run ({n} shard(s) complete); pass --resume to finish it or --overwrite to start again"
                )
        if not run_file.exists():
            atomic_write(run_file, json.dumps(config, ensure_ascii=False, indent=1).encode("utf-8"))
    except BaseException:
        _unlock(lock)
        raise
    return None, lock


def clean_corpus(
    source: Path,
    output: Path,
    options: BatchOptions | None = None,
    models_dir: Path | None = None,
    model: str | None = None,
    cleaner: object | None = None,
    on_shard: Callable[[ShardMarker], None] | None = None,
) -> dict[str, object]:
    """Clean ``source`` into ``output`` (layout in the module docstring); returns the run's summary.

    The model is ``cleaner``'s if given (and ``workers=0`` then uses that very object), else the
    one ``models_dir``/``model`` name, falling back to ``JINGWEN_MODELS_DIR`` and the default.
    Raises :class:`BatchError` when the output holds something else or the run cannot resume.
    """
    options = options or BatchOptions()
    t0 = time.monotonic()
    source = Path(source)
    output = Path(output)
    src = open_source(source, exclude=output)
    layout = _layout(src.kind, src.family, output, options)
    model_path, version = _model_identity(models_dir, model, cleaner)
    config = _run_config(src, layout, options, model_path, version)
    done, lock = _prepare_output(layout, config, options)
    if done is not None:
        return done
    try:
        return _run(src, layout, options, config, model_path, cleaner, on_shard, t0)
    finally:
        _unlock(lock)


def _run(
    src: object, layout: _Layout, options: BatchOptions, config: dict, model_path: Path, cleaner: object | None,
    on_shard: Callable[[ShardMarker], None] | None, t0: float,
) -> dict[str, object]:
    store = ShardStore(layout.root, layout.fmt, layout.text_root)
    store.prepare()
    markers = store.completed()
    store.discard_after(len(markers))
    start = Position(**markers[-1].end) if markers else Position()
    resumed = len(markers)
    if resumed:
        log.info("resuming after %d committed shard(s), at record %d", resumed, start.record)

    spec = WorkerSpec(
        fmt=layout.fmt, text_field=options.text_field, id_field=options.id_field, site_field=options.site_field,
        paragraphs=options.paragraphs, keep_original=options.keep_original, keep=tuple(options.keep), encoding=options.encoding,
        max_chars=options.max_chars, max_line_chars=options.max_line_chars, site_params=options.site_params,
    )
    spec.models_dir, spec.model = model_path, None
    if options.site_field:
        spec.repeats_path = layout.root / SITE_REPEATS_FILE
    empty_schema = output_schema(src.schema, options.text_field, options.paragraphs) if src.kind == "parquet" else None  # type: ignore[union-attr]
    stats_run = empty_stats()
    rss: dict[int, float] = {}
    cpu: dict[int, float] = {}
    # One pool for both passes: the workers load the model once, while pass 1 runs.
    executor = _Executor(spec, options.workers, cleaner if options.workers == 0 else None)
    evidence: dict[str, object] | None = None
    bar = None
    try:
        if options.site_field:
            evidence = _site_evidence(src, layout, executor, options)
        bar = _Progress(options.progress, src.size, _progress_at(src, start), "cleaning")
        _clean_pass(src, start, store, executor, options, bar, stats_run, rss, cpu, empty_schema, on_shard)
    finally:
        if bar is not None:
            bar.close()
        executor.close()
    return _finish(src, layout, store, options, config, stats_run, resumed, t0, rss, cpu, evidence, empty_schema)


def _clean_pass(
    src: object, start: Position, store: ShardStore, executor: _Executor, options: BatchOptions, bar: _Progress,
    stats_run: dict, rss: dict[int, float], cpu: dict[int, float], empty_schema: object,
    on_shard: Callable[[ShardMarker], None] | None,
) -> None:
    shard: OpenShard | None = None
    last_end = start
    try:
        chunks = src.chunks(start, options.shard_size, options.chunk_docs, options.chunk_bytes)  # type: ignore[attr-defined]
        for chunk, out in executor.imap("clean", chunks):
            assert isinstance(out, ChunkOut)
            if shard is None:
                shard = store.open(chunk.shard, chunk.first_record)
            elif shard.i != chunk.shard:  # pragma: no cover - chunks never straddle shards
                raise AssertionError("chunk crossed a shard boundary")
            shard.add(out)
            add_stats(stats_run, out.stats)
            if out.pid:
                rss[out.pid] = max(rss.get(out.pid, 0.0), out.rss_mb)
                cpu[out.pid] = max(cpu.get(out.pid, 0.0), out.cpu_s)
            bar.update(chunk.progress, chunk.n)
            last_end = chunk.end
            if chunk.last_in_shard:
                marker = shard.commit(chunk.end, empty_schema)
                shard = None
                if on_shard:
                    on_shard(marker)
        if shard is not None:
            marker = shard.commit(last_end, empty_schema)
            shard = None
            if on_shard:
                on_shard(marker)
    except BaseException:
        if shard is not None:
            shard.abort()
        raise


def _progress_at(src: object, start: Position) -> int:
    kind = getattr(src, "kind", "")
    if kind == "parquet":
        return int(src.size * start.record / max(1, src.num_rows))  # type: ignore[attr-defined]
    if kind == "txt":
        return sum(src.sizes[: start.record])  # type: ignore[attr-defined]
    return 0 if getattr(src, "gz", False) else start.offset


def _site_evidence(src: object, layout: _Layout, executor: _Executor, options: BatchOptions) -> dict:
    """Pass 1 (skipped on resume: its result is saved): per site, the line keys repeated across its documents."""
    path = layout.root / SITE_REPEATS_FILE
    if path.exists():
        summary = json.loads(path.read_text(encoding="utf-8"))["summary"]
    else:
        t = time.monotonic()
        counter = SiteLineCounter()
        bar = _Progress(options.progress, src.size, 0, "site evidence")  # type: ignore[attr-defined]
        try:
            chunks = src.chunks(Position(), options.shard_size, options.chunk_docs, options.chunk_bytes)  # type: ignore[attr-defined]
            for chunk, part in executor.imap("count", chunks):
                counter.merge(part)  # type: ignore[arg-type]
                bar.update(chunk.progress, chunk.n)
        finally:
            bar.close()
        table = counter.repeated(options.site_params)
        summary = {
            "field": options.site_field,
            **options.site_params.to_dict(),
            "sites": len(counter.docs),
            "documents_with_site": sum(counter.docs.values()),
            "sites_with_repeats": len(table),
            "repeated_lines": sum(len(v) for v in table.values()),
            "seconds": round(time.monotonic() - t, 2),
        }
        data = {"summary": summary, "docs_per_site": dict(counter.docs), "repeated": repeats_table_to_json(table)}
        atomic_write(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    if executor.local is not None:
        executor.local.spec.repeats = repeats_table_from_json(json.loads(path.read_text(encoding="utf-8"))["repeated"])
    return summary


def _finish(
    src: object, layout: _Layout, store: ShardStore, options: BatchOptions, config: dict, stats_run: dict,
    resumed: int, t0: float, rss: dict[int, float], cpu: dict[int, float], evidence: dict | None, empty_schema: object,
) -> dict[str, object]:
    markers = store.completed()
    total = empty_stats()
    for m in markers:
        add_stats(total, m.stats)
    rejects = Path(options.rejects) if options.rejects else layout.rejects
    concat_files([store.rejects_path(m.shard) for m in markers if m.rejected], rejects)
    if layout.single:
        parts = [store.data_path(m.shard) for m in markers]
        if layout.fmt == "parquet":
            concat_parquet(parts, layout.output, empty_schema)
        else:
            concat_files(parts, layout.output)
    elapsed = time.monotonic() - t0
    bytes_run = int(stats_run["bytes_in"])
    summary: dict[str, object] = {
        "status": "complete",
        "input": config["input"]["path"],
        "output": str(layout.output),
        "format": layout.fmt,
        "rejects": str(rejects),
        "model": config["model"],
        "in": total["in"],
        "out": total["out"],
        "rejected": total["rejected"],
        "paragraphs": total["paragraphs"],
        "removed_paragraphs": total["removed_paragraphs"],
        "chars_removed": total["chars_removed"],
        "chars_in": total["chars_in"],
        "chars_out": total["chars_out"],
        "overrides": total["overrides"],
        "site_evidence": evidence,
        "shards": len(markers),
        "resumed_after_shards": resumed,
        "this_run": {
            "documents": stats_run["in"],
            "seconds": round(elapsed, 3),
            "docs_per_s": round(stats_run["in"] / elapsed, 2) if elapsed else None,
            "mb_per_s": round(bytes_run / 1e6 / elapsed, 3) if elapsed else None,
            "input_mb": round(bytes_run / 1e6, 3),
            "workers": options.workers,
            "worker_peak_rss_mb": {str(k): round(v, 1) for k, v in sorted(rss.items())},
            "worker_cpu_s": {str(k): round(v, 1) for k, v in sorted(cpu.items())},
        },
    }
    if layout.fmt == "txt":
        summary["annotations"] = str(layout.root / ANNOTATIONS_DIR) if options.paragraphs else None
    if layout.single:
        if not options.keep_shards:
            shutil.rmtree(layout.root, ignore_errors=True)
    else:
        atomic_write(layout.root / SUCCESS_FILE, json.dumps(summary, ensure_ascii=False, indent=1).encode("utf-8"))
    return summary


def clean_jsonl(
    cleaner: object,
    source: Path,
    output: Path,
    paragraphs: bool = True,
    encoding: str = "utf-8",
    rejects: Path | None = None,
) -> dict[str, object]:
    """Clean a JSONL file into one JSONL file in this process (the original API; see :func:`clean_corpus`)."""
    options = BatchOptions(
        paragraphs=paragraphs, encoding=encoding, rejects=rejects, workers=0, single_file=True,
        overwrite=True, progress=False, keep=tuple(cleaner.keep),  # type: ignore[attr-defined]
    )
    return clean_corpus(Path(source), Path(output), options, cleaner=cleaner)


def format_summary(summary: dict[str, object]) -> str:
    """The end-of-run summary for stderr: counts, per-label paragraphs and characters removed, throughput."""
    if summary.get("status") == "already complete" and "in" not in summary:
        return f"jingwen clean: {summary['output']} is already complete; nothing to do"
    lines = [
        f"jingwen clean: {summary['in']} in = {summary['out']} out + {summary['rejected']} rejected"
        + (f"  (rejects: {summary['rejects']})" if summary["rejected"] else ""),
        f"  output: {summary['output']} ({summary['format']}, {summary['shards']} shard(s)"
        + (f", resumed after {summary['resumed_after_shards']}" if summary.get("resumed_after_shards") else "")
        + ")",
        f"  {'label':<10} {'paragraphs':>12} {'removed':>10} {'chars removed':>14}",
    ]
    par, rem, chars = summary["paragraphs"], summary["removed_paragraphs"], summary["chars_removed"]
    for label in LABELS:
        lines.append(f"  {label:<10} {par[label]:>12} {rem[label]:>10} {chars[label]:>14}")  # type: ignore[index]
    if summary.get("chars_in") is not None:
        lines.append(f"  characters: {summary['chars_in']} in, {summary['chars_out']} out")
    overrides = summary.get("overrides") or {}
    ev = summary.get("site_evidence")
    if ev:
        lines.append(
            f"  site evidence ({ev['field']}): {ev['repeated_lines']} repeated line(s) on {ev['sites_with_repeats']} of "  # type: ignore[index]
            f"{ev['sites']} site(s); {overrides.get('site_repeat', 0)} paragraph(s) relabelled"  # type: ignore[union-attr, index]
        )
    run = summary.get("this_run") or {}
    if run:
        rss = run.get("worker_peak_rss_mb") or {}  # type: ignore[union-attr]
        lines.append(
            f"  this run: {run['documents']} documents in {run['seconds']:.1f} s, {run['docs_per_s']} docs/s, "  # type: ignore[index]
            + (f"{run['mb_per_s']} MB/s, " if run.get("mb_per_s") is not None else "")  # type: ignore[union-attr]
            + f"{run['workers']} worker(s)"  # type: ignore[index]
            + (f", peak RSS per worker {max(rss.values()):.0f} MB" if rss else "")  # type: ignore[union-attr]
        )
    return "\n".join(lines)

