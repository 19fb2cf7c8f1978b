"""Batch cleaning on real files: order, fields, rejects, formats, strict exit, kill-and-resume.

Uses the shipped model (``JINGWEN_MODELS_DIR`` if set, else ``models/``); corpora are built in
tmp_path from the seed documents. Most runs clean in-process (``workers=0``, same code as a pool
worker); the parallel and kill/resume tests start real worker processes.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jingwen.cli import main as cli_main  # noqa: E402
from service.batch import BatchError, BatchOptions, clean_corpus, clean_jsonl, completed_shards  # noqa: E402
from service.batch_io import MANIFEST_DIR  # noqa: E402
from service.segment import segment  # noqa: E402
from service.settings import LABELS  # noqa: E402
from tests.support import SEEDS, one_blas_thread, read_seed_texts  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    with one_blas_thread():
        yield


# -- fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_texts() -> list[str]:
    assert len(SEEDS) == 5
    return read_seed_texts()


def variant(texts: list[str], i: int) -> str:
    """Seed ``i % 5``, perturbed so that documents differ: a numbered line, one paragraph dropped."""
    lines = texts[i % len(texts)].split("\n")
    if len(lines) > 8:
        del lines[4 + i % 3]
    lines.insert(min(3, len(lines)), f"第{i}号补充说明：本文于第{i % 7 + 1}次修订后重新发布。")
    return "\n".join(lines)


def make_records(texts: list[str], n: int, start: int = 0) -> list[dict]:
    return [
        {
            "id": f"doc-{i:05d}",
            "text": variant(texts, i),
            "url": f"https://www.site{i % 3}.example.cn/news/{i}.html",
            "title": f"标题 №{i} «引号» \u200b",
            "meta": {"n": i, "tags": ["政务", "民生", None], "nested": {"x": [1, 2.5, {"y": True}]}},
        }
        for i in range(start, start + n)
    ]


def write_jsonl(path: Path, records: list[dict], gz: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_shards(out_dir: Path) -> list[dict]:
    return [r for p in sorted(out_dir.glob("part-*.jsonl*")) for r in read_jsonl(p)]


def opts(**kw: object) -> BatchOptions:
    kw.setdefault("workers", 0)
    kw.setdefault("progress", False)
    return BatchOptions(**kw)  # type: ignore[arg-type]


# -- order, fields, annotations -------------------------------------------------------------------------------


def test_output_matches_cleaner_in_order_with_every_field_preserved(tmp_path, models_dir, cleaner, seed_texts):
    records = make_records(seed_texts, 12)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    summary = clean_corpus(src, out, opts(), models_dir=models_dir)

    got = read_jsonl(out)
    expected = cleaner.clean_many([r["text"] for r in records])
    assert [g["id"] for g in got] == [r["id"] for r in records]
    for rec, g, exp in zip(records, got, expected):
        assert g["text"] == exp.text
        assert g["paragraphs"] == [p.to_dict() for p in exp.paragraphs]
        assert {k: v for k, v in g.items() if k not in ("text", "paragraphs")} == {
            k: v for k, v in rec.items() if k != "text"
        }
        assert g["title"].endswith("«引号» \u200b") and g["meta"]["nested"] == {"x": [1, 2.5, {"y": True}]}
        for p in g["paragraphs"]:  # offsets are into the input text; kept paragraphs make the output
            assert set(p) >= {"start", "end", "label", "scores", "first_pass", "kept"}
        kept = [rec["text"][p["start"] : p["end"]] for p in g["paragraphs"] if p["kept"]]
        assert g["text"] == "\n".join(kept)
    assert summary["in"] == summary["out"] == 12 and summary["rejected"] == 0
    assert sum(summary["paragraphs"].values()) == sum(len(g["paragraphs"]) for g in got)
    removed_chars = {lab: 0 for lab in LABELS}
    for rec, g in zip(records, got):
        for p in g["paragraphs"]:
            if not p["kept"]:
                removed_chars[p["label"]] += p["end"] - p["start"]
    assert summary["chars_removed"] == removed_chars
    assert summary["removed_paragraphs"]["content"] == 0 and sum(summary["removed_paragraphs"].values()) > 0
    assert not (tmp_path / "out.jsonl._shards").exists()  # single-file output: shards assembled, then removed
    assert (tmp_path / "out.jsonl.rejects.jsonl").read_bytes() == b""


def test_no_paragraphs_and_custom_fields(tmp_path, models_dir, cleaner, seed_texts):
    records = [{"doc": f"d{i}", "body": variant(seed_texts, i), "x": i} for i in range(4)]
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out"
    clean_corpus(src, out, opts(text_field="body", id_field="doc", paragraphs=False), models_dir=models_dir)
    got = read_shards(out)
    assert [g["doc"] for g in got] == ["d0", "d1", "d2", "d3"]
    assert all(set(g) == {"doc", "body", "x"} for g in got)
    assert [g["body"] for g in got] == [r.text for r in cleaner.clean_many([r["body"] for r in records])]


def test_parallel_workers_write_the_same_output_as_in_process(tmp_path, models_dir, seed_texts):
    """Two spawned workers, gzip input, directory output: the same shards, in input order."""
    records = make_records(seed_texts, 20)
    src = write_jsonl(tmp_path / "in.jsonl.gz", records, gz=True)
    one, two = tmp_path / "one", tmp_path / "two"
    s1 = clean_corpus(src, one, opts(shard_size=6), models_dir=models_dir)
    s2 = clean_corpus(src, two, opts(shard_size=6, workers=2, chunk_docs=2), models_dir=models_dir)
    parts = sorted(p.name for p in one.glob("part-*"))
    assert parts == [f"part-{i:05d}.jsonl.gz" for i in range(4)] == sorted(p.name for p in two.glob("part-*"))
    for name in parts:  # one gzip member per chunk, so compare what they decompress to
        assert gzip.decompress((one / name).read_bytes()) == gzip.decompress((two / name).read_bytes())
    assert [r["id"] for r in read_shards(two)] == [r["id"] for r in records]
    # Which worker takes which chunk is the pool's choice: a fast worker may take them all.
    worker_pids = set(s2["this_run"]["worker_peak_rss_mb"])
    assert s2["this_run"]["workers"] == 2 and 1 <= len(worker_pids) <= 2
    assert str(os.getpid()) not in worker_pids  # the cleaning ran in the spawned workers
    assert s1["out"] == s2["out"] == 20
    assert json.loads((two / "_SUCCESS").read_text())["in"] == 20


# -- rejects ---------------------------------------------------------------------------------------------------


def test_every_bad_line_is_rejected_with_its_line_number_and_reason(tmp_path, models_dir, seed_texts):
    good = make_records(seed_texts, 3)
    lines: list[bytes] = [
        json.dumps(good[0], ensure_ascii=False).encode(),  # 1
        b"{not json",  # 2
        b"",  # 3 blank: not a record
        b'["a", "list"]',  # 4
        json.dumps({"id": "no-text", "body": "x"}).encode(),  # 5
        json.dumps({"id": "int-text", "text": 42}).encode(),  # 6
        json.dumps({"id": "null-text", "text": None}).encode(),  # 7
        b'{"id": "bad-utf8", "text": "abc \xff\xfe def"}',  # 8
        json.dumps({"id": "binary", "text": "\x00\x01\x02\x03\x1b" * 40}).encode(),  # 9
        json.dumps({"id": "empty", "text": ""}).encode(),  # 10: cleaned to "", not rejected
        json.dumps(good[1], ensure_ascii=False).encode(),  # 11
        json.dumps({"id": "huge", "text": "很长的一行" * 50_000}, ensure_ascii=False).encode(),  # 12
        json.dumps({"id": "bigint", "n": 2**70, "text": "只有一行正文内容。"}, ensure_ascii=False).encode(),  # 13
        b"   ",  # 14 blank
        json.dumps(good[2], ensure_ascii=False).encode(),  # 15
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    summary = clean_corpus(src, out, opts(max_chars=200_000), models_dir=models_dir)

    rejects = read_jsonl(tmp_path / "out.jsonl.rejects.jsonl")
    by_line = {r["line"]: r for r in rejects}
    assert sorted(by_line) == [2, 4, 5, 6, 7, 8, 9, 12]
    assert by_line[2]["reason"].startswith("invalid JSON") and by_line[2]["raw"] == "{not json"
    assert "JSON object" in by_line[4]["reason"]
    assert by_line[5]["reason"] == "missing 'text' field" and by_line[5]["id"] == "no-text"
    assert by_line[6]["reason"] == "'text' is int, not a string"
    assert by_line[7]["reason"] == "'text' is NoneType, not a string"
    bad_at = lines[7].index(b"\xff")
    assert by_line[8]["reason"].startswith(f"not valid UTF-8 at byte {bad_at} of the line")
    assert by_line[9]["reason"].startswith("binary junk")
    assert by_line[12]["reason"].startswith("text too long: 250000 characters")
    assert summary["in"] == 13 == summary["out"] + summary["rejected"]
    assert summary["rejected"] == 8
    got = read_jsonl(out)
    assert [g["id"] for g in got] == [good[0]["id"], "empty", good[1]["id"], "bigint", good[2]["id"]]
    assert got[1]["text"] == "" and got[1]["paragraphs"] == []
    assert got[3]["n"] == 2**70  # beyond 64 bits: parsed and written back exactly


def test_enormous_records_are_cleaned_or_rejected_never_a_crash(tmp_path, models_dir, cleaner, seed_texts, monkeypatch):
    import service.batch_worker as bw

    # A 5 MB single line is refused by reason; a long many-line document is classified in windows
    # (window shrunk here so the test stays fast) with offsets into the whole document.
    monkeypatch.setattr(bw, "WINDOW_CHARS", 20_000)
    long_doc = "\n".join(seed_texts * 4)  # ~180k characters, 9+ windows
    records = [
        {"id": "one-line-5mb", "text": "x" * 5_000_000},
        {"id": "long", "text": long_doc},
        {"id": "small", "text": seed_texts[0]},
    ]
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    summary = clean_corpus(src, out, opts(), models_dir=models_dir)
    assert summary["in"] == 3 and summary["out"] == 2 and summary["rejected"] == 1
    (rej,) = read_jsonl(tmp_path / "out.jsonl.rejects.jsonl")
    assert rej["line"] == 1 and rej["reason"].startswith("a line of 5000000 characters")
    long_out, small_out = read_jsonl(out)
    paras = long_out["paragraphs"]
    assert len(paras) == sum(len(cleaner.clean(t).paragraphs) for t in seed_texts) * 4 == len(segment(long_doc))
    assert all(a["end"] <= b["start"] for a, b in zip(paras, paras[1:]))
    assert long_out["text"] == "\n".join(long_doc[p["start"] : p["end"]] for p in paras if p["kept"])
    assert small_out["text"] == cleaner.clean(seed_texts[0]).text


# -- formats ---------------------------------------------------------------------------------------------------


def test_gzip_in_gzip_out(tmp_path, models_dir, cleaner, seed_texts):
    records = make_records(seed_texts, 5)
    src = write_jsonl(tmp_path / "crawl.jsonl.gz", records, gz=True)
    out = tmp_path / "clean.jsonl.gz"
    summary = clean_corpus(src, out, opts(shard_size=2), models_dir=models_dir)
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    got = read_jsonl(out)  # three gzip members (one per shard) read as one stream
    assert [g["id"] for g in got] == [r["id"] for r in records]
    assert [g["text"] for g in got] == [r.text for r in cleaner.clean_many([r["text"] for r in records])]
    assert summary["shards"] == 3 and summary["format"] == "jsonl.gz"


def test_parquet_round_trip(tmp_path, models_dir, cleaner, seed_texts):
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [variant(seed_texts, i) for i in range(6)]
    texts[3] = None  # a row without text is rejected with its row number
    table = pa.table(
        {
            "id": pa.array([f"p{i}" for i in range(6)]),
            "text": pa.array(texts, pa.string()),
            "lang": pa.array(["zh"] * 6).dictionary_encode(),
            "crawled": pa.array([datetime.datetime(2024, 1, i + 1) for i in range(6)], pa.timestamp("ms")),
            "tags": pa.array([["a", "中"], [], None, ["b"], ["c"], ["d"]], pa.list_(pa.string())),
            "info": pa.array([{"n": i, "s": "值"} for i in range(6)]),
        }
    )
    src = tmp_path / "in.parquet"
    pq.write_table(table, src, row_group_size=4)
    out = tmp_path / "out.parquet"
    summary = clean_corpus(src, out, opts(shard_size=4, chunk_docs=3), models_dir=models_dir)

    got = pq.read_table(out)
    assert got.schema.names == ["id", "text", "lang", "crawled", "tags", "info", "paragraphs"]
    for name in ("id", "lang", "crawled", "tags", "info"):
        assert got.schema.field(name).type == table.schema.field(name).type
    keep_rows = [0, 1, 2, 4, 5]
    assert got.column("id").to_pylist() == [f"p{i}" for i in keep_rows]
    assert got.column("crawled").to_pylist() == [table.column("crawled")[i].as_py() for i in keep_rows]
    assert got.column("info").to_pylist() == [table.column("info")[i].as_py() for i in keep_rows]
    expected = cleaner.clean_many([texts[i] for i in keep_rows])
    assert got.column("text").to_pylist() == [r.text for r in expected]
    first = got.column("paragraphs")[0].as_py()
    assert [p["label"] for p in first] == [p.label for p in expected[0].paragraphs]
    assert first[0]["override"] is None and set(first[0]["scores"]) == set(LABELS)
    (rej,) = read_jsonl(tmp_path / "out.parquet.rejects.jsonl")
    assert rej["line"] == 4 and rej["id"] == "p3" and "NoneType" in rej["reason"]
    assert summary["in"] == 6 == summary["out"] + summary["rejected"]

    # a directory of Parquet shards reads back as one dataset (marker and reject files start with _)
    out_dir = tmp_path / "outdir"
    clean_corpus(src, out_dir, opts(shard_size=4), models_dir=models_dir)
    import pyarrow.dataset as pads

    assert sorted(p.name for p in out_dir.glob("part-*")) == ["part-00000.parquet", "part-00001.parquet"]
    assert pads.dataset(out_dir, format="parquet").to_table().column("id").to_pylist() == [f"p{i}" for i in keep_rows]


def test_txt_directory(tmp_path, models_dir, cleaner, seed_texts):
    src = tmp_path / "pages"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text(seed_texts[0], encoding="utf-8")
    (src / "sub" / "b.txt").write_text(seed_texts[2], encoding="utf-8")
    (src / "sub" / "c.txt").write_bytes(seed_texts[1].encode("gb18030"))  # not UTF-8
    (src / "z.txt").write_bytes(b"")
    (src / ".hidden.txt").write_text("skip me", encoding="utf-8")
    (src / "notes.md").write_text("not a .txt file", encoding="utf-8")
    out = tmp_path / "clean"
    summary = clean_corpus(src, out, opts(shard_size=2), models_dir=models_dir)

    assert (out / "a.txt").read_text(encoding="utf-8") == cleaner.clean(seed_texts[0]).text + "\n"
    assert (out / "sub" / "b.txt").read_text(encoding="utf-8") == cleaner.clean(seed_texts[2]).text + "\n"
    assert (out / "z.txt").read_bytes() == b""
    assert not (out / "sub" / "c.txt").exists() and not (out / ".hidden.txt").exists()
    (rej,) = read_jsonl(out / "_rejects.jsonl")
    assert rej["file"] == "sub/c.txt" and "not valid utf-8 at byte offset" in rej["reason"]
    notes = [r for p in sorted((out / "_annotations").glob("part-*.jsonl")) for r in read_jsonl(p)]
    assert [n["id"] for n in notes] == ["a.txt", "sub/b.txt", "z.txt"]
    assert [p["label"] for p in notes[1]["paragraphs"]] == [p.label for p in cleaner.clean(seed_texts[2]).paragraphs]
    assert summary["in"] == 4 and summary["out"] == 3 and summary["rejected"] == 1

    # the same files as gb18030: the right --encoding cleans the file the UTF-8 run rejected
    out2 = tmp_path / "clean2"
    s2 = clean_corpus(src / "sub", out2, opts(encoding="gb18030"), models_dir=models_dir)
    assert (out2 / "c.txt").read_text(encoding="utf-8") == cleaner.clean(seed_texts[1]).text + "\n"
    assert s2["in"] == 2 == s2["out"] + s2["rejected"]


# -- CLI: exit codes, report, refusals -----------------------------------------------------------------------------


def test_cli_strict_exit_code_and_report(tmp_path, models_dir, seed_texts, capsys, monkeypatch):
    monkeypatch.setenv("JINGWEN_MODELS_DIR", str(models_dir))
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": seed_texts[4]}, ensure_ascii=False) + "\nnot json\n", encoding="utf-8")
    base = ["clean", str(src), "--workers", "0", "--no-progress"]

    assert cli_main([*base, "-o", str(tmp_path / "a.jsonl"), "--report", str(tmp_path / "r.json")]) == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["in"] == 2 and report["out"] == 1 and report["rejected"] == 1
    assert set(report["paragraphs"]) == set(LABELS) and report["this_run"]["docs_per_s"] > 0
    err = capsys.readouterr().err
    assert "2 in = 1 out + 1 rejected" in err and "chars removed" in err

    assert cli_main([*base, "-o", str(tmp_path / "b.jsonl"), "--strict"]) == 1
    assert read_jsonl(tmp_path / "b.jsonl.rejects.jsonl")[0]["line"] == 2

    clean_src = tmp_path / "clean_in.jsonl"
    clean_src.write_text(json.dumps({"id": 1, "text": seed_texts[4]}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert cli_main(["clean", str(clean_src), "--workers", "0", "--no-progress", "-o", str(tmp_path / "c.jsonl"), "--strict"]) == 0
    # the old spelling still works
    assert cli_main(["clean", "--jsonl", str(clean_src), "-o", str(tmp_path / "d.jsonl"), "--workers", "0", "--no-progress"]) == 0
    assert len(read_jsonl(tmp_path / "d.jsonl")) == 1
    capsys.readouterr()

    # usage errors and refusals
    assert cli_main(["clean", str(src), "--workers", "0"]) == 2  # a corpus needs -o
    assert cli_main(["clean", str(src), "-o", str(tmp_path / "a.jsonl"), "--workers", "0", "--no-progress"]) == 1
    assert "exists; pass --overwrite" in capsys.readouterr().err
    assert cli_main(["clean", str(src), "-o", str(tmp_path / "a.jsonl"), "--resume", "--overwrite"]) == 2


def test_refuses_to_mix_runs_and_resumes_a_finished_one(tmp_path, models_dir, seed_texts):
    src = write_jsonl(tmp_path / "in.jsonl", make_records(seed_texts, 3))
    out = tmp_path / "out"
    clean_corpus(src, out, opts(shard_size=2), models_dir=models_dir)
    with pytest.raises(BatchError, match="--resume"):
        clean_corpus(src, out, opts(shard_size=2), models_dir=models_dir)
    with pytest.raises(BatchError, match="shard_size"):
        clean_corpus(src, out, opts(shard_size=5, resume=True), models_dir=models_dir)
    again = clean_corpus(src, out, opts(shard_size=2, resume=True), models_dir=models_dir)
    assert again["status"] == "already complete" and again["out"] == 3
    # a run in progress holds the output's lock: a second run into it fails at once
    import fcntl

    fd = os.open(out / "_lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BatchError, match="being written by another jingwen clean"):
            clean_corpus(src, out, opts(shard_size=2, overwrite=True), models_dir=models_dir)
    finally:
        os.close(fd)
    assert clean_corpus(src, out, opts(shard_size=2, overwrite=True), models_dir=models_dir)["out"] == 3
    other = tmp_path / "not-ours"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    with pytest.raises(BatchError, match="not a jingwen batch output"):
        clean_corpus(src, other, opts(), models_dir=models_dir)


def test_legacy_clean_jsonl(tmp_path, cleaner, seed_texts):
    src = write_jsonl(tmp_path / "in.jsonl", make_records(seed_texts, 2))
    with open(src, "a", encoding="utf-8") as fh:
        fh.write("oops\n")
    summary = clean_jsonl(cleaner, src, tmp_path / "out.jsonl")
    assert (summary["in"], summary["out"], summary["rejected"]) == (3, 2, 1)
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 2
    assert read_jsonl(tmp_path / "out.jsonl.rejects.jsonl")[0]["line"] == 3


# -- kill -9 mid-run, then --resume -----------------------------------------------------------------------------


def _read_complete(path: Path) -> list[dict]:
    """Read a shard a reader found; every line must parse (a half-written shard would not)."""
    return [json.loads(line) for line in path.read_bytes().splitlines()]


@pytest.mark.slow
def test_kill_and_resume_gives_exactly_the_uninterrupted_output(tmp_path, models_dir, seed_texts):
    records = make_records(seed_texts, 240)
    records.insert(57, {"id": "no-text"})  # a reject in the middle: counted once, not duplicated
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out"
    env = {**os.environ, "JINGWEN_MODELS_DIR": str(models_dir), "PYTHONPATH": str(REPO)}
    cmd = [
        sys.executable, "-m", "jingwen", "clean", str(src), "-o", str(out), "--workers", "2",
        "--shard-size", "16", "--site-field", "url", "--no-progress",
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen_by_reader: dict[str, int] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            for shard in completed_shards(out):  # a concurrent reader: only whole shards, every line parses
                seen_by_reader[shard.name] = len(_read_complete(shard))
            if len(seen_by_reader) >= 2:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the run finished before it could be killed: make the corpus bigger"
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers, like a machine going down
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()  # type: ignore[union-attr]

    committed = completed_shards(out)
    assert 2 <= len(committed) < 16, "killed after some but not all shards"
    assert not (out / "_SUCCESS").exists()
    for shard in committed:
        marker = json.loads((out / MANIFEST_DIR / (shard.name.split(".")[0] + ".json")).read_text())
        assert len(_read_complete(shard)) == marker["records_out"]

    resumed = subprocess.run([*cmd, "--resume"], cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed after" in resumed.stderr

    reference = tmp_path / "reference"
    summary = clean_corpus(src, reference, opts(shard_size=16, site_field="url"), models_dir=models_dir)
    got, want = read_shards(out), read_shards(reference)
    ids = [r["id"] for r in got]
    assert len(ids) == len(set(ids)) == 240
    assert ids == [r["id"] for r in want] == [r["id"] for r in records if "text" in r]
    assert got == want
    assert sorted(p.name for p in out.glob("part-*")) == sorted(p.name for p in reference.glob("part-*"))
    done = json.loads((out / "_SUCCESS").read_text())
    assert done["in"] == 241 == done["out"] + done["rejected"] and done["rejected"] == 1
    assert done["resumed_after_shards"] == len(committed)
    assert read_jsonl(out / "_rejects.jsonl") == read_jsonl(reference / "_rejects.jsonl")
    assert summary["overrides"] == done["overrides"]
    assert not list(out.rglob("*.tmp"))
