"""Properties of the input rules: any text is either accepted as documented or refused with one line."""

from __future__ import annotations

import keyword
import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scaffold import naming, stacks
from scaffold.errors import InvalidNameError, UnknownChoiceError, UsageError
from tests.figures import FIGURES

# Text of every kind: control characters, emoji, separators, lone surrogates.
ANY_TEXT = st.text(max_size=120)
# Text close to real input, so that the accepting branches are reached often too.
NAME_LIKE = st.text(alphabet=string.ascii_letters + string.digits + "_.-/\\ \n\t\u00e9", max_size=70)
STACK_WORDS = st.sampled_from(
    [*stacks.FRAMEWORKS, *stacks.DATABASES, *stacks.AUTH_MODES, "postgresql", "mongo", "flaks", "", " "]
)
STACK_LIKE = st.lists(STACK_WORDS, max_size=4).map("-".join)

PROPERTIES = settings(max_examples=500, deadline=None)


def one_clear_line(error: Exception) -> str:
    """The error's message, after checking it is one printable line of sensible length."""
    message = str(error)
    assert message, f"{type(error).__name__} without a message"
    assert "\n" not in message, repr(message)
    assert "\r" not in message, repr(message)
    assert message.isprintable(), repr(message)
    assert len(message) <= 400, repr(message)
    return message


def check_name(text: str) -> naming.ProjectName | None:
    """validate(text), or None after checking the refusal is the documented one-line error."""
    FIGURES.add("tool.property.names")
    try:
        return naming.validate(text)
    except InvalidNameError as error:
        refusal = one_clear_line(error)
    assert refusal.startswith("project name"), refusal
    return None


@PROPERTIES
@given(st.one_of(ANY_TEXT, NAME_LIKE))
@example("a\nb")
@example("ok\x00name")
@example("x" * 65)
@example("名前")
@example("my-app")
def test_when_any_text_is_a_project_name_then_it_is_valid_or_refused_in_one_line(text: str) -> None:
    name = check_name(text)
    if name is None:
        return
    # Accepted: usable as a folder, a Python package and an npm name.
    assert name.folder == text
    assert 1 <= len(text) <= naming.MAX_LENGTH
    assert "/" not in text
    assert "\\" not in text
    assert text not in (".", "..")
    assert name.package.isidentifier(), name
    assert name.package.isascii(), name
    assert not keyword.iskeyword(name.package), name
    assert name.package not in naming.SHADOWED, name
    assert name.npm == name.npm.lower(), name


def check_stack(text: str) -> stacks.Stack | None:
    FIGURES.add("tool.property.stacks")
    try:
        return stacks.parse_stack(text)
    except UnknownChoiceError as error:
        one_clear_line(error)
        return None


@PROPERTIES
@given(st.one_of(ANY_TEXT, STACK_LIKE))
@example("flask-sqlite")
@example("FLASK-Postgresql-Session")
@example("flask-\nsqlite")
@example("-")
def test_when_any_text_is_a_stack_then_a_known_stack_or_one_line(text: str) -> None:
    stack = check_stack(text)
    if stack is None:
        return
    assert stack in stacks.all_stacks()
    framework, database = text.strip().split("-")[:2]
    assert stack.framework == stacks.canonical("framework", framework)
    assert stack.database == stacks.canonical("database", database)


@PROPERTIES
@given(
    st.one_of(st.none(), STACK_LIKE, ANY_TEXT),
    st.one_of(st.none(), STACK_WORDS, ANY_TEXT),
    st.one_of(st.none(), STACK_WORDS),
    st.one_of(st.none(), STACK_WORDS),
)
def test_when_any_choices_are_combined_then_a_selection_or_one_usage_error(
    stack: str | None, framework: str | None, database: str | None, auth: str | None
) -> None:
    FIGURES.add("tool.property.selections")
    try:
        selection = stacks.select(stack, framework, database, auth)
    except UsageError as error:
        one_clear_line(error)
        return
    complete = stacks.complete_with_defaults(selection)
    assert complete in stacks.all_stacks()
    given_values = {"framework": framework, "database": database, "auth": auth}
    for kind, value in given_values.items():
        if value is not None:
            assert getattr(complete, kind) == stacks.canonical(kind, value)
