"""The real CLI as a subprocess: in a terminal, in a pipe, and under signals."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, interrupted_while_python_started, run_scaffold

DOWN = "\x1b[B"
ENTER = "\r"


class Terminal:
    """The CLI running in a pseudo-terminal, read and typed into like a person would."""

    def __init__(self, args: list[str], cwd: Path, **extra_env: str) -> None:
        master, slave = os.openpty()
        env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40", **extra_env}
        env.pop("CI", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "scaffold", *args],
            cwd=cwd,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "PYTHONPATH": str(ROOT)},
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.screen = ""

    def expect(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.proc.kill()
                raise AssertionError(f"{text!r} never appeared; screen was:\n{self.screen[-2000:]}")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the child closed the terminal
                    break
        assert text in self.screen, self.screen[-2000:]

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())
        time.sleep(0.2)

    def wait(self, timeout: float = 30) -> int:
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if ready:
                    try:
                        chunk = os.read(self.master, 65536)
                    except OSError:
                        chunk = b""
                    if not chunk and self.proc.poll() is not None:
                        break
                    self.screen += chunk.decode(errors="replace")
                elif self.proc.poll() is not None:
                    break
            return self.proc.wait(timeout=timeout)
        finally:
            os.close(self.master)


def test_when_run_in_a_terminal_without_flags_then_menus_ask_and_enter_takes_defaults(tmp_path: Path) -> None:
    term = Terminal(["new", "demo"], tmp_path)
    term.expect("Framework")
    term.type(ENTER)
    term.expect("Database")
    term.type(ENTER)
    term.expect("Auth")
    term.type(ENTER)
    assert term.wait() == 0, term.screen
    token = json.loads((tmp_path / "demo/.agent-tokens/backend-complete.token").read_text())
    assert token["stack"] == "flask-sqlite-jwt"
    assert "Next steps" in term.screen
    # The answers as one command, to paste into CI or hand to an agent: it gives the same project.
    shown = re.search(r"same as  (scaffold new [^\r\n\x1b]*)", term.screen)
    assert shown is not None, term.screen
    assert shown.group(1) == "scaffold new demo --stack flask-sqlite-jwt"


def test_when_arrow_keys_move_in_a_menu_then_that_choice_is_taken(tmp_path: Path) -> None:
    term = Terminal(["new", "demo", "--framework", "flask"], tmp_path)
    term.expect("Database")
    term.type(DOWN + ENTER)  # sqlite -> postgres
    term.expect("Auth")
    term.type(DOWN + ENTER)  # jwt -> session
    assert term.wait() == 0, term.screen
    token = json.loads((tmp_path / "demo/.agent-tokens/backend-complete.token").read_text())
    assert token["stack"] == "flask-postgres-session"
    assert "same as  scaffold new demo --stack flask-postgres-session" in term.screen, term.screen


def test_when_the_name_is_missing_in_a_terminal_then_it_is_asked_and_validated(tmp_path: Path) -> None:
    term = Terminal(["new", "--stack", "flask-sqlite-none"], tmp_path)
    term.expect("Project name")
    term.type("flask")
    term.expect("would shadow")
    term.type("\x7f" * 5 + "shop-api" + ENTER)
    assert term.wait() == 0, term.screen
    assert (tmp_path / "shop-api" / "src" / "shop_api").is_dir()


def test_when_ctrl_c_at_a_menu_then_exit_130_and_nothing_written(tmp_path: Path) -> None:
    term = Terminal(["new", "demo"], tmp_path)
    term.expect("Framework")
    term.type("\x03")
    assert term.wait() == 130
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("no_color", [False, True])
def test_when_stderr_is_a_terminal_then_it_is_coloured_unless_no_color(
    no_color: bool, tmp_path: Path
) -> None:
    term = Terminal(["new", "demo", "-y"], tmp_path, **({"NO_COLOR": "1"} if no_color else {}))
    assert term.wait() == 0, term.screen
    assert "└── pyproject.toml" in term.screen
    assert ("\x1b[" in term.screen) is not no_color


def test_when_run_in_a_pipe_without_flags_then_defaults_are_used_without_waiting(tmp_path: Path) -> None:
    result = run_scaffold("new", "demo", cwd=tmp_path, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "using defaults for framework (flask), database (sqlite), auth (jwt)" in result.stderr
    assert result.stdout == ""
    assert (tmp_path / "demo" / "pyproject.toml").is_file()


def test_when_the_name_is_missing_in_a_pipe_then_exit_2_at_once(tmp_path: Path) -> None:
    # stdin stays open and silent: a tool that tried to prompt would hang here.
    proc = subprocess.run(
        [sys.executable, "-m", "scaffold", "new"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2
    assert (
        proc.stderr == "error: missing project NAME (there is no terminal to ask it in): scaffold new NAME\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_when_usage_is_wrong_then_the_parser_error_is_one_line_with_exit_2(tmp_path: Path) -> None:
    result = run_scaffold("new", "demo", "--colour", "blue", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "error: No such option: --colour (see 'scaffold new --help')\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.05, 0.2, 0.35, 0.5])
def test_when_signalled_at_any_moment_then_no_project_or_a_complete_one(
    sig: signal.Signals, delay: float, tmp_path: Path
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "new", "demo", "-y", "-q"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    time.sleep(delay)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    code = proc.returncode
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    # -sig: the signal landed while the interpreter was starting or shutting down,
    # when Python's default disposition is in place.
    assert code in (0, -sig, 130 if sig == signal.SIGINT else 128 + signal.SIGTERM) or (
        interrupted_while_python_started(code, stderr.decode(errors="replace")) and not leftovers
    ), (code, stderr)
    if code == 0:  # it finished before the signal landed
        assert leftovers == ["demo"]
    # Otherwise: nothing if it was interrupted while writing; the complete project,
    # token and all, if it was interrupted on the way out after the last step.
    assert leftovers in ([], ["demo"])
    if leftovers:
        assert (tmp_path / "demo/.agent-tokens/backend-complete.token").is_file()


def test_when_a_killed_run_left_a_staging_folder_then_the_next_run_removes_it(tmp_path: Path) -> None:
    # Process ids never reach 999999999, so this staging folder's writer is surely gone.
    stale = tmp_path / ".demo.999999999.abc.scaffold-staging"
    stale.mkdir()
    (stale / "half.py").write_text("x")
    result = run_scaffold("new", "demo", "-y", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
