"""The OpenAPI document, and the page to browse it: Swagger UI under a strict CSP."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app
from flask.blueprints import BlueprintSetupState

from ..openapi import openapi_document

# The page pins Swagger UI with integrity hashes; csp.txt is the policy it runs under.
PAGE_FILES = Path(__file__).parent.parent / "docs"

bp = Blueprint("docs", __name__)


@dataclass(frozen=True)
class DocsPage:
    html: str
    script: str
    csp: str

    @classmethod
    def load(cls, folder: Path) -> DocsPage:
        def read(name: str) -> str:
            return (folder / name).read_text(encoding="utf-8")

        return cls(read("docs.html"), read("init.js"), read("csp.txt").strip())


@bp.record_once
def _load_page(state: BlueprintSetupState) -> None:
    # Read once per app, when it is built, never per request.
    state.app.extensions["docs_page"] = DocsPage.load(PAGE_FILES)


def _page() -> DocsPage:
    page: DocsPage = current_app.extensions["docs_page"]
    return page


def _with_csp(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _page().csp
    return response


@bp.get("/openapi.json")
def openapi() -> dict[str, Any]:
    return openapi_document()


@bp.get("/docs")
def docs() -> Response:
    return _with_csp(Response(_page().html, mimetype="text/html"))


@bp.get("/docs/init.js")
def docs_script() -> Response:
    # A file of its own, so that the page's CSP needs no inline script.
    return _with_csp(Response(_page().script, mimetype="text/javascript"))
