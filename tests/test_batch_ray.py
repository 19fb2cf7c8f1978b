"""The Ray Data engine on a local Ray instance (optional extra ``jingwen[ray]``; skipped without Ray)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # from Ray's own DataContext

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.batch import BatchOptions  # noqa: E402
from service.corpus_evidence import clean_with_site_evidence  # noqa: E402
from tests.support import read_seed_texts  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    texts = read_seed_texts()
    rows = [
        {"id": f"r{i}", "url": f"https://www.mca-site.cn/{i}.html" if i < 4 else "https://other.cn/", "text": t, "n": i}
        for i, t in enumerate(texts + [texts[2].replace("民政", "社会"), texts[3].replace("民政", "基层")])
    ]
    rows.append({"id": "r-none", "url": None, "text": None, "n": 98})
    rows.append({"id": "r-junk", "url": None, "text": "\x00\x01\x02\x03" * 30, "n": 99})
    return rows


@pytest.mark.slow
def test_clean_dataset_matches_the_local_cleaner(local_ray, models_dir, records):
    from threadpoolctl import threadpool_limits

    from service import Cleaner
    from service.batch_ray import clean_dataset, split_rejects

    ds = ray.data.from_items(records)
    out = clean_dataset(ds, models_dir=models_dir, site_field="url", concurrency=(1, 2), batch_size=3).materialize()
    rows = {r["id"]: r for r in out.take_all()}
    assert set(rows) == {r["id"] for r in records}

    good = [r for r in records if isinstance(r["text"], str) and not r["id"].startswith("r-")]
    cleaner = Cleaner.from_dir(models_dir)
    with threadpool_limits(limits=1):
        expected = clean_with_site_evidence(cleaner, [r["text"] for r in good], [r["url"] for r in good])
    for rec, exp in zip(good, expected):
        row = rows[rec["id"]]
        assert row["_reject"] is None and row["n"] == rec["n"] and row["url"] == rec["url"]
        assert row["text"] == exp.text
        assert [p["label"] for p in row["paragraphs"]] == [p.label for p in exp.paragraphs]
        assert [p["override"] for p in row["paragraphs"]] == [getattr(p, "override", None) for p in exp.paragraphs]
    assert "NoneType" in rows["r-none"]["_reject"] and rows["r-none"]["paragraphs"] is None
    assert rows["r-junk"]["_reject"].startswith("binary junk")

    ok, bad = split_rejects(out)
    assert ok.count() == len(good) and "_reject" not in ok.schema().names
    assert sorted(r["id"] for r in bad.take_all()) == ["r-junk", "r-none"]


@pytest.mark.slow
def test_clean_files_parquet_to_parquet_directory(local_ray, models_dir, records, tmp_path):
    import pyarrow as pa
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    from service.batch_ray import clean_files

    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(records), src)
    out = tmp_path / "out"
    summary = clean_files(src, out, BatchOptions(workers=2, progress=False), models_dir=models_dir)
    assert summary["in"] == len(records) == summary["out"] + summary["rejected"] and summary["rejected"] == 2
    table = pads.dataset(out, format="parquet").to_table()
    assert sorted(table.column("id").to_pylist()) == sorted(r["id"] for r in records if not r["id"].startswith("r-"))
    assert json.loads((out / "_SUCCESS").read_text())["out"] == summary["out"]
    rejected = [json.loads(line) for p in (out / "_rejects").glob("*.json") for line in p.read_text().splitlines()]
    assert sorted(r["id"] for r in rejected) == ["r-junk", "r-none"]
