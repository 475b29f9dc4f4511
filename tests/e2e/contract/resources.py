"""Contract: what a generated resource answers over HTTP, the same on every stack.

The probes read the resource's definition through scaffold itself (its fields, each field's
sample values and rules, its sort keys and filter operators), so one set of probes holds every
framework to the design's tables: CRUD, every validation rule, paging, every sort both ways,
every filter operator, an escaped `__icontains`, the access mode's 401/403/404 and references.

`probe(api, auth, parent, child)` takes a parent resource and a child with a reference to it, both
added with their default access mode; other tests may share the server, so every row a probe
makes carries a fresh token that its queries filter on.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

import httpx

from scaffold import samples
from scaffold.fields import Field
from scaffold.resources import Resource

from .client import JSON_TYPE, Account, Api, assert_error, assert_validation_error, describe

MISSING_ID = 2**31 - 1
RANGE = {"gt": (0, [1]), "gte": (0, [0, 1]), "lt": (1, [0]), "lte": (1, [0, 1])}


class Rows:
    """Requests as one user, with the JSON type on every body."""

    def __init__(self, api: Api, account: Account | None) -> None:
        self.client, self.headers = api.client, (account.headers if account else {})

    def get(self, path: str, **query: Any) -> httpx.Response:
        return self.client.get(f"{path}?{urlencode(query)}" if query else path, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> httpx.Response:
        return self.client.request(method, path, json=body, headers={**self.headers, **JSON_TYPE})

    def delete(self, path: str) -> httpx.Response:
        return self.client.delete(path, headers=self.headers)

    def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.send("POST", path, body)
        assert answer.status_code == 201, describe(answer)
        created: dict[str, Any] = answer.json()
        return created


def _path(resource: Resource) -> str:
    return "/api/" + resource.name.replace("_", "-")


def _text_field(resource: Resource) -> Field:
    """The field the token goes into: a string that `__icontains` filters."""
    return next(f for f in resource.fields if f.type == "str" and "icontains" in f.operators)


def _bodies(resource: Resource, token: str, refs: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Two valid bodies, the first sorting first on every field; the token in the text field."""
    marked = _text_field(resource)
    bodies: list[dict[str, Any]] = [{}, {}]
    for field in resource.fields:
        for which, value in enumerate(samples.valid(field)):
            if field.type == "ref":
                value = (refs or {})[f"{field.column}:{which}"]
            elif field is marked:
                value = f"{token}{value}"[: field.max_length or 255]
            bodies[which][field.column] = value
    return bodies


def _ids(answer: httpx.Response) -> list[Any]:
    assert answer.status_code == 200, describe(answer)
    return [row["id"] for row in answer.json()["items"]]


def probe(api: Api, auth: str, parent: Resource, child: Resource) -> None:
    """Every probe, on a server whose project has `parent` and `child` (which refers to it)."""
    ada = api.register() if auth != "none" else None
    bob = api.register() if auth != "none" else None
    as_ada = Rows(api, ada)
    token = "t" + secrets.token_hex(4)
    parents = [as_ada.create(_path(parent), body) for body in _bodies(parent, token)]
    (ref,) = [f for f in child.fields if f.type == "ref" and f.target == parent.name]
    refs = {f"{ref.column}:{n}": row["id"] for n, row in enumerate(parents)}
    bodies = _bodies(child, token, refs)

    _crud(as_ada, child, bodies[0], ada)
    _validation(as_ada, child, bodies[0])
    _unique(as_ada, parent, token)
    _paging(as_ada, parent, token)
    rows = [as_ada.create(_path(child), body) for body in bodies]
    _sorts(as_ada, child, token, rows)
    _filters(as_ada, child, token, rows, bodies)
    _escaped_icontains(as_ada, parent, token)
    _query_errors(as_ada, child)
    _references(as_ada, parent, child, rows[0], parents[0], ref)
    if auth != "none":
        _access(api, Rows(api, bob), child, rows[0])


def _crud(rows: Rows, resource: Resource, body: dict[str, Any], owner: Account | None) -> None:
    path = _path(resource)
    created = rows.send("POST", path, body)
    assert created.status_code == 201, describe(created)
    row = created.json()
    assert created.headers["location"] == f"{path}/{row['id']}", describe(created)
    assert {k: row[k] for k in body} == body, describe(created)
    assert row["created_at"].endswith("Z"), row
    assert row["updated_at"].endswith("Z"), row
    if owner is not None and resource.access in ("owner", "private", "public-read"):
        assert row["owner_id"] == owner.id, row
    assert rows.get(f"{path}/{row['id']}").json() == row
    unique = {f.column for f in resource.fields if f.unique}
    changeable = next(f for f in resource.fields if f.type == "int" and f.column not in unique)
    for method, value in (("PATCH", 41), ("PUT", 42)):
        changed = rows.send(method, f"{path}/{row['id']}", {changeable.column: value})
        assert changed.status_code == 200, describe(changed)
        assert changed.json() == {**row, changeable.column: value, "updated_at": changed.json()["updated_at"]}
    assert rows.delete(f"{path}/{row['id']}").status_code == 204
    assert_error(rows.get(f"{path}/{row['id']}"), 404, "not_found")


