"""The field grammar and vocabulary, and what makes a resource: each rule and each refusal."""

from __future__ import annotations

import tomllib

import pytest

from scaffold import fields, resources
from scaffold.errors import UsageError
from scaffold.fields import FieldError


def test_when_the_vocabulary_is_listed_then_it_has_the_fourteen_types_of_the_design() -> None:
    assert list(fields.TYPES) == [
        "str", "text", "int", "float", "decimal", "bool", "date", "datetime", "uuid",
        "email", "url", "enum", "json", "ref",
    ]  # fmt: skip
    unsortable = {name for name, kind in fields.TYPES.items() if not kind.sortable}
    unfilterable = {name for name, kind in fields.TYPES.items() if not kind.filterable}
    assert unsortable == unfilterable == {"text", "json"}
    ordered = {name for name, kind in fields.TYPES.items() if "gte" in kind.operators}
    assert ordered == {"int", "float", "decimal", "date", "datetime"}
    textual = {name for name, kind in fields.TYPES.items() if "icontains" in kind.operators}
    assert textual == {"str", "email", "url"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title:str", {"type": "str", "max_length": 255, "optional": False}),
        ("title:str{120}:unique", {"max_length": 120, "unique": True}),
        ("code:str{2,8}", {"min_length": 2, "max_length": 8}),
        ("body:text?", {"type": "text", "optional": True}),
        ("price:decimal{10,2}=0", {"precision": 10, "scale": 2, "default": "0.00"}),
        ("price:decimal", {"precision": 10, "scale": 2, "has_default": False}),
        ("status:enum{draft,published}=draft", {"choices": ("draft", "published"), "default": "draft"}),
        ("published_at:datetime?:index", {"optional": True, "index": True}),
        ("category:ref{categories}?", {"target": "categories", "optional": True}),
        ("done:bool=false", {"default": False, "has_default": True}),
        ("stock:int=-3", {"default": -3}),
        ("ratio:float=0.5", {"default": 0.5}),
        ("due:date=2026-02-28", {"default": "2026-02-28"}),
        ("at:datetime=2026-01-01T10:00:00+02:00", {"default": "2026-01-01T08:00:00.000Z"}),
        ('meta:json={"a": 1}', {"default": {"a": 1}}),
        ("order:int", {"name": "order"}),  # SQL words are natural names: quoted, not refused
    ],
)
def test_when_a_field_is_parsed_then_its_rules_are_those_written(text: str, expected: dict) -> None:
    parsed = fields.parse(text)
    for key, value in expected.items():
        assert getattr(parsed, key) == value, key


def test_when_a_reference_is_parsed_then_it_is_stored_and_answered_as_name_id() -> None:
    assert fields.parse("category:ref{categories}").column == "category_id"
    assert fields.parse("title:str").column == "title"


@pytest.mark.parametrize(
    "text",
    ["title:str{120}:unique", "body:text?", "price:decimal{10,2}=0.00", "status:enum{a,b}=a",
     "at:datetime?:index", "category:ref{categories}?", "code:str{2,8}", "meta:json={\"a\":1}"],
)  # fmt: skip
def test_when_a_canonical_field_is_parsed_again_then_it_reads_the_same(text: str) -> None:
    spec = fields.parse(text).spec
    assert spec == text
    assert fields.parse(spec) == fields.parse(text)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Title:str", "snake_case"),
        ("a_very_long_field_name_of_31_ch:str", "at most 30"),
        ("1st:str", "snake_case"),
        ("a__b:str", "'__'"),
        ("title", "name:type"),
        ("id:int", "reserved"),
        ("created_at:datetime", "reserved"),
        ("updated_at:datetime", "reserved"),
        ("owner_id:int", "reserved"),
        ("limit:int", "reserved"),
        ("offset:int", "reserved"),
        ("sort:str", "reserved"),
        ("class:str", "Python keyword"),
        ("match:str", "Python keyword"),
        ("function:str", "JavaScript keyword"),
        ("schema:str", "pydantic"),
        ("json:str", "pydantic"),
        ("model_name:str", "pydantic"),
        ("constructor:str", "JavaScript"),
        ("title:string", "did you mean 'str'"),
        ("title:strr", "did you mean 'str'"),
        ("title:nonsense", "known types"),
        ("body:text{10}", "takes no"),
        ("body:text:unique", "cannot be :unique"),
        ("meta:json:index", "cannot be :index"),
        ("title:str:primary", "not a modifier"),
        ("title:str{0}", "max"),
        ("title:str{9,3}", "min <= max"),
        ("title:str{a}", "whole numbers"),
        ("title:str{20000}", "longer: text"),
        ("price:decimal{2,3}", "scale <= precision"),
        ("price:decimal{19,2}", "precision <="),
        ("status:enum", "enum{a,b,c}"),
        ("status:enum{a,a}", "twice"),
        ("status:enum{a b}", "enum{a,b,c}"),
        ("category:ref", "refers to"),
        ("category:ref{Bad}", "snake_case"),
        ("category:ref{users}=1", "no default"),
        ("slug:str:unique=x", "unique field takes no default"),
        ("stock:int=5.5", "not a valid int"),
        ("stock:int=9007199254740992", "not a valid int"),
        ("ratio:float=nan", "not a valid float"),
        ("ratio:float=inf", "not a valid float"),
        ("price:decimal{4,2}=123.45", "not a valid decimal"),
        ("price:decimal{10,2}=1.234", "not a valid decimal"),
        ("done:bool=1", "true or false"),
        ("due:date=2026-02-30", "not a valid date"),
        ("due:date=2026-2-3", "not a valid date"),
        ("at:datetime=2026-01-01T10:00:00", "needs an offset"),
        ("uid:uuid=ABC", "not a valid uuid"),
        ("mail:email=nobody", "not a valid email"),
        ("site:url=ftp://x.org", "not a valid url"),
        ("status:enum{a,b}=c", "not one of a, b"),
        ("meta:json=[1]", "must be an object"),
        ("code:str{3,5}=ab", "length bounds"),
    ],
)
def test_when_a_field_breaks_a_rule_then_the_one_line_error_names_it(text: str, said: str) -> None:
    with pytest.raises(FieldError) as caught:
        fields.parse(text)
    message = str(caught.value)
    assert said in message
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_when_two_fields_share_a_name_or_a_stored_name_then_they_are_refused() -> None:
    with pytest.raises(FieldError, match="clashes with field 'title'"):
        fields.parse_all(["title:str", "title:text"])
    with pytest.raises(FieldError, match="'author_id'"):
        fields.parse_all(["author_id:int", "author:ref{authors}"])
    with pytest.raises(FieldError, match="at least one field"):
        fields.parse_all([])


