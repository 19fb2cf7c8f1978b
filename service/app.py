"""The HTTP service: ``POST /v1/clean``, ``POST /v1/clean/batch``, health, readiness and the model card.

Each worker process builds one app with :func:`create_app`; the app's lifespan loads the model
once into ``app.state.cleaner`` (no module-level model). Cleaning is CPU-bound and runs in a
small thread pool (``app.state.limiter``), never on the event loop; the cleaner only reads the
fitted model, so concurrent calls are independent (see the README, "Performance and concurrency").

:func:`run` is what ``jingwen serve`` calls: it checks the model once in the parent, writes the
name it resolved to a *reload file* (so every worker boots the same model even if ``CURRENT``
changes meanwhile), exports the settings as ``JINGWEN_*`` variables and starts uvicorn with the
``create_app`` factory, so every worker rebuilds the same :class:`Settings`.

Model reload (README, "Switching models without a restart"): ``POST /v1/model/reload`` (admin token) or SIGHUP makes a worker
re-resolve ``CURRENT`` (unless the operator pinned ``--model``), load and verify the model in a
thread, and swap ``app.state.cleaner`` in one assignment: a request holds the cleaner it started
with, so in-flight requests finish on the old model. A worker that reloaded bumps the generation in
the reload file; the other workers poll it and load the same model. SIGHUP to the ``jingwen serve``
parent of several workers is passed to one ready worker, which then does exactly that.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import anyio
import anyio.to_thread
import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from threadpoolctl import threadpool_limits

from .api_models import (
    BATCH_EXAMPLES,
    CLEAN_EXAMPLES,
    SEED_002_EXCERPT,
    BatchRequest,
    BatchResponse,
    CleanRequest,
    CleanResponse,
    ErrorResponse,
    Health,
    ModelInfo,
    Ready,
    ValidationErrorResponse,
)
from .artifact import ModelError, resolve_model_dir
from .cleaner import Cleaner, check_keep
from .records import CleanResult
from .review import add_review_routes
from .settings import LABELS, Settings
from .textio import DecodeError, check_encoding, decode



class ReloadResult(BaseModel):
    """A successful ``POST /v1/model/reload``."""

    status: Literal["reloaded"]
    model: ModelInfo = Field(description="The model now served by the worker that answered.")
    previous: ModelInfo | None = Field(description="The model it served before.")
    changed: bool = Field(description="False when the same model file was loaded again.")
    generation: int = Field(description="Reload generation (counts reloads across the server's workers).")
    seconds: float = Field(description="Time to load and verify the new model.")
    scope: Literal["all workers", "this worker"] = Field(
        description="`all workers`: started by `jingwen serve`, the other workers follow within about a second; "
        "`this worker`: the app runs without a reload file (e.g. under another ASGI server)."
    )
    worker_pid: int


class ReloadFailed(BaseModel):
    """A reload that could not load or verify the new model; the old one is still served."""

    detail: str
    reason: str
    model: ModelInfo | None = Field(description="The model still served.")


log = logging.getLogger("jingwen.service")
access_log = logging.getLogger("jingwen.access")

API_VERSION = "1"
CLEAN_THREADS = 1
"""Cleaning calls a worker runs at once; waiting requests are served first come, first served.
The work holds the GIL most of the time, so a second thread only interleaves requests and adds
contention: at concurrency 8 two threads reached 0.73 of in-process throughput, one reaches 0.89.
The price is that a long document delays the requests behind it: run one worker per core.
Health, readiness and model endpoints never wait for it (they run on the event loop)."""

TEXT_CHARSETS: frozenset[str] = frozenset(
    {"utf-8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "utf-16", "utf-16-le", "utf-16-be", "ascii", "iso8859-1"}
)
"""Canonical codec names accepted as ``text/plain; charset=...`` (aliases such as utf8, cp936 resolve to these)."""

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=~-]{1,128}")

# --- errors -------------------------------------------------------------------------------------------


class ApiError(Exception):
    """A client error with a message: answered as ``{"detail": message, ...extra}``."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None, **extra: object) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
        self.extra = extra


def _invalid(loc: list[str | int], msg: str, type_: str = "value_error") -> RequestValidationError:
    return RequestValidationError([{"loc": loc, "msg": msg, "type": type_}])


def dumps(obj: object) -> bytes:
    """JSON bytes: orjson, or the standard library for what orjson refuses (integers beyond 64 bits)."""
    try:
        return orjson.dumps(obj)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(obj, ensure_ascii=True).encode("ascii")


