"""Batch input and output: chunked readers for JSONL/.gz, Parquet and .txt directories, and the
shard store that makes a run resumable.

Input records are numbered in input order (blank JSONL lines are not records). Shard ``i`` holds
the output of records ``[i * shard_size, (i + 1) * shard_size)``, so a run cut anywhere resumes at
the first shard without a completion marker and produces exactly the same shards.

A shard is committed in this order: data written to ``.part-NNNNN.<ext>.tmp``, flushed, fsynced,
renamed to ``part-NNNNN.<ext>``; the same for its rejects; the directory fsynced; and only then the
marker ``_manifest/part-NNNNN.json`` (written the same way). A reader that lists shards by marker
(:func:`completed_shards`) -- or by the ``part-*`` glob, which never matches a ``.tmp`` file --
never sees a half-written shard.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .batch_worker import ChunkOut, add_stats, empty_stats

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
BOM = b"\xef\xbb\xbf"

MANIFEST_DIR = "_manifest"
REJECTS_DIR = "_rejects"
ANNOTATIONS_DIR = "_annotations"
RUN_FILE = "_run.json"
SUCCESS_FILE = "_SUCCESS"
REJECTS_FILE = "_rejects.jsonl"
ANNOTATIONS_FILE = "_annotations.jsonl"
SITE_REPEATS_FILE = "_site_repeats.json"
LOCK_FILE = "_lock"
EXT = {"jsonl": "jsonl", "jsonl.gz": "jsonl.gz", "parquet": "parquet", "txt": "jsonl"}


class BatchError(RuntimeError):
    """A batch run that cannot start or continue as asked; the message says what to do."""


class BatchUsageError(BatchError):
    """Options that do not fit together (e.g. a .txt directory into a single file): a usage error."""


# -- positions and chunks --------------------------------------------------------------------------------


@dataclass
class Position:
    """How far into the input a run is: records, physical lines and (decompressed) bytes consumed."""

    record: int = 0
    line: int = 0
    offset: int = 0


@dataclass
class Chunk:
    shard: int
    first_record: int
    n: int
    task: tuple  # (kind, payload) for Worker.run
    end: Position
    progress: int  # input bytes consumed so far, for the progress bar
    last_in_shard: bool


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` so that it either keeps its old content or has all of ``data``."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


# -- sources ----------------------------------------------------------------------------------------------


class JsonlSource:
    """JSON lines, plain or gzip-compressed (detected by the gzip magic bytes, not the name)."""

    kind = "jsonl"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with open(self.path, "rb") as fh:
            self.gz = fh.read(2) == GZIP_MAGIC
        self.size = self.path.stat().st_size

    @property
    def family(self) -> str:
        return "jsonl.gz" if self.gz else "jsonl"

    def identity(self) -> dict[str, object]:
        st = self.path.stat()
        return {"path": str(self.path.resolve()), "kind": self.family, "size": st.st_size, "mtime_ns": st.st_mtime_ns}

    def chunks(self, start: Position, shard_size: int, chunk_docs: int, chunk_bytes: int) -> Iterator[Chunk]:
        with open(self.path, "rb") as raw:
            fh = gzip.GzipFile(fileobj=raw, mode="rb") if self.gz else raw
            if start.offset:
                fh.seek(start.offset)
            pos = Position(start.record, start.line, start.offset)
            buf: list[tuple[int, bytes]] = []
            nbytes = 0

            def cut(last: bool) -> Chunk:
                nonlocal buf, nbytes
                first = pos.record - len(buf)
                chunk = Chunk(
                    shard=first // shard_size,
                    first_record=first,
                    n=len(buf),
                    task=("jsonl", buf),
                    end=Position(pos.record, pos.line, pos.offset),
                    progress=raw.tell() if self.gz else pos.offset,
                    last_in_shard=last,
                )
                buf, nbytes = [], 0
                return chunk

            for line in fh:
                pos.line += 1
                pos.offset += len(line)
                if pos.line == 1 and line.startswith(BOM):
                    line = line[len(BOM) :]
                if not line or line.isspace():
                    continue
                buf.append((pos.line, line))
                nbytes += len(line)
                pos.record += 1
                boundary = pos.record % shard_size == 0
                if boundary or len(buf) >= chunk_docs or nbytes >= chunk_bytes:
                    yield cut(boundary)
            if buf:
                yield cut(False)


class ParquetSource:
    """A Parquet file, read by record batches; rows are numbered from 1 in rejects."""

    kind = "parquet"
    family = "parquet"

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.path = Path(path)
        self.size = self.path.stat().st_size
        pf = pq.ParquetFile(self.path)
        self.num_rows = pf.metadata.num_rows
        self.schema = pf.schema_arrow

    def identity(self) -> dict[str, object]:
        st = self.path.stat()
        return {"path": str(self.path.resolve()), "kind": "parquet", "size": st.st_size, "mtime_ns": st.st_mtime_ns, "rows": self.num_rows}

    def chunks(self, start: Position, shard_size: int, chunk_docs: int, chunk_bytes: int) -> Iterator[Chunk]:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(self.path)
        groups, row = [], 0
        skip = start.record
        for g in range(pf.num_row_groups):
            n = pf.metadata.row_group(g).num_rows
            if row + n <= start.record:
                row += n
                continue
            groups.append(g)
        skip = start.record - row
        pos = start.record
        if not groups:
            return
        for batch in pf.iter_batches(batch_size=chunk_docs, row_groups=groups, use_threads=False):
            if skip:
                drop = min(skip, batch.num_rows)
                batch, skip = batch.slice(drop), skip - drop
            while batch.num_rows:
                take = min(shard_size - pos % shard_size, batch.num_rows)
                piece, batch = batch.slice(0, take), batch.slice(take)
                first = pos
                pos += take
                yield Chunk(
                    shard=first // shard_size,
                    first_record=first,
                    n=take,
                    task=("parquet", (piece, first + 1)),
                    end=Position(pos),
                    progress=int(self.size * pos / max(1, self.num_rows)),
                    last_in_shard=pos % shard_size == 0,
                )


class TxtDirSource:
    """A directory of ``.txt`` files (recursive, sorted by relative path; hidden and ``_`` names skipped)."""

    kind = "txt"
    family = "txt"

    def __init__(self, root: Path, exclude: Path | None = None) -> None:
        self.path = Path(root)
        exclude = exclude.resolve() if exclude else None
        files = []
        for p in self.path.rglob("*.txt"):
            rel = p.relative_to(self.path)
            if any(part.startswith((".", "_")) for part in rel.parts) or not p.is_file():
                continue
            if exclude is not None and (p.resolve() == exclude or exclude in p.resolve().parents):
                continue
            files.append(rel.as_posix())
        self.files = sorted(files)
        self.sizes = [(self.path / f).stat().st_size for f in self.files]
        self.size = sum(self.sizes)

    def identity(self) -> dict[str, object]:
        mtime = max(((self.path / f).stat().st_mtime_ns for f in self.files), default=0)
        return {"path": str(self.path.resolve()), "kind": "txt", "files": len(self.files), "size": self.size, "mtime_ns": mtime}

    def chunks(self, start: Position, shard_size: int, chunk_docs: int, chunk_bytes: int) -> Iterator[Chunk]:
        buf: list[tuple[str, bytes]] = []
        nbytes = 0
        done = sum(self.sizes[: start.record])
        for i in range(start.record, len(self.files)):
            rel = self.files[i]
            data = (self.path / rel).read_bytes()
            buf.append((rel, data))
            nbytes += len(data)
            done += self.sizes[i]
            pos = i + 1
            boundary = pos % shard_size == 0
            if boundary or len(buf) >= chunk_docs or nbytes >= chunk_bytes or pos == len(self.files):
                first = pos - len(buf)
                yield Chunk(first // shard_size, first, len(buf), ("txt", buf), Position(pos), done, boundary)
                buf, nbytes = [], 0


def open_source(path: Path, exclude: Path | None = None) -> JsonlSource | ParquetSource | TxtDirSource:
    """The reader for ``path``: a directory of .txt files, a Parquet file (magic bytes), or JSON lines."""
    path = Path(path)
    if path.is_dir():
        return TxtDirSource(path, exclude)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or directory")
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head == PARQUET_MAGIC or path.suffix == ".parquet":
        return ParquetSource(path)
    return JsonlSource(path)


# -- the shard store ----------------------------------------------------------------------------------------


@dataclass
class ShardMarker:
    shard: int
    file: str
    bytes: int
    sha256: str
    first_record: int
    records_in: int
    records_out: int
    rejected: int
    end: dict[str, int]
    stats: dict = field(default_factory=dict)
    files: int = 0  # txt output: text files written
    written_at: float = 0.0


class ShardStore:
    """The shard files, markers and rejects of one run, under ``root``; ``text_root`` for txt output."""

    def __init__(self, root: Path, fmt: str, text_root: Path | None = None) -> None:
        self.root = Path(root)
        self.fmt = fmt
        self.text_root = text_root

    def data_path(self, i: int) -> Path:
        name = f"part-{i:05d}.{EXT[self.fmt]}"
        return self.root / ANNOTATIONS_DIR / name if self.fmt == "txt" else self.root / name

    def marker_path(self, i: int) -> Path:
        return self.root / MANIFEST_DIR / f"part-{i:05d}.json"

    def rejects_path(self, i: int) -> Path:
        return self.root / REJECTS_DIR / f"part-{i:05d}.jsonl"

    def prepare(self) -> None:
        for d in (self.root, self.root / MANIFEST_DIR, self.root / REJECTS_DIR):
            d.mkdir(parents=True, exist_ok=True)
        if self.fmt == "txt":
            (self.root / ANNOTATIONS_DIR).mkdir(exist_ok=True)

    def read_marker(self, i: int) -> ShardMarker | None:
        try:
            data = json.loads(self.marker_path(i).read_text(encoding="utf-8"))
            marker = ShardMarker(**data)
        except (OSError, ValueError, TypeError):
            return None
        path = self.data_path(i)
        if not path.is_file() or path.stat().st_size != marker.bytes:
            return None
        if marker.rejected and not self.rejects_path(i).is_file():
            return None
        return marker

    def completed(self) -> list[ShardMarker]:
        """Markers of the committed shards, in order: the longest prefix 0, 1, ... with valid markers."""
        out = []
        while (m := self.read_marker(len(out))) is not None:
            out.append(m)
        return out

    def discard_after(self, n: int) -> None:
        """Remove everything of shards ``>= n`` and every temporary file (an interrupted run's leftovers)."""
        dirs = [self.root, self.root / MANIFEST_DIR, self.root / REJECTS_DIR, self.root / ANNOTATIONS_DIR]
        for d in dirs:
            if not d.is_dir():
                continue
            for p in d.iterdir():
                name = p.name
                if name.startswith(".") and name.endswith(".tmp"):
                    p.unlink()
                elif name.startswith("part-"):
                    try:
                        idx = int(name[5:10])
                    except ValueError:
                        continue
                    if idx >= n:
                        p.unlink()
        if self.text_root is not None and self.text_root.is_dir():
            for p in self.text_root.rglob(".*.tmp"):
                p.unlink()

    def open(self, i: int, first_record: int) -> "OpenShard":
        return OpenShard(self, i, first_record)


class OpenShard:
    """A shard being written: appends chunk outputs to temporary files, commits atomically."""

    def __init__(self, store: ShardStore, i: int, first_record: int) -> None:
        self.store, self.i, self.first_record = store, i, first_record
        self.path = store.data_path(i)
        self.tmp = self.path.with_name(f".{self.path.name}.tmp")
        self.rej_path = store.rejects_path(i)
        self.rej_tmp = self.rej_path.with_name(f".{self.rej_path.name}.tmp")
        self.sha = hashlib.sha256()
        self.stats = empty_stats()
        self.files = 0
        self._fh = open(self.tmp, "wb") if store.fmt != "parquet" else None
        self._rej = open(self.rej_tmp, "wb")
        self._pq = None

    def add(self, out: ChunkOut) -> None:
        add_stats(self.stats, out.stats)
        if out.rejects:
            self._rej.write(out.rejects)
        fmt = self.store.fmt
        if fmt in ("jsonl", "jsonl.gz"):
            self._write(out.data)  # type: ignore[arg-type]
        elif fmt == "txt":
            for rel, data in out.data:  # type: ignore[attr-defined]
                target = self.store.text_root / rel  # type: ignore[operator]
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, data)
                self.files += 1
            self._write(out.annotations)
        else:
            import pyarrow.parquet as pq

            table = out.data
            if self._pq is None:
                self._pq = pq.ParquetWriter(self.tmp, table.schema, compression="zstd")  # type: ignore[attr-defined]
            self._pq.write_table(table.cast(self._pq.schema))  # type: ignore[attr-defined]

    def _write(self, data: bytes) -> None:
        if data:
            self._fh.write(data)  # type: ignore[union-attr]
            self.sha.update(data)

    def commit(self, end: Position, empty_schema: object = None) -> ShardMarker:
        if self._pq is None and self.store.fmt == "parquet":
            import pyarrow.parquet as pq

            self._pq = pq.ParquetWriter(self.tmp, empty_schema, compression="zstd")  # type: ignore[arg-type]
        if self._pq is not None:
            self._pq.close()
            with open(self.tmp, "rb") as fh:
                os.fsync(fh.fileno())
                for block in iter(lambda: fh.read(1 << 20), b""):
                    self.sha.update(block)
        else:
            self._fh.flush()  # type: ignore[union-attr]
            os.fsync(self._fh.fileno())  # type: ignore[union-attr]
            self._fh.close()  # type: ignore[union-attr]
        os.replace(self.tmp, self.path)
        rejected = self.stats["rejected"]
        self._rej.flush()
        os.fsync(self._rej.fileno())
        self._rej.close()
        if rejected:
            os.replace(self.rej_tmp, self.rej_path)
        else:
            self.rej_tmp.unlink()
        _fsync_dir(self.path.parent)
        _fsync_dir(self.rej_path.parent)
        marker = ShardMarker(
            shard=self.i,
            file=self.path.name,
            bytes=self.path.stat().st_size,
            sha256=self.sha.hexdigest(),
            first_record=self.first_record,
            records_in=int(self.stats["in"]),
            records_out=int(self.stats["out"]),
            rejected=int(rejected),
            end=asdict(end),
            stats=self.stats,
            files=self.files,
            written_at=time.time(),
        )
        atomic_write(self.store.marker_path(self.i), json.dumps(asdict(marker), ensure_ascii=False).encode("utf-8"))
        return marker

    def abort(self) -> None:
        for fh in (self._fh, self._rej):
            if fh is not None and not fh.closed:
                fh.close()
        if self._pq is not None:
            try:
                self._pq.close()
            except Exception:  # noqa: BLE001
                pass
        for p in (self.tmp, self.rej_tmp):
            p.unlink(missing_ok=True)


