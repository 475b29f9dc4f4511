"""Rendering templates: cookiecutter's rules, without cookiecutter."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from scaffold import render
from scaffold.errors import GenerationError
from tests.helpers import build_file_tree

HOOK = """
DATABASE = "{{ cookiecutter.database }}"

def left_out(database, auth):
    return ["auth"] if auth == "none" else []

if __name__ == "__main__":
    raise SystemExit("must not run on import")
"""


@pytest.fixture
def template(tmp_path: Path) -> Path:
    root = tmp_path / "tpl"
    build_file_tree(
        {
            "cookiecutter.json": json.dumps(
                {
                    "project_slug": "demo",
                    "package_name": "{{ cookiecutter.project_slug | replace('-', '_') }}",
                    "database": ["sqlite", "postgres"],
                    "auth": ["jwt", "none"],
                    "_copy_without_render": ["static/*"],
                }
            ),
            "hooks/post_gen_project.py": HOOK,
            "{{cookiecutter.project_slug}}/README.md": "# {{ cookiecutter.project_slug }}\n",
            "{{cookiecutter.project_slug}}/src/{{cookiecutter.package_name}}/__init__.py": (
                'DB = "{{ cookiecutter.database }}"\n'
            ),
            "{{cookiecutter.project_slug}}/auth/login.py": "AUTH = '{{ cookiecutter.auth }}'\n",
            "{{cookiecutter.project_slug}}/static/page.html": "{{ not rendered }}\n",
            "{{cookiecutter.project_slug}}/logo.bin": b"\x89PNG\x00{{ x }}",
            "{{cookiecutter.project_slug}}/win.txt": b"line {{ cookiecutter.auth }}\r\nnext\r\n",
            "{{cookiecutter.project_slug}}/run.sh": "#!/bin/sh\necho {{ cookiecutter.package_name }}\n",
        },
        root,
    )
    (root / "{{cookiecutter.project_slug}}/run.sh").chmod(0o755)
    return root


def _files(template: Path, **answers: str) -> dict[str, render.RenderedFile]:
    return {f.path: f for f in render.render_template(template, answers)}


def test_when_rendering_then_defaults_derive_from_earlier_answers(template: Path) -> None:
    files = _files(template, project_slug="my-app")
    assert "src/my_app/__init__.py" in files
    assert files["src/my_app/__init__.py"].data == b'DB = "sqlite"\n'
    assert files["README.md"].data == b"# my-app\n"


def test_when_a_choice_is_given_then_it_is_used_and_the_hook_leaves_files_out(template: Path) -> None:
    with_auth = _files(template, database="postgres")
    without = _files(template, auth="none")
    assert with_auth["src/demo/__init__.py"].data == b'DB = "postgres"\n'
    assert "auth/login.py" in with_auth
    assert not any(p.startswith("auth/") for p in without)


def test_when_a_file_is_binary_or_copy_only_then_it_is_copied_as_is(template: Path) -> None:
    files = _files(template)
    assert files["logo.bin"].data == b"\x89PNG\x00{{ x }}"
    assert files["static/page.html"].data == b"{{ not rendered }}\n"


def test_when_a_template_file_uses_crlf_then_the_output_keeps_it(template: Path) -> None:
    assert _files(template)["win.txt"].data == b"line jwt\r\nnext\r\n"


def test_when_a_template_file_is_executable_then_its_mode_is_kept(template: Path) -> None:
    files = _files(template)
    assert files["run.sh"].mode & stat.S_IXUSR
    assert not files["README.md"].mode & stat.S_IXUSR


def test_when_a_variable_is_undefined_then_rendering_fails_loudly(template: Path) -> None:
    (template / "{{cookiecutter.project_slug}}/bad.txt").write_text("{{ cookiecutter.nope }}\n")
    with pytest.raises(GenerationError, match=r"failed to render in bad\.txt: .*nope"):
        render.render_template(template, {})


def test_when_an_answer_is_not_a_listed_choice_then_it_is_refused(template: Path) -> None:
    with pytest.raises(GenerationError, match="'mysql' is not one of database: sqlite, postgres"):
        render.render_template(template, {"database": "mysql"})


def test_when_an_answer_names_no_variable_then_it_is_refused(template: Path) -> None:
    with pytest.raises(GenerationError, match="has no variable colour"):
        render.render_template(template, {"colour": "blue"})


def test_when_rendered_twice_then_the_bytecode_cache_is_used_and_results_agree(
    template: Path, isolated_home: Path
) -> None:
    first = render.render_template(template, {})
    cache = isolated_home / ".cache" / "scaffold"
    assert any(cache.rglob("*.cache"))
    assert render.render_template(template, {}) == first
