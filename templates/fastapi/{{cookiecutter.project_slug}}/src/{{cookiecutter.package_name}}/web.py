"""HTTP plumbing for every route: client address, body rules, ids, headers, CORS."""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import log
{%- if cookiecutter.auth == "session" %}
from .config import Settings
{%- endif %}
from .errors import PayloadTooLarge, UnsupportedMediaType, internal_error
from .proxies import Network, client_address

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE"
CORS_ALLOW_HEADERS = "Authorization, Content-Type, X-Request-ID"
CORS_EXPOSE_HEADERS = "Location, Retry-After, X-Request-ID"
{%- if cookiecutter.auth == "session" %}
SESSION_COOKIE = "session_id"
{%- endif %}

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class JSONRequest(Request):
    """A request whose body is read only up to the limit, however it is framed."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            body = bytearray()
            # Counted while reading: a chunked body announces no length up front.
            async for chunk in self.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise PayloadTooLarge()
            self._body = bytes(body)
        return self._body

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            # NaN and Infinity are Python's extensions, not JSON: a 400 like bad JSON.
            self._json = json.loads(await self.body(), parse_constant=_not_json)
        return self._json


def _not_json(constant: str) -> Any:
    raise json.JSONDecodeError(f"{constant} is not valid JSON", constant, 0)


class JSONRoute(APIRoute):
    """A route whose POST, PUT and PATCH must be JSON (else 415), body or not.

    A body of over 1 MiB is a 413. It runs only once the path and method matched,
    so 404 and 405 come first.
    """

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def check_body(request: Request) -> Response:
            if request.method in BODY_METHODS:
                request = JSONRequest(request.scope, request.receive)
                _check_headers(request.headers)
                # Read here, so that an oversized body is a 413 and never reaches
                # FastAPI's own parsing, which would call any failure a 400.
                await request.body()
            return await handler(request)

        return check_body


def _check_headers(headers: Headers) -> None:
    length = headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    # Asked even of a request without a body: no form or no-cors fetch can send
    # application/json, so another site cannot make a browser log its user out.
    media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType()


class TrustedProxiesMiddleware:
    """Makes the client address the one trusted proxies forwarded for.

    The login rate limit and uvicorn's access log both see it.
    """

    def __init__(self, app: ASGIApp, proxies: Iterable[Network]) -> None:
        self.app = app
        self.proxies = tuple(proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("client"):
            peer = scope["client"][0]
            forwarded = [
                value.decode("latin-1")
                for name, value in scope["headers"]
                if name == b"x-forwarded-for"
            ]
            client = client_address(peer, ",".join(forwarded), self.proxies)
            if client != peer:
                # In place: the server writes its access log from this same scope.
                scope["client"] = (client, 0)
        await self.app(scope, receive, send)


class RequestContextMiddleware:
    """Gives each request an id, adds the contract's headers to every answer, and
    turns a crash into the generic 500 envelope (the traceback goes to the log)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        sane = SANE_REQUEST_ID.fullmatch(incoming)
        request_id = incoming if sane else uuid.uuid4().hex
        # Answers that carry users or credentials must never sit in a cache.
        no_store = scope["path"].startswith("/api/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                if message["status"] == 204 and "content-type" in headers:
                    del headers["content-type"]
                headers.update(SECURITY_HEADERS)
                headers["X-Request-ID"] = request_id
                if no_store:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        token = log.request_id.set(request_id)
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logger.exception("unhandled error")
            if started:
                raise
            await internal_error()(scope, receive, send_with_headers)
        finally:
            log.request_id.reset(token)


class CORSMiddleware:
    """Answers the listed origins by name, with credentials; never `*`, never others.

    Starlette's own CORSMiddleware answers a refused preflight with
    `Access-Control-Allow-Credentials` all the same, and in plain text.
    """

    def __init__(self, app: ASGIApp, origins: Iterable[str]) -> None:
        self.app = app
        self.origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        allowed = headers.get("origin") in self.origins
        preflight = (
            scope["method"] == "OPTIONS" and "access-control-request-method" in headers
        )
        if allowed and preflight:
            answer = Response(status_code=204)
            self._allow(answer.headers, headers["origin"], preflight=True)
            await answer(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers.add_vary_header("Origin")
                if allowed:
                    self._allow(response_headers, headers["origin"], preflight=False)
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    def _allow(headers: MutableHeaders, origin: str, *, preflight: bool) -> None:
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Credentials"] = "true"
        headers.add_vary_header("Origin")
        if preflight:
            headers["Access-Control-Allow-Methods"] = CORS_METHODS
            headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
            headers["Access-Control-Max-Age"] = "600"
        else:
            headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
{%- if cookiecutter.auth == "session" %}


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_expires,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.is_production,
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.is_production,
    )
{%- endif %}
