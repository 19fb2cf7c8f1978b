"""What one batch worker does with one chunk of input: parse, validate, clean, serialise.

The parent process only splits the input into chunks and writes what comes back, so everything
that costs CPU -- JSON parsing, the model, the JSON/Arrow/gzip encoding of the output -- happens
here, in parallel. A worker loads its :class:`~service.cleaner.Cleaner` once (the pool's
initializer) and keeps it on a :class:`Worker` object for the life of the process.

Every record of a chunk comes back either as output or as a reject with its line (row, file)
and a reason; nothing is dropped silently and no input makes the worker raise.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .corpus_evidence import (
    SiteLineCounter,
    SiteRepeatParams,
    apply_site_repeats,
    document_lines,
    line_key,
    site_key,
)
from .records import CleanResult
from .segment import segment
from .settings import KEEP_DEFAULT, LABELS

MAX_CHARS_DEFAULT = 10_000_000
"""Texts longer than this many characters are rejected (reason ``text too long``)."""
MAX_LINE_CHARS_DEFAULT = 1_000_000
"""Texts with a single line longer than this are rejected: one such line costs ~0.3 GB to featurise."""
WINDOW_CHARS = 1_000_000
WINDOW_PARAGRAPHS = 5_000
"""A document longer than either is classified in windows of that size (memory stays bounded);
context features then see their window, not the whole document. Web pages are far below both."""
BINARY_SHARE = 0.10
BINARY_MIN_CHARS = 16
"""A text in which more than 10 % of the characters are control characters (other than tab and
line breaks) or U+FFFD is rejected as binary junk rather than cleaned into nonsense."""

PARAGRAPHS_FIELD = "paragraphs"
ORIGINAL_FIELD = "original_text"
"""With --keep-original: the input text the offsets index (the text field holds the cleaned text)."""


# -- what comes back ----------------------------------------------------------------------------------


def empty_stats() -> dict[str, object]:
    return {
        "in": 0,
        "out": 0,
        "rejected": 0,
        "bytes_in": 0,
        "chars_in": 0,
        "chars_out": 0,
        "paragraphs": dict.fromkeys(LABELS, 0),
        "removed_paragraphs": dict.fromkeys(LABELS, 0),
        "chars_removed": dict.fromkeys(LABELS, 0),
        "overrides": {"site_repeat": 0},
    }


def add_stats(total: dict, part: Mapping) -> dict:
    """Add ``part`` into ``total`` (nested dicts of counts), in place; returns ``total``."""
    for k, v in part.items():
        if isinstance(v, Mapping):
            add_stats(total.setdefault(k, {}), v)
        else:
            total[k] = total.get(k, 0) + v
    return total


def _count_result(stats: dict, result: CleanResult) -> None:
    stats["out"] += 1
    stats["chars_in"] += result.chars_in
    stats["chars_out"] += len(result.text)
    par, rem, chars = stats["paragraphs"], stats["removed_paragraphs"], stats["chars_removed"]
    for p in result.paragraphs:
        par[p.label] += 1
        if not p.kept:
            rem[p.label] += 1
            chars[p.label] += p.end - p.start
        if getattr(p, "override", None):
            stats["overrides"][p.override] = stats["overrides"].get(p.override, 0) + 1  # type: ignore[attr-defined]


@dataclass
class ChunkOut:
    """The cleaned output of one chunk, ready to append to its shard."""

    data: object  # bytes (jsonl, jsonl.gz member), a pyarrow.Table (parquet), list[(relpath, bytes)] (txt)
    rejects: bytes = b""  # JSON lines
    annotations: bytes = b""  # txt only: JSON lines of per-file annotations
    stats: dict = field(default_factory=empty_stats)
    pid: int = 0  # the worker process, its peak resident memory and CPU seconds so far
    rss_mb: float = 0.0
    cpu_s: float = 0.0


# -- validation shared by both passes ---------------------------------------------------------------------


def text_problem(text: str, max_chars: int, max_line_chars: int) -> str | None:
    """Why ``text`` cannot be cleaned, or ``None``."""
    n = len(text)
    if n > max_chars:
        return f"text too long: {n} characters (limit {max_chars}, --max-chars)"
    if n >= BINARY_MIN_CHARS:
        junk = n - len(text.translate(_JUNK))
        if junk > BINARY_SHARE * n:
            return f"binary junk: {junk} of {n} characters are control characters or U+FFFD"
    if n > max_line_chars:
        longest = max((e - s for s, e in segment(text)), default=0)
        if longest > max_line_chars:
            return f"a line of {longest} characters (limit {max_line_chars}, --max-line-chars)"
    return None


# C0 controls other than tab, LF, VT, FF, CR; DEL; C1 controls; U+FFFD (what a failed decode leaves).
_JUNK = dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xFFFD], None)


def _loads(line: bytes, encoding: str) -> tuple[object, str | None, bool]:
    """``(value, reason, via_stdlib)``: orjson first; the stdlib for what orjson refuses but is JSON
    (integers beyond 64 bits, escaped lone surrogates)."""
    if encoding in ("utf-8", "utf8"):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, f"not valid UTF-8 at byte {exc.start} of the line ({exc.reason})", False
    else:
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError as exc:
            return None, f"not valid {encoding} at byte {exc.start} of the line ({exc.reason})", False
    try:
        return orjson.loads(text), None, False
    except orjson.JSONDecodeError as exc:
        first = str(exc)
    try:
        return json.loads(text, parse_constant=_no_constant), None, True
    except (ValueError, RecursionError):
        return None, f"invalid JSON: {first}", False


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _raw_text(line: bytes, encoding: str) -> str:
    return line.decode(encoding if encoding else "utf-8", "backslashreplace").rstrip("\r\n")


def _dumps(value: object, via_stdlib: bool) -> bytes:
    if not via_stdlib:
        try:
            return orjson.dumps(value)
        except (TypeError, orjson.JSONEncodeError):
            pass
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: keep them as \\u escapes
        return json.dumps(value).encode("ascii")


def _reject(line: int | None, reason: str, raw: str | None = None, id: object = None, file: str | None = None) -> bytes:
    rec: dict[str, object] = {}
    if file is not None:
        rec["file"] = file
    if line is not None:
        rec["line"] = line
    if id is not None:
        rec["id"] = id
    rec["reason"] = reason
    if raw is not None:
        rec["raw"] = raw
    return _dumps(rec, False) + b"\n"


# -- the worker ---------------------------------------------------------------------------------------------


@dataclass
class WorkerSpec:
    """Everything a worker process needs; picklable, so it travels to the pool's initializer."""

    fmt: str  # output format: jsonl | jsonl.gz | parquet | txt
    text_field: str = "text"
    id_field: str = "id"
    site_field: str | None = None
    paragraphs: bool = True
    keep_original: bool = False
    keep: tuple[str, ...] = KEEP_DEFAULT
    encoding: str = "utf-8"
    max_chars: int = MAX_CHARS_DEFAULT
    max_line_chars: int = MAX_LINE_CHARS_DEFAULT
    models_dir: Path | None = None  # None: a counting-only worker (pass 1)
    model: str | None = None
    batch_size: int = 64
    repeats: Mapping[str, frozenset[int]] | None = None
    repeats_path: Path | None = None  # or: read the table from this file at the first cleaning task
    site_params: SiteRepeatParams = field(default_factory=SiteRepeatParams)


