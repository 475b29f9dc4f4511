"""The production server: gunicorn with threaded workers, configured in code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from . import create_app
from .config import Settings
from .log import logging_config

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


class Server(BaseApplication):  # type: ignore[misc]
    """Runs one app per worker process; the master forwards SIGTERM gracefully."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings).items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # Recent gunicorn opens ~/.gunicorn/gunicorn.ctl by default; two apps on
            # one host would fight over it, and nothing here needs it.
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Flask:
        # Built inside each worker, so no database connection crosses a fork.
        return create_app(self.settings)


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    shm = Path("/dev/shm")
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": settings.web_threads,
        "timeout": 30,
        # SIGTERM lets in-flight requests finish for this long, then stops.
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "logconfig_dict": logging_config(settings.log_level),
        "loglevel": settings.log_level,
        # Heartbeat files on a RAM disk do not stall workers on slow container disks.
        "worker_tmp_dir": str(shm) if shm.is_dir() else None,
        "proc_name": __package__,
    }


def serve(settings: Settings) -> None:
    Server(settings).run()
