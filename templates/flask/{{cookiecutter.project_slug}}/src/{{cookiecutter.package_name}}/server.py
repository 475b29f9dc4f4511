"""The production server: gunicorn with threaded workers, configured in code."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from . import create_app
from .config import Settings
from .log import logging_config

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
SHUTDOWN_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGQUIT}


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
        # gunicorn's default. An idle kept-alive connection stays with the worker that
        # accepted it: a burst of new connections often lands mostly on one worker,
        # whose GIL then caps throughput while the other idles. A short keepalive lets
        # idle connections go and come back spread over the workers (5 s halved reads).
        "keepalive": 2,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "logconfig_dict": logging_config(settings.log_level),
        "loglevel": settings.log_level,
        # Heartbeat files on a RAM disk do not stall workers on slow container disks.
        "worker_tmp_dir": str(shm) if shm.is_dir() else None,
        "proc_name": __package__,
        "post_worker_init": worker_ready,
    }


def hold_shutdown_signals() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, SHUTDOWN_SIGNALS)


def release_shutdown_signals() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SHUTDOWN_SIGNALS)


def worker_ready(worker: object) -> None:
    """gunicorn hook: the worker's own signal handlers are in place by now."""
    release_shutdown_signals()


def serve(settings: Settings) -> None:
    # A SIGTERM that reaches a new worker between fork and gunicorn installing the
    # worker's handlers is swallowed (gunicorn issue 1910), and the master then waits
    # out graceful_timeout: it happens when a whole process group is signalled, as
    # Ctrl-C and systemd do. So shutdown signals are held across every fork; the
    # master takes them back at once, a worker once its own handlers are in place.
    os.register_at_fork(
        before=hold_shutdown_signals, after_in_parent=release_shutdown_signals
    )
    Server(settings).run()
