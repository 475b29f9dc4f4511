"""The OpenAPI document and a page to browse it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from ..openapi import openapi_document

bp = Blueprint("docs", __name__)

# Swagger UI from a CDN keeps the package free of vendored assets.
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API docs</title>
  <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
  </script>
</body>
</html>
"""


@bp.get("/openapi.json")
def openapi() -> dict[str, Any]:
    return openapi_document()


@bp.get("/docs")
def docs() -> Response:
    return Response(DOCS_PAGE, mimetype="text/html")
