"""The rendered-skeleton cache: the same files as rendering, or no cache at all."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest

from scaffold import render, skeleton, stacks
from tests.helpers import build_file_tree

BUILT = [s for s in stacks.all_stacks() if s.built]


def answers(stack: stacks.Stack, name: str = "shop-api", secret: str = "k" * 64) -> dict[str, str]:
    return {
        "project_slug": name,
        "package_name": name.replace("-", "_"),
        "database": stack.database,
        "auth": stack.auth,
        "secret_key": secret,
    }


def cache_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "scaffold").glob("*/skeleton-*")) + sorted(
        (home / ".cache" / "scaffold").glob("skeleton-*")
    )


@pytest.mark.parametrize("stack", BUILT, ids=lambda s: s.name)
def test_when_cold_and_warm_then_the_files_equal_a_full_render(
    stack: stacks.Stack, isolated_home: Path
) -> None:
    expected = render.render(stack.framework, answers(stack, "other-name", "z" * 64))
    cold = skeleton.render_cached(stack.framework, answers(stack, "other-name", "z" * 64))
    (cached,) = cache_files(isolated_home)
    _, stored = marshal.loads(cached.read_bytes())
    assert isinstance(stored, list), "the built-in template must stay cacheable, or every run pays for Jinja"
    warm = skeleton.render_cached(stack.framework, answers(stack, "other-name", "z" * 64))
    assert cold == expected
    assert warm == expected


def _template(root: Path, body: str) -> Path:
    build_file_tree(
        {
            "cookiecutter.json": json.dumps({"project_slug": "demo", "auth": ["jwt", "none"]}),
            "{{cookiecutter.project_slug}}/a.txt": body,
            "{{cookiecutter.project_slug}}/{{cookiecutter.project_slug}}.cfg": "x\n",
        },
        root,
    )
    return root


@pytest.mark.parametrize(
    "body",
    [
        "{{ cookiecutter.project_slug | upper }}\n",
        "{{ cookiecutter.project_slug | lower }}\n",
        "{{ cookiecutter.project_slug | replace('-', '_') }}\n",
        "{{ cookiecutter.project_slug | length }}\n",
        "{{ cookiecutter.project_slug[0] }}\n",
        "{% if cookiecutter.project_slug.endswith('_') %}odd{% endif %}\n",
    ],
)
def test_when_a_template_transforms_free_text_then_it_is_rendered_in_full(
    body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(tmp_path / "tpl", body)
    monkeypatch.setattr(render, "template_dir", lambda framework: template)
    for name in ("My-App_", "Zed"):
        given = {"project_slug": name, "auth": "jwt"}
        assert skeleton.render_cached("x", given) == render.render_template(template, given)


def test_when_a_template_only_pastes_free_text_then_substitution_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(
        tmp_path / "tpl", "name={{ cookiecutter.project_slug }} auth={{ cookiecutter.auth }}\n"
    )
    monkeypatch.setattr(render, "template_dir", lambda framework: template)
    skeleton.render_cached("x", {"project_slug": "first", "auth": "none"})
    files = {f.path: f.data for f in skeleton.render_cached("x", {"project_slug": "My-App", "auth": "none"})}
    assert files == {"a.txt": b"name=My-App auth=none\n", "My-App.cfg": b"x\n"}


def test_when_the_template_changes_then_the_cached_skeleton_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(tmp_path / "tpl", "v1 {{ cookiecutter.project_slug }}\n")
    monkeypatch.setattr(render, "template_dir", lambda framework: template)
    given = {"project_slug": "app", "auth": "jwt"}
    assert skeleton.render_cached("x", given)[0].data == b"v1 app\n"
    (template / "{{cookiecutter.project_slug}}/a.txt").write_text(
        "version two {{ cookiecutter.project_slug }}\n"
    )
    assert skeleton.render_cached("x", given)[0].data == b"version two app\n"


def test_when_the_cache_file_is_damaged_then_it_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    template = _template(tmp_path / "tpl", "{{ cookiecutter.project_slug }}\n")
    monkeypatch.setattr(render, "template_dir", lambda framework: template)
    given = {"project_slug": "app", "auth": "jwt"}
    skeleton.render_cached("x", given)
    (cached,) = cache_files(isolated_home)
    cached.write_bytes(b"\x00garbage")
    assert skeleton.render_cached("x", given)[0].data == b"app\n"


def test_when_no_cache_folder_can_be_made_then_rendering_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    stack = BUILT[0]
    assert skeleton.render_cached(stack.framework, answers(stack)) == render.render(
        stack.framework, answers(stack)
    )
