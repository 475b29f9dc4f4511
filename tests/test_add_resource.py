"""`scaffold add resource` and `scaffold resources` on a generated project, through the real CLI:
what is written, what is refused (exit code, one line, the tree unchanged), and repeat runs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from scaffold import changes
from tests.figures import FIGURES
from tests.helpers import assert_refused, run_scaffold, snapshot

POSTS = ("posts", "title:str{120}:unique", "body:text?", "status:enum{draft,published}=draft")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A fresh project of a stack, generated once per stack and copied for each test."""
    cache: dict[str, Path] = {}
    home = tmp_path_factory.mktemp("cache")

    def make(stack: str) -> Path:
        if stack not in cache:
            out = tmp_path_factory.mktemp(stack)
            result = run_scaffold(
                "new", "demo", "--stack", stack, "--no-git", "-q", cwd=out, env={"XDG_CACHE_HOME": str(home)}
            )
            assert result.returncode == 0, result.stderr
            cache[stack] = out / "demo"
        return cache[stack]

    return make


@pytest.fixture
def project(made: Callable[[str], Path], tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(made("flask-sqlite-jwt"), target, symlinks=True)
    return target


def scaffold(project: Path, *args: str) -> tuple[int, str, str]:
    result = run_scaffold(*args, cwd=project)
    return result.returncode, result.stdout, result.stderr


def test_when_a_resource_is_added_then_only_new_files_the_registry_and_the_record_change(
    project: Path,
) -> None:
    before = snapshot(project)

    code, out, err = scaffold(project, "add", "resource", *POSTS, "--migration-id", "p1", "--json")

    assert code == 0, err
    after = snapshot(project)
    changed = sorted(path for path in before if after.get(path) != before[path])
    assert changed == [".scaffold.toml", "src/demo/registry.py"]
    created = sorted(set(after) - set(before))
    files = [path for path in created if after[path][1] is not None]
    assert files == [
        "docs/resources/posts.md",
        "src/demo/migrations/versions/p1_posts.py",
        "src/demo/resources/posts/__init__.py",
        "src/demo/resources/posts/models.py",
        "src/demo/resources/posts/routes.py",
        "src/demo/resources/posts/schemas.py",
        "src/demo/resources/posts/service.py",
        "tests/resources/test_posts.py",
    ]
    document = json.loads(out)
    assert {f["path"] for f in document["files"]} == {*files, ".scaffold.toml", "src/demo/registry.py"}
    assert document["resource"]["path"] == "/api/posts"
    assert document["migration"] == "p1"
    assert "from .resources.posts import resource as posts" in (project / "src/demo/registry.py").read_text()
    record = tomllib.loads((project / ".scaffold.toml").read_text())
    recorded_files = record["resources"][0].pop("files")
    assert record["resources"] == [
        {"name": "posts", "singular": "post", "access": "owner", "fields": list(POSTS[1:]), "migration": "p1"}
    ]
    # Every file but the migration, as written: what `remove` checks before deleting one.
    assert recorded_files == {
        path: hashlib.sha256((project / path).read_bytes()).hexdigest()
        for path in files
        if "/migrations/" not in path
    }
    migration = (project / "src/demo/migrations/versions/p1_posts.py").read_text()
    assert 'down_revision = "0001"' in migration


def test_when_a_second_resource_is_added_then_its_migration_follows_the_first_and_it_may_refer_to_it(
    project: Path,
) -> None:
    assert scaffold(project, "add", "resource", "categories", "name:str", "--migration-id", "c1")[0] == 0

    code, _, err = scaffold(
        project, "add", "resource", *POSTS, "category:ref{categories}", "--migration-id", "p1"
    )

    assert code == 0, err
    migration = (project / "src/demo/migrations/versions/p1_posts.py").read_text()
    assert 'down_revision = "c1"' in migration
    assert '["categories.id"]' in migration
    code, out, _ = scaffold(project, "resources", "--json")
    assert [r["name"] for r in json.loads(out)] == ["categories", "posts"]
    registry = (project / "src/demo/registry.py").read_text()
    assert registry.index("    categories,") < registry.index("    posts,")


def test_when_quiet_then_only_errors_are_printed(project: Path) -> None:
    code, out, err = scaffold(project, "add", "resource", *POSTS, "-q")
    assert (code, out, err) == (0, "", "")
    assert (project / "src/demo/resources/posts/routes.py").is_file()
    code, out, err = scaffold(project, "add", "resource", "tags", "name:strr", "-q")
    assert code == 2
    assert err.startswith("error: ")


def test_when_the_same_command_runs_again_then_exit_0_and_nothing_changes(project: Path) -> None:
    assert scaffold(project, "add", "resource", *POSTS)[0] == 0
    before = snapshot(project)

    code, _, err = scaffold(project, "add", "resource", *POSTS)

    assert code == 0
    assert "nothing to do" in err
    assert snapshot(project) == before


def test_when_dry_run_then_the_plan_is_printed_and_nothing_is_written(project: Path) -> None:
    before = snapshot(project)

    code, out, err = scaffold(project, "add", "resource", *POSTS, "--dry-run", "--diff")

    assert code == 0, err
    assert snapshot(project) == before
    assert "would add posts" in err
    assert "+++ b/src/demo/registry.py" in out
    assert "+from .resources.posts import resource as posts" in out


def test_when_the_types_are_asked_then_every_type_is_listed(project: Path) -> None:
    code, out, _ = scaffold(project, "add", "resource", "--types", "--json")

    assert code == 0
    assert len(json.loads(out)) == 14
    assert "decimal{precision,scale}" in scaffold(project, "add", "resource", "--types")[1]


class Refused(NamedTuple):
    args: tuple[str, ...]
    code: int
    message: str
    prepare: Callable[[Path], None] | None = None


def _edit_registry(project: Path) -> None:
    with (project / "src/demo/registry.py").open("a") as registry:
        registry.write("# mine\n")


def _add_posts(project: Path) -> None:
    assert scaffold(project, "add", "resource", *POSTS)[0] == 0


def _second_head(project: Path) -> None:
    versions = project / "src/demo/migrations/versions"
    (versions / "0002_other.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    (versions / "0003_another.py").write_text('revision = "0003"\ndown_revision = "0001"\n')


def _in_the_way(project: Path) -> None:
    (project / "tests/resources").mkdir()
    (project / "tests/resources/test_posts.py").write_text("# the user's own\n")


REFUSALS: dict[str, Refused] = {
    "bad-name": Refused(("Posts", "title:str"), 2, "snake_case"),
    "reserved-users": Refused(("users", "title:str"), 2, "reserved"),
    "reserved-sessions": Refused(("sessions", "title:str"), 2, "reserved"),
    "reserved-alembic": Refused(("alembic_version", "title:str"), 2, "reserved"),
    "keyword-name": Refused(("class", "title:str"), 2, "Python keyword"),
    "irregular-plural": Refused(("people", "name:str"), 2, "--singular"),
    "no-fields": Refused(("posts",), 2, "at least one FIELD"),
    "unknown-type": Refused(("posts", "title:strng"), 2, "did you mean 'str'"),
    "reserved-field": Refused(("posts", "owner_id:int"), 2, "reserved"),
    "duplicate-field": Refused(("posts", "a:int", "a:str"), 2, "clashes"),
    "bad-default": Refused(("posts", "n:int=five"), 2, "not a valid int"),
    "bad-enum-default": Refused(("posts", "s:enum{a,b}=c"), 2, "not one of"),
    "missing-reference": Refused(("posts", "c:ref{categories}"), 2, "does not have"),
    "bad-access": Refused(("posts", "title:str", "--access", "anyone"), 2, "not one of"),
    "bad-migration-id": Refused(("posts", "title:str", "--migration-id", "no-dashes"), 2, "--migration-id"),
    "missing-path": Refused(("posts", "title:str", "--path", "elsewhere"), 2, "not a folder"),
    "not-a-project": Refused(("posts", "title:str", "--path", "src"), 2, "not a project made by scaffold"),
    "edited-registry": Refused(("tags", "name:str"), 3, "edited by hand", _edit_registry),
    "other-definition": Refused(("posts", "title:str{80}"), 3, "another definition", _add_posts),
    "file-in-the-way": Refused(POSTS, 3, "exists already", _in_the_way),
    "two-heads": Refused(("tags", "name:str"), 3, "2 heads", _second_head),
    "no-registry": Refused(
        ("tags", "name:str"), 3, "older scaffold", lambda p: (p / "src/demo/registry.py").unlink()
    ),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_when_add_is_refused_then_the_exit_code_the_error_and_the_tree_as_it_was(
    case: str, project: Path
) -> None:
    refused = REFUSALS[case]
    if refused.prepare is not None:
        refused.prepare(project)
    before = snapshot(project)

    answer = scaffold(project, "add", "resource", *refused.args)

    FIGURES.add("tool.bad_invocations")
    # Only a refused registry shows more: the diff of what was edited.
    assert_refused(
        project,
        before,
        answer,
        refused.code,
        refused.message,
        more_lines=case in ("edited-registry", "no-registry"),
    )


def test_when_the_project_has_no_auth_then_access_other_than_public_is_refused(
    made: Callable[[str], Path], tmp_path: Path
) -> None:
    target = tmp_path / "demo"
    shutil.copytree(made("flask-sqlite-none"), target, symlinks=True)

    code, _, err = scaffold(target, "add", "resource", "posts", "title:str", "--access", "owner")

    assert code == 2
    assert "only public fits" in err
    assert scaffold(target, "add", "resource", "posts", "title:str")[0] == 0
    assert "public" in scaffold(target, "resources")[1]


def test_when_a_killed_add_left_its_change_committed_then_the_next_run_finishes_it(project: Path) -> None:
    code, out, _ = scaffold(project, "add", "resource", *POSTS, "--dry-run", "--json", "--migration-id", "p1")
    assert code == 0
    # What a run killed just after its commit leaves: the change folder with its journal.
    done = project.parent / "done"
    shutil.copytree(project, done, symlinks=True)
    assert scaffold(done, "add", "resource", *POSTS, "--migration-id", "p1")[0] == 0
    committed = project / changes.COMMITTED
    (committed / "files").mkdir(parents=True)
    journal = []
    for number, entry in enumerate(json.loads(out)["files"]):
        (committed / "files" / str(number)).write_bytes((done / entry["path"]).read_bytes())
        journal.append({"path": entry["path"], "action": entry["action"]})
    (committed / changes.JOURNAL).write_text(json.dumps(journal))

    code, out, _ = scaffold(project, "resources")

    assert code == 0
    assert out.startswith("posts  /api/posts")
    assert snapshot(project) == snapshot(done)


def test_when_names_are_as_long_as_allowed_then_the_files_pass_the_projects_own_lint(
    project: Path,
) -> None:
    first, second = "a" * 29 + "s", "b" * 29 + "s"
    long_field = "f" * 30
    assert (
        scaffold(project, "add", "resource", first, f"{long_field}:str:unique", "--access", "private")[0] == 0
    )
    fields = [
        f"{long_field}:decimal{{18,6}}=0",
        f"{'r' * 30}:ref{{{first}}}?",
        f"{'e' * 30}:enum{{{'v' * 30},w}}={'v' * 30}",
    ]
    code, _, err = scaffold(project, "add", "resource", second, *fields, "--access", "public-read")

    assert code == 0, err
    for check in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *check], cwd=project, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout


def test_when_a_field_is_completed_then_its_types_are_offered_after_the_colon(project: Path) -> None:
    import click

    from scaffold.cli_resources import _complete_type

    _add_posts(project)
    ctx = click.Context(click.Command("resource"))
    ctx.params = {"path": str(project)}
    assert _complete_type(ctx, "price:d") == ["price:decimal", "price:date", "price:datetime"]
    assert _complete_type(ctx, "price") == []
    # A reference completes with the resources the project has.
    assert _complete_type(ctx, "post:ref{") == ["post:ref{posts}"]
    assert _complete_type(ctx, "post:ref{x") == []
    ctx.params = {"path": str(project / "src")}
    assert _complete_type(ctx, "post:ref{") == []


# --------------------------------------------------------------------------- resources on `new`

CATEGORIES = "categories name:str{60}:unique"
REFERRING = "links target:url category:ref{categories} --access public-read"


def _tree(root: Path) -> dict[str, bytes]:
    """A project's files, without what differs by design between two makings of it."""
    random = {".env", ".scaffold.toml"}  # a fresh secret; the record is compared on its own
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".agent-tokens" not in p.parts
        and str(p.relative_to(root)) not in random and "migrations/versions/2" not in str(p)
    }  # fmt: skip


def test_when_new_is_given_resources_then_the_project_is_the_one_add_makes_in_its_first_commit(
    made: Callable[[str], Path], tmp_path: Path
) -> None:
    identity = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
                for what, value in (("NAME", "Ada"), ("EMAIL", "ada@example.com"))}  # fmt: skip
    result = run_scaffold(
        "new", "demo", "--stack", "fastapi-sqlite-jwt", "-q",
        "--resource", CATEGORIES, "--resource", REFERRING, cwd=tmp_path, env=identity,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    made_new = tmp_path / "demo"
    by_add = tmp_path / "by-add" / "demo"
    shutil.copytree(made("fastapi-sqlite-jwt"), by_add, symlinks=True)
    for text in (CATEGORIES, REFERRING):
        assert scaffold(by_add, "add", "resource", *text.split())[0] == 0

    assert _tree(made_new) == _tree(by_add)
    record = tomllib.loads((made_new / ".scaffold.toml").read_text())
    assert [(r["name"], r["access"]) for r in record["resources"]] == [
        ("categories", "owner"), ("links", "public-read"),
    ]  # fmt: skip
    migrations = sorted((made_new / "src/demo/migrations/versions").glob("2*.py"))
    assert [m.name.split("_", 1)[1] for m in migrations] == ["categories.py", "links.py"]
    tree = ["git", "ls-tree", "-r", "--name-only", "HEAD"]
    committed = subprocess.run(tree, cwd=made_new, capture_output=True, text=True, check=True).stdout.split()
    assert {"src/demo/resources/links/routes.py", "tests/resources/test_categories.py"} <= set(committed)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=made_new, capture_output=True, text=True)
    assert status.stdout == ""


