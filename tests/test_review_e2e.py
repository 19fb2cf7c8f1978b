"""The review page, end to end: a real ``jingwen serve`` on loopback and a real headless Chromium.

Needs Debian's Chromium at ``/usr/bin/chromium`` (``apt-get install -y chromium``) and Playwright's
Python package (``pip install playwright==1.65.2``), driving that browser (``playwright install``
is never needed). Without either, the tests skip and say why.

Screenshots go to ``tests/output/`` (``review.png``, ``review-narrow.png``; the directory is
git-ignored); ``docs/review.png`` is a copy of ``review.png`` made by hand when the page changes.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.artifact import ModelError, resolve_model_dir  # noqa: E402
from service.settings import LABELS, MODELS_DIR_DEFAULT  # noqa: E402
from tests.support import ServerProcess  # noqa: E402

CHROMIUM = Path(os.environ.get("JINGWEN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MODELS_DIR = Path(os.environ.get("JINGWEN_MODELS_DIR") or MODELS_DIR_DEFAULT)
SEED_002 = next((REPO / "seeds").glob("002_*.txt"))
OUTPUT = Path(__file__).parent / "output"
BREADCRUMB_START = "當前位置:"

pytestmark = [pytest.mark.slow]

if not CHROMIUM.is_file():
    pytest.skip(
        f"review page tests need Chromium at {CHROMIUM}: apt-get update && apt-get install -y chromium "
        "(or set JINGWEN_CHROMIUM to a Chromium binary)",
        allow_module_level=True,
    )
try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:
    pytest.skip("review page tests need Playwright's Python package: pip install playwright==1.65.2 "
                "(the browser is Debian's chromium; never run `playwright install`)", allow_module_level=True)
try:
    resolve_model_dir(MODELS_DIR)
except ModelError as exc:
    if os.environ.get("CI"):
        raise
    pytest.skip(f"no model to serve in {MODELS_DIR}: {exc}", allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with ServerProcess(MODELS_DIR, one_thread=True, log_name="review", ready_timeout=120, stop_timeout=20) as srv:
        yield srv.url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


def new_page(browser, page_errors: list[str], width: int = 1200, height: int = 900, **options) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True, **options)
    page = context.new_page()
    page.on("pageerror", lambda e: page_errors.append(f"page error: {e}"))
    page.on("console", lambda m: page_errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    # nothing but this server may be asked for anything: no CDN, no web font, no analytics
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "blob:", "data:"))
            else page_errors.append(f"external request: {r.url}"))
    return page


def screenshot(page: Page, name: str) -> None:
    """The top of the page (document and results), into tests/output/."""
    for _ in range(20):  # a wheel scroll may still be animating: repeat until the page stays at the top
        page.evaluate("document.getElementById('text').scrollTop = 0; window.scrollTo({top: 0, behavior: 'instant'})")
        page.wait_for_timeout(100)
        if page.evaluate("window.scrollY") == 0:
            break
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / name))


def api_clean(url: str, text: str) -> dict:
    r = httpx.post(url + "/v1/clean", json={"text": text, "paragraphs": True}, timeout=120)
    r.raise_for_status()
    return r.json()


def download_jsonl(page: Page, tmp: Path) -> list[dict]:
    with page.expect_download() as info:
        page.click("#download")
    target = tmp / info.value.suggested_filename
    info.value.save_as(target)
    lines = target.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()], target


def test_page_is_served_offline_with_its_assets(server):
    for path in ("/", "/review"):
        r = httpx.get(server + path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert '<html lang="zh">' in r.text and "static/review.js" in r.text
        assert "https://" not in r.text and "http://" not in r.text
        assert "default-src 'none'" in r.headers["content-security-policy"]
    for name, kind in (("review.js", "text/javascript"), ("review.css", "text/css"), ("favicon.svg", "image/svg+xml")):
        r = httpx.get(f"{server}/static/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind)
        assert "//cdn" not in r.text and "fonts.googleapis" not in r.text and "@import" not in r.text
        assert httpx.get(f"{server}/static/{name}", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    for bad in ("../app.py", "..%2Fapp.py", "review.py", ".hidden.js", "nope.js"):
        assert httpx.get(f"{server}/static/{bad}").status_code == 404
    config = httpx.get(server + "/review/config.json").json()
    assert config["labels"] == list(LABELS) and config["keep"] == ["content"]


def test_review_seed_002_relabel_by_keyboard_and_download(server, browser, page_errors, tmp_path):
    text = SEED_002.read_text(encoding="utf-8")
    expected = api_clean(server, text)
    paragraphs = expected["paragraphs"]
    originals = [text[p["start"]:p["end"]] for p in paragraphs]

    page = new_page(browser, page_errors, width=1100, height=760, permissions=["clipboard-read", "clipboard-write"])
    page.goto(server + "/")
    expect(page.locator("#model")).to_contain_text(expected["model"]["name"])
    page.fill("#text", text)
    page.click("#clean")
    rows = page.locator("#paras > li.para")
    expect(rows.first).to_be_visible(timeout=60_000)
    assert rows.count() == len(paragraphs)  # 36 paragraphs: all rendered in the first chunk

    # the spam line and the breadcrumb: labelled, removed, struck through
    spam, crumb = rows.nth(0), rows.nth(1)
    assert spam.locator(".txt").inner_text() == originals[0] and originals[0].startswith("日韩精品电影一区亚洲")
    assert crumb.locator(".txt").inner_text().startswith(BREADCRUMB_START)
    for row, label in ((spam, "spam"), (crumb, "chrome")):
        classes = row.get_attribute("class").split()
        assert label in classes and "removed" in classes, classes
        assert "line-through" in row.locator(".txt").evaluate("e => getComputedStyle(e).textDecorationLine")
    title = rows.nth(2)
    assert "removed" not in title.get_attribute("class").split()
    assert title.locator(".txt").evaluate("e => getComputedStyle(e).textDecorationLine") == "none"

    # counts per label match the service's answer; a label filter shows only that label
    for label in LABELS:
        n = sum(1 for p in paragraphs if p["label"] == label)
        assert page.locator(f'#filters button[data-filter="{label}"] .n').inner_text() == str(n)
    page.click('#filters button[data-filter="spam"]')
    expect(page.locator("#paras > li.para")).to_have_count(sum(1 for p in paragraphs if p["label"] == "spam"))
    page.click('#filters button[data-filter="all"]')
    expect(rows).to_have_count(len(paragraphs))

    # relabel with the keyboard: the third paragraph (the title) with arrow keys, then "2" (chrome)
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    expect(rows.nth(2)).to_have_class(re.compile(r"\bselected\b"))
    old_label = paragraphs[2]["label"]
    new_label = "chrome" if old_label != "chrome" else "content"
    page.keyboard.press(str(LABELS.index(new_label) + 1))
    changed = rows.nth(2)
    classes = changed.get_attribute("class").split()
    assert new_label in classes and "changed" in classes, classes
    assert changed.locator(".was").inner_text().startswith(f"model: {old_label}")
    assert page.locator('#filters button[data-filter="changed"] .n').inner_text() == "1"
    screenshot(page, "review.png")
    # ... and one with a click on its label buttons: select paragraph 4, click "spam", then undo with "0"
    rows.nth(4).locator(".txt").click()
    rows.nth(4).locator('.set button[data-label="spam"]').click()
    assert "spam" in rows.nth(4).get_attribute("class").split()
    page.keyboard.press("0")
    assert "changed" not in rows.nth(4).get_attribute("class").split()

    # copy the cleaned text (corrections applied) in one click
    page.click("#copy")
    expect(page.locator("#toast")).to_contain_text("Copied")
    labels = [p["label"] for p in paragraphs]
    labels[2] = new_label
    cleaned = "\n".join(t for t, lab in zip(originals, labels) if lab == "content")
    assert page.evaluate("navigator.clipboard.readText()") == cleaned

    # the corrected document as labelled JSONL, as `jingwen train --data` reads it
    records, path = download_jsonl(page, tmp_path)
    assert len(records) == 1
    record = records[0]
    assert record["source"] == "review" and isinstance(record["id"], str) and record["id"]
    assert [p["text"] for p in record["paragraphs"]] == originals
    assert [p["label"] for p in record["paragraphs"]] == labels
    from training.data import read_labelled

    (doc,) = read_labelled(path)
    assert doc.texts == originals and doc.labels == labels
    assert not page_errors, page_errors


def test_jsonl_file_with_emoji_offsets_and_several_documents(server, browser, page_errors, tmp_path):
    """Astral characters (emoji, CJK Extension B) take two UTF-16 units in JavaScript, one code point in
    the service's offsets: the paragraphs the page shows and downloads must be the service's exactly."""
    docs = [
        {"id": "emoji-1", "text": "😀😀 當前位置: 首頁 > 新聞中心 > 正文 👍🏽\n\n"
                                  "𠮷野家新店開張 🍜\n  今天上午,位於市中心的𠮷野家新店正式開業,吸引了大批市民前來品嘗。😀 店長表示,將持續提供優質服務。\n"
                                  "掃一掃在手機端打開當前頁 📱"},
        {"id": 42, "text": "日韩精品电影一区亚洲,1000部毛片A片免费视频偷拍 🔞🔞\n"
                           "🇨🇳 厚植新時代民政事業改革發展的根基\n如果說抓基層、強基礎是一次行軍,展現出的就是民政干部隊伍為民愛民使命擔當的整齊步伐。"},
        {"text": "没有编号的文档,只有一行正文,结尾是表情😀"},
    ]
    body = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n"
    expected = httpx.post(server + "/v1/clean/batch", json={"documents": docs}, timeout=120).json()["results"]

    page = new_page(browser, page_errors)
    page.goto(server + "/review")
    page.set_input_files("#file", files=[{"name": "batch.jsonl", "mimeType": "application/x-ndjson",
                                          "buffer": body.encode("utf-8")}])
    expect(page.locator("#file-info")).to_contain_text("JSONL")
    page.click("#clean")
    expect(page.locator("#paras > li.para").first).to_be_visible(timeout=60_000)
    assert page.locator("#doc option").count() == 3

    for k, (doc, result) in enumerate(zip(docs, expected)):
        page.select_option("#doc", str(k))
        shown = page.locator("#paras > li.para .txt").all_inner_texts()
        assert shown == [doc["text"][p["start"]:p["end"]] for p in result["paragraphs"]], k

    # relabel the first paragraph of the second document (its spam line) as off_topic
    page.select_option("#doc", "1")
    page.locator("#paras > li.para").first.click()
    page.keyboard.press("4")
    records, _ = download_jsonl(page, tmp_path)
    assert [r["id"] for r in records] == ["emoji-1", 42, "batch.jsonl:3"]
    for doc, result, record in zip(docs, expected, records):
        assert record["source"] == "review"
        assert [p["text"] for p in record["paragraphs"]] == [doc["text"][p["start"]:p["end"]] for p in result["paragraphs"]]
        labels = [p["label"] for p in result["paragraphs"]]
        if record["id"] == 42:
            labels[0] = "off_topic"
        assert [p["label"] for p in record["paragraphs"]] == labels
    assert any("😀" in p["text"] for p in records[0]["paragraphs"]) and any("𠮷" in p["text"] for p in records[0]["paragraphs"])

    # a downloaded file opens again with its corrections (a review can be continued)
    page.click("#file-clear")
    page.set_input_files("#file", files=[{"name": "again.jsonl", "mimeType": "application/x-ndjson",
                                          "buffer": "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()}])
    with page.expect_response(lambda r: "/v1/clean/batch" in r.url, timeout=60_000):
        page.click("#clean")
    expect(page.locator("#doc option")).to_have_count(3)
    # The stale list from the first run also has 3 documents, and the new results re-render document 0
    # when they arrive: select document 1 until the re-render is over and the selection sticks.
    first = page.locator("#paras > li.para").first
    wanted = re.compile(r"\boff_topic\b.*\bchanged\b")
    deadline = time.monotonic() + 20
    while True:
        page.select_option("#doc", "1")
        if wanted.search(first.get_attribute("class") or "") or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    expect(first).to_have_class(wanted)
    assert not page_errors, page_errors


def test_narrow_window_has_no_horizontal_scroll(server, browser, page_errors):
    page = new_page(browser, page_errors, width=380, height=800, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    page.fill("#text", SEED_002.read_text(encoding="utf-8"))
    page.click("#clean")
    rows = page.locator("#paras > li.para")
    expect(rows.first).to_be_visible(timeout=60_000)
    rows.nth(2).tap()
    expect(rows.nth(2).locator(".set")).to_be_visible()
    page.locator("#results").scroll_into_view_if_needed()
    for _ in range(3):  # also with the sticky toolbar and the label buttons shown
        assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth") == 380
        page.mouse.wheel(0, 600)
    screenshot(page, "review-narrow.png")
    assert not page_errors, page_errors


def test_a_5_mb_document_renders_lazily_without_freezing(server, browser, page_errors, tmp_path):
    """The page's own cost for a huge answer (the service's is measured elsewhere): a 5 MB document,
    ~60 000 paragraphs, answered instantly by a stub route so that only the browser's work is timed."""
    line = "厚植新時代民政事業改革發展的根基,如果說抓基層、強基礎是一次行軍 😀 第{}段。"
    lines = [line.format(i) for i in range(60_000)]
    text = "\n".join(lines)
    assert len(text.encode("utf-8")) > 5_000_000
    paragraphs, pos = [], 0
    for i, ln in enumerate(lines):
        n = len(ln)
        label = LABELS[i % 4]
        paragraphs.append({"start": pos, "end": pos + n, "label": label,
                           "scores": {lab: (0.97 if lab == label else 0.01) for lab in LABELS},
                           "first_pass": label, "kept": label == "content"})
        pos += n + 1
    answer = json.dumps({"text": "", "paragraphs": paragraphs, "model": {"version": "stub", "name": "stub"},
                         "stats": {"paragraphs": len(lines), "removed": {}, "chars_in": len(text), "chars_out": 0}})

    page = new_page(browser, page_errors)
    page.route("**/v1/clean", lambda route: route.fulfill(status=200, content_type="application/json", body=answer))
    page.goto(server + "/")
    page.evaluate("""() => { window.__long = 0; new PerformanceObserver(l => { for (const e of l.getEntries())
                      window.__long = Math.max(window.__long, e.duration); }).observe({type: 'longtask', buffered: true}); }""")
    page.set_input_files("#file", files=[{"name": "huge.txt", "mimeType": "text/plain", "buffer": text.encode("utf-8")}])
    expect(page.locator("#file-info")).to_contain_text("MB")
    page.evaluate("window.__long = 0")
    started = time.perf_counter()
    page.click("#clean")
    rows = page.locator("#paras > li.para")
    expect(rows.first).to_be_visible(timeout=30_000)
    first_paint = time.perf_counter() - started
    rendered = rows.count()
    assert rendered < 1000, rendered  # lazily: a chunk, not 60 000 rows
    # the last paragraph (emoji in every line: offsets must stay right to the end)
    assert page.evaluate("document.querySelectorAll('#paras > li.para').length") == rendered
    page.keyboard.press("End")  # scrolls to the end of the rendered part; more comes as it nears the end
    page.mouse.wheel(0, 20000)
    deadline = time.monotonic() + 10  # (wait_for_function evaluates strings, which the page's CSP forbids)
    while page.evaluate("document.querySelectorAll('#paras > li.para').length") <= rendered and time.monotonic() < deadline:
        page.mouse.wheel(0, 5000)
        time.sleep(0.1)
    assert page.evaluate("document.querySelectorAll('#paras > li.para').length") > rendered
    page.click('#filters button[data-filter="off_topic"]')
    expect(rows.first.locator(".txt")).to_have_text(lines[3])
    longest = page.evaluate("window.__long")
    assert first_paint < 10, first_paint
    assert longest < 1500, f"the main thread was blocked for {longest:.0f} ms"
    # offsets stay right to the end (an emoji in every line shifts UTF-16 indices by one per line)
    records, _ = download_jsonl(page, tmp_path)
    assert len(records[0]["paragraphs"]) == len(lines)
    assert records[0]["paragraphs"][-1]["text"] == lines[-1] and records[0]["paragraphs"][1000]["text"] == lines[1000]
    print(f"5 MB document: first rows after {first_paint:.2f}s, longest main-thread task {longest:.0f} ms")
    assert not page_errors, page_errors
