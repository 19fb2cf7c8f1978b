"""The command line as a user runs it: real processes, real files, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import SEEDS_DIR, models_dir


def jingwen(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jingwen", *args, "--models-dir", str(models_dir())] if args[0] in ("clean",) else [sys.executable, "-m", "jingwen", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
    )


def seed(name: str) -> str:
    return str(next(SEEDS_DIR.glob(f"{name}_*.txt")))


def test_clean_prints_the_cleaned_text_of_a_seed():
    run = jingwen("clean", seed("002"))
    assert run.returncode == 0, run.stderr.decode()
    out = run.stdout.decode("utf-8")
    assert "厚植新時代民政事業改革發展的根基" in out
    assert "日韩精品" not in out and "當前位置" not in out


def test_clean_reads_stdin_and_can_print_json():
    text = open(seed("003"), encoding="utf-8").read()
    run = jingwen("clean", "-", "--json", stdin=text.encode("utf-8"))
    assert run.returncode == 0, run.stderr.decode()
    payload = json.loads(run.stdout)
    assert payload["paragraphs"][0]["label"] == "spam"
    for p in payload["paragraphs"]:
        assert text[p["start"] : p["end"]].strip()
    assert payload["stats"]["chars_in"] == len(text)


def test_invalid_utf8_names_the_file_and_byte_offset(tmp_path):
    bad = tmp_path / "page.txt"
    data = "正文第一段。\n".encode("utf-8") + "第二段".encode("gb18030")
    bad.write_bytes(data)
    run = jingwen("clean", str(bad))
    assert run.returncode == 1
    err = run.stderr.decode()
    assert str(bad) in err and f"byte offset {len('正文第一段。'.encode()) + 1}" in err and "--encoding" in err


def test_encoding_flag_decodes_gb18030_and_big5(tmp_path):
    text = open(seed("002"), encoding="utf-8").read()
    expected = jingwen("clean", seed("002")).stdout.decode("utf-8")
    for enc in ("gb18030", "big5"):
        path = tmp_path / f"page.{enc}.txt"
        path.write_bytes(text.encode(enc, errors="ignore") if enc == "big5" else text.encode(enc))
        run = jingwen("clean", str(path), "--encoding", enc)
        assert run.returncode == 0, run.stderr.decode()
        if enc == "gb18030":
            assert run.stdout.decode("utf-8") == expected
        else:
            assert "厚植新時代" in run.stdout.decode("utf-8")


def test_unknown_keep_label_is_a_usage_error():
    run = jingwen("clean", seed("002"), "--keep", "content,adverts")
    assert run.returncode == 2 and "adverts" in run.stderr.decode()


def test_jsonl_round_trip_keeps_order_ids_and_fields(tmp_path):
    src = tmp_path / "in.jsonl"
    texts = [open(p, encoding="utf-8").read() for p in sorted(SEEDS_DIR.glob("*.txt"))]
    with open(src, "w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": f"doc-{i}", "text": t, "url": f"http://example.org/{i}"}, ensure_ascii=False) + "\n")
        fh.write("{not json\n")
    out = tmp_path / "out.jsonl"
    report = tmp_path / "report.json"
    run = jingwen("clean", "--jsonl", str(src), "-o", str(out), "--report", str(report), "--workers", "0")
    assert run.returncode == 0, run.stderr.decode()
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == [f"doc-{i}" for i in range(len(texts))]
    assert all(r["url"].startswith("http://example.org/") for r in rows)
    for r, t in zip(rows, texts):
        kept = [t[p["start"] : p["end"]] for p in r["paragraphs"] if p["kept"]]
        assert r["text"] == "\n".join(kept)
    summary = json.loads(report.read_text("utf-8"))
    assert summary["in"] == summary["out"] + summary["rejected"] == len(texts) + 1


def test_eval_prints_per_label_scores_and_the_baseline():
    run = subprocess.run(
        [sys.executable, "-m", "jingwen", "eval", "--data", str(SEEDS_DIR / "labelled.jsonl"), "--models-dir", str(models_dir()), "--baseline", "--json"],
        capture_output=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr.decode()
    reports = json.loads(run.stdout)
    assert "baseline" in reports and len(reports) == 2
    model = next(v for k, v in reports.items() if k != "baseline")
    assert set(model["char"]["per_label"]) == {"content", "chrome", "spam", "off_topic"}
    assert model["char"]["content_kept"] > reports["baseline"]["char"]["content_kept"] - 0.05
    assert set(model["line"]["confusion"]["content"]) == {"content", "chrome", "spam", "off_topic"}


def test_eval_reports_a_malformed_labelled_file_with_its_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "paragraphs": [{"text": "正文", "label": "content"}]}\n{"id": 2, "paragraphs": [{"text": "x", "label": "advert"}]}\n', "utf-8")
    run = subprocess.run([sys.executable, "-m", "jingwen", "eval", "--data", str(bad), "--models-dir", str(models_dir())], capture_output=True, timeout=300)
    assert run.returncode == 1
    assert f"{bad}:2" in run.stderr.decode() and "advert" in run.stderr.decode()