def test_when_a_record_with_resources_is_replayed_then_the_same_project_is_made(tmp_path: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    made = run_scaffold(
        "new", "demo", "--stack", "flask-postgres-session", "--no-git", "-q",
        "--resource", CATEGORIES, "--resource", REFERRING, cwd=first,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    again = tmp_path / "again"
    again.mkdir()

    replayed = run_scaffold(
        "new", "demo", "--no-git", "-q", "--config", str(first / "demo/.scaffold.toml"), cwd=again
    )

    assert replayed.returncode == 0, replayed.stderr
    assert _tree(again / "demo") == _tree(first / "demo")
    # The same migrations under the same revision ids: a replayed project upgrades the same database.
    assert [p.name for p in sorted((again / "demo/src/demo/migrations/versions").iterdir())] == [
        p.name for p in sorted((first / "demo/src/demo/migrations/versions").iterdir())
    ]
    listed = [scaffold(root / "demo", "resources", "--json")[1] for root in (first, again)]
    assert listed[0] == listed[1]


def test_when_new_with_resources_is_a_dry_run_then_their_files_are_listed_and_nothing_written(
    tmp_path: Path,
) -> None:
    result = run_scaffold(
        "new", "demo", "--stack", "flask-sqlite-jwt", "--dry-run", "--json", "--resource", CATEGORIES,
        cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)["files"]
    assert {"src/demo/resources/categories/service.py", "tests/resources/test_categories.py"} <= set(files)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- Express


def test_when_resources_are_added_to_express_then_each_migration_takes_the_next_number(
    made: Callable[[str], Path], tmp_path: Path
) -> None:
    target = tmp_path / "demo"
    shutil.copytree(made("express-sqlite-jwt"), target, symlinks=True)

    code, out, err = scaffold(target, "add", "resource", *CATEGORIES.split(), "--json")
    assert code == 0, err
    assert json.loads(out)["migration"] == "0002"
    refused = {
        "0002": (3, "is taken by 0002_categories.sql"),
        "0001": (3, "is taken by 0001_initial.sql"),
        "p1": (2, "named by its number"),
    }
    for wanted, (exit_code, message) in refused.items():
        before = snapshot(target)
        code, _, err = scaffold(target, "add", "resource", *POSTS, "--migration-id", wanted)
        assert (code, message in err) == (exit_code, True), err
        assert snapshot(target) == before
    code, _, err = scaffold(target, "add", "resource", *POSTS, "c:ref{categories}", "--migration-id", "0010")

    assert code == 0, err
    assert sorted(p.name for p in (target / "migrations").iterdir()) == [
        "0001_initial.sql", "0002_categories.sql", "0010_posts.sql",
    ]  # fmt: skip
    sql = (target / "migrations/0010_posts.sql").read_text()
    assert 'CONSTRAINT uq_posts_title UNIQUE ("title")' in sql
    assert "REFERENCES users (id) ON DELETE CASCADE" in sql
    assert 'FOREIGN KEY ("c_id") REFERENCES "categories" (id)' in sql
    assert "import * as posts from './resources/posts/index.js';" in (target / "src/registry.js").read_text()
    assert {"src/resources/posts/index.js", "tests/resources/posts.test.js"} <= {
        p.relative_to(target).as_posix() for p in target.rglob("*.js")
    }
