"""GET /docs: a pinned Swagger UI, its scripts checked by hash, under a strict CSP."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

# The page, the script that starts it and the page's CSP, as scaffold ships them to
# every stack: the pinned version and its integrity hashes live in these files only.
FILES = files("{{ cookiecutter.package_name }}") / "docs"


def make_router() -> APIRouter:
    """The docs routes, with their files read once, as the app is built."""
    page = (FILES / "docs.html").read_text(encoding="utf-8")
    script = (FILES / "init.js").read_text(encoding="utf-8")
    policy = (FILES / "csp.txt").read_text(encoding="utf-8").strip()
    headers = {"Content-Security-Policy": policy}
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    async def docs() -> HTMLResponse:
        return HTMLResponse(page, headers=headers)

    @router.get("/docs/init.js")
    async def init_script() -> Response:
        return Response(script, media_type="text/javascript", headers=headers)

    return router