class Worker:
    """One process's cleaner plus the chunk handlers; build once per process."""

    def __init__(self, spec: WorkerSpec, cleaner: object | None = None) -> None:
        self.spec = spec
        self.cleaner = cleaner
        if self.cleaner is None and spec.models_dir is not None:
            from .cleaner import Cleaner

            self.cleaner = Cleaner.from_dir(spec.models_dir, spec.model, keep=spec.keep, batch_size=spec.batch_size)
        if self.cleaner is not None:
            # Fail here, once, if the model does not run with this code (e.g. features changed since
            # it was trained) -- not as one "cleaning failed" reject per record.
            try:
                self._clean_docs(["自检标题\n这是一段用于检查模型能否运行的正文。"], [None])
            except Exception as exc:  # noqa: BLE001
                from .artifact import ModelError

                where = getattr(getattr(self.cleaner, "model", None), "path", "the model")
                raise ModelError(
                    f"{where} does not run with this code ({type(exc).__name__}: {exc}); "
                    "retrain it (jingwen train) or use the code it was trained with"
                ) from exc

    # -- dispatch --------------------------------------------------------------------------------------
    def run(self, task: tuple) -> object:
        mode, kind, payload = task
        items = self.parse_chunk(kind, payload)
        if mode == "count":
            return self._count(items)
        if self.spec.repeats is None and self.spec.repeats_path is not None:
            # Pass 1 ran in this same pool; its result reaches every worker through this file.
            from .corpus_evidence import repeats_table_from_json

            saved = json.loads(Path(self.spec.repeats_path).read_text(encoding="utf-8"))
            self.spec.repeats = repeats_table_from_json(saved["repeated"])
        return self._clean(kind, payload, items)

    # -- parsing: every input unit -> (where, record | None, reason, raw) -----------------------------------
    def parse_chunk(self, kind: str, payload: object) -> list[tuple]:
        """Every input unit as ``(where, record or None, reason or None, raw, id, parsed_by_stdlib)``."""
        spec = self.spec
        out: list[tuple] = []
        if kind == "jsonl":
            for lineno, raw in payload:  # type: ignore[attr-defined]
                value, reason, via_stdlib = _loads(raw, spec.encoding)
                if reason is None and not isinstance(value, dict):
                    reason = f"a record must be a JSON object, not {type(value).__name__}"
                if reason is None:
                    reason = self._record_problem(value)  # type: ignore[arg-type]
                if reason is not None:
                    rid = value.get(spec.id_field) if isinstance(value, dict) else None
                    out.append((lineno, None, reason, _raw_text(raw, spec.encoding), rid, via_stdlib))
                else:
                    out.append((lineno, value, None, None, value.get(spec.id_field), via_stdlib))  # type: ignore[union-attr]
        elif kind == "parquet":
            batch, first_row = payload  # type: ignore[misc]
            names = batch.schema.names
            cols = {n: batch.column(n).to_pylist() for n in (spec.text_field, spec.id_field, spec.site_field) if n and n in names}
            texts = cols.get(spec.text_field, [None] * batch.num_rows)
            for i in range(batch.num_rows):
                text = texts[i]
                reason = None
                if spec.text_field not in names:
                    reason = f"no {spec.text_field!r} column"
                elif isinstance(text, bytes):
                    try:
                        text = text.decode(spec.encoding)
                    except UnicodeDecodeError as exc:
                        reason = f"not valid {spec.encoding} at byte {exc.start} of the text ({exc.reason})"
                if reason is None:
                    reason = self._text_problem(text)
                record = {spec.text_field: text}
                for n in (spec.id_field, spec.site_field):
                    if n and n in cols:
                        record[n] = cols[n][i]
                rid = record.get(spec.id_field)
                if reason is not None:
                    row = batch.slice(i, 1).to_pylist()[0]
                    raw = orjson.dumps(row, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
                    out.append((first_row + i, None, reason, raw, rid, False))
                else:
                    out.append((first_row + i, record, None, None, rid, False))
        elif kind == "txt":
            from .textio import DecodeError, decode

            for relpath, data in payload:  # type: ignore[attr-defined]
                try:
                    text = decode(data, spec.encoding, relpath)
                except DecodeError as exc:
                    out.append((relpath, None, str(exc), None, relpath, False))
                    continue
                reason = self._text_problem(text)
                if reason is not None:
                    out.append((relpath, None, reason, None, relpath, False))
                else:
                    out.append((relpath, {spec.text_field: text, spec.id_field: relpath}, None, None, relpath, False))
        else:
            raise ValueError(f"unknown chunk kind {kind!r}")
        return out

    def _record_problem(self, record: dict) -> str | None:
        if self.spec.text_field not in record:
            return f"missing {self.spec.text_field!r} field"
        return self._text_problem(record[self.spec.text_field])

    def _text_problem(self, text: object) -> str | None:
        if not isinstance(text, str):
            return f"{self.spec.text_field!r} is {type(text).__name__}, not a string"
        return text_problem(text, self.spec.max_chars, self.spec.max_line_chars)

    # -- pass 1: site evidence ------------------------------------------------------------------------
    def _count(self, items: list[tuple]) -> SiteLineCounter:
        counter = SiteLineCounter()
        valid = [(site_key(rec.get(self.spec.site_field)), rec[self.spec.text_field]) for _, rec, *_ in items if rec is not None]
        valid = [(s, t) for s, t in valid if s is not None]
        for (site, _), lines in zip(valid, document_lines([t for _, t in valid])):
            counter.add(site, (line_key(n) for n in lines))
        return counter

    # -- pass 2: cleaning ------------------------------------------------------------------------------
    def clean_texts(self, texts: Sequence[str], ids: Sequence[object], sites: Sequence[str | None]) -> list[CleanResult | BaseException]:
        """Clean documents in input order; an exception in place of a result means that document failed."""
        results: list[CleanResult | BaseException | None] = [None] * len(texts)
        small = [i for i, t in enumerate(texts) if len(t) <= WINDOW_CHARS and t.count("\n") <= WINDOW_PARAGRAPHS]
        big = [i for i in range(len(texts)) if len(texts[i]) > WINDOW_CHARS or texts[i].count("\n") > WINDOW_PARAGRAPHS]
        bs = max(1, self.spec.batch_size)
        for start in range(0, len(small), bs):
            idx = small[start : start + bs]
            try:
                pairs = self._clean_docs([texts[i] for i in idx], [ids[i] for i in idx])
            except Exception:  # noqa: BLE001 - isolate the document that fails, keep the others
                pairs = []
                for i in idx:
                    try:
                        pairs += self._clean_docs([texts[i]], [ids[i]])
                    except Exception as exc:  # noqa: BLE001
                        pairs.append((exc, []))
            for i, (res, norms) in zip(idx, pairs):
                results[i] = self._override(res, norms, sites[i])
        for i in big:
            try:
                res, norms = self._clean_windowed(texts[i], ids[i])
                results[i] = self._override(res, norms, sites[i])
            except Exception as exc:  # noqa: BLE001
                results[i] = exc
        return results  # type: ignore[return-value]

    def _clean_docs(self, texts: Sequence[str], ids: Sequence[object]) -> list[tuple[CleanResult, list[str]]]:
        """The cleaner's own path on documents built here, so each paragraph's norm is kept for the evidence."""
        from .document import build_documents

        docs = build_documents(list(texts), list(ids))
        results = self.cleaner.clean_documents(docs, self.spec.keep)  # type: ignore[union-attr]
        return [(res, [p.norm for p in doc.paragraphs]) for res, doc in zip(results, docs)]

    def _clean_windowed(self, text: str, id: object) -> tuple[CleanResult, list[str]]:
        """A huge document, classified window by window (see :data:`WINDOW_CHARS`); offsets stay the document's."""
        spans = segment(text)
        windows: list[tuple[int, int]] = []
        first, chars = 0, 0
        for j, (s, e) in enumerate(spans):
            chars += e - s
            if j + 1 - first >= WINDOW_PARAGRAPHS or chars >= WINDOW_CHARS:
                windows.append((first, j))
                first, chars = j + 1, 0
        if first < len(spans):
            windows.append((first, len(spans) - 1))
        paragraphs, norms, kept_texts = [], [], []
        removed: dict[str, int] = {}
        for a, b in windows:
            offset = spans[a][0]
            (res, ns), = self._clean_docs([text[offset : spans[b][1]]], [id])
            for p in res.paragraphs:
                p.start += offset
                p.end += offset
            paragraphs += res.paragraphs
            norms += ns
            if res.text:
                kept_texts.append(res.text)
            for k, v in res.removed.items():
                removed[k] = removed.get(k, 0) + v
        return CleanResult("\n".join(kept_texts), paragraphs, id=id, chars_in=len(text), removed=removed), norms

    def _override(self, result: CleanResult | BaseException, norms: list[str], site: str | None) -> CleanResult | BaseException:
        table = self.spec.repeats
        if isinstance(result, BaseException) or not table or site is None or site not in table:
            return result
        return apply_site_repeats(result, norms, table[site], self.spec.keep, self.spec.site_params, key=line_key)  # type: ignore[union-attr]

    def _clean(self, kind: str, payload: object, items: list[tuple]) -> ChunkOut:
        spec = self.spec
        stats = empty_stats()
        stats["in"] = len(items)
        stats["bytes_in"] = _input_bytes(kind, payload)
        rejects: list[bytes] = []
        valid = [it for it in items if it[1] is not None]
        texts = [it[1][spec.text_field] for it in valid]
        sites = [site_key(it[1].get(spec.site_field)) if spec.site_field else None for it in valid]
        results = self.clean_texts(texts, [it[4] for it in valid], sites)
        good: list[tuple[tuple, CleanResult]] = []
        failed: dict[object, str] = {}
        for it, res in zip(valid, results):
            if isinstance(res, BaseException):
                failed[it[0]] = f"cleaning failed: {type(res).__name__}: {res}"
            else:
                good.append((it, res))
                _count_result(stats, res)
        # rejects in input order, whether refused at parsing or failed in cleaning
        for it in items:
            where, record, reason, raw, rid, via_stdlib = it
            if record is None or where in failed:
                if record is not None:
                    reason = failed[where]
                    raw = _raw_for(kind, payload, it, spec)
                if kind == "txt":
                    rejects.append(_reject(None, reason, None, None, file=where))
                else:
                    rejects.append(_reject(where, reason, raw, rid))
        stats["rejected"] = len(rejects)
        data, annotations = self._serialise(kind, payload, items, good)
        return ChunkOut(
            data=data, rejects=b"".join(rejects), annotations=annotations, stats=stats, pid=os.getpid(), rss_mb=peak_rss_mb(),
            cpu_s=cpu_seconds(),
        )

    def _serialise(self, kind: str, payload: object, items: list[tuple], good: list[tuple[tuple, CleanResult]]) -> tuple[object, bytes]:
        spec = self.spec
        if kind == "jsonl":
            lines = []
            for it, res in good:
                out = dict(it[1])
                out[spec.text_field] = res.text
                if spec.keep_original:
                    out[ORIGINAL_FIELD] = it[1][spec.text_field]
                if spec.paragraphs:
                    out[PARAGRAPHS_FIELD] = [p.to_dict() for p in res.paragraphs]
                lines.append(_dumps(out, it[5]) + b"\n")
            data = b"".join(lines)
            if spec.fmt == "jsonl.gz":
                data = gzip.compress(data, compresslevel=6, mtime=0) if data else b""
            return data, b""
        if kind == "parquet":
            batch, first_row = payload  # type: ignore[misc]
            return parquet_output(batch, [it[0] - first_row for it, _ in good], [r for _, r in good], spec), b""
        files = []
        notes = []
        for it, res in good:
            files.append((it[0], (res.text + "\n").encode("utf-8") if res.text else b""))
            if spec.paragraphs:
                notes.append(_dumps({"id": it[0], **res.stats(), PARAGRAPHS_FIELD: [p.to_dict() for p in res.paragraphs]}, False) + b"\n")
        return files, b"".join(notes)


def _input_bytes(kind: str, payload: object) -> int:
    if kind == "parquet":
        return int(payload[0].nbytes)  # type: ignore[index]
    return sum(len(data) for _, data in payload)  # type: ignore[attr-defined]


def _raw_for(kind: str, payload: object, it: tuple, spec: WorkerSpec) -> str | None:
    """The raw input of a record that parsed but failed to clean, for its reject line."""
    if kind == "txt":
        return None
    if kind == "parquet":
        batch, first_row = payload  # type: ignore[misc]
        row = batch.slice(it[0] - first_row, 1).to_pylist()[0]
        return orjson.dumps(row, default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    return _dumps(it[1], it[5]).decode("utf-8")


# -- Arrow output ------------------------------------------------------------------------------------------


def paragraph_type():  # noqa: ANN201
    import pyarrow as pa

    return pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("label", pa.string()),
            ("scores", pa.struct([(lab, pa.float32()) for lab in LABELS])),
            ("first_pass", pa.string()),
            ("kept", pa.bool_()),
            ("override", pa.string()),
        ]
    )


