"""The server: uvicorn, configured in code."""

from __future__ import annotations

from typing import Any

import uvicorn

from .config import Settings
from .log import logging_config


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "host": settings.host,
        "port": settings.port,
        # Each worker process builds its own app (and engine) from the environment.
        "factory": True,
        "workers": settings.web_concurrency,
        # With several workers, each must start and answer the supervisor's pings in
        # this time, or it is restarted; 5 s (the default) is short on a busy host.
        "timeout_worker_healthcheck": 30,
        # uvicorn would take the client address from X-Forwarded-For when the peer
        # is 127.0.0.1; the app trusts only TRUSTED_PROXIES (web.py) instead.
        "proxy_headers": False,
        "server_header": False,
        "log_config": logging_config(settings.log_level),
        "access_log": True,
        # SIGTERM lets in-flight requests finish for this long, then stops.
        "timeout_graceful_shutdown": 5,
    }


def serve(settings: Settings) -> None:
    """Serve until SIGTERM or Ctrl-C."""
    uvicorn.run(f"{__package__}:create_app", **uvicorn_options(settings))
