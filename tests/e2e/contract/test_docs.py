"""Contract: /docs loads nothing it has not pinned, and says so in its Content-Security-Policy."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ...helpers import ROOT
from .client import Api, describe

pytestmark = pytest.mark.e2e

DOCS_POLICY = (ROOT / "templates" / "_shared" / "docs" / "csp.txt").read_text().strip()
PINNED = re.compile(r"^https://[^/]+/npm/[a-z0-9-]+@\d+\.\d+\.\d+/")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_when_docs_are_served_then_every_outside_file_is_pinned_with_its_hash_under_a_strict_policy(
    api: Api,
) -> None:
    response = api.client.get("/docs")

    assert response.status_code == 200, describe(response)
    assert response.headers["content-type"].startswith("text/html"), describe(response)
    policy = response.headers.get("content-security-policy", "")
    assert policy == DOCS_POLICY, describe(response)
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    parser = _Tags()
    parser.feed(response.text)
    loaded = [
        attrs
        for tag, attrs in parser.tags
        if (tag == "script") or (tag == "link" and attrs.get("rel") == "stylesheet")
    ]
    assert len(loaded) >= 3, response.text
    for attrs in loaded:
        url = attrs.get("src") or attrs.get("href") or ""
        assert url, f"an inline script or style: {attrs}"  # the policy would block it anyway
        if url.startswith("/"):
            continue
        assert PINNED.match(url), f"not pinned to an exact version: {url}"
        assert re.fullmatch(r"sha384-[A-Za-z0-9+/]{64}", attrs.get("integrity") or ""), attrs
        assert attrs.get("crossorigin") == "anonymous", attrs


def test_when_the_docs_page_starts_swagger_ui_then_its_script_comes_from_the_app(api: Api) -> None:
    response = api.client.get("/docs/init.js")

    assert response.status_code == 200, describe(response)
    assert "javascript" in response.headers["content-type"], describe(response)
    assert "SwaggerUIBundle" in response.text
    assert "/openapi.json" in response.text
    paths = api.client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/docs")], sorted(paths)
