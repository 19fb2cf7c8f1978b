"""Model reload without a restart: ``POST /v1/model/reload`` (admin token) and SIGHUP.

Each test works on its own models directory in a temporary folder: the served model (the one
``conftest.models_dir()`` resolves: the shipped model unless ``JINGWEN_MODELS_DIR`` says otherwise)
copied under its own name, plus copies whose manifest carries another ``version`` (the SHA-256 in the
manifest covers only ``model.joblib``, so such a copy still verifies). "Promote" and "roll back" are
plain rewrites of ``CURRENT``, as ``jingwen models promote/rollback`` do.

Live tests run a real ``python -m jingwen serve`` on a free loopback port; every request loop is
bounded in count and time.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.artifact import CURRENT_FILE, MANIFEST_FILE, MODEL_FILE, ModelError, resolve_model_dir  # noqa: E402
from service.settings import MODELS_DIR_DEFAULT, Settings  # noqa: E402
from tests.support import ServerProcess  # noqa: E402

SOURCE_MODELS = Path(os.environ.get("JINGWEN_MODELS_DIR") or MODELS_DIR_DEFAULT)
SEED_002 = next((REPO / "seeds").glob("002_*.txt"))
TOKEN = "test-admin-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")]

try:
    SERVED = resolve_model_dir(SOURCE_MODELS)
except ModelError as exc:
    if os.environ.get("CI"):
        raise
    pytest.skip(f"no model to serve in {SOURCE_MODELS}: {exc}", allow_module_level=True)


def _version(model_dir: Path) -> str:
    return json.loads((model_dir / MANIFEST_FILE).read_text(encoding="utf-8"))["version"]


def _copy_model(target: Path, version: str | None = None) -> Path:
    shutil.copytree(SERVED, target)
    if version is not None:
        manifest = json.loads((target / MANIFEST_FILE).read_text(encoding="utf-8"))
        manifest["version"] = version
        (target / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def _promote(models: Path, name: str) -> None:
    tmp = models / f".{CURRENT_FILE}.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    os.replace(tmp, models / CURRENT_FILE)  # atomic, as the registry does it


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, object]:
    """A models directory: A (the served model, as it is), B (same file, version A+"-next"), T (tampered)."""
    root = tmp_path_factory.mktemp("reload-models")
    a = _copy_model(root / "model-a")
    va = _version(a)
    b = _copy_model(root / "model-b", f"{va}-next")
    t = _copy_model(root / "model-tampered", f"{va}-tampered")
    with open(t / MODEL_FILE, "ab") as fh:  # one byte more: the SHA-256 no longer matches the manifest
        fh.write(b"\0")
    _promote(root, "model-a")
    return {"dir": root, "a": "model-a", "b": "model-b", "t": "model-tampered", "va": va, "vb": f"{va}-next"}


def start_server(models_dir: Path, *args: str) -> ServerProcess:
    """A live server on ``models_dir`` with the admin token set (so ``POST /v1/model/reload`` is on)."""
    return ServerProcess(models_dir, *args, env={"JINGWEN_ADMIN_TOKEN": TOKEN}, one_thread=True, log_name="reload",
                         ready_timeout=120, stop_timeout=30)


def served_version(url: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as c:  # a new connection each time (several workers)
        return c.get("/v1/model").json()["version"]


def wait_for_version(url: str, version: str, timeout: float = 90, samples: int = 1) -> None:
    """Until ``samples`` consecutive answers (fresh connections) show ``version``."""
    deadline = time.monotonic() + timeout
    streak, seen = 0, None
    while time.monotonic() < deadline:
        seen = served_version(url)
        streak = streak + 1 if seen == version else 0
        if streak >= samples:
            return
        time.sleep(0.2)
    raise AssertionError(f"still serving {seen!r}, not {version!r}, after {timeout}s")


class Hammer:
    """Threads posting seed text to /v1/clean until stopped (at most ``limit`` requests, ``seconds`` long)."""

    def __init__(self, url: str, threads: int = 4, limit: int = 3000, seconds: float = 120) -> None:
        self.url, self.threads, self.limit, self.seconds = url, threads, limit, seconds
        self.text = SEED_002.read_text(encoding="utf-8")[:1500]
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.results: list[tuple[float, int, str]] = []  # (time the request was sent, status, X-Model-Version)
        self.errors: list[str] = []
        self.pool = ThreadPoolExecutor(threads)

    def _run(self) -> None:
        deadline = time.monotonic() + self.seconds
        with httpx.Client(base_url=self.url, timeout=60) as c:
            while not self.stop_event.is_set() and time.monotonic() < deadline:
                with self.lock:
                    if len(self.results) + len(self.errors) >= self.limit:
                        return
                try:
                    sent = time.monotonic()
                    r = c.post("/v1/clean", json={"text": self.text, "paragraphs": False})
                    ok = r.status_code == 200 and r.json()["text"]
                    with self.lock:
                        self.results.append((sent, r.status_code, r.headers.get("x-model-version", "")))
                        if not ok:
                            self.errors.append(f"{r.status_code}: {r.text[:200]}")
                except Exception as exc:  # a dropped connection is a failure too
                    with self.lock:
                        self.errors.append(f"{type(exc).__name__}: {exc}")

    def __enter__(self) -> "Hammer":
        self.futures = [self.pool.submit(self._run) for _ in range(self.threads)]
        return self

    def count(self) -> int:
        with self.lock:
            return len(self.results)

    def wait_for(self, n: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.count() < n and time.monotonic() < deadline:
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        for f in self.futures:
            f.result(timeout=120)
        self.pool.shutdown()


# --- in-process: configuration and refusals -----------------------------------------------------------


def _app(models_dir: Path, **overrides):
    from service.app import create_app

    return create_app(Settings(models_dir=models_dir, **overrides))


def test_reload_is_off_without_an_admin_token(models):
    from fastapi.testclient import TestClient

    with TestClient(_app(models["dir"], admin_token=None)) as c:
        r = c.post("/v1/model/reload", headers=AUTH)
        assert r.status_code == 404
        assert "off" in r.json()["detail"] and "JINGWEN_ADMIN_TOKEN" in r.json()["detail"]
        assert c.get("/v1/model").json()["version"] == models["va"]


def test_token_is_required_and_checked(models):
    from fastapi.testclient import TestClient

    app = _app(models["dir"], admin_token=TOKEN)
    with TestClient(app) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                        {"Authorization": TOKEN}, {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer "}):
            r = c.post("/v1/model/reload", headers=headers)
            assert r.status_code == 401, (headers, r.text)
            assert "admin token" in r.json()["detail"] and r.headers["www-authenticate"].startswith("Bearer")
        assert c.get("/v1/model/reload").status_code == 405
        r = c.post("/v1/model/reload", headers=AUTH)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "reloaded" and body["model"]["version"] == models["va"] and body["changed"] is False
        assert body["scope"] == "this worker"  # in-process: no reload file


def test_reload_takes_no_body_in_the_schema(models):
    from service.app import create_app

    schema = create_app(Settings(models_dir=models["dir"])).openapi()
    op = schema["paths"]["/v1/model/reload"]["post"]
    assert "requestBody" not in op and not op.get("parameters")
    assert {"401", "404", "409"} <= set(op["responses"])
    assert "Authorization: Bearer" in op["description"]


def test_pinned_model_is_reloaded_by_name_not_from_current(models, tmp_path):
    from fastapi.testclient import TestClient

    root = models["dir"]
    with TestClient(_app(root, model=models["a"], admin_token=TOKEN)) as c:
        _promote(root, models["b"])
        try:
            r = c.post("/v1/model/reload", headers=AUTH)
            assert r.status_code == 200 and r.json()["model"]["name"] == models["a"]
            assert c.get("/v1/model").json()["served"]["follows"] == "pinned model"
        finally:
            _promote(root, models["a"])


# --- a live server: promote, reload under load, roll back, refuse a bad model ---------------------------


@pytest.fixture(scope="module")
def server(models):
    with start_server(models["dir"]) as srv:
        yield srv


def test_promote_then_reload_under_load_fails_no_request(server, models):
    root = models["dir"]
    assert served_version(server.url) == models["va"]
    _promote(root, models["b"])
    assert served_version(server.url) == models["va"]  # CURRENT alone changes nothing
    with Hammer(server.url) as hammer:
        hammer.wait_for(20)
        with httpx.Client(base_url=server.url, timeout=120) as c:
            r = c.post("/v1/model/reload", headers=AUTH)
        assert r.status_code == 200, r.text
        reloaded_at = time.monotonic()
        body = r.json()
        assert body["model"] == {"version": models["vb"], "name": models["b"]}
        assert body["previous"] == {"version": models["va"], "name": models["a"]}
        assert body["changed"] is True and body["scope"] == "all workers"
        before = hammer.count()
        hammer.wait_for(before + 20)
    assert not hammer.errors, hammer.errors[:5]
    versions = Counter(v for _, _, v in hammer.results)
    assert set(versions) <= {models["va"], models["vb"]}, versions
    assert versions[models["va"]] >= 1 and versions[models["vb"]] >= 1, versions
    # every request sent after the reload answered was cleaned by the new model (the worker swaps the
    # cleaner before it answers; a request sent earlier may still finish on the old one, however late)
    assert all(v == models["vb"] for t, _, v in hammer.results if t > reloaded_at)
    manifest = httpx.get(server.url + "/v1/model").json()
    assert manifest["version"] == models["vb"] and manifest["served"]["name"] == models["b"]
    assert manifest["served"]["generation"] == 1


def test_rollback_then_reload_serves_the_old_version(server, models):
    _promote(models["dir"], models["a"])
    r = httpx.post(server.url + "/v1/model/reload", headers=AUTH, timeout=120)
    assert r.status_code == 200, r.text
    assert r.json()["model"]["version"] == models["va"]
    assert served_version(server.url) == models["va"]


def test_token_is_required_on_the_live_server(server):
    assert httpx.post(server.url + "/v1/model/reload").status_code == 401
    assert httpx.post(server.url + "/v1/model/reload", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_tampered_or_missing_model_is_refused_and_the_old_one_kept(server, models):
    root = models["dir"]
    before = served_version(server.url)
    text = SEED_002.read_text(encoding="utf-8")
    try:
        _promote(root, models["t"])
        r = httpx.post(server.url + "/v1/model/reload", headers=AUTH, timeout=120)
        assert r.status_code == 409, r.text
        body = r.json()
        assert "SHA-256" in body["reason"] and "refusing to load" in body["reason"]
        assert "still serving" in body["detail"] and body["model"]["version"] == before
        assert served_version(server.url) == before
        assert httpx.post(server.url + "/v1/clean", json={"text": text}, timeout=60).status_code == 200

        _promote(root, "no-such-model")
        r = httpx.post(server.url + "/v1/model/reload", headers=AUTH, timeout=120)
        assert r.status_code == 409 and "not found" in r.json()["reason"], r.text
        (root / CURRENT_FILE).unlink()
        r = httpx.post(server.url + "/v1/model/reload", headers=AUTH, timeout=120)
        assert r.status_code == 409 and "CURRENT" in r.json()["reason"], r.text
        assert served_version(server.url) == before
    finally:
        _promote(root, models["a"])
    assert "model reload (POST /v1/model/reload) failed" in server.log_text()


def test_sighup_reloads_a_running_server(server, models):
    """SIGHUP to the ``jingwen serve`` process (one worker: the process itself) reloads, with no failed request."""
    root = models["dir"]
    try:
        _promote(root, models["b"])
        with Hammer(server.url, threads=3) as hammer:
            hammer.wait_for(10)
            server.proc.send_signal(signal.SIGHUP)
            wait_for_version(server.url, models["vb"])
            hammer.wait_for(hammer.count() + 10)
        assert not hammer.errors, hammer.errors[:5]
        assert server.proc.poll() is None
        # logged after the swap (and after the reload file is written): the new version may be served first
        server.wait_for_log("model reloaded (SIGHUP)", 1)
    finally:
        _promote(root, models["a"])
    server.proc.send_signal(signal.SIGHUP)
    wait_for_version(server.url, models["va"])


# --- several workers: every worker follows one reload ----------------------------------------------------


def test_two_workers_follow_sighup_to_the_parent_and_the_endpoint(models):
    root = models["dir"]
    srv = start_server(root, "--workers", "2")
    try:
        srv.wait_ready()
        srv.wait_for_log("Application startup complete", 2)  # the first ready worker answers /readyz

        def pids_and_versions(n: int = 16) -> dict[int, str]:
            seen: dict[int, str] = {}
            for _ in range(n):
                with httpx.Client(base_url=srv.url, timeout=30) as c:  # new connections spread over workers
                    served = c.get("/v1/model").json()["served"]
                seen[served["worker_pid"]] = served["version"]
            return seen

        _promote(root, models["b"])
        srv.proc.send_signal(signal.SIGHUP)  # the parent passes it to one worker; the other follows
        wait_for_version(srv.url, models["vb"], samples=12)
        # Fresh connections may all land on the worker that reloaded first while the other is still
        # loading: wait until both have logged their reload (each logs it after its swap).
        srv.wait_for_log("model reloaded (", 2)
        seen = pids_and_versions()
        assert set(seen.values()) == {models["vb"]}, seen
        assert srv.proc.poll() is None

        _promote(root, models["a"])
        r = httpx.post(srv.url + "/v1/model/reload", headers=AUTH, timeout=120)
        assert r.status_code == 200 and r.json()["scope"] == "all workers", r.text
        wait_for_version(srv.url, models["va"], samples=12)
        log = srv.wait_for_log("model reloaded (", 4)  # the worker that answered, and the one that follows it
        seen = pids_and_versions()
        assert set(seen.values()) == {models["va"]}, seen
        assert "received SIGHUP: worker" in log and "model reloaded (reload file)" in log
    finally:
        _promote(root, models["a"])
        srv.stop()
