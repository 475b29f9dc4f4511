"""Project names: what is accepted, what is refused and why."""

from __future__ import annotations

import json
import shutil
import string
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaffold import naming
from scaffold.errors import InvalidNameError


@pytest.mark.parametrize(
    ("name", "package", "npm"),
    [
        ("demo", "demo", "demo"),
        ("my-app", "my_app", "my-app"),
        ("My.Service_2", "my_service_2", "my.service_2"),
        ("My.Proj", "my_proj", "my.proj"),
        ("_private", "_private", "private"),
        ("__init__", "__init__", "init__"),
        ("http", "http", "http-app"),
        ("Favicon.ico", "favicon_ico", "favicon.ico-app"),
        ("a" * 64, "a" * 64, "a" * 64),
    ],
)
def test_when_a_name_is_valid_then_package_names_derive_from_it(name: str, package: str, npm: str) -> None:
    result = naming.validate(name)
    assert (result.folder, result.package) == (name, package)
    assert result.npm == npm
    assert result.package.isidentifier()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "project name is empty"),
        ("   ", "project name is empty"),
        ("a/b", "must be a plain folder name, not a path"),
        ("a\\b", "must be a plain folder name, not a path"),
        ("..", "must be a plain folder name, not a path"),
        ("x..y", "must be a plain folder name, not a path"),
        ("/abs", "must be a plain folder name, not a path"),
        ("1app", "starts with a digit"),
        ("-app", "starts with '-'"),
        ("class", "is a Python keyword"),
        ("match", "is a Python keyword"),
        ("flask", "would shadow the 'flask' package"),
        ("test", "would shadow the 'test' package"),
        ("SQLAlchemy", "would shadow the 'sqlalchemy' package"),
        ("a" * 65, "65 characters long; at most 64"),
        ("my app", "may hold only letters, digits"),
        ("café", "may hold only letters, digits"),
        (".hidden", "may hold only letters, digits"),
    ],
)
def test_when_a_name_is_unusable_then_it_is_refused_with_the_reason(name: str, reason: str) -> None:
    with pytest.raises(InvalidNameError) as info:
        naming.validate(name)
    message = str(info.value)
    assert reason in message
    assert "\n" not in message


# Names the rules accept, of every shape: any case, punctuation after the first character.
NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}", fullmatch=True)
EDGES = [
    "My.Proj",
    "_x",
    "__",
    "_.",
    "_-v_",
    "_.-x",
    "http",
    "Crypto",
    "zlib",
    "node_modules_",
    "A" * 64,
    "a.b-c_d",
]


@pytest.fixture(scope="module")
def npm_validator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """npm's own name validator, installed from the registry into a folder of its own."""
    npm = shutil.which("npm")
    assert npm, "the npm name test needs npm (Node is installed by scripts/test)"
    folder = tmp_path_factory.mktemp("validator")
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefer-offline", "validate-npm-package-name@^8"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    return folder


def test_when_any_valid_name_is_given_then_npm_accepts_its_package_name(npm_validator: Path) -> None:
    names = set(EDGES)

    @settings(max_examples=400, deadline=None)
    @given(NAMES)
    def collect(text: str) -> None:
        names.add(text)

    collect()
    derived = {}
    for name in sorted(names):
        try:
            derived[name] = naming.validate(name).npm
        except InvalidNameError:
            continue
    assert len(derived) > 100, "too few valid names to say anything"
    script = (
        "const validate = require('validate-npm-package-name');"
        "const names = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const bad = names.filter((n) => !validate(n).validForNewPackages)"
        ".map((n) => [n, validate(n).errors, validate(n).warnings]);"
        "console.log(JSON.stringify(bad));"
    )
    result = subprocess.run(
        ["node", "-e", script],
        cwd=npm_validator,
        input=json.dumps(sorted(set(derived.values()))),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == []
    assert all(set(npm) <= set(string.ascii_lowercase + string.digits + "._-") for npm in derived.values())
