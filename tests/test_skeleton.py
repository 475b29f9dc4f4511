"""The rendered-skeleton cache: the same files as rendering, or no cache at all."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scaffold import generate, naming, render, skeleton, stacks
from scaffold.errors import InvalidNameError
from tests.helpers import build_file_tree

STACKS = stacks.all_stacks()


def answers(stack: stacks.Stack, name: str = "shop-api", secret: str = "k" * 64) -> dict[str, str]:
    """The answers `scaffold new` gives the template, with a fixed secret."""
    return {**generate.answers_for(stack, naming.validate(name)), "secret_key": secret}


def _is_valid_name(name: str) -> bool:
    try:
        naming.validate(name)
    except InvalidNameError:
        return False
    return True


def cache_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "scaffold").glob("*/skeleton-*")) + sorted(
        (home / ".cache" / "scaffold").glob("skeleton-*")
    )


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
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
        # Blocks that transform or capture the text they enclose, a pasted answer included.
        "{% filter truncate(40) %}{{ cookiecutter.project_slug }}{% endfilter %}\n",
        "{% filter upper %}{{ cookiecutter.project_slug }}{% endfilter %}\n",
        "{% set s %}{{ cookiecutter.project_slug }}{% endset %}{{ s[:3] }}\n",
        "{% macro m() %}{{ cookiecutter.project_slug }}{% endmacro %}{{ m() | title }}\n",
        "{% autoescape true %}{{ cookiecutter.project_slug }}{% endautoescape %}\n",
        "{% with x = 1 %}{{ cookiecutter.project_slug }}{% endwith %}\n",
    ],
)
def test_when_a_template_transforms_free_text_then_it_is_rendered_in_full(
    body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = _template(tmp_path / "tpl", body)
    monkeypatch.setattr(render, "template_dir", lambda framework: template)
    for name in ("My-App_", "Zed", "a" * 30 + "-" + "b" * 29):
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
    stack = STACKS[0]
    assert skeleton.render_cached(stack.framework, answers(stack)) == render.render(
        stack.framework, answers(stack)
    )


def test_when_a_template_sets_a_variable_from_a_choice_then_it_stays_cacheable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    body = (
        '{%- set kind = "a" if cookiecutter.auth == "jwt" else "b" -%}'
        "{{ kind }} {{ cookiecutter.project_slug }}\n"
    )
    template = _template(tmp_path / "tpl", body)
    monkeypatch.setattr(render, "template_dir", lambda framework: template)
    given = {"project_slug": "shop", "auth": "jwt"}
    assert skeleton.render_cached("x", given) == render.render_template(template, given)
    (cached,) = cache_files(isolated_home)
    assert isinstance(marshal.loads(cached.read_bytes())[1], list)


def test_when_compiled_python_lies_in_the_template_then_no_path_renders_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pip compiles every .py of a wheel it installs, next to the packaged templates.
    template = _template(tmp_path / "tpl", "{{ cookiecutter.project_slug }}\n")
    build_file_tree(
        {
            "{{cookiecutter.project_slug}}/__pycache__/a.cpython-311.pyc": b"\x00\x01",
            "{{cookiecutter.project_slug}}/b.pyc": b"\x00\x02",
            "hooks/__pycache__/post_gen_project.cpython-311.pyc": b"\x00\x03",
        },
        template,
    )
    monkeypatch.setattr(render, "template_dir", lambda framework: template)
    given = {"project_slug": "app", "auth": "jwt"}
    full = [f.path for f in render.render_template(template, given)]
    cached = [f.path for f in skeleton.render_cached("x", given)]
    assert full == cached == ["a.txt", "app.cfg"]


# Valid project names of every shape the rules allow: 1 to 64 characters, punctuation anywhere
# after the first, any case.
VALID_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}", fullmatch=True).filter(_is_valid_name)


@pytest.mark.parametrize("stack", STACKS, ids=lambda s: s.name)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=VALID_NAMES)
@example(name="N" + "a-b." * 15 + "xyz")  # 64 characters
@example(name="_x")
def test_when_any_valid_name_is_rendered_then_the_cache_gives_the_same_bytes(
    stack: stacks.Stack, name: str
) -> None:
    given_answers = generate.answers_for(stack, naming.validate(name))
    assert skeleton.render_cached(stack.framework, given_answers) == render.render(
        stack.framework, given_answers
    )
