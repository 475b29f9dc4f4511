"""`scaffold remove resource` on a generated project, through the real CLI: what is deleted, kept
and written, what is refused (exit code, one line, the tree unchanged), and adding it again.
The projects' own tests, boot and probes after a removal are in tests/e2e/test_resources.py."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.figures import FIGURES
from tests.helpers import assert_refused, run_scaffold, snapshot

CATEGORIES = ("categories", "name:str{60}:unique", "--migration-id", "c1")
POSTS = ("posts", "title:str{120}:unique", "body:text?", "category:ref{categories}?", "--migration-id", "p1")


def scaffold(project: Path, *args: str) -> tuple[int, str, str]:
    result = run_scaffold(*args, cwd=project)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A project of a stack with categories and posts (which refers to them), made once per stack
    and copied for each test."""
    cache: dict[str, Path] = {}
    home = tmp_path_factory.mktemp("cache")

    def make(stack: str) -> Path:
        if stack not in cache:
            out = tmp_path_factory.mktemp(stack)
            env = {"XDG_CACHE_HOME": str(home)}
            result = run_scaffold("new", "demo", "--stack", stack, "--no-git", "-q", cwd=out, env=env)
            assert result.returncode == 0, result.stderr
            for resource in (CATEGORIES, POSTS):
                # An Express migration is numbered: there the next numbers are taken.
                args = resource[:-2] if stack.startswith("express") else resource
                assert scaffold(out / "demo", "add", "resource", *args, "-q")[0] == 0
            cache[stack] = out / "demo"
        return cache[stack]

    return make