def json_response(obj: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(obj), status_code=status, media_type="application/json", headers=headers)


def _error(status: int, detail: object, headers: dict[str, str] | None = None, **extra: object) -> Response:
    body: dict[str, object] = {"detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return json_response(body, status, headers)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error(exc.status, exc.detail, exc.headers, **exc.extra)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code in (204, 304) or exc.status_code < 200:
        return Response(status_code=exc.status_code, headers=exc.headers)
    return _error(exc.status_code, exc.detail, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    """422 ``{"detail": [{"loc", "msg", "type"}]}``; the offending input is never echoed back."""
    assert isinstance(exc, RequestValidationError)
    issues = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", "value_error"))}
        for e in exc.errors()
    ]
    return _error(422, issues)


# --- middleware (pure ASGI: no buffering of responses, no per-request task) ----------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _send_json(send: Send, status: int, payload: dict[str, object], extra_headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = dumps(payload)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestIdMiddleware:
    """Request id on every response (the client's if sane, else a new one), one access-log line per request,
    and a JSON 500 (never a traceback page) if anything below fails."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode("latin-1")
        rid = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error, request_id=%s", rid)
            if status:
                raise  # the response has started: nothing sane left to send
            status = 500
            await _send_json(
                send,
                500,
                {"detail": f"internal server error (request id {rid})"},
                ((REQUEST_ID_HEADER.lower().encode(), rid.encode()),),
            )
        finally:
            client = scope.get("client")
            access_log.info(
                "%s %s %d %.1fms request_id=%s client=%s",
                scope.get("method"),
                scope.get("path"),
                status,
                (time.perf_counter() - started) * 1000,
                rid,
                f"{client[0]}:{client[1]}" if client else "-",
            )


class BodyLimitMiddleware:
    """413 for a body over ``limit`` bytes: at once from Content-Length, else while reading a chunked body.

    The body is read here (it is needed whole anyway) and replayed to the app.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _too_large(self) -> dict[str, object]:
        return {
            "detail": f"request body is larger than the limit of {self.limit} bytes "
            "(server setting max_body_bytes: --max-body-bytes / JINGWEN_MAX_BODY_BYTES); "
            "split the text or use /v1/clean/batch with smaller documents"
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.strip().isdigit() and int(declared) > self.limit:
            await _send_json(send, 413, self._too_large(), ((b"connection", b"close"),))
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _send_json(send, 413, self._too_large(), ((b"connection", b"close"),))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# --- content negotiation -----------------------------------------------------------------------------


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    if not header:
        return "", {}
    parts = header.split(";")
    params: dict[str, str] = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return parts[0].strip().lower(), params


def _body_kind(content_type: str | None) -> tuple[str, str]:
    """``("json", "utf-8")`` or ``("text", codec)``; 415 for anything else."""
    media, params = _media_type(content_type)
    charset = params.get("charset")
    if media in ("", "application/json") or (media.startswith("application/") and media.endswith("+json")):
        if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise ApiError(415, f"JSON bodies are UTF-8; got charset={charset!r}. Send text/plain to use another encoding")
        return "json", "utf-8"
    if media == "text/plain":
        if not charset:
            return "text", "utf-8"
        try:
            codec = check_encoding(charset)
        except LookupError:
            codec = ""
        if codec not in TEXT_CHARSETS:
            raise ApiError(
                415,
                f"unsupported charset {charset!r} for text/plain; use one of utf-8, gb18030, gbk, big5 "
                "(also gb2312, big5hkscs, cp950, utf-16, ascii, iso-8859-1)",
            )
        return "text", codec
    raise ApiError(
        415,
        f"unsupported Content-Type {media!r}; send application/json or text/plain (charset utf-8, gb18030, gbk or big5)",
    )


def _prefers_text(accept: str | None) -> bool:
    """True when the Accept header ranks text/plain above application/json (ties go to JSON,
    unless text/plain is named more specifically, as in ``text/plain, */*``)."""
    if not accept:
        return False
    best: dict[str, tuple[int, float]] = {}
    for item in accept.split(","):
        media, params = _media_type(item)
        if not media:
            continue
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        for target in ("text/plain", "application/json"):
            kind, sub = target.split("/")
            if media == target:
                spec = 3
            elif media == f"{kind}/*":
                spec = 2
            elif media == "*/*":
                spec = 1
            else:
                continue
            if spec > best.get(target, (0, 0.0))[0]:
                best[target] = (spec, q)
    text_spec, text_q = best.get("text/plain", (0, 0.0))
    json_spec, json_q = best.get("application/json", (0, 0.0))
    return text_q > json_q or (text_q == json_q and text_q > 0 and text_spec > json_spec)


def _query_keep(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    labels = tuple(x.strip() for x in value.split(",") if x.strip())
    if not labels:
        raise _invalid(["query", "keep"], f"keep is empty; give one or more of {', '.join(LABELS)}, comma-separated")
    try:
        return check_keep(labels)
    except ValueError as exc:
        raise _invalid(["query", "keep"], str(exc), "literal_error") from None


def _parse_json(body: bytes, model: type[BaseModel]) -> Any:
    """Strictly parse and validate a JSON body; every problem is a 422 naming where it is."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(["body"], f"JSON body is not valid UTF-8 at byte offset {exc.start}", "json_invalid") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _invalid(["body"], "request body is empty; send a JSON object (see /docs)", "missing")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(
            ["body", exc.pos], f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", "json_invalid"
        ) from None
    except RecursionError:
        raise _invalid(["body"], "invalid JSON: nested too deeply", "json_invalid") from None
    except ValueError as exc:  # e.g. an integer literal with more digits than Python converts
        raise _invalid(["body"], f"invalid JSON: {exc}", "json_invalid") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [
                {"loc": ["body", *e["loc"]], "msg": e["msg"].removeprefix("Value error, "), "type": e["type"]}
                for e in exc.errors(include_url=False, include_input=False, include_context=False)
            ]
        ) from None


# --- responses ----------------------------------------------------------------------------------------


def _model_info(cleaner: Cleaner) -> dict[str, str]:
    return {"version": cleaner.version, "name": cleaner.model.path.name}


def _result(result: CleanResult, paragraphs: bool) -> dict[str, object]:
    return {
        "text": result.text,
        "paragraphs": [p.to_dict() for p in result.paragraphs] if paragraphs else None,
        "stats": result.stats(),
    }


def _cleaner(request: Request) -> Cleaner:
    cleaner = getattr(request.app.state, "cleaner", None)
    if cleaner is None:
        raise ApiError(503, "model not loaded yet; retry shortly (GET /readyz answers 200 once it is)", {"Retry-After": "1"})
    return cleaner


_native = threading.local()


def _single_threaded_native() -> None:
    """Once per cleaning thread: OpenMP (the gradient-boosting predictor) and BLAS on one thread.

    libgomp reads OMP_NUM_THREADS when it is loaded and keeps the thread count per calling thread,
    so every pool thread would otherwise start its own team of busy-waiting OpenMP threads; with two
    cleaning threads on two cores that oversubscription made a 15 ms request take seconds.
    Parallelism here comes from serving requests side by side (and from workers), not inside one.
    """
    if not getattr(_native, "limited", False):
        threadpool_limits(limits=1)
        _native.limited = True


async def _in_thread(request: Request, fn: Callable[[], Response]) -> Response:
    def call() -> Response:
        _single_threaded_native()
        return fn()

    return await anyio.to_thread.run_sync(call, limiter=request.app.state.limiter)


# --- model reload -------------------------------------------------------------------------------------

RELOAD_FILE_ENV = "JINGWEN_RELOAD_FILE"
"""Set by :func:`run` for its workers: the reload file (a small JSON file in a private temporary
directory) through which a worker that reloaded tells the others which model to load."""
RELOAD_POLL_SECONDS = 0.5
"""How often a worker checks the reload file (one ``stat``); others follow a reload within about this."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read_reload_state(path: Path) -> dict[str, Any] | None:
    """``{"generation": int, "model": name or None, ...}`` from the reload file, or None if unusable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or type(data.get("generation")) is not int:
        return None
    if data.get("model") is not None and not isinstance(data.get("model"), str):
        return None
    return data


def write_reload_state(path: Path, generation: int, model: str | None) -> None:
    """Replace the reload file atomically: a reader sees the old state or the new one, never a torn one."""
    path = Path(path)
    payload = json.dumps({"generation": generation, "model": model, "pid": os.getpid(), "time": _now()})
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(payload + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _reload_file_locked(path: Path) -> Iterator[None]:
    """Serialise read-modify-write of the reload file between workers (two reloads at once get two generations)."""
    import fcntl

    with open(Path(path).with_name(Path(path).name + ".lock"), "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def bump_reload_state(path: Path, model: str | None) -> int:
    """Record that ``model`` is now served: the next generation, which every other worker loads."""
    with _reload_file_locked(path):
        state = read_reload_state(path) or {"generation": 0}
        generation = int(state["generation"]) + 1
        write_reload_state(path, generation, model)
    return generation


def _served(cleaner: Cleaner | None) -> dict[str, str] | None:
    return None if cleaner is None else _model_info(cleaner)


def _fingerprint(cleaner: Cleaner | None) -> tuple[str, str] | None:
    if cleaner is None:
        return None
    entry = cleaner.model.manifest.get("model_file") or {}
    return (str(cleaner.model.path), str(entry.get("sha256", "")) if isinstance(entry, dict) else "")


@dataclass
class ReloadOutcome:
    ok: bool
    trigger: str
    model: dict[str, str] | None
    previous: dict[str, str] | None
    generation: int
    seconds: float
    changed: bool = False
    reason: str | None = None


_RESOLVE = object()
"""``ModelReloader.reload(name=_RESOLVE)``: load what CURRENT names now (or the operator's pinned model)."""


class ModelReloader:
    """Reloads one worker's model and keeps it in step with the other workers of the same server.

    - :meth:`reload` resolves the model to serve (the operator's ``--model`` if pinned, else what
      ``CURRENT`` names now), loads and verifies it in a thread (SHA-256 against the manifest, then a
      trial clean), and only then replaces ``app.state.cleaner``; a failure leaves the old model in
      service and is reported. One reload at a time per worker.
    - With a reload file (``jingwen serve`` makes one), a successful reload writes the next
      generation and the model's name to it; :meth:`watch` in every other worker notices within
      ``RELOAD_POLL_SECONDS`` and loads that same name (not CURRENT again, so all workers agree).
      A worker that boots (or is restarted by uvicorn) loads the name the file holds.
    """

    def __init__(self, app: FastAPI, settings: Settings, reload_file: Path | None) -> None:
        self.app = app
        self.settings = settings
        self.reload_file = reload_file
        self.generation = 0
        self.loaded_at: str | None = None
        self.last: ReloadOutcome | None = None
        self._lock: asyncio.Lock | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def scope(self) -> str:
        return "all workers" if self.reload_file is not None else "this worker"

    def boot_name(self) -> str | None:
        """The model a booting worker loads: the pinned one, else the reload file's, else CURRENT's (None)."""
        state = read_reload_state(self.reload_file) if self.reload_file is not None else None
        if state is not None:
            self.generation = state["generation"]
        if self.settings.model is not None:
            return self.settings.model
        return state.get("model") if state is not None else None

    def _target(self) -> str | None:
        """The name to load now (resolved here, once, so that loading cannot race a second CURRENT change)."""
        if self.settings.model is not None:
            return self.settings.model
        models_dir = Path(self.settings.models_dir)
        path = resolve_model_dir(models_dir)  # reads CURRENT; ModelError if it names nothing usable
        return None if path == models_dir else path.name

    def booted(self, cleaner: Cleaner) -> None:
        self.app.state.cleaner = cleaner
        self.loaded_at = _now()

    async def reload(self, trigger: str, name: object = _RESOLVE, generation: int | None = None) -> ReloadOutcome:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            old = self.app.state.cleaner
            started = time.perf_counter()
            try:
                target = self._target() if name is _RESOLVE else name
                new = await anyio.to_thread.run_sync(_load, self.settings, target)
            except Exception as exc:  # whatever went wrong, the old model stays in service
                reason = str(exc) if isinstance(exc, ModelError) else f"{type(exc).__name__}: {exc}"
                if generation is not None:
                    self.generation = max(self.generation, generation)  # do not retry the same generation forever
                outcome = ReloadOutcome(False, trigger, _served(old), _served(old), self.generation,
                                        time.perf_counter() - started, reason=reason)
                log.error("model reload (%s) failed; still serving %s: %s", trigger,
                          f"{old.model.path.name} (version {old.version})" if old is not None else "nothing", reason)
                self.last = outcome
                return outcome
            self.app.state.cleaner = new  # one assignment: a request uses the cleaner it started with
            self.loaded_at = _now()
            if generation is None and self.reload_file is not None:
                try:
                    generation = await anyio.to_thread.run_sync(bump_reload_state, self.reload_file, target)
                except OSError as exc:
                    log.warning("could not write the reload file %s (%s): other workers keep their model", self.reload_file, exc)
            self.generation = generation if generation is not None else self.generation + 1
            outcome = ReloadOutcome(True, trigger, _served(new), _served(old), self.generation,
                                    time.perf_counter() - started, changed=_fingerprint(new) != _fingerprint(old))
            log.info(
                "model reloaded (%s): %s -> %s (version %s) from %s in %.2fs, generation %d",
                trigger, f"{old.model.path.name} (version {old.version})" if old is not None else "nothing",
                new.model.path.name, new.version, new.model.path, outcome.seconds, self.generation,
            )
            self.last = outcome
            return outcome

    async def watch(self) -> None:
        """Follow the reload file: load the model another worker (or SIGHUP) switched to."""
        assert self.reload_file is not None
        seen: tuple[int, int, int] | None = None
        while True:
            await asyncio.sleep(RELOAD_POLL_SECONDS)
            if self._lock is not None and self._lock.locked():
                continue  # a reload of ours is under way (and may be writing the file)
            try:
                st = os.stat(self.reload_file)
            except OSError:
                continue
            sig = (st.st_mtime_ns, st.st_size, st.st_ino)
            if sig == seen:
                continue
            seen = sig
            state = read_reload_state(self.reload_file)
            if state is not None and state["generation"] > self.generation:
                try:
                    await self.reload("reload file", name=state.get("model"), generation=state["generation"])
                except Exception:  # never let the watcher die
                    log.exception("following the reload file failed")

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start(self) -> Callable[[], None]:
        """Start watching the reload file and listening for SIGHUP; returns the function that stops both."""
        self._lock = asyncio.Lock()
        loop = asyncio.get_running_loop()
        if self.reload_file is not None:
            self._spawn(self.watch())
        sighup = False
        if hasattr(signal, "SIGHUP") and threading.current_thread() is threading.main_thread():
            try:
                loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(self.reload("SIGHUP")))
                sighup = True
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread's loop, or no signals here
                pass

        def stop() -> None:
            if sighup:
                with contextlib.suppress(Exception):
                    loop.remove_signal_handler(signal.SIGHUP)
            for task in list(self._tasks):
                task.cancel()

        return stop


def _check_admin(settings: Settings, request: Request) -> None:
    """404 while reload over HTTP is off (no admin token configured); 401 without the right bearer token."""
    token = settings.admin_token
    if not token:
        raise ApiError(
            404,
            "model reload over HTTP is off: the server has no admin token (set JINGWEN_ADMIN_TOKEN and restart "
            "to enable POST /v1/model/reload); SIGHUP to the server process reloads the model without one",
        )
    scheme, _, given = request.headers.get("authorization", "").strip().partition(" ")
    ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode("latin-1"), token.encode("utf-8"))
    if not ok:
        raise ApiError(
            401,
            "missing or wrong admin token: send Authorization: Bearer <the server's JINGWEN_ADMIN_TOKEN>",
            {"WWW-Authenticate": 'Bearer realm="jingwen"'},
        )


# --- OpenAPI -----------------------------------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "Body over max_body_bytes (or, for a batch, over max_batch_documents documents)."},
    415: {"model": ErrorResponse, "description": "Content-Type or charset not supported."},
    422: {"model": ValidationErrorResponse, "description": "Malformed JSON, a schema violation or an unknown label; `loc` names the field."},
    503: {"model": ErrorResponse, "description": "The model is not loaded yet."},
}

DESCRIPTION = """\
Paragraph-level cleaning of scraped Chinese web text. Every non-blank line of a document is a
paragraph labelled `content`, `chrome` (site template: breadcrumbs, bylines, footers), `spam` or
`off_topic`; the cleaned text is the paragraphs whose label is in `keep`, joined by `\\n`.

Offsets (`start`, `end`) count Unicode code points of the text you sent, so `text[start:end]` is the
paragraph. Errors are always JSON `{"detail": ...}`; every response carries `X-Request-ID`.
"""


def _openapi(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        _, defs = models_json_schema(
            [(CleanRequest, "validation"), (BatchRequest, "validation")], ref_template="#/components/schemas/{model}"
        )
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(defs["$defs"])
        schemas["BatchRequest"]["properties"]["documents"]["maxItems"] = settings.max_batch_documents
        app.openapi_schema = schema
        return schema

    return openapi


def _body_doc(ref: str, examples: dict[str, Any], text: bool) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}, "examples": examples}}
    if text:
        content["text/plain"] = {
            "schema": {"type": "string"},
            "examples": {"seed_002": {"summary": "The same page as plain text (any charset: gb18030, big5, ...)", "value": SEED_002_EXCERPT}},
        }
    return {"requestBody": {"required": True, "content": content}}