def paragraphs_array(results: Sequence[CleanResult]):  # noqa: ANN201
    """The ``paragraphs`` column: one list of structs per document (``override`` null unless set)."""
    import pyarrow as pa

    rows = []
    for res in results:
        ps = []
        for p in res.paragraphs:
            d = p.to_dict()
            d.setdefault("override", None)
            ps.append(d)
        rows.append(ps)
    return pa.array(rows, type=pa.list_(paragraph_type()))


def output_schema(schema, text_field: str, paragraphs: bool):  # noqa: ANN001, ANN201
    """The schema of cleaned output for an input schema: text becomes a string, paragraphs are appended."""
    import pyarrow as pa

    fields = []
    for f in schema:
        if f.name == PARAGRAPHS_FIELD and paragraphs:
            continue
        if f.name == text_field:
            large = pa.types.is_large_string(f.type) or pa.types.is_large_binary(f.type)
            f = pa.field(text_field, pa.large_string() if large else pa.string(), nullable=True)
        fields.append(f)
    if paragraphs:
        fields.append(pa.field(PARAGRAPHS_FIELD, pa.list_(paragraph_type())))
    return pa.schema(fields, metadata=schema.metadata)


def parquet_output(batch, rows: Sequence[int], results: Sequence[CleanResult], spec: WorkerSpec):  # noqa: ANN001, ANN201
    """The rows ``rows`` of ``batch`` with the text replaced by ``results`` and their annotations appended."""
    import pyarrow as pa

    schema = output_schema(batch.schema, spec.text_field, spec.paragraphs)
    taken = batch.take(pa.array(rows, type=pa.int64())) if len(rows) != batch.num_rows else batch
    columns = []
    for f in schema:
        if f.name == spec.text_field:
            columns.append(pa.array([r.text for r in results], type=f.type))
        elif f.name == PARAGRAPHS_FIELD and spec.paragraphs:
            columns.append(paragraphs_array(results))
        else:
            columns.append(taken.column(f.name))
    return pa.Table.from_arrays(columns, schema=schema)


# -- process-pool plumbing --------------------------------------------------------------------------------

_PROCESS_WORKER: Worker | None = None
"""The worker of *this* process, set by :func:`init_process` in pool processes only."""


def init_process(spec: WorkerSpec) -> None:
    """Pool initializer: one thread for BLAS/OpenMP, then load the model once for this process.

    Ctrl-C is left to the parent, which stops handing out work and shuts the pool down; a worker
    that took the signal too would only die with a traceback in the middle of a chunk.
    """
    global _PROCESS_WORKER
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - scikit-learn depends on it
        pass
    _PROCESS_WORKER = Worker(spec)


def run_in_process(task: tuple) -> object:
    assert _PROCESS_WORKER is not None, "init_process did not run"
    return _PROCESS_WORKER.run(task)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time (user + system) of this process so far, start-up and model loading included."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


__all__ = [
    "ChunkOut",
    "MAX_CHARS_DEFAULT",
    "MAX_LINE_CHARS_DEFAULT",
    "Worker",
    "WorkerSpec",
    "add_stats",
    "empty_stats",
    "init_process",
    "output_schema",
    "paragraphs_array",
    "run_in_process",
]
