"""The review page: a browser UI over ``POST /v1/clean`` for looking at and correcting labels.

``GET /`` and ``GET /review`` serve ``service/static/review.html``; its script and style sheet are
``/static/review.js`` and ``/static/review.css``, shipped with the package (no CDN, no web fonts:
the page works without internet). ``GET /review/config.json`` tells the page the server's labels,
default ``keep`` and request limits, so that it splits a JSONL file into batches the server accepts.

Everything the page does goes through the public API (``/v1/clean``, ``/v1/clean/batch``,
``/readyz``); corrections never leave the browser except as the JSONL file the user downloads,
in the labelled format ``jingwen train --data`` reads (README, "Reviewing and correcting labels").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response

from .settings import LABELS, Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""Only this server's own files run or load: nothing from elsewhere, no inline script."""


@dataclass(frozen=True, slots=True)
class _Asset:
    body: bytes
    media_type: str
    etag: str


_cache: dict[str, _Asset] = {}


def _asset(name: str) -> _Asset | None:
    """A file of ``service/static`` by its plain name (no directories), read once."""
    if name in _cache:
        return _cache[name]
    if "/" in name or "\\" in name or name.startswith(".") or Path(name).suffix not in _TYPES:
        return None
    path = STATIC_DIR / name
    if not path.is_file():
        return None
    body = path.read_bytes()
    asset = _Asset(body, _TYPES[path.suffix], '"' + hashlib.sha256(body).hexdigest()[:20] + '"')
    _cache[name] = asset
    return asset


def _serve(request: Request, name: str) -> Response:
    asset = _asset(name)
    if asset is None:
        return Response(b'{"detail":"Not Found"}', status_code=404, media_type="application/json")
    headers = {
        "ETag": asset.etag,
        "Cache-Control": "no-cache",  # revalidate: a new release's page is never mixed with an old script
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Referrer-Policy": "no-referrer",
    }
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def add_review_routes(app: FastAPI) -> None:
    """``/``, ``/review``, ``/review/config.json`` and ``/static/*`` (not part of the OpenAPI schema)."""

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def index(request: Request) -> Response:
        return _serve(request, "review.html")

    @app.api_route("/review", methods=["GET", "HEAD"], include_in_schema=False)
    async def review(request: Request) -> Response:
        return _serve(request, "review.html")

    @app.get("/review/config.json", include_in_schema=False)
    async def review_config(request: Request) -> Response:
        settings: Settings = request.app.state.settings
        from .app import json_response  # the app's JSON helper (imported here: app imports this module)

        return json_response(
            {
                "labels": list(LABELS),
                "keep": list(settings.keep),
                "max_body_bytes": settings.max_body_bytes,
                "max_batch_documents": settings.max_batch_documents,
            },
            headers={"Cache-Control": "no-cache"},
        )

    @app.api_route("/static/{name}", methods=["GET", "HEAD"], include_in_schema=False)
    async def static(request: Request, name: str) -> Response:
        return _serve(request, name)