# --- the app ------------------------------------------------------------------------------------------


def create_app(settings: Settings | None = None, reload_file: Path | None = None) -> FastAPI:
    """One app per worker; its lifespan loads the model into ``app.state.cleaner``.

    ``reload_file`` keeps the workers of one server on the same model across reloads (see
    :class:`ModelReloader`); built from the environment (``settings`` None), it is
    ``JINGWEN_RELOAD_FILE``, which :func:`run` sets.
    """
    if settings is None:
        settings = Settings.from_env()
        if reload_file is None and os.environ.get(RELOAD_FILE_ENV):
            reload_file = Path(os.environ[RELOAD_FILE_ENV])
    check_keep(settings.keep)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        started = time.perf_counter()
        app.state.limiter = anyio.CapacityLimiter(CLEAN_THREADS)
        reloader: ModelReloader = app.state.reloader
        cleaner = await anyio.to_thread.run_sync(_load, settings, reloader.boot_name())
        reloader.booted(cleaner)
        log.info(
            "model %s (version %s) loaded from %s in %.2fs",
            cleaner.model.path.name, cleaner.version, cleaner.model.path, time.perf_counter() - started,
        )
        stop = reloader.start()
        try:
            yield
        finally:
            stop()
            app.state.cleaner = None

    app = FastAPI(
        title="Jingwen",
        version=API_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.cleaner = None
    app.state.limiter = None
    app.state.reloader = ModelReloader(app, settings, reload_file)
    app.openapi = _openapi(app, settings)  # type: ignore[method-assign]
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)  # outermost: sees every response, including 413s

    @app.get("/healthz", response_model=Health, tags=["health"], summary="Liveness: the process answers")
    async def healthz() -> Response:
        return json_response({"status": "ok"})

    @app.get(
        "/readyz",
        response_model=Ready,
        tags=["health"],
        summary="Readiness: the model is loaded",
        responses={503: _ERRORS[503]},
    )
    async def readyz(request: Request) -> Response:
        cleaner = getattr(request.app.state, "cleaner", None)
        if cleaner is None:
            return _error(503, "model not loaded", {"Retry-After": "1"})
        return json_response({"status": "ready", "model": _model_info(cleaner)})

    @app.get(
        "/v1/model",
        tags=["model"],
        summary="The served model's manifest: version, training data, metrics, library versions",
        responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}, 503: _ERRORS[503]},
    )
    async def model(request: Request) -> Response:
        cleaner = _cleaner(request)
        reloader: ModelReloader = request.app.state.reloader
        served = {
            **_model_info(cleaner),
            "loaded_at": reloader.loaded_at,
            "generation": reloader.generation,
            "worker_pid": os.getpid(),
            "follows": "pinned model" if settings.model is not None else "CURRENT",
        }
        return json_response({**cleaner.model.manifest, "served": served}, headers={"X-Model-Version": cleaner.version})

    @app.post(
        "/v1/model/reload",
        response_model=ReloadResult,
        tags=["model"],
        summary="Load the promoted model (what models/CURRENT names) and serve it; admin token required",
        description=(
            "Re-resolves `CURRENT` (or the model pinned with `--model`), loads and verifies it off the event loop "
            "(SHA-256 against its manifest, then a trial clean) and swaps it in atomically: requests in flight "
            "finish on the old model. With several workers started by `jingwen serve`, the others follow within "
            "about a second. Off (404) unless the server has an admin token (`JINGWEN_ADMIN_TOKEN`); send it as "
            "`Authorization: Bearer <token>`. A failed reload keeps the old model and answers 409 with the reason. "
            "Takes no body: nothing but the models directory is ever loaded."
        ),
        responses={
            401: {"model": ErrorResponse, "description": "Missing or wrong admin token."},
            404: {"model": ErrorResponse, "description": "Reload over HTTP is off: no admin token is configured."},
            409: {"model": ReloadFailed, "description": "The new model could not be loaded or verified; the old one is still served."},
            503: _ERRORS[503],
        },
    )
    async def reload_model(request: Request) -> Response:
        _check_admin(settings, request)
        old = _cleaner(request)
        reloader: ModelReloader = request.app.state.reloader
        outcome = await reloader.reload("POST /v1/model/reload")
        if not outcome.ok:
            return _error(
                409,
                f"reload failed, still serving {old.model.path.name} (version {old.version}): {outcome.reason}",
                reason=outcome.reason,
                model=outcome.model,
            )
        return json_response(
            {
                "status": "reloaded",
                "model": outcome.model,
                "previous": outcome.previous,
                "changed": outcome.changed,
                "generation": outcome.generation,
                "seconds": round(outcome.seconds, 3),
                "scope": reloader.scope,
                "worker_pid": os.getpid(),
            },
            headers={"X-Model-Version": str((outcome.model or {}).get("version", ""))},
        )

    @app.post(
        "/v1/clean",
        response_model=CleanResponse,
        tags=["clean"],
        summary="Clean one document (JSON, or a text/plain body in utf-8, gb18030, gbk or big5)",
        description=(
            "Send `application/json` (`CleanRequest`) or the raw text as `text/plain; charset=...`. "
            "The answer is JSON unless `Accept` prefers `text/plain`, then it is the cleaned text (UTF-8). "
            "Query parameters fill in what a JSON body leaves out."
        ),
        responses={
            200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "The cleaned document."},
            400: {"model": ErrorResponse, "description": "A text/plain body that is not valid in its charset; `byte_offset` is the first bad byte."},
            **_ERRORS,
        },
        openapi_extra=_body_doc("CleanRequest", CLEAN_EXAMPLES, text=True),
    )
    async def clean(
        request: Request,
        keep: str | None = Query(
            None,
            description="Comma-separated labels to keep, e.g. `content,chrome` (mainly for text/plain bodies).",
            json_schema_extra={"pattern": r"^\s*(content|chrome|spam|off_topic)\s*(,\s*(content|chrome|spam|off_topic)\s*)*$"},
        ),
        paragraphs: bool | None = Query(None, description="Include per-paragraph detail in a JSON answer (default true)."),
    ) -> Response:
        cleaner = _cleaner(request)
        kind, charset = _body_kind(request.headers.get("content-type"))
        as_text = _prefers_text(request.headers.get("accept"))
        query_keep = _query_keep(keep)
        body = await request.body()

        def work() -> Response:
            if kind == "json":
                req: CleanRequest = _parse_json(body, CleanRequest)
                text = req.text
                use_keep = req.keep if req.keep is not None else query_keep
                with_paragraphs = req.paragraphs if "paragraphs" in req.model_fields_set or paragraphs is None else paragraphs
            else:
                try:
                    text = decode(body, charset, "request body")  # drops a UTF-8 BOM; offsets count it
                except DecodeError as exc:
                    offset = exc.offset
                    raise ApiError(
                        400,
                        f"request body is not valid {charset} at byte offset {offset}; declare its encoding, "
                        "e.g. Content-Type: text/plain; charset=gb18030 (or big5, gbk)",
                        byte_offset=offset,
                    ) from None
                use_keep = query_keep
                with_paragraphs = True if paragraphs is None else paragraphs
            result = cleaner.clean(text, keep=use_keep)
            headers = {"X-Model-Version": cleaner.version}
            if as_text:
                return Response(result.text.encode("utf-8"), media_type="text/plain; charset=utf-8", headers=headers)
            payload = _result(result, with_paragraphs)
            return json_response(
                {"text": payload["text"], "paragraphs": payload["paragraphs"], "model": _model_info(cleaner), "stats": payload["stats"]},
                headers=headers,
            )

        return await _in_thread(request, work)

    @app.post(
        "/v1/clean/batch",
        response_model=BatchResponse,
        tags=["clean"],
        summary="Clean many documents in one call; results come back in order, with your ids",
        responses={**_ERRORS},
        openapi_extra=_body_doc("BatchRequest", BATCH_EXAMPLES, text=False),
    )
    async def clean_batch(request: Request) -> Response:
        cleaner = _cleaner(request)
        kind, _ = _body_kind(request.headers.get("content-type"))
        if kind != "json":
            raise ApiError(415, "a batch is JSON: send Content-Type: application/json")
        body = await request.body()
        limit = settings.max_batch_documents

        def work() -> Response:
            req: BatchRequest = _parse_json(body, BatchRequest)
            if len(req.documents) > limit:
                raise ApiError(
                    413,
                    f"documents: {len(req.documents)} documents in one batch, the limit is {limit} "
                    "(server setting max_batch_documents: --max-batch-documents / JINGWEN_MAX_BATCH_DOCUMENTS); "
                    "split the batch",
                )
            ids = [d.id for d in req.documents]
            results = cleaner.clean_many([d.text for d in req.documents], keep=req.keep, ids=ids)
            return json_response(
                {
                    "results": [{"id": doc_id, **_result(r, req.paragraphs)} for doc_id, r in zip(ids, results)],
                    "model": _model_info(cleaner),
                },
                headers={"X-Model-Version": cleaner.version},
            )

        return await _in_thread(request, work)

    add_review_routes(app)
    return app