def _validation(rows: Rows, resource: Resource, body: dict[str, Any]) -> None:
    """Every rule of every field refuses its bad values, on create and on change; nothing is made."""
    path = _path(resource)
    before = rows.get(path).json()["total"]
    for field in resource.fields:
        for value, why in samples.invalid(field):
            answer = rows.send("POST", path, {**body, field.column: value})
            assert answer.status_code == 422, f"{field.column} {why}: {describe(answer)}"
            assert_validation_error(answer, field.column)
        if not field.optional and not field.has_default:
            missing = {k: v for k, v in body.items() if k != field.column}
            assert_validation_error(rows.send("POST", path, missing), field.column)
            assert_validation_error(rows.send("POST", path, {**body, field.column: None}), field.column)
    for server_set in ("id", "created_at", "updated_at"):
        assert_validation_error(rows.send("POST", path, {**body, server_set: 1}), server_set)
    assert_validation_error(rows.send("POST", path, {**body, "no_such_field": 1}), "no_such_field")
    assert rows.get(path).json()["total"] == before, "a refused body made a row"


def _unique(rows: Rows, resource: Resource, token: str) -> None:
    """A taken value of a unique field is 409, however the rest of the body differs."""
    field = next(f for f in resource.fields if f.unique)
    first, second = _bodies(resource, token + "u")
    rows.create(_path(resource), first)
    taken = rows.send("POST", _path(resource), {**second, field.column: first[field.column]})
    assert_error(taken, 409, "conflict")


def _paging(rows: Rows, resource: Resource, token: str) -> None:
    marked = _text_field(resource).column
    for n in range(3):
        rows.create(_path(resource), _bodies(resource, f"{token}p{n}")[0])
    query = {f"{marked}__icontains": f"{token}p"}
    first = rows.get(_path(resource), **query, limit=2).json()
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (3, 2, 0, 2), first
    rest = rows.get(_path(resource), **query, limit=2, offset=2).json()
    assert (rest["total"], len(rest["items"])) == (3, 1), rest
    everything = [row["id"] for row in first["items"] + rest["items"]]
    assert len(set(everything)) == 3, "a row was on two pages"


def _scoped(resource: Resource, token: str, key: str) -> dict[str, str]:
    """The filter that keeps the probe's own two rows, unless `key` filters that field itself."""
    marked = _text_field(resource).column
    return {} if key == marked or key.startswith(f"{marked}__") else {f"{marked}__icontains": token}


def _sorts(rows: Rows, resource: Resource, token: str, made: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in made]
    for field in resource.fields:
        first, second = samples.valid(field)
        if not field.sortable or (first == second and field.type != "ref"):
            continue
        scope = _scoped(resource, token, "sort")
        assert _ids(rows.get(_path(resource), **scope, sort=field.column)) == ids, field.column
        assert _ids(rows.get(_path(resource), **scope, sort=f"-{field.column}")) == ids[::-1], field.column


def _filters(
    rows: Rows, resource: Resource, token: str, made: list[dict[str, Any]], bodies: list[dict[str, Any]]
) -> None:
    ids = [row["id"] for row in made]
    for field in resource.fields:
        texts = [samples.query_text(body[field.column]) for body in bodies]
        if texts[0] == texts[1]:
            continue
        for operator in field.operators:
            key = field.column if operator == "eq" else f"{field.column}__{operator}"
            if operator == "eq":
                value, expected = texts[0], [0]
            elif operator == "in":
                value, expected = ",".join(texts), [0, 1]
            elif operator == "icontains":
                value, expected = texts[1].upper(), [1]
            else:
                which, expected = RANGE[operator]
                value = texts[which]
            answer = rows.get(_path(resource), **_scoped(resource, token, key), **{key: value}, sort="id")
            assert _ids(answer) == [ids[n] for n in expected], f"{key}={value}: {describe(answer)}"


def _escaped_icontains(rows: Rows, resource: Resource, token: str) -> None:
    """`%` and `_` match only themselves: no pattern of the caller's reaches the database."""
    marked = _text_field(resource)
    literal = rows.create(_path(resource), {**_bodies(resource, token)[0], marked.column: f"{token}5%_x"})
    rows.create(_path(resource), {**_bodies(resource, token)[1], marked.column: f"{token}5abx"})
    found = rows.get(_path(resource), **{f"{marked.column}__icontains": f"{token}5%_"})
    assert _ids(found) == [literal["id"]], describe(found)