@pytest.fixture
def project(made: Callable[[str], Path], tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(made("flask-sqlite-jwt"), target, symlinks=True)
    return target


def added_files(project: Path, name: str) -> dict[str, str]:
    """The files `.scaffold.toml` records for a resource (all but its migration)."""
    record = tomllib.loads((project / ".scaffold.toml").read_text())
    return next(r["files"] for r in record["resources"] if r["name"] == name)


def test_when_a_resource_is_removed_then_its_files_go_a_drop_migration_comes_and_the_old_one_stays(
    project: Path,
) -> None:
    before = snapshot(project)
    files = added_files(project, "posts")

    code, out, err = scaffold(project, "remove", "resource", "posts", "--json")

    assert code == 0, err
    after = snapshot(project)
    assert not [path for path in files if path in after], "every unchanged file of posts is deleted"
    assert not (project / "src/demo/resources/posts").exists(), "and its folder"
    created = sorted(set(after) - set(before))
    assert len(created) == 1, created
    assert created[0].endswith("_drop_posts.py"), created
    changed = sorted(path for path in after if path in before and after[path] != before[path])
    assert changed == [".scaffold.toml", "src/demo/registry.py"]
    old = "src/demo/migrations/versions/p1_posts.py"
    assert after[old] == before[old], "the migration that made the table is never touched"
    drop = (project / created[0]).read_text()
    assert 'down_revision = "p1"' in drop
    assert 'op.drop_table("posts")' in drop.split("def downgrade")[0]
    assert 'op.create_table(\n        "posts"' in drop.split("def downgrade")[1], (
        "the downgrade makes it again"
    )
    assert "posts" not in (project / "src/demo/registry.py").read_text()
    record = tomllib.loads((project / ".scaffold.toml").read_text())
    assert [r["name"] for r in record["resources"]] == ["categories"]
    document = json.loads(out)
    assert document["migration"] == created[0]
    assert {f["path"]: f["action"] for f in document["files"]} == {
        **dict.fromkeys(files, "delete"), created[0]: "create",
        ".scaffold.toml": "update", "src/demo/registry.py": "update",
    }  # fmt: skip
    assert document["kept"] == []


def test_when_a_file_was_changed_then_it_is_kept_and_listed_unless_forced(project: Path) -> None:
    mine = project / "src/demo/resources/posts/service.py"
    mine.write_text(mine.read_text() + "\n# my own rule\n")

    code, _, err = scaffold(project, "remove", "resource", "posts")

    assert code == 0, err
    assert mine.is_file()
    assert mine.read_text().endswith("# my own rule\n")
    assert "keep  src/demo/resources/posts/service.py" in err
    assert "--force deletes it" in err
    assert not (project / "src/demo/resources/posts/models.py").exists()


def test_when_forced_then_changed_files_are_deleted_too(made: Callable[[str], Path], tmp_path: Path) -> None:
    project = tmp_path / "demo"
    shutil.copytree(made("flask-sqlite-jwt"), project, symlinks=True)
    mine = project / "src/demo/resources/posts/service.py"
    mine.write_text(mine.read_text() + "\n# my own rule\n")

    code, out, err = scaffold(project, "remove", "resource", "posts", "--force", "--json")

    assert code == 0, err
    assert not mine.exists()
    assert json.loads(out)["kept"] == []


def test_when_a_file_was_deleted_by_hand_then_the_rest_go_and_nothing_fails(project: Path) -> None:
    (project / "tests/resources/test_posts.py").unlink()

    code, _, err = scaffold(project, "remove", "resource", "posts")

    assert code == 0, err
    assert not (project / "src/demo/resources/posts").exists()


def test_when_dry_run_with_diff_then_the_plan_and_diffs_are_printed_and_nothing_is_written(
    project: Path,
) -> None:
    before = snapshot(project)

    code, out, err = scaffold(project, "remove", "resource", "posts", "--dry-run", "--diff")

    assert code == 0, err
    assert snapshot(project) == before
    assert "would remove posts" in err
    assert "delete  src/demo/resources/posts/models.py" in err
    assert "--- a/src/demo/resources/posts/models.py" in out
    assert "+def upgrade() -> None:" in out  # the new migration, in full
    assert "-from .resources.posts import resource as posts" in out  # the registry's change


def test_when_quiet_then_nothing_but_errors_is_printed(project: Path) -> None:
    code, out, err = scaffold(project, "remove", "resource", "posts", "-q")

    assert (code, out, err) == (0, "", "")


def test_when_removed_and_added_again_then_the_new_migration_follows_the_drop(project: Path) -> None:
    assert scaffold(project, "remove", "resource", "posts")[0] == 0
    drop = next((project / "src/demo/migrations/versions").glob("*_drop_posts.py")).stem.split("_")[0]

    code, _, err = scaffold(project, "add", "resource", *POSTS[:-2], "--migration-id", "p2")

    assert code == 0, err
    again = (project / "src/demo/migrations/versions/p2_posts.py").read_text()
    assert f'down_revision = "{drop}"' in again
    assert "posts" in scaffold(project, "resources")[1]


def test_when_the_referrer_goes_first_then_the_referred_one_may_go_after(project: Path) -> None:
    assert scaffold(project, "remove", "resource", "posts")[0] == 0

    code, _, err = scaffold(project, "remove", "resource", "categories")

    assert code == 0, err
    assert scaffold(project, "resources") == (0, "", "")
    drops = sorted((project / "src/demo/migrations/versions").glob("*_drop_*.py"))
    assert [p.stem.split("_", 1)[1] for p in drops] == ["drop_posts", "drop_categories"]


def test_when_removed_from_express_then_a_numbered_sql_migration_drops_the_table(
    made: Callable[[str], Path], tmp_path: Path
) -> None:
    project = tmp_path / "demo"
    shutil.copytree(made("express-sqlite-jwt"), project, symlinks=True)
    before = sorted(p.name for p in (project / "migrations").iterdir())

    code, _, err = scaffold(project, "remove", "resource", "posts")

    assert code == 0, err
    after = sorted(p.name for p in (project / "migrations").iterdir())
    assert after == [*before, "0004_drop_posts.sql"], after
    assert 'DROP TABLE "posts";' in (project / "migrations/0004_drop_posts.sql").read_text()
    assert not (project / "src/resources/posts").exists()
    assert not (project / "tests/resources/posts.test.js").exists()
    assert "posts" not in (project / "src/registry.js").read_text()


def _edit_registry(project: Path) -> None:
    registry = project / "src/demo/registry.py"
    registry.write_text(registry.read_text() + "# mine\n")


class Refused(NamedTuple):
    args: tuple[str, ...]
    code: int
    message: str
    prepare: Callable[[Path], None] | None = None


REFUSALS: dict[str, Refused] = {
    "unknown": Refused(("postz",), 3, "has no resource 'postz' (it has: categories, posts)"),
    "referred-to": Refused(("categories",), 3, "referred to by posts.category"),
    "edited-registry": Refused(("posts",), 3, "edited by hand", _edit_registry),
    "no-name": Refused((), 2, "Missing argument 'NAME'"),
    "not-a-project": Refused(("posts", "--path", "src"), 2, "not a project made by scaffold"),
    "missing-path": Refused(("posts", "--path", "elsewhere"), 2, "not a folder"),
    "unknown-option": Refused(("posts", "--forse"), 2, "No such option"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_when_remove_is_refused_then_the_exit_code_the_error_and_the_tree_as_it_was(
    case: str, project: Path
) -> None:
    refused = REFUSALS[case]
    if refused.prepare is not None:
        refused.prepare(project)
    before = snapshot(project)

    answer = scaffold(project, "remove", "resource", *refused.args)

    FIGURES.add("tool.bad_invocations")
    # Only a refused registry shows more: the diff of what was edited.
    assert_refused(
        project, before, answer, refused.code, refused.message, more_lines=case == "edited-registry"
    )


def test_when_the_project_is_on_mongodb_then_remove_is_refused_as_not_built(tmp_path: Path) -> None:
    out = tmp_path / "m"
    out.mkdir()
    assert (
        run_scaffold("new", "demo", "--stack", "flask-mongodb-jwt", "--no-git", "-q", cwd=out).returncode == 0
    )
    record = out / "demo/.scaffold.toml"
    record.write_text(record.read_text() + '\n[[resources]]\nname = "posts"\nfields = ["title:str"]\n')
    before = snapshot(out / "demo")

    code, _, err = scaffold(out / "demo", "remove", "resource", "posts")

    FIGURES.add("tool.bad_invocations")
    assert code == 2, err
    assert "not available for mongodb projects yet" in err
    assert snapshot(out / "demo") == before


def test_when_a_resource_was_added_by_a_scaffold_that_recorded_no_hashes_then_its_files_are_compared_as_made(
    project: Path,
) -> None:
    record = project / ".scaffold.toml"
    lines = record.read_text().splitlines(keepends=True)
    record.write_text("".join(line for line in lines if not line.startswith(('"', "[resources.files]"))))
    assert "files" not in tomllib.loads(record.read_text())["resources"][1]
    mine = project / "tests/resources/test_posts.py"
    mine.write_text(mine.read_text() + "# mine\n")

    code, _, err = scaffold(project, "remove", "resource", "posts")

    assert code == 0, err
    assert not (project / "src/demo/resources/posts/models.py").exists(), (
        "unchanged: rendered again, the same"
    )
    assert mine.is_file(), "changed: kept"


def test_when_the_name_is_completed_then_the_recorded_resources_are_offered(project: Path) -> None:
    import click

    from scaffold.cli_resources import _complete_recorded

    ctx = click.Context(click.Command("resource"))
    ctx.params = {"path": str(project)}
    assert _complete_recorded(ctx, "p") == ["posts"]
    assert _complete_recorded(ctx, "") == ["categories", "posts"]
    ctx.params = {"path": str(project / "src")}
    assert _complete_recorded(ctx, "") == []