def _load(settings: Settings, name: str | None = None) -> Cleaner:
    """Load and verify the model (``name``, else ``settings.model``, else what CURRENT names), then
    clean one document: lazy state (OpenCC, jieba) is built before the first request rather than
    inside it, and a model that does not work with this code (e.g. trained with other features)
    fails start-up (or a reload) instead of every request."""
    _single_threaded_native()
    cleaner = Cleaner.from_dir(settings.models_dir, name if name is not None else settings.model, keep=settings.keep)
    try:
        cleaner.clean(SEED_002_EXCERPT)
    except Exception as exc:
        raise ModelError(
            f"model {cleaner.model.path} failed a trial clean ({type(exc).__name__}: {exc}); "
            "was it trained with another version of the code? Retrain it (make model) or serve another one"
        ) from exc
    return cleaner


# --- running ------------------------------------------------------------------------------------------

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"default": {"format": LOG_FORMAT}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "default"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "jingwen": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def settings_env(settings: Settings) -> dict[str, str | None]:
    """``JINGWEN_*`` variables that make ``Settings.from_env()`` rebuild ``settings`` (None: unset it)."""
    env: dict[str, str | None] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        key = f"JINGWEN_{f.name.upper()}"
        if value is None:
            env[key] = None
        elif isinstance(value, (tuple, list)):
            env[key] = ",".join(value)
        else:
            env[key] = str(value)
    return env


