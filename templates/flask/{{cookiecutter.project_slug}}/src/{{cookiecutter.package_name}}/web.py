"""Plumbing for every route: client address, request ids, body rules, headers, CORS."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from flask import Flask, Response, current_app, g, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from .config import Settings
from .exceptions import BadRequest, ValidationFailed, field_errors
from .proxies import Network, client_address

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

MAX_BODY_BYTES = 1024 * 1024
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
CORS_ALLOW_HEADERS = "Authorization, Content-Type, X-Request-ID"
CORS_EXPOSE_HEADERS = "Location, Retry-After, X-Request-ID"

Model = TypeVar("Model", bound=BaseModel)


def init_app(app: Flask, settings: Settings) -> None:
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    if settings.trusted_proxies:
        app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]
            app.wsgi_app, settings.trusted_proxies
        )
    app.before_request(_assign_request_id)
    app.before_request(_check_body)
    app.after_request(_add_headers)
    if settings.cors_origins:
        allowed = frozenset(settings.cors_origins)
        app.after_request(lambda response: _add_cors(response, allowed))


def json_body(model: type[Model]) -> Model:
    """The request body validated against `model`, or the contract's 400/422."""
    raw = request.get_data(cache=True)
    if request.content_length is None and len(raw) >= MAX_BODY_BYTES:
        # A chunked body is cut off silently at the limit; it did not fit.
        raise RequestEntityTooLarge()
    try:
        payload = json.loads(raw, parse_constant=_not_json)
    except (ValueError, RecursionError):
        # RecursionError: nesting deeper than the parser's stack, e.g. [[[[...]]]].
        raise BadRequest("Request body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest()
    return validate(model, payload)


def _not_json(constant: str) -> object:
    # NaN and Infinity are Python's extensions, not JSON: a 400 like any bad JSON.
    raise ValueError(f"{constant} is not valid JSON")


def query_args(model: type[Model]) -> Model:
    """The query string validated against `model`, or 422."""
    return validate(model, request.args.to_dict())


def validate(model: type[Model], data: Mapping[str, object]) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(fields=field_errors(exc.errors())) from None


def _assign_request_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _check_body() -> None:
    # Unknown routes and wrong methods answer 404/405 whatever the body is.
    if request.routing_exception is not None or request.method not in BODY_METHODS:
        return
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise RequestEntityTooLarge()
    # Even without a body: a same-site form or a no-cors fetch cannot send JSON, so
    # this keeps them from writing anything, logging a user out included.
    if request.mimetype != "application/json":
        raise UnsupportedMediaType()


def _add_headers(response: Response) -> Response:
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
    response.headers.update(SECURITY_HEADERS)
    response.headers["X-Request-ID"] = g.get("request_id") or uuid.uuid4().hex
    if request.path.startswith("/api/"):
        # Answers that carry users or credentials must never sit in a cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _add_cors(response: Response, allowed: frozenset[str]) -> Response:
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin not in allowed:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Credentials"] = "true"
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
    preflight = "Access-Control-Request-Method" in request.headers
    if request.method == "OPTIONS" and preflight:
        response.headers["Access-Control-Allow-Methods"] = response.headers.get(
            "Allow", "GET, POST, PUT, PATCH, DELETE"
        )
        response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def settings() -> Settings:
    """The settings of the app serving this request."""
    current: Settings = current_app.extensions["settings"]
    return current


class TrustedProxies:
    """WSGI middleware that sets REMOTE_ADDR to the client's address.

    The access logs of gunicorn and werkzeug read REMOTE_ADDR, so they show it too.
    """

    def __init__(self, app: WSGIApplication, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        # Repeated X-Forwarded-For headers arrive joined by commas, in order.
        environ["REMOTE_ADDR"] = client_address(
            environ.get("REMOTE_ADDR", ""),
            environ.get("HTTP_X_FORWARDED_FOR", ""),
            self.trusted,
        )
        return self.app(environ, start_response)
