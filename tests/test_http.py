"""The HTTP service, end to end: a real ``jingwen serve`` process on loopback, the real model, real seeds.

The model is the shipped one (``models/``, the one ``CURRENT`` names) unless ``JINGWEN_MODELS_DIR``
points elsewhere. Fine-grained cases that need a second configuration or a broken app use the
ASGI app in-process; everything else goes over TCP to the live server.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.settings import LABELS, MODELS_DIR_DEFAULT, Settings  # noqa: E402
from tests.support import ServerProcess, free_port  # noqa: E402

SEEDS = REPO / "seeds"
SEED_002 = next(SEEDS.glob("002_*.txt"))
MODELS_DIR = Path(os.environ.get("JINGWEN_MODELS_DIR") or MODELS_DIR_DEFAULT)
BREADCRUMB = "當前位置: 首頁 \xa0>\xa0 新聞中心 \xa0>\xa0 媒體報道 >\xa0正文"
EDGE = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]|[\s\u200b\u200c\u200d\u2060\ufeff]$")
BREAKS = re.compile(r"[\r\n\u2028\u2029]")

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")]


def _model_present() -> bool:
    return (MODELS_DIR / "manifest.json").is_file() or (MODELS_DIR / "CURRENT").is_file()


if not _model_present():
    message = f"no model in {MODELS_DIR} (train one, or set JINGWEN_MODELS_DIR)"
    if os.environ.get("CI"):
        raise RuntimeError(message)  # CI must test the shipped model, not skip it
    pytest.skip(message, allow_module_level=True)


def seed_text(path: Path = SEED_002) -> str:
    return path.read_text(encoding="utf-8")


def gold(doc_id: str) -> list[dict[str, str]]:
    for line in (SEEDS / "labelled.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == doc_id:
            return record["paragraphs"]
    raise KeyError(doc_id)


def start_server(*args: str, env: dict[str, str] | None = None) -> ServerProcess:
    return ServerProcess(MODELS_DIR, *args, env=env, log_name="http", ready_timeout=90, stop_timeout=20)


@pytest.fixture(scope="session")
def server():
    with start_server() as srv:
        yield srv


@pytest.fixture(scope="session")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def check_result(text: str, result: dict, keep: list[str] | tuple[str, ...] = ("content",)) -> None:
    """The invariants of any clean result against the text that was sent."""
    paragraphs = result["paragraphs"]
    last_end = 0
    for p in paragraphs:
        assert last_end <= p["start"] < p["end"] <= len(text), p
        piece = text[p["start"] : p["end"]]
        assert piece.strip() and not BREAKS.search(piece), (p, piece)
        assert not EDGE.search(piece), (p, piece)
        assert p["label"] in LABELS and p["first_pass"] in LABELS
        assert set(p["scores"]) == set(LABELS)
        assert abs(sum(p["scores"].values()) - 1) < 0.01
        assert p["kept"] == (p["label"] in keep)
        last_end = p["end"]
    assert result["text"] == "\n".join(text[p["start"] : p["end"]] for p in paragraphs if p["kept"])
    stats = result["stats"]
    assert stats["paragraphs"] == len(paragraphs)
    assert stats["chars_in"] == len(text) and stats["chars_out"] == len(result["text"])
    assert stats["removed"] == {lab: sum(1 for p in paragraphs if p["label"] == lab and not p["kept"]) for lab in LABELS}


# --- health, readiness, model, docs ------------------------------------------------------------------


def test_health_ready_model_and_docs(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    manifest = client.get("/v1/model").json()
    assert manifest["version"] == ready.json()["model"]["version"]
    assert {"version", "training", "metrics", "labels"} <= set(manifest)
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/v1/clean"]["post"]["requestBody"]["content"]
    assert BREADCRUMB in body["application/json"]["examples"]["seed_002"]["value"]["text"]
    assert BREADCRUMB in body["text/plain"]["examples"]["seed_002"]["value"]
    assert schema["components"]["schemas"]["BatchRequest"]["properties"]["documents"]["maxItems"] == 256


# --- real labels on real text --------------------------------------------------------------------------


def test_seed_002_spam_and_breadcrumb_removed_body_kept(client):
    text = seed_text()
    r = client.post("/v1/clean", json={"text": text})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    result = r.json()
    check_result(text, result)
    paragraphs = result["paragraphs"]
    labels = gold(SEED_002.stem)
    assert [text[p["start"] : p["end"]] for p in paragraphs] == [g["text"] for g in labels]
    first, crumb = paragraphs[0], paragraphs[1]
    assert text[first["start"] : first["end"]].startswith("日韩精品电影一区亚洲")
    assert first["label"] == "spam" and not first["kept"]
    assert text[crumb["start"] : crumb["end"]] == BREADCRUMB
    assert crumb["label"] == "chrome" and not crumb["kept"]
    body = [p for p, g in zip(paragraphs, labels) if g["label"] == "content" and len(g["text"]) >= 40]
    assert len(body) >= 10
    assert all(p["kept"] for p in body), [text[p["start"] : p["end"]][:30] for p in body if not p["kept"]]
    assert not result["text"].startswith("日韩") and BREADCRUMB not in result["text"]
    assert result["model"]["version"] == client.get("/v1/model").json()["version"]
    assert result["stats"]["removed"]["spam"] >= 1 and result["stats"]["removed"]["chrome"] >= 1


def test_paragraphs_false_and_keep(client):
    text = seed_text()
    full = client.post("/v1/clean", json={"text": text}).json()
    short = client.post("/v1/clean", json={"text": text, "paragraphs": False}).json()
    assert short["paragraphs"] is None
    assert short["text"] == full["text"] and short["stats"] == full["stats"]
    both = client.post("/v1/clean", json={"text": text, "keep": ["content", "chrome"]}).json()
    check_result(text, both, ["content", "chrome"])
    assert BREADCRUMB in both["text"].split("\n")
    # query parameters fill in what the JSON body leaves out; the body wins
    q = client.post("/v1/clean", params={"keep": "content,chrome", "paragraphs": "false"}, json={"text": text}).json()
    assert q["text"] == both["text"] and q["paragraphs"] is None
    q = client.post("/v1/clean", params={"keep": "chrome"}, json={"text": text, "keep": ["content"]}).json()
    assert q["text"] == full["text"]


def test_text_plain_body_any_charset_same_result(client):
    text = seed_text()
    reference = client.post("/v1/clean", json={"text": text}).json()
    for charset in ("utf-8", "gb18030", "UTF8", "GB18030"):
        r = client.post("/v1/clean", content=text.encode(charset), headers={"content-type": f"text/plain; charset={charset}"})
        assert r.status_code == 200, (charset, r.text)
        assert r.json() == reference, charset
    r = client.post("/v1/clean", content=text.encode("utf-8"), headers={"content-type": "text/plain"})
    assert r.json() == reference
    # Big5 has neither NBSP nor simplified characters: convert the seed to what Big5 can say.
    import opencc

    traditional = opencc.OpenCC("s2t").convert(text).replace("\xa0", " ")
    traditional = "".join(c for c in traditional if _encodes(c, "big5"))
    ref_b5 = client.post("/v1/clean", json={"text": traditional}).json()
    for charset in ("big5", "gbk"):
        if not all(_encodes(c, charset) for c in traditional):
            continue
        r = client.post("/v1/clean", content=traditional.encode(charset), headers={"content-type": f"text/plain; charset={charset}"})
        assert r.status_code == 200, (charset, r.text)
        assert r.json() == ref_b5, charset
    assert ref_b5["paragraphs"][0]["label"] == "spam"  # the converted spam line is still spam


def _encodes(char: str, charset: str) -> bool:
    try:
        char.encode(charset)
        return True
    except UnicodeEncodeError:
        return False


def test_accept_text_plain_answers_plain_text(client):
    text = seed_text()
    cleaned = client.post("/v1/clean", json={"text": text}).json()["text"]
    r = client.post("/v1/clean", content=text.encode("gb18030"),
                    headers={"content-type": "text/plain; charset=gb18030", "accept": "text/plain"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.content.decode("utf-8") == cleaned
    r = client.post("/v1/clean", json={"text": text}, headers={"accept": "text/plain"})
    assert r.text == cleaned
    r = client.post("/v1/clean", params={"keep": "content,chrome"}, content=text.encode(),
                    headers={"content-type": "text/plain", "accept": "text/plain"})
    assert BREADCRUMB in r.text.split("\n")
    for accept, plain in [("text/plain, */*;q=0.8", True), ("text/plain, */*", True), ("text/*", True),
                          ("application/json;q=0.5, text/plain", True), ("*/*", False), ("text/html", False),
                          ("application/json", False), ("text/plain;q=0.2, application/json", False),
                          ("text/html,application/xhtml+xml,*/*;q=0.8", False), ("garbage;;q=x,", False)]:
        r = client.post("/v1/clean", json={"text": "首頁\n正文"}, headers={"accept": accept})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/plain" if plain else "application/json"), accept


# --- batch -----------------------------------------------------------------------------------------


def test_batch_order_ids_and_results_match_single(client):
    seeds = sorted(SEEDS.glob("0*.txt"))
    texts = [seed_text(p) for p in seeds] + ["", "當前位置: 首頁", seed_text()[:300]]
    ids = ["seed-0", 1, "seed-2", 2**70, -3, "", 0, "x" * 50]
    r = client.post("/v1/clean/batch", json={"documents": [{"id": i, "text": t} for i, t in zip(ids, texts)]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [res["id"] for res in body["results"]] == ids
    assert body["model"]["version"]
    for text, res in zip(texts, body["results"]):
        check_result(text, res)
        single = client.post("/v1/clean", json={"text": text}).json()
        assert {k: res[k] for k in ("text", "paragraphs", "stats")} == {k: single[k] for k in ("text", "paragraphs", "stats")}
    r = client.post("/v1/clean/batch", json={"documents": [{"text": "a"}, {"id": None, "text": "b"}], "paragraphs": False, "keep": ["spam"]})
    assert [(x["id"], x["paragraphs"]) for x in r.json()["results"]] == [(None, None), (None, None)]
    assert client.post("/v1/clean/batch", json={"documents": []}).json()["results"] == []


def test_batch_limits_and_types(client):
    r = client.post("/v1/clean/batch", json={"documents": [{"id": i, "text": "a"} for i in range(257)]})
    assert r.status_code == 413
    assert "257 documents" in r.json()["detail"] and "256" in r.json()["detail"] and "documents" in r.json()["detail"]
    assert client.post("/v1/clean/batch", json={"documents": [{"text": "a"}] * 256}).status_code == 200
    for bad_id, expected in [(1.5, 422), (True, 422), ([1], 422), ({"a": 1}, 422)]:
        r = client.post("/v1/clean/batch", json={"documents": [{"id": "ok", "text": "a"}, {"id": bad_id, "text": "b"}]})
        assert r.status_code == expected
        assert r.json()["detail"][0]["loc"] == ["body", "documents", 1, "id"], r.json()
    r = client.post("/v1/clean/batch", json={"documents": [{"id": 1}]})
    assert r.json()["detail"][0]["loc"] == ["body", "documents", 0, "text"]
    r = client.post("/v1/clean/batch", content=b"abc", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and "application/json" in r.json()["detail"]
    r = client.post("/v1/clean/batch", json={"documents": [{"text": "a"}], "keep": ["content", "ads"]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "keep", 1]


# --- errors ----------------------------------------------------------------------------------------


def test_body_over_limit_is_413_with_and_without_content_length(client):
    big = "当".encode() * (2 * 1024 * 1024 // 3 + 1)  # just over 2 MiB
    r = client.post("/v1/clean", content=big, headers={"content-type": "text/plain"})
    assert r.status_code == 413
    assert "2097152 bytes" in r.json()["detail"]

    def chunks():
        for _ in range(50):
            yield b"a" * 100_000

    request = client.build_request("POST", "/v1/clean", content=chunks(), headers={"content-type": "text/plain"})
    assert "content-length" not in request.headers and request.headers["transfer-encoding"] == "chunked"
    r = client.send(request)
    assert r.status_code == 413 and "2097152 bytes" in r.json()["detail"]
    assert r.headers["x-request-id"]
    # the server is still fine afterwards, and a body just under the limit is served
    assert client.post("/v1/clean", json={"text": "正文"}).status_code == 200
    under = ("正文内容。" * 30 + "\n").encode()
    under = under * ((2 * 1024 * 1024 - 64) // len(under))
    r = client.post("/v1/clean", content=under, headers={"content-type": "text/plain", "accept": "text/plain"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    "body, loc, words",
    [
        (b'{"text": ', ["body", 9], "invalid JSON"),
        (b"", ["body"], "empty"),
        (b"[1, 2]", ["body"], "valid dictionary"),
        (b'{"keep": ["content"]}', ["body", "text"], "Field required"),
        (b'{"text": 5}', ["body", "text"], "valid string"),
        (b'{"text": "a", "paragraph": false}', ["body", "paragraph"], "Extra inputs"),
        (b'{"text": "a", "paragraphs": "yes"}', ["body", "paragraphs"], "boolean"),
        (b'{"text": "a", "keep": ["content", "adverts"]}', ["body", "keep", 1], "'content', 'chrome', 'spam' or 'off_topic'"),
        (b'{"text": "a", "keep": []}', ["body", "keep"], "at least 1"),
        (b'{"text": "a", "keep": "content"}', ["body", "keep"], "valid list"),
        (b'{"text": "ok \\ud800 no"}', ["body", "text"], "lone surrogate '\\ud800' at character 3"),
        (b'{"text": "\\udc00"}', ["body", "text"], "lone surrogate"),
        (b'{"text": "a\x00b"}', ["body", 11], "Invalid control character"),
        (b'{"text": "\xff\xfe"}', ["body"], "not valid UTF-8 at byte offset 10"),
        (b"[" * 100_000 + b"]" * 100_000, ["body"], "nested too deeply"),
        (b'{"text": "a", "keep": ["content"], "paragraphs": true, "x": NaN}', ["body", "x"], "Extra inputs"),
    ],
)
def test_malformed_json_and_schema_violations_are_422_naming_the_field(client, body, loc, words):
    r = client.post("/v1/clean", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail[0]["loc"] == loc, detail
    assert words in detail[0]["msg"], detail
    assert set(detail[0]) == {"loc", "msg", "type"}  # the input is never echoed back


def test_unknown_label_in_query_keep_is_422(client):
    for keep, words in [("content,adverts", "'adverts'"), ("", "empty"), (",", "empty")]:
        r = client.post("/v1/clean", params={"keep": keep}, content=b"abc", headers={"content-type": "text/plain"})
        assert r.status_code == 422
        assert r.json()["detail"] == [{"loc": ["query", "keep"], "msg": r.json()["detail"][0]["msg"], "type": r.json()["detail"][0]["type"]}]
        assert words in r.json()["detail"][0]["msg"]
    r = client.post("/v1/clean", params={"paragraphs": "maybe"}, json={"text": "a"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "paragraphs"]


def test_undecodable_text_is_400_with_byte_offset(client):
    text = seed_text()
    good = text.encode("gb18030")
    for charset, data in [
        ("utf-8", text.encode("utf-8")[:100] + b"\xff" + text.encode("utf-8")[100:]),
        ("gb18030", good[:37] + b"\x81\x20" + good[37:]),
        ("big5", "首頁".encode("big5") + b"\xff\xff"),
        ("gbk", b"ok \x80"),
    ]:
        offset = _first_bad(data, charset)
        r = client.post("/v1/clean", content=data, headers={"content-type": f"text/plain; charset={charset}"})
        assert r.status_code == 400, (charset, r.text)
        body = r.json()
        assert body["byte_offset"] == offset
        assert f"byte offset {offset}" in body["detail"] and charset in body["detail"]
    # a gb18030 body sent as utf-8 is undecodable at its first non-ASCII byte
    r = client.post("/v1/clean", content=good, headers={"content-type": "text/plain"})
    assert r.status_code == 400 and r.json()["byte_offset"] == _first_bad(good, "utf-8")


def _first_bad(data: bytes, charset: str) -> int:
    try:
        data.decode(charset)
    except UnicodeDecodeError as exc:
        return exc.start
    raise AssertionError("decodes")


def test_unsupported_charset_or_content_type_is_415(client):
    for ctype, words in [
        ("text/plain; charset=klingon", "unsupported charset 'klingon'"),
        ("text/plain; charset=rot13", "unsupported charset 'rot13'"),
        ("text/plain; charset=base64", "unsupported charset 'base64'"),
        ("application/x-www-form-urlencoded", "unsupported Content-Type"),
        ("multipart/form-data; boundary=x", "unsupported Content-Type"),
        ("text/html", "unsupported Content-Type 'text/html'"),
        ("application/json; charset=gbk", "JSON bodies are UTF-8"),
    ]:
        r = client.post("/v1/clean", content=b"abc", headers={"content-type": ctype})
        assert r.status_code == 415, ctype
        assert words in r.json()["detail"], (ctype, r.json())


def test_hostile_but_valid_input_is_never_a_5xx(client):
    cases = [
        "a\x00b\x00\n\x00",
        "\x00" * 1000,
        "😀🎉👩‍👩‍👧 emoji 表情\n🀄" * 50,
        "\u2028\u2029\r\n\r\r\n",
        "\ufeff\u200b\u200d\n \u3000 \n",
        "\x1b[31mred\x1b[0m\x7f\x85\x9f",
        "\U0010ffff\U000e0001" * 10,
        "a" * 50_000,
        "字" * 100_000 + "。\n" + "。" * 100_000,
        "\n" * 100_000,
        "",
        " ",
    ]
    for text in cases:
        r = client.post("/v1/clean", json={"text": text})
        assert r.status_code == 200, (text[:20], r.text[:200])
        check_result(text, r.json())
        r = client.post("/v1/clean", content=text.encode("utf-8"), headers={"content-type": "text/plain"})
        assert r.status_code == 200
        check_result(text.removeprefix("\ufeff"), r.json())
    # raw NUL bytes and an astral character as an escaped surrogate pair in JSON are fine
    r = client.post("/v1/clean", content=b'{"text": "\\ud83d\\ude00 ok\\u0000"}', headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["stats"]["chars_in"] == 5
    # 5 MB: too large, not an error of ours
    r = client.post("/v1/clean", json={"text": "字" * (5 * 1024 * 1024 // 3)})
    assert r.status_code == 413
    # a lone surrogate inside a batch names the document
    r = client.post("/v1/clean/batch", content=b'{"documents": [{"text": "a"}, {"text": "\\ud800"}]}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "documents", 1, "text"]
    r = client.post("/v1/clean/batch", content=b'{"documents": [{"id": "\\udfff", "text": "a"}]}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "documents", 0, "id"]


def test_errors_are_json_detail(client):
    for method, path, status in [("GET", "/nope", 404), ("GET", "/v1/clean", 405), ("PUT", "/v1/clean/batch", 405),
                                 ("DELETE", "/healthz", 405)]:
        r = client.request(method, path)
        assert r.status_code == status and r.headers["content-type"] == "application/json"
        assert isinstance(r.json()["detail"], str)
        assert r.headers["x-request-id"]


# --- request ids and the access log ------------------------------------------------------------------------


def test_request_id_echoed_or_generated_and_logged(server, client):
    r = client.post("/v1/clean", json={"text": "abc"}, headers={"X-Request-ID": "crawl-42.batch:7/abc=="})
    assert r.headers["x-request-id"] == "crawl-42.batch:7/abc=="
    generated = []
    for insane in ["has space", "x" * 200, "semi;colon", "new\\nline", "引号"]:
        r = client.get("/healthz", headers={"X-Request-ID": insane.encode("utf-8")})
        assert r.headers["x-request-id"] != insane and re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
        generated.append(r.headers["x-request-id"])
    r = client.post("/v1/clean", content=b"{", headers={"content-type": "application/json", "x-request-id": "bad-json-1"})
    assert r.status_code == 422 and r.headers["x-request-id"] == "bad-json-1"
    assert len(set(generated)) == len(generated)
    # a request's access-log line is written after its response has been sent: wait for each one
    for rid in ("crawl-42.batch:7/abc==", generated[-1], "bad-json-1"):
        log = server.wait_for_log(f"request_id={rid} ", 1)
    line = next(x for x in log.splitlines() if "request_id=crawl-42.batch:7/abc==" in x)
    assert re.search(r"jingwen\.access: POST /v1/clean 200 \d+\.\dms request_id=crawl-42\.batch:7/abc== client=127\.0\.0\.1:\d+$", line), line
    assert re.search(r"POST /v1/clean 422 \d+\.\dms request_id=bad-json-1 ", log)
    assert f"GET /healthz 200" in log and generated[-1] in log


# --- concurrency -------------------------------------------------------------------------------------------


def test_parallel_requests_get_their_own_answers(server, client):
    seeds = [seed_text(p) for p in sorted(SEEDS.glob("0*.txt"))]
    docs: list[tuple[str, list[str]]] = []
    for i in range(16):
        text = seeds[i % len(seeds)]
        lines = text.split("\n")
        text = "\n".join(lines[i // len(seeds) :]) if i >= len(seeds) else text
        keep = [["content"], ["content", "chrome"], ["spam"], ["off_topic", "content"]][i % 4]
        docs.append((text, keep))
    expected = [client.post("/v1/clean", json={"text": t, "keep": k}).json() for t, k in docs]
    assert len({json.dumps(e, sort_keys=True) for e in expected}) == 16  # all different
    barrier = threading.Barrier(16)

    def call(i: int) -> dict:
        text, keep = docs[i]
        with httpx.Client(base_url=server.url, timeout=60) as c:
            barrier.wait()
            r = c.post("/v1/clean", json={"text": text, "keep": keep}, headers={"X-Request-ID": f"par-{i}"})
            assert r.headers["x-request-id"] == f"par-{i}"
            return r.json()

    for _ in range(2):
        with ThreadPoolExecutor(16) as pool:
            got = list(pool.map(call, range(16)))
        for i, (g, e) in enumerate(zip(got, expected)):
            assert g == e, i


def test_event_loop_stays_responsive_while_cleaning(server):
    """Health checks are answered while long cleaning requests occupy the thread pool."""
    text = "\n".join([seed_text()] * 40)  # ~440 KB, a few hundred ms of cleaning
    with httpx.Client(base_url=server.url, timeout=60) as slow, ThreadPoolExecutor(3) as pool, \
            httpx.Client(base_url=server.url, timeout=30) as health:
        assert health.get("/healthz").status_code == 200  # connected: the timing below is the server's, not
        # the client's (a new client per check builds an SSL context each time, slow on a loaded machine)
        futures = [pool.submit(slow.post, "/v1/clean", json={"text": text, "paragraphs": False}) for _ in range(3)]
        time.sleep(0.2)
        started = time.perf_counter()
        for _ in range(5):
            assert health.get("/healthz").status_code == 200
        health_time = time.perf_counter() - started
        durations = [f.result().elapsed.total_seconds() for f in futures]
    assert all(f.result().status_code == 200 for f in futures)
    assert health_time < max(durations), (health_time, durations)


# --- property-based ---------------------------------------------------------------------------------

_seed_lines = [line for p in sorted(SEEDS.glob("0*.txt")) for line in seed_text(p).split("\n") if line.strip()]
_lines = st.one_of(st.sampled_from(_seed_lines), st.text(max_size=40), st.text(st.characters(codec="utf-8"), max_size=10))
_texts = st.tuples(st.lists(_lines, max_size=12), st.lists(st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\u2029", "\n\n", "\x0b"]), min_size=1)).map(
    lambda t: "".join(line + t[1][i % len(t[1])] for i, line in enumerate(t[0]))
)
_keeps = st.one_of(st.none(), st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True))
_prop = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@_prop
@given(text=_texts, keep=_keeps, paragraphs=st.booleans(), as_plain=st.booleans(), accept_text=st.booleans())
def test_property_clean_never_5xx_and_invariants_hold(client, text, keep, paragraphs, as_plain, accept_text):
    headers = {"accept": "text/plain"} if accept_text else {}
    if as_plain:
        params = {"paragraphs": str(paragraphs).lower()} | ({"keep": ",".join(keep)} if keep else {})
        r = client.post("/v1/clean", params=params, content=text.encode("utf-8"), headers={"content-type": "text/plain; charset=utf-8", **headers})
        sent = text.removeprefix("\ufeff")  # a UTF-8 BOM is not text
    else:
        body = {"text": text, "paragraphs": paragraphs} | ({"keep": keep} if keep else {})
        r = client.post("/v1/clean", json=body, headers=headers)
        sent = text
    assert r.status_code == 200, r.text[:300]
    if accept_text:
        assert r.headers["content-type"] == "text/plain; charset=utf-8"
        full = client.post("/v1/clean", json={"text": sent, "keep": keep or ["content"]}).json()
        check_result(sent, full, keep or ["content"])
        assert r.text == full["text"]
        return
    result = r.json()
    if paragraphs:
        check_result(sent, result, keep or ["content"])
    else:
        assert result["paragraphs"] is None
        assert result["stats"]["chars_in"] == len(sent) and result["stats"]["chars_out"] == len(result["text"])


@_prop
@given(data=st.binary(max_size=200), charset=st.sampled_from(["utf-8", "gb18030", "gbk", "big5", "utf-16", "ascii"]))
def test_property_any_bytes_as_text_plain_give_200_or_400_with_offset(client, data, charset):
    r = client.post("/v1/clean", content=data, headers={"content-type": f"text/plain; charset={charset}"})
    try:
        text = codecs.decode(data.removeprefix(codecs.BOM_UTF8) if charset == "utf-8" else data, charset)
    except UnicodeDecodeError as exc:
        assert r.status_code == 400, r.text
        assert r.json()["byte_offset"] == exc.start + (3 if charset == "utf-8" and data.startswith(codecs.BOM_UTF8) else 0)
        return
    assert r.status_code == 200, r.text
    check_result(text, r.json())


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["text", "keep", "paragraphs", "documents", "id", "x"]) | st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)


@_prop
@given(body=st.one_of(_json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=100)),
       path=st.sampled_from(["/v1/clean", "/v1/clean/batch"]),
       ctype=st.sampled_from(["application/json", "text/plain", "text/plain; charset=big5", "application/octet-stream", None]))
def test_property_arbitrary_bodies_never_5xx(client, body, path, ctype):
    headers = {"content-type": ctype} if ctype else {}
    r = client.post(path, content=body, headers=headers)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert "detail" in r.json()


# --- the OpenAPI schema, fuzzed by schemathesis ----------------------------------------------------------

try:
    import schemathesis
except ImportError:  # pragma: no cover - the lock file installs it
    schemathesis = None

# The schema the live server serves (test_openapi_schema_is_the_servers checks it is the same), built
# at collection time: schemathesis' lazy fixture loader (from_fixture) does not work with pytest 9.
from service.app import create_app  # noqa: E402

OPENAPI = create_app(Settings(models_dir=MODELS_DIR)).openapi()


def test_openapi_schema_is_the_servers(client):
    assert client.get("/openapi.json").json() == OPENAPI


if schemathesis is not None:
    schema = schemathesis.openapi.from_dict(OPENAPI)

    @schema.parametrize()
    @settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def test_openapi_schema_fuzz(case, server):
        """Positive and negative cases from the schema (examples, coverage, fuzzing): no 5xx, every
        status, content type and body as documented."""
        case.call_and_validate(base_url=server.url)

else:

    def test_openapi_schema_fuzz():
        pytest.skip("schemathesis is not installed (pip install schemathesis==4.32.5)")


# --- in-process: other configurations ------------------------------------------------------------------


def _app(**overrides):
    from service.app import create_app

    return create_app(Settings(models_dir=MODELS_DIR, **overrides))


def test_not_ready_before_the_model_is_loaded():
    from fastapi.testclient import TestClient

    c = TestClient(_app())  # no `with`: the lifespan (model loading) has not run
    assert c.get("/healthz").status_code == 200
    r = c.get("/readyz")
    assert r.status_code == 503 and r.json() == {"detail": "model not loaded"} and r.headers["retry-after"] == "1"
    r = c.post("/v1/clean", json={"text": "a"})
    assert r.status_code == 503 and "not loaded" in r.json()["detail"]
    assert c.get("/v1/model").status_code == 503


def test_configured_limits_and_exact_boundary(caplog):
    from fastapi.testclient import TestClient

    app = _app(max_body_bytes=1000, max_batch_documents=2, keep=("content", "chrome"))
    with TestClient(app) as c:
        assert app.state.cleaner is not None and app.state.cleaner.keep == ("content", "chrome")
        exact = b'{"text": "' + b"a" * (1000 - 12) + b'"}'
        assert len(exact) == 1000
        assert c.post("/v1/clean", content=exact, headers={"content-type": "application/json"}).status_code == 200
        r = c.post("/v1/clean", content=exact + b" ", headers={"content-type": "application/json"})
        assert r.status_code == 413 and "1000 bytes" in r.json()["detail"]
        r = c.post("/v1/clean", content=iter([exact[:500], exact[500:], b" "]), headers={"content-type": "application/json"})
        assert r.status_code == 413
        r = c.post("/v1/clean/batch", json={"documents": [{"text": "a"}] * 3})
        assert r.status_code == 413 and "limit is 2" in r.json()["detail"]
        assert c.get("/openapi.json").json()["components"]["schemas"]["BatchRequest"]["properties"]["documents"]["maxItems"] == 2
        short = "當前位置: 首頁 > 正文\n" + seed_text()[:200]
        r = c.post("/v1/clean", json={"text": short})
        check_result(short, r.json(), ["content", "chrome"])
        with caplog.at_level(logging.INFO, logger="jingwen.access"):
            c.get("/healthz", headers={"x-request-id": "in-process-1"})
        assert any("GET /healthz 200" in m and "request_id=in-process-1" in m for m in caplog.messages)
    assert app.state.cleaner is None  # released at shutdown


def test_a_bug_is_a_json_500_with_the_request_id():
    from fastapi.testclient import TestClient

    app = _app()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("kaput")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom", headers={"x-request-id": "boom-1"})
    assert r.status_code == 500 and r.headers["x-request-id"] == "boom-1"
    assert r.json() == {"detail": "internal server error (request id boom-1)"}


def test_cleaner_is_safe_under_concurrent_calls(cleaner):
    """The thread-pool contract, without HTTP: many threads on one Cleaner give the serial answers."""
    from service.app import _single_threaded_native

    _single_threaded_native()
    texts = [seed_text(p) for p in sorted(SEEDS.glob("0*.txt"))]
    texts += [t[: len(t) // 2] for t in texts] + [t[len(t) // 3 :] for t in texts]
    serial = [[p.to_dict() for p in cleaner.clean(t).paragraphs] for t in texts]

    def work(i: int) -> list[dict]:
        _single_threaded_native()
        return [p.to_dict() for p in cleaner.clean(texts[i % len(texts)]).paragraphs]

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(work, range(len(texts) * 3)))
    assert all(g == serial[i % len(texts)] for i, g in enumerate(got))


def test_long_line_linear_time(cleaner):
    """A 2 MB body is allowed, so a long line must cost linear time: one 20 000-character line of
    letters must not cost 16x a 5 000-character one (an unbounded e-mail regex once made it so)."""
    from service.app import _single_threaded_native

    _single_threaded_native()
    cleaner.clean("warm up")

    def cost(n: int) -> float:
        started = time.perf_counter()
        cleaner.clean("a" * n)
        cleaner.clean("字" * n)
        return time.perf_counter() - started

    # the best of three runs each: on a loaded machine a preemption only ever adds time to one run
    times = [min(cost(n) for _ in range(3)) for n in (5_000, 20_000)]
    assert times[1] < 8 * max(times[0], 0.02), times


# --- the command line ---------------------------------------------------------------------------------------


def test_serve_refuses_a_missing_model_with_a_clear_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "jingwen", "serve", "--port", str(free_port()), "--models-dir", str(tmp_path)],
                       cwd=REPO, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert f"no model in {tmp_path}" in r.stderr and "Traceback" not in r.stderr


def test_serve_with_two_workers_passes_settings_to_each(tmp_path):
    srv = start_server("--workers", "2", "--max-batch-documents", "3", "--max-body-bytes", "5000",
                       env={"JINGWEN_KEEP": "content,chrome"})
    try:
        srv.wait_ready()
        srv.wait_for_log("loaded from", 2)  # both workers hold the model before any request
        with httpx.Client(base_url=srv.url, timeout=30) as c:
            for _ in range(12):
                with httpx.Client(base_url=srv.url, timeout=30) as fresh:  # new connections spread over workers
                    r = fresh.post("/v1/clean/batch", json={"documents": [{"text": "a"}] * 4})
                    assert r.status_code == 413 and "limit is 3" in r.json()["detail"]
            assert c.post("/v1/clean", content=b"x" * 5001, headers={"content-type": "text/plain"}).status_code == 413
            r = c.post("/v1/clean", json={"text": BREADCRUMB + "\n" + seed_text()[:1000]})
            first = r.json()["paragraphs"][0]
            assert first["kept"] == (first["label"] in ("content", "chrome"))
        pids = set(re.findall(r"Started server process \[(\d+)\]", srv.log_text()))
        assert len(pids) >= 2, srv.log_text()
    finally:
        srv.stop()