def concat_files(parts: list[Path], target: Path) -> None:
    """Concatenate ``parts`` into ``target`` atomically (temporary file, fsync, rename)."""
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as out:
        for p in parts:
            with open(p, "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    _fsync_dir(target.parent)


def concat_parquet(parts: list[Path], target: Path, schema: object) -> None:
    import pyarrow.parquet as pq

    tmp = target.with_name(f".{target.name}.tmp")
    writer = None
    try:
        for p in parts:
            pf = pq.ParquetFile(p)
            if writer is None:
                writer = pq.ParquetWriter(tmp, pf.schema_arrow, compression="zstd")
            for g in range(pf.num_row_groups):
                writer.write_table(pf.read_row_group(g))
        if writer is None:
            writer = pq.ParquetWriter(tmp, schema, compression="zstd")  # type: ignore[arg-type]
    finally:
        if writer is not None:
            writer.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    _fsync_dir(target.parent)


def completed_shards(output: Path) -> list[Path]:
    """The data shards of a run (finished or not) that are complete, in order; safe to read at any time.

    ``output`` is the run's ``-o``: a shard directory, a single-file target (its shards live in
    ``<file>._shards/`` until the run finishes) or a .txt output directory (the annotation shards).
    A shard is listed only once its marker exists, which is written after the data is durable.
    """
    output = Path(output)
    root = output if output.is_dir() and (output / RUN_FILE).exists() else output.with_name(output.name + "._shards")
    if not (root / RUN_FILE).exists():
        return []
    run = json.loads((root / RUN_FILE).read_text(encoding="utf-8"))
    store = ShardStore(root, run["format"])
    out = []
    for marker_file in sorted((root / MANIFEST_DIR).glob("part-*.json")):
        i = int(marker_file.stem[5:])
        if store.read_marker(i) is not None:
            out.append(store.data_path(i))
    return out