def run(settings: Settings) -> None:
    """Serve with uvicorn: ``settings.workers`` processes, each building its app from the environment."""
    for name in ("port", "workers", "max_body_bytes", "max_batch_documents"):
        value = getattr(settings, name)
        if value < (0 if name == "port" else 1):
            raise SystemExit(f"jingwen serve: error: {name.replace('_', '-')} must be positive, got {value}")
    try:
        check_keep(settings.keep)
    except ValueError as exc:
        raise SystemExit(f"jingwen serve: error: JINGWEN_KEEP: {exc}") from None
    if hasattr(signal, "SIGHUP"):
        # Until a worker listens for it (its lifespan installs the handler), a SIGHUP is dropped
        # rather than ending the server with the default action.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    # Fail here, once, with a clear message, rather than in every worker; and write the model's name
    # to the reload file, so that a CURRENT rewritten while workers start cannot give them different
    # models. (The trial copy is dropped again: each worker loads its own in its lifespan.)
    path = _load(settings).model.path
    boot = settings.model if settings.model is not None else (None if path == Path(settings.models_dir) else path.name)
    state_dir = Path(tempfile.mkdtemp(prefix="jingwen-serve-"))
    reload_file = state_dir / "reload.json"
    write_reload_state(reload_file, 0, boot)
    env = settings_env(settings)
    env[RELOAD_FILE_ENV] = str(reload_file)
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        _serve(settings)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


