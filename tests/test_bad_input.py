"""Bad invocations of the real CLI: each gets its exit code, one clear line, and no change on disk."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import pytest

from tests.figures import FIGURES
from tests.helpers import build_file_tree, mounted_tmpfs, run_mount, run_scaffold, snapshot


class Bad(NamedTuple):
    """One bad invocation: its arguments, what the folder holds first, the exit code and the message."""

    args: tuple[str, ...]
    code: int
    message: str
    files: Mapping[str, str] = MappingProxyType({})
    prepare: Callable[[Path], None] | None = None


def _symlink(target: str, link: str) -> Callable[[Path], None]:
    return lambda root: (root / link).symlink_to(root / target)


CONFIG = "config"
CORPUS: dict[str, Bad] = {
    # Names
    "empty-name": Bad(("new", "", "-y"), 2, "project name is empty"),
    "blank-name": Bad(("new", "   ", "-y"), 2, "project name is empty"),
    "path-name": Bad(("new", "a/b", "-y"), 2, "not a path"),
    "backslash-name": Bad(("new", "a\\b", "-y"), 2, "not a path"),
    "parent-name": Bad(("new", "..", "-y"), 2, "not a path"),
    "dotted-parent-name": Bad(("new", "x..y", "-y"), 2, "not a path"),
    "digit-name": Bad(("new", "9lives", "-y"), 2, "starts with a digit"),
    "dash-name": Bad(("new", "-y", "--", "-app"), 2, "starts with '-'"),
    "space-name": Bad(("new", "my app", "-y"), 2, "may hold only letters"),
    "newline-name": Bad(("new", "my\napp", "-y"), 2, "my\\napp"),
    "nul-like-name": Bad(("new", "app\x7f", "-y"), 2, "may hold only letters"),
    "unicode-name": Bad(("new", "café", "-y"), 2, "may hold only letters"),
    "shell-name": Bad(("new", "app;rm", "-y"), 2, "may hold only letters"),
    "keyword-name": Bad(("new", "import", "-y"), 2, "is a Python keyword"),
    "soft-keyword-name": Bad(("new", "match", "-y"), 2, "is a Python keyword"),
    "shadowing-name": Bad(("new", "flask", "-y"), 2, "would shadow the 'flask' package"),
    "shadowing-tests": Bad(("new", "tests", "-y"), 2, "would shadow the 'tests' package"),
    "long-name": Bad(("new", "x" * 65, "-y"), 2, "at most 64"),
    "missing-name": Bad(("new",), 2, "missing project NAME"),
    # Choices and stacks
    "typo-framework": Bad(("new", "demo", "--framework", "flaks"), 2, "did you mean 'flask'?"),
    "typo-database": Bad(("new", "demo", "--database", "postgress"), 2, "did you mean 'postgres'?"),
    "unknown-auth": Bad(("new", "demo", "--auth", "oauth"), 2, "unknown auth mode 'oauth'"),
    "unknown-database": Bad(("new", "demo", "--stack", "flask-mysql"), 2, "unknown database 'mysql'"),
    "short-stack": Bad(("new", "demo", "--stack", "flask"), 2, "is not framework-database[-auth]"),
    "long-stack": Bad(("new", "demo", "--stack", "flask-sqlite-jwt-x"), 2, "is not framework-database"),
    "empty-stack": Bad(("new", "demo", "--stack", ""), 2, "is not framework-database"),
    "hole-stack": Bad(("new", "demo", "--stack", "flask--jwt"), 2, "is not framework-database"),
    # Contradicting flags
    "auth-contradicts-stack": Bad(
        ("new", "demo", "--stack", "flask-sqlite", "--auth", "session"), 2, "but --auth says 'session'"
    ),
    "framework-contradicts-stack": Bad(
        ("new", "demo", "--stack", "flask-sqlite-jwt", "--framework", "fastapi"), 2, "--framework says"
    ),
    "database-contradicts-stack": Bad(
        ("new", "demo", "--stack", "fastapi-postgres", "--database", "sqlite"), 2, "--database says"
    ),
    "flag-contradicts-config": Bad(
        ("new", "demo", "--config", "c.toml", "--auth", "none"),
        2,
        "",
        files={"c.toml": 'stack = "flask-sqlite-jwt"\n'},
    ),
    # Options and commands
    "unknown-option": Bad(("new", "demo", "--frobnicate"), 2, "No such option"),
    "extra-argument": Bad(("new", "demo", "more"), 2, "unexpected extra argument"),
    "option-without-value": Bad(("new", "demo", "--stack"), 2, "requires an argument"),
    "unknown-command": Bad(("frobnicate",), 2, "No such command"),
    "stacks-bad-option": Bad(("stacks", "--bogus"), 2, "No such option"),
    "recommend-bad-language": Bad(("recommend", "--language", "cobol"), 2, "--language must be one of"),
    "recommend-bad-stage": Bad(("recommend", "--stage", "someday", "-y"), 2, "--stage must be one of"),
    # Where to write
    "missing-output": Bad(("new", "demo", "-y", "-o", "does-not-exist"), 2, "does not exist"),
    "missing-parent": Bad(("new", "demo", "-y", "-o", "no/such/parent"), 2, "does not exist"),
    "output-is-file": Bad(
        ("new", "demo", "-y", "-o", "notes.txt"), 2, "is not a folder", {"notes.txt": "x\n"}
    ),
    "target-is-file": Bad(("new", "demo", "-y"), 1, "already exists and is a file", {"demo": "mine\n"}),
    "target-not-empty": Bad(("new", "demo", "-y"), 1, "is not empty", {"demo/notes.txt": "mine\n"}),
    "target-is-symlink": Bad(
        ("new", "demo", "-y"),
        1,
        "a symbolic link",
        {"elsewhere/keep.txt": "x\n"},
        _symlink("elsewhere", "demo"),
    ),
    "target-is-dangling-symlink": Bad(
        ("new", "demo", "-y"), 1, "a symbolic link", {}, _symlink("gone", "demo")
    ),
    # Config files
    "config-missing": Bad(("new", "demo", "--config", "nope.toml"), 2, "does not exist"),
    "config-is-folder": Bad(("new", "demo", "--config", "."), 2, "is a folder"),
    "config-unknown-key": Bad(
        ("new", "demo", "--config", "c.toml"), 2, "unknown key 'colour'", {"c.toml": 'colour = "blue"\n'}
    ),
    "config-bad-value": Bad(
        ("new", "demo", "--config", "c.toml"),
        2,
        "unknown database 'oracle'",
        {"c.toml": 'database = "oracle"\n'},
    ),
    "config-bad-toml": Bad(("new", "demo", "--config", "c.toml"), 2, "c.toml", {"c.toml": "stack = \n"}),
    "config-bad-json": Bad(("new", "demo", "--config", "c.json"), 2, "c.json", {"c.json": '{"stack": '}),
    "config-json-list": Bad(
        ("new", "demo", "--config", "c.json"), 2, "must hold a table", {"c.json": "[1, 2]"}
    ),
    "config-bad-yaml": Bad(("new", "demo", "--config", "c.yaml"), 2, "c.yaml", {"c.yaml": "stack: [\n"}),
    "config-wrong-type": Bad(
        ("new", "demo", "--config", "c.toml"), 2, "tokens", {"c.toml": 'tokens = "maybe"\n'}
    ),
    "config-binary": Bad(("new", "demo", "--config", "c.toml"), 2, "c.toml", {"c.toml": "\udcff"}),
    "config-resource-bad-type": Bad(
        ("new", "demo", "--config", "c.toml"),
        2,
        "c.toml: field 'title' has an unknown type 'strr'",
        {"c.toml": 'stack = "flask-sqlite-jwt"\n\n[[resources]]\nname = "posts"\nfields = ["title:strr"]\n'},
    ),
    "config-resource-unknown-key": Bad(
        ("new", "demo", "--config", "c.toml"),
        2,
        "unknown key 'colour'",
        {"c.toml": 'stack = "flask-sqlite-jwt"\n[[resources]]\nname = "posts"\nfields = []\ncolour = 1\n'},
    ),
    "config-resources-not-tables": Bad(
        ("new", "demo", "--config", "c.json"),
        2,
        "must be a table",
        {"c.json": '{"stack": "flask-sqlite-jwt", "resources": ["posts title:str"]}'},
    ),
    # Resources declared on `new`: checked, as a set, before anything is written
    "resource-bad-type": Bad(
        ("new", "demo", "-y", "--resource", "posts title:strr"), 2, "did you mean 'str'?"
    ),
    "resource-no-name": Bad(("new", "demo", "-y", "--resource", "title:str"), 2, "snake_case"),
    "resource-unknown-option": Bad(
        ("new", "demo", "-y", "--resource", "posts title:str --acess owner"), 2, "unknown option '--acess'"
    ),
    "resource-dangling-ref": Bad(
        ("new", "demo", "-y", "--resource", "posts c:ref{categories}"), 2, "refers to 'categories'"
    ),
    "resource-twice": Bad(
        ("new", "demo", "-y", "--resource", "posts a:str", "--resource", "posts b:str"), 2, "declared twice"
    ),
    "resource-access-without-auth": Bad(
        ("new", "demo", "--stack", "flask-sqlite-none", "--resource", "posts a:str --access owner"),
        2,
        "only public fits",
    ),
    "resource-on-mongodb": Bad(
        ("new", "demo", "--stack", "flask-mongodb-jwt", "--resource", "posts a:str"),
        2,
        "not available for mongodb projects yet",
    ),
}


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.mark.parametrize("case", CORPUS, ids=list(CORPUS))
def test_when_invoked_badly_then_the_exit_code_one_line_and_the_disk_as_it_was(
    case: str, tmp_path: Path, cache_home: Path
) -> None:
    bad = CORPUS[case]
    files = {name: content.encode("utf-8", "surrogateescape") for name, content in bad.files.items()}
    build_file_tree(files, tmp_path)
    if bad.prepare is not None:
        bad.prepare(tmp_path)
    before = snapshot(tmp_path)

    result = run_scaffold(*bad.args, cwd=tmp_path, env={"XDG_CACHE_HOME": str(cache_home)})

    FIGURES.add("tool.bad_invocations")
    assert result.returncode == bad.code, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert bad.message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_the_corpus_is_large_enough() -> None:
    # The reliability claim is "at least 40 bad invocations"; the count must not shrink silently.
    assert len(CORPUS) >= 40


# --------------------------------------------------------------------------- an unwritable folder


@pytest.fixture
def unwritable_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder with a file in it that this process cannot write to.

    File modes do not bind root, so as root the folder is a read-only filesystem instead.
    """
    folder = tmp_path / "readonly"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine\n")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    with mounted_tmpfs(folder, "size=1m") as mounted:
        (mounted / "keep.txt").write_text("mine\n")
        remount = run_mount(["mount", "-o", "remount,ro", str(mounted)])
        if remount.returncode != 0:
            pytest.skip(
                f"as root, a read-only folder needs a read-only mount, and mount refused: {remount.stderr}"
            )
        yield mounted


def test_when_the_output_folder_is_not_writable_then_exit_1_one_line_and_nothing_changed(
    unwritable_folder: Path, tmp_path: Path
) -> None:
    before = snapshot(unwritable_folder)
    result = run_scaffold("new", "demo", "-y", "-q", "-o", str(unwritable_folder), cwd=tmp_path)
    FIGURES.add("tool.bad_invocations")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: cannot write in"), result.stderr
    assert ("Permission denied" in result.stderr) or ("Read-only file system" in result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert snapshot(unwritable_folder) == before
