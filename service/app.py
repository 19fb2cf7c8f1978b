"""The HTTP service: ``POST /v1/clean``, ``POST /v1/clean/batch``, health, readiness and the model card.

Each worker process builds one app with :func:`create_app`; the app's lifespan loads the model
once into ``app.state.cleaner`` (no module-level model). Cleaning is CPU-bound and runs in a
small thread pool (``app.state.limiter``), never on the event loop; the cleaner only reads the
fitted model, so concurrent calls are independent (see ``docs/http.md``, "Performance and concurrency").

:func:`run` is what ``jingwen serve`` calls: it checks the model once in the parent, pins the
model name, exports the settings as ``JINGWEN_*`` variables and starts uvicorn with the
``create_app`` factory, so every worker rebuilds the same :class:`Settings`.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
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
    Ready,
    ValidationErrorResponse,
)
from .cleaner import Cleaner, check_keep
from .records import CleanResult
from .settings import LABELS, Settings
from .textio import DecodeError, check_encoding, decode

log = logging.getLogger("jingwen.service")
access_log = logging.getLogger("jingwen.access")

API_VERSION = "1"
CLEAN_THREADS = 2
"""Cleaning calls a worker runs at once; waiting requests are served first come, first served.
The work holds the GIL most of the time, so more threads only interleave requests (each one gets
slower, throughput does not rise); two keep one long document from stalling every other request."""

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


def create_app(settings: Settings | None = None) -> FastAPI:
    """One app per worker; its lifespan loads the model into ``app.state.cleaner``."""
    settings = settings or Settings.from_env()
    check_keep(settings.keep)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        started = time.perf_counter()
        app.state.limiter = anyio.CapacityLimiter(CLEAN_THREADS)
        cleaner = await anyio.to_thread.run_sync(_load, settings)
        app.state.cleaner = cleaner
        log.info(
            "model %s (version %s) loaded from %s in %.2fs",
            cleaner.model.path.name, cleaner.version, cleaner.model.path, time.perf_counter() - started,
        )
        try:
            yield
        finally:
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
        return json_response(_cleaner(request).model.manifest)

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
                # A UTF-8 BOM is not text; strip it here so offsets count from the first byte sent.
                bom = len(codecs.BOM_UTF8) if charset == "utf-8" and body.startswith(codecs.BOM_UTF8) else 0
                try:
                    text = decode(body[bom:], charset, "request body")
                except DecodeError as exc:
                    offset = exc.offset + bom
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

    return app


def _load(settings: Settings) -> Cleaner:
    """Load and verify the model, then clean one document so lazy state (OpenCC, jieba) is built
    before the first request rather than racing inside it."""
    _single_threaded_native()
    cleaner = Cleaner.from_dir(settings.models_dir, settings.model, keep=settings.keep)
    cleaner.clean(SEED_002_EXCERPT)
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
    import uvicorn

    from .artifact import load_model, resolve_model_dir

    for name in ("port", "workers", "max_body_bytes", "max_batch_documents"):
        value = getattr(settings, name)
        if value < (0 if name == "port" else 1):
            raise SystemExit(f"jingwen serve: error: {name.replace('_', '-')} must be positive, got {value}")
    check_keep(settings.keep)
    # Fail here, once, with a clear message, rather than in every worker; and pin the model so that a
    # CURRENT rewritten while workers start cannot give them different models.
    models_dir = Path(settings.models_dir)
    path = resolve_model_dir(models_dir, settings.model)
    load_model(models_dir, settings.model)
    if settings.model is None and path != models_dir:
        settings.model = path.name
    for key, value in settings_env(settings).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=LOG_CONFIG,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=30,
    )