@pytest.mark.parametrize(
    ("plural", "singular"),
    [("posts", "post"), ("categories", "category"), ("order_items", "order_item"),
     ("addresses", "address"), ("boxes", "box"), ("branches", "branch"), ("wishes", "wish")],
)  # fmt: skip
def test_when_a_plural_is_regular_then_its_singular_is_derived(plural: str, singular: str) -> None:
    assert resources.singular_of(plural) == singular
    assert resources.define(plural, ["title:str"], auth="jwt").singular == singular


@pytest.mark.parametrize("name", sorted(resources.RESERVED))
def test_when_a_resource_takes_a_reserved_name_then_it_is_refused(name: str) -> None:
    with pytest.raises(resources.ResourceError, match="reserved"):
        resources.define(name, ["title:str"], auth="jwt")


@pytest.mark.parametrize(
    ("name", "options", "said"),
    [
        ("people", {}, "--singular"),
        ("news", {"singular": "news"}, "must differ"),
        ("login_requests", {}, "LoginRequest"),
        ("profiles", {"singular": "user"}, "User"),
        ("Posts", {}, "snake_case"),
        ("class", {}, "Python keyword"),
        ("default", {}, "JavaScript keyword"),
        ("posts", {"access": "everyone"}, "not one of"),
        ("posts", {"migration": "Bad-Id"}, "--migration-id"),
    ],
)
def test_when_a_resource_is_wrong_then_the_error_says_why(name: str, options: dict, said: str) -> None:
    with pytest.raises(UsageError, match=said):
        resources.define(name, ["title:str"], auth="jwt", **options)


def test_when_the_project_has_no_auth_then_only_public_access_is_allowed() -> None:
    assert resources.define("posts", ["title:str"], auth="none").access == "public"
    assert resources.define("posts", ["title:str"], auth="session").access == "owner"
    for mode in ("owner", "private", "public-read", "signed-in"):
        with pytest.raises(resources.ResourceError, match="no auth"):
            resources.define("posts", ["title:str"], auth="none", access=mode)
    assert resources.define("posts", ["title:str"], auth="jwt", access="signed-in").owned is False
    assert resources.define("posts", ["title:str"], auth="jwt", access="private").owned is True


def test_when_a_resource_refers_to_one_missing_or_declared_later_then_the_set_is_refused() -> None:
    posts = resources.define("posts", ["category:ref{categories}"], auth="jwt")
    categories = resources.define("categories", ["name:str"], auth="jwt")
    resources.check_set([categories, posts])
    with pytest.raises(resources.ResourceError, match="declared after"):
        resources.check_set([posts, categories])
    with pytest.raises(resources.ResourceError, match="does not have"):
        resources.check_set([posts])
    with pytest.raises(resources.ResourceError, match="twice"):
        resources.check_set([categories, categories])


def test_when_resources_are_recorded_then_the_toml_reads_back_as_the_same_resources() -> None:
    tricky = 'note:str=say "hi" \\ ünïcode'
    posts = resources.define(
        "posts", ["title:str{120}:unique", tricky, 'meta:json={"k": [1]}'], auth="jwt", migration="p1"
    )
    tables = tomllib.loads(resources.toml_tables([posts]))["resources"]
    assert tables == [posts.record()]
    assert resources.from_record(tables[0], auth="jwt", source="x") == posts


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ({"name": "posts", "fields": ["title:str"], "colour": "x"}, "unknown key 'colour'"),
        ({"fields": ["title:str"]}, "needs name"),
        ({"name": "posts", "fields": "title:str"}, "needs fields"),
        ({"name": "posts", "fields": ["title:str"], "access": 3}, "'access' must be a string"),
        ({"name": "posts", "fields": ["title:bad"]}, "f.toml: field 'title' has an unknown type"),
    ],
)
def test_when_a_resources_table_is_wrong_then_the_error_names_file_and_key(table: dict, said: str) -> None:
    with pytest.raises(UsageError, match=said):
        resources.from_record(table, auth="jwt", source="f.toml")
