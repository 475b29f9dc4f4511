"""Project names: what is accepted, what is refused and why."""

from __future__ import annotations

import pytest

from scaffold import naming
from scaffold.errors import InvalidNameError


@pytest.mark.parametrize(
    ("name", "package", "npm"),
    [
        ("demo", "demo", "demo"),
        ("my-app", "my_app", "my-app"),
        ("My.Service_2", "my_service_2", "my-service-2"),
        ("_private", "_private", "-private"),
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