def _serve(settings: Settings) -> None:
    import uvicorn

    options: dict[str, Any] = dict(
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=LOG_CONFIG,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=30,
    )
    if settings.workers <= 1:
        uvicorn.run("service.app:create_app", **options)
        return
    # Several workers: uvicorn's supervisor, except that SIGHUP reloads the model in place (one ready
    # worker reloads, the others follow through the reload file) instead of uvicorn's default of
    # restarting every worker process.
    from uvicorn.supervisors.multiprocess import Multiprocess

    class Supervisor(Multiprocess):
        def handle_hup(self) -> None:
            try:
                for process in self.processes:
                    # a worker still starting has no SIGHUP handler yet: the signal would end it
                    ready = getattr(process, "is_ready", process.is_alive)
                    if process.pid is not None and ready(timeout=2):
                        log.info("received SIGHUP: worker [%d] reloads the model, the other workers follow it", process.pid)
                        os.kill(process.pid, signal.SIGHUP)
                        return
                log.warning("received SIGHUP, but no worker is ready to reload the model; ignored")
            except Exception:  # never let a reload request take the supervisor down
                log.exception("passing SIGHUP to a worker failed")

    config = uvicorn.Config("service.app:create_app", **options)
    sock = config.bind_socket()
    try:
        Supervisor(config, sockets=[sock]).run()
    except KeyboardInterrupt:  # pragma: no cover - as uvicorn.run
        pass