def _query_errors(rows: Rows, resource: Resource) -> None:
    path = _path(resource)
    unsortable = next(f for f in resource.fields if not f.sortable)
    marked = _text_field(resource).column
    for query, key in (
        ({marked: "a\x00b"}, marked),
        ({"nope": "1"}, "nope"), ({"limit": "0"}, "limit"), ({"limit": "101"}, "limit"),
        ({"offset": "-1"}, "offset"), ({"sort": unsortable.column}, "sort"), ({"sort": "nope"}, "sort"),
    ):  # fmt: skip
        assert_validation_error(rows.get(path, **query), key)


def _references(
    rows: Rows, parent: Resource, child: Resource, row: dict[str, Any], target: dict[str, Any], ref: Field
) -> None:
    """A reference to no row is 422; a row a required reference holds is not deleted (409)."""
    refs = {f"{f.column}:{n}": MISSING_ID for f in child.fields if f.type == "ref" for n in (0, 1)}
    fresh = _bodies(child, f"r{secrets.token_hex(4)}", refs)[0]
    assert_validation_error(rows.send("POST", _path(child), fresh), ref.column)
    changed = rows.send("PATCH", f"{_path(child)}/{row['id']}", {ref.column: MISSING_ID})
    assert_validation_error(changed, ref.column)
    held = rows.delete(f"{_path(parent)}/{target['id']}")
    assert_error(held, 409, "conflict")
    assert rows.get(f"{_path(parent)}/{target['id']}").status_code == 200


def _access(api: Api, other: Rows, resource: Resource, row: dict[str, Any]) -> None:
    """The default mode with auth, `owner`: signed-in users read all; only the owner changes."""
    assert resource.access == "owner", resource.access
    path, one = _path(resource), f"{_path(resource)}/{row['id']}"
    anonymous = Rows(api, None)
    assert_error(anonymous.get(path), 401, "unauthorized")
    assert_error(anonymous.get(one), 401, "unauthorized")
    assert_error(anonymous.send("POST", path, {}), 401, "unauthorized")
    assert other.get(one).json() == row
    assert_error(other.send("PATCH", one, {}), 403, "forbidden")
    assert_error(other.delete(one), 403, "forbidden")
    for method in ("GET", "PATCH", "DELETE"):
        missing = (
            other.send(method, f"{path}/{MISSING_ID}", {})
            if method != "GET"
            else other.get(f"{path}/{MISSING_ID}")
        )
        assert_error(missing, 404, "not_found")
    assert_error(other.get(f"{path}/abc"), 404, "not_found")


def probe_access(api: Api, auth: str, resource: Resource) -> None:
    """The resource's access mode over HTTP: who reads, who writes, and what the others get."""
    ada = api.register() if auth != "none" else None
    bob = api.register() if auth != "none" else None
    as_ada, as_bob, anonymous = Rows(api, ada), Rows(api, bob), Rows(api, None)
    first, second = ({f.column: samples.valid(f)[n] for f in resource.fields} for n in (0, 1))
    path = _path(resource)
    mode = resource.access
    row = (anonymous if mode == "public" else as_ada).create(path, first)
    one = f"{path}/{row['id']}"
    assert ("owner_id" in row) == (mode in ("owner", "private", "public-read")), row
    if ada is not None and mode in ("owner", "private", "public-read"):
        assert row["owner_id"] == ada.id, row
    readers_sign_in = mode in ("owner", "private", "signed-in")
    writers_sign_in = mode != "public"
    for answer in (anonymous.get(path), anonymous.get(one)):
        if readers_sign_in:
            assert_error(answer, 401, "unauthorized")
        else:
            assert answer.status_code == 200, describe(answer)
    if writers_sign_in:
        assert_error(anonymous.send("POST", path, first), 401, "unauthorized")
        assert_error(anonymous.send("PATCH", one, second), 401, "unauthorized")
        assert_error(anonymous.delete(one), 401, "unauthorized")
    if mode == "private":
        # Another's row does not exist for them: 404, and never in their list.
        assert_error(as_bob.get(one), 404, "not_found")
        assert_error(as_bob.send("PATCH", one, second), 404, "not_found")
        assert_error(as_bob.delete(one), 404, "not_found")
        assert row["id"] not in _ids(as_bob.get(path, limit=100))
        assert row["id"] in _ids(as_ada.get(path, limit=100))
    elif mode in ("owner", "public-read"):
        assert as_bob.get(one).json() == row
        assert_error(as_bob.send("PATCH", one, second), 403, "forbidden")
        assert_error(as_bob.delete(one), 403, "forbidden")
    # Whoever may change the row changes and deletes it.
    changer = {"signed-in": as_bob, "public": anonymous}.get(mode, as_ada)
    changed = changer.send("PATCH", one, second)
    assert changed.status_code == 200, describe(changed)
    assert {k: changed.json()[k] for k in second} == second
    assert changer.delete(one).status_code == 204
    assert_error(changer.get(one), 404, "not_found")
