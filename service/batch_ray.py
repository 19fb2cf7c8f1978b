"""The batch cleaning on Ray Data, for corpora larger than one machine (optional extra ``jingwen[ray]``).

    >>> import ray
    >>> from service.batch_ray import clean_dataset, split_rejects
    >>> ds = ray.data.read_parquet("s3://bucket/crawl/")
    >>> cleaned, rejects = split_rejects(clean_dataset(ds, models_dir="/shared/models"))
    >>> cleaned.write_parquet("s3://bucket/clean/")

:func:`clean_dataset` maps the dataset with ``map_batches`` through :class:`RayCleaner`, a
callable class: Ray builds it once per actor, so the model is loaded once per actor, and each
actor runs one thread for BLAS/OpenMP. It does the same parsing, validation, cleaning and
site-repeat override as the local runner (the same :class:`~service.batch_worker.Worker` code).

Every row comes out: a cleaned row has the cleaned text and its ``paragraphs``; a row that cannot
be cleaned keeps its fields, a null ``paragraphs`` and the reason in ``_reject``
(:func:`split_rejects` separates the two). Ray has no line numbers: a reject names its ``id``.
The model directory must be readable at the same path on every node (shared storage).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa

from .batch_worker import (
    MAX_CHARS_DEFAULT,
    MAX_LINE_CHARS_DEFAULT,
    Worker,
    WorkerSpec,
    add_stats,
    empty_stats,
    output_schema,
    paragraph_type,
)
from .corpus_evidence import SiteRepeatParams, document_lines, line_key, site_key
from .records import CleanResult
from .settings import KEEP_DEFAULT, Settings

REJECT_COLUMN = "_reject"
RAY_BATCH_SIZE_DEFAULT = 64


def _model_path(models_dir: str | Path | None, model: str | None) -> Path:
    from .artifact import resolve_model_dir

    settings = Settings.from_env(models_dir=Path(models_dir) if models_dir else None, model=model)
    return resolve_model_dir(settings.models_dir, settings.model).resolve()


class RayCleaner:
    """``map_batches`` callable class: a :class:`Worker` (model loaded once per actor) on Arrow tables."""

    def __init__(
        self,
        model_path: str,
        text_field: str = "text",
        id_field: str = "id",
        keep: Sequence[str] = KEEP_DEFAULT,
        paragraphs: bool = True,
        site_field: str | None = None,
        repeats: Mapping[str, frozenset[int]] | None = None,
        site_params: SiteRepeatParams = SiteRepeatParams(),
        max_chars: int = MAX_CHARS_DEFAULT,
        max_line_chars: int = MAX_LINE_CHARS_DEFAULT,
        reject_column: str = REJECT_COLUMN,
    ) -> None:
        from threadpoolctl import threadpool_limits

        self._limits = threadpool_limits(limits=1)  # one thread per actor; Ray schedules actors per CPU
        spec = WorkerSpec(
            fmt="parquet", text_field=text_field, id_field=id_field, site_field=site_field, paragraphs=paragraphs,
            keep=tuple(keep), max_chars=max_chars, max_line_chars=max_line_chars, models_dir=Path(model_path),
            repeats=repeats, site_params=site_params,
        )
        self.worker = Worker(spec)
        self.reject_column = reject_column

    def __call__(self, table: pa.Table) -> pa.Table:
        spec = self.worker.spec
        items = self.worker.parse_chunk("parquet", (table, 0))
        valid = [it for it in items if it[1] is not None]
        results = self.worker.clean_texts(
            [it[1][spec.text_field] for it in valid],
            [it[4] for it in valid],
            [site_key(it[1].get(spec.site_field)) if spec.site_field else None for it in valid],
        )
        n = table.num_rows
        texts: list[str | None] = [None] * n
        cleaned: list[CleanResult | None] = [None] * n
        reasons: list[str | None] = [None] * n
        for it in items:
            if it[1] is None:
                reasons[it[0]] = it[2]
        for it, res in zip(valid, results):
            if isinstance(res, BaseException):
                reasons[it[0]] = f"cleaning failed: {type(res).__name__}: {res}"
                texts[it[0]] = it[1][spec.text_field]
            else:
                texts[it[0]], cleaned[it[0]] = res.text, res
        for it in items:  # a rejected row keeps its text when it was a string (too long, binary junk)
            if it[1] is None and spec.text_field in table.schema.names:
                value = table.column(spec.text_field)[it[0]].as_py()
                texts[it[0]] = value if isinstance(value, str) else None
        schema = output_schema(table.schema, spec.text_field, spec.paragraphs)
        columns = []
        for f in schema:
            if f.name == spec.text_field:
                columns.append(pa.array(texts, type=f.type))
            elif f.name == "paragraphs" and spec.paragraphs:
                columns.append(_paragraph_lists(cleaned))
            else:
                columns.append(table.column(f.name))
        columns.append(pa.array(reasons, type=pa.string()))
        schema = schema.append(pa.field(self.reject_column, pa.string()))
        return pa.Table.from_arrays(columns, schema=schema)


def _paragraph_lists(results: Sequence[CleanResult | None]) -> pa.Array:
    rows = []
    for res in results:
        if res is None:
            rows.append(None)
            continue
        ps = []
        for p in res.paragraphs:
            d = p.to_dict()
            d.setdefault("override", None)
            ps.append(d)
        rows.append(ps)
    return pa.array(rows, type=pa.list_(paragraph_type()))


def _line_keys(table: pa.Table, site_field: str, text_field: str, max_chars: int, max_line_chars: int) -> pa.Table:
    """Pass 1 on Ray: one row per (site, distinct line key) of each document, plus a document row (key "")."""
    from .batch_worker import text_problem

    names = table.schema.names
    sites: list[str] = []
    keys: list[str] = []
    if site_field in names and text_field in names:
        docs = [(site_key(s), t) for s, t in zip(table.column(site_field).to_pylist(), table.column(text_field).to_pylist())]
        docs = [(s, t) for s, t in docs if s is not None and isinstance(t, str) and text_problem(t, max_chars, max_line_chars) is None]
        for (site, _), lines in zip(docs, document_lines([t for _, t in docs])):
            distinct = {f"{line_key(n):016x}" for n in lines}
            sites += [site] * (len(distinct) + 1)
            keys += [""] + sorted(distinct)
    return pa.table({"site": pa.array(sites, pa.string()), "key": pa.array(keys, pa.string())})


def site_repeats_ray(
    ds: object, site_field: str, text_field: str = "text", params: SiteRepeatParams = SiteRepeatParams(),
    max_chars: int = MAX_CHARS_DEFAULT, max_line_chars: int = MAX_LINE_CHARS_DEFAULT,
) -> tuple[dict[str, frozenset[int]], dict[str, int]]:
    """The site-repeat table of a Ray dataset, counted distributed (group by site and line key).

    Only (site, line) groups in at least ``min_docs`` documents reach the driver, with the
    per-site document counts; the share threshold is applied there.
    """
    from ray.data.expressions import col

    keys = ds.map_batches(  # type: ignore[attr-defined]
        _line_keys, fn_args=(site_field, text_field, max_chars, max_line_chars),
        batch_format="pyarrow", batch_size=RAY_BATCH_SIZE_DEFAULT, num_cpus=1,
    )
    counted = keys.groupby(["site", "key"]).count()
    rows = counted.filter(expr=(col("key") == "") | (col("count()") >= params.min_docs)).take_all()
    docs = {r["site"]: int(r["count()"]) for r in rows if r["key"] == ""}
    table: dict[str, set[int]] = {}
    for r in rows:
        if r["key"] and r["count()"] >= params.min_share * docs.get(r["site"], 0):
            table.setdefault(r["site"], set()).add(int(r["key"], 16))
    return {s: frozenset(v) for s, v in table.items()}, docs


def clean_dataset(
    ds: object,
    models_dir: str | Path | None = None,
    model: str | None = None,
    text_field: str = "text",
    id_field: str = "id",
    keep: Sequence[str] = KEEP_DEFAULT,
    paragraphs: bool = True,
    site_field: str | None = None,
    site_params: SiteRepeatParams = SiteRepeatParams(),
    max_chars: int = MAX_CHARS_DEFAULT,
    max_line_chars: int = MAX_LINE_CHARS_DEFAULT,
    concurrency: int | tuple[int, int] | None = None,
    batch_size: int = RAY_BATCH_SIZE_DEFAULT,
    reject_column: str = REJECT_COLUMN,
) -> object:
    """``ds`` cleaned: the text field replaced, ``paragraphs`` appended, ``_reject`` set on rows that failed.

    ``models_dir``/``model`` as for the CLI (``JINGWEN_MODELS_DIR`` and the default apply);
    ``concurrency`` is the number of actors, an int or a ``(min, max)`` range (default: from 1 up
    to one per CPU of the cluster; a fixed pool as large as the cluster would leave no CPU for the
    read tasks that feed it). With ``site_field``,
    a first distributed pass (:func:`site_repeats_ray`) finds each site's repeated lines.
    """
    import ray

    path = _model_path(models_dir, model)
    repeats = None
    if site_field:
        repeats, _ = site_repeats_ray(ds, site_field, text_field, site_params, max_chars, max_line_chars)
    if concurrency is None:
        concurrency = (1, max(1, int(ray.cluster_resources().get("CPU", 1))))
    pool = (
        ray.data.ActorPoolStrategy(size=concurrency)
        if isinstance(concurrency, int)
        else ray.data.ActorPoolStrategy(min_size=concurrency[0], max_size=concurrency[1])
    )
    return ds.map_batches(  # type: ignore[attr-defined]
        RayCleaner,
        fn_constructor_kwargs={
            "model_path": str(path), "text_field": text_field, "id_field": id_field, "keep": tuple(keep),
            "paragraphs": paragraphs, "site_field": site_field, "repeats": repeats, "site_params": site_params,
            "max_chars": max_chars, "max_line_chars": max_line_chars, "reject_column": reject_column,
        },
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=pool,
        num_cpus=1,
    )


def split_rejects(ds: object, reject_column: str = REJECT_COLUMN) -> tuple[object, object]:
    """``(cleaned rows without the reject column, rejected rows)`` of :func:`clean_dataset`'s output.

    Both are computed from ``ds``: call ``ds.materialize()`` first to clean only once.
    """
    from ray.data.expressions import col

    ok = ds.filter(expr=col(reject_column).is_null()).drop_columns([reject_column])  # type: ignore[attr-defined]
    return ok, ds.filter(expr=col(reject_column).is_not_null())  # type: ignore[attr-defined]


def _stats(t: pa.Table, reject_column: str = REJECT_COLUMN) -> pa.Table:
    s = empty_stats()
    rejects = t.column(reject_column).to_pylist()
    s["in"], s["rejected"] = len(rejects), sum(r is not None for r in rejects)
    s["out"] = s["in"] - s["rejected"]
    if "paragraphs" in t.schema.names:
        for ps in t.column("paragraphs").to_pylist():
            for p in ps or ():
                s["paragraphs"][p["label"]] += 1
                if not p["kept"]:
                    s["removed_paragraphs"][p["label"]] += 1
                    s["chars_removed"][p["label"]] += p["end"] - p["start"]
                if p.get("override"):
                    s["overrides"][p["override"]] = s["overrides"].get(p["override"], 0) + 1
    return pa.table({"stats": [json.dumps(s)]})


def clean_files(
    source: Path,
    output: Path,
    options: object,
    models_dir: Path | None = None,
    model: str | None = None,
    address: str | None = None,
) -> dict[str, object]:
    """``jingwen clean --engine ray``: Parquet or JSONL (file or directory) in, a directory of shards out.

    Output: ``OUTPUT/*.parquet`` (or ``*.json`` JSON lines) written by Ray, rejected rows in
    ``OUTPUT/_rejects/``, the summary in ``OUTPUT/_SUCCESS``. Not resumable: Ray retries failed
    tasks itself; a failed job is rerun with ``--overwrite``.
    """
    import ray

    from .batch_io import BatchError, BatchUsageError

    t0 = time.monotonic()
    source, output = Path(source), Path(output)
    if output.name.lower().endswith((".jsonl", ".gz", ".parquet", ".json")):
        raise BatchUsageError("--engine ray writes a directory of shards; give -o a directory")
    if options.resume:  # type: ignore[attr-defined]
        raise BatchUsageError("--engine ray does not resume; rerun with --overwrite (Ray retries failed tasks itself)")
    if output.exists() and any(output.iterdir()):
        if not options.overwrite:  # type: ignore[attr-defined]
            raise BatchError(f"{output} exists and is not empty; pass --overwrite to replace it")
        shutil.rmtree(output)
    parquet = source.suffix == ".parquet" or (source.is_dir() and any(source.glob("*.parquet")))
    started = not ray.is_initialized()
    if started:
        kwargs: dict[str, object] = {"include_dashboard": False, "log_to_driver": False}
        if address:
            kwargs["address"] = address
        elif options.workers:  # type: ignore[attr-defined]
            kwargs["num_cpus"] = options.workers  # type: ignore[attr-defined]
        ray.init(**kwargs)
    try:
        if parquet:
            ds = ray.data.read_parquet(str(source))
        elif source.is_dir() and not any(source.glob("*.json*")):
            raise BatchUsageError("--engine ray reads Parquet or JSON lines; clean a .txt directory with the local engine")
        else:
            ds = ray.data.read_json(str(source), lines=True)
        o = options
        cleaned = clean_dataset(
            ds, models_dir=models_dir, model=model, text_field=o.text_field, id_field=o.id_field, keep=o.keep,  # type: ignore[attr-defined]
            paragraphs=o.paragraphs, site_field=o.site_field, site_params=o.site_params,  # type: ignore[attr-defined]
            max_chars=o.max_chars, max_line_chars=o.max_line_chars,  # type: ignore[attr-defined]
            concurrency=(1, o.workers) if o.workers else None,  # type: ignore[attr-defined]
        ).materialize()
        total = empty_stats()
        for row in cleaned.map_batches(_stats, batch_format="pyarrow").take_all():
            add_stats(total, json.loads(row["stats"]))
        ok, bad = split_rejects(cleaned)
        if parquet:
            ok.write_parquet(str(output))
        else:
            ok.write_json(str(output), force_ascii=False)
        if total["rejected"]:
            bad.write_json(str(output / "_rejects"), force_ascii=False)
        elapsed = time.monotonic() - t0
        summary: dict[str, object] = {
            "status": "complete", "engine": "ray", "input": str(source), "output": str(output),
            "format": "parquet" if parquet else "jsonl", "rejects": str(output / "_rejects"),
            "in": total["in"], "out": total["out"], "rejected": total["rejected"],
            "paragraphs": total["paragraphs"], "removed_paragraphs": total["removed_paragraphs"],
            "chars_removed": total["chars_removed"], "chars_in": None, "chars_out": None,
            "overrides": total["overrides"], "site_evidence": None, "shards": len(list(output.glob("*.*"))),
            "this_run": {"documents": total["in"], "seconds": round(elapsed, 2),
                         "docs_per_s": round(total["in"] / elapsed, 2), "mb_per_s": None, "workers": o.workers},  # type: ignore[attr-defined]
        }
        (output / "_SUCCESS").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
        return summary
    finally:
        if started:
            ray.shutdown()


__all__ = ["REJECT_COLUMN", "RayCleaner", "clean_dataset", "clean_files", "site_repeats_ray", "split_rejects"]
