"""Contract: the users resource: listing, reading, creating, changing, deleting, its rules."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from .. import harness
from .client import (
    OBJECT_ID,
    USERNAME,
    Account,
    Api,
    assert_error,
    assert_user,
    assert_validation_error,
    describe,
    parse_timestamp,
    unique_email,
)

pytestmark = pytest.mark.e2e

# Neither an integer id nor a 24-character hex ObjectId: too short, too long, not hex.
WRONG_SHAPED_IDS = [
    "abc",
    "1.5",
    "0x1f",
    "1e3",
    "99999999999999999999999999",
    "%20",
    "%00",
    "-",
    "a" * 23,
    "f" * 25,
    "g" * 24,
    "%24ne",
]


def create(api: Api, payload: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
    """POST a new user's body where this auth mode takes it."""
    path = "/api/users" if api.auth == "none" else "/api/auth/register"
    return api.client.post(path, json=payload, headers=headers)


def list_page(api: Api, account: Account, **params: Any) -> dict[str, Any]:
    response = api.client.get("/api/users", params=params, headers=account.headers)
    assert response.status_code == 200, describe(response)
    return response.json()


def all_users(api: Api, account: Account) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = list_page(api, account, limit=100, offset=len(items))
        items.extend(page["items"])
        if not page["items"] or len(items) >= page["total"]:
            return items


# --------------------------------------------------------------------------- listing


def test_when_users_are_listed_without_parameters_then_first_page_of_twenty_answers(
    api: Api,
) -> None:
    account = api.register()

    page = list_page(api, account)

    assert set(page) == {"items", "total", "limit", "offset"}, page
    assert page["limit"] == 20, page
    assert page["offset"] == 0, page
    assert isinstance(page["total"], int), page
    assert page["total"] >= 1, page
    assert len(page["items"]) == min(20, page["total"]), page
    for user in page["items"]:
        assert_user(user)


def test_when_users_are_created_then_total_grows_and_they_list_oldest_first(api: Api) -> None:
    account = api.register()
    before = list_page(api, account, limit=1)["total"]
    created = [api.register() for _ in range(3)]

    after = list_page(api, account, limit=1)["total"]
    everyone = all_users(api, account)

    assert after >= before + 3
    ids = [user["id"] for user in everyone]
    assert len(ids) == len(set(ids)), "a user is listed twice across pages"
    positions = [ids.index(new.id) for new in created]
    assert positions == sorted(positions), f"created users listed out of creation order: {positions}"
    stamps = [parse_timestamp(user["created_at"]) for user in everyone]
    assert stamps == sorted(stamps), "users are not listed oldest first"


def test_when_limit_and_offset_are_given_then_the_page_follows_them(api: Api) -> None:
    account = api.register()
    api.register()
    total = list_page(api, account, limit=1)["total"]
    everyone = all_users(api, account)

    page = list_page(api, account, limit=2, offset=total - 2)
    beyond = list_page(api, account, limit=5, offset=total)
    largest = list_page(api, account, limit=100)

    assert (page["limit"], page["offset"]) == (2, total - 2), page
    assert [user["id"] for user in page["items"]] == [user["id"] for user in everyone[-2:]]
    assert beyond["items"] == [], beyond
    assert beyond["offset"] == total, beyond
    assert len(largest["items"]) == min(100, total)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=1.5", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("limit=99999999999999999999", "limit"),
        ("limit=%00", "limit"),
    ],
)
def test_when_paging_parameters_are_out_of_range_then_422(api: Api, query: str, field: str) -> None:
    account = api.register()

    response = api.client.get(f"/api/users?{query}", headers=account.headers)

    assert_validation_error(response, field)


def test_when_offset_is_beyond_any_database_integer_then_an_answer_not_a_crash(api: Api) -> None:
    account = api.register()

    response = api.client.get("/api/users?offset=99999999999999999999", headers=account.headers)

    if response.status_code == 200:
        assert response.json()["items"] == [], describe(response)
    else:
        assert_validation_error(response, "offset")


@pytest.mark.auth_modes("jwt", "session")
@pytest.mark.parametrize("path", ["/api/users", "/api/users/1"])
def test_when_not_signed_in_then_reading_users_is_401(api: Api, path: str) -> None:
    assert_error(api.client.get(path), 401, "unauthorized")


# --------------------------------------------------------------------------- reading


def test_when_user_is_read_by_id_then_it_matches_the_created_one(api: Api) -> None:
    account = api.register()

    response = api.client.get(account.path, headers=account.headers)

    assert response.status_code == 200, describe(response)
    assert_user(response.json(), account.email)
    assert response.json() == account.user


def test_when_id_is_unknown_then_404(api: Api) -> None:
    reader = api.register()
    gone = api.register()
    response = api.client.delete(gone.path, headers=gone.headers)
    assert response.status_code == 204, describe(response)

    assert_error(api.client.get(gone.path, headers=reader.headers), 404, "not_found")


def test_when_a_user_is_read_then_its_id_has_the_shape_of_the_database(
    api: Api, project: harness.Project
) -> None:
    account = api.register()
    if project.stack.database == "mongodb":
        assert isinstance(account.id, str), account.user
        assert OBJECT_ID.fullmatch(account.id), account.user
    else:
        assert type(account.id) is int, account.user


@pytest.mark.parametrize("wrong_id", WRONG_SHAPED_IDS)
def test_when_id_has_the_wrong_shape_then_404_not_a_crash(api: Api, wrong_id: str) -> None:
    account = api.register()

    for method in ("GET", "PATCH", "DELETE"):
        response = api.client.request(
            method,
            f"/api/users/{wrong_id}",
            headers=account.headers,
            json={"username": "x" + uuid.uuid4().hex[:8]} if method == "PATCH" else None,
        )
        assert_error(response, 404, "not_found")


# --------------------------------------------------------------------------- creating


@pytest.mark.auth_modes("none")
def test_when_user_is_created_then_201_with_location_of_the_new_user(api: Api) -> None:
    email = unique_email("Mixed.Case")

    response = create(api, {"email": email, "password": "long enough password"})

    assert response.status_code == 201, describe(response)
    user = response.json()
    assert_user(user, email)
    location = response.headers.get("location", "")
    assert location.endswith(f"/api/users/{user['id']}"), describe(response)
    fetched = api.client.get(httpx.URL(api.base_url).join(location))
    assert fetched.status_code == 200, describe(fetched)
    assert fetched.json() == user, describe(fetched)


@pytest.mark.auth_modes("jwt", "session")
def test_when_signed_in_user_posts_to_users_then_405_accounts_come_from_register(api: Api) -> None:
    account = api.register()

    response = api.client.post(
        "/api/users",
        json={"email": unique_email(), "password": "long enough password"},
        headers=account.headers,
    )

    assert_error(response, 405, "method_not_allowed")


def test_when_a_user_is_deleted_then_its_id_is_never_given_to_a_new_user(api: Api) -> None:
    newest = api.register()
    assert api.client.delete(newest.path, headers=newest.headers).status_code == 204

    successor = api.register()

    assert successor.id != newest.id


def test_when_email_has_upper_case_then_it_is_stored_lower_case(api: Api) -> None:
    email = unique_email("Grace.HOPPER", f"Example-{uuid.uuid4().hex[:8]}.COM")

    account = api.register(email)

    assert account.user["email"] == email.lower()


# --------------------------------------------------------------------------- usernames


def test_when_two_users_share_an_email_local_part_then_both_get_distinct_valid_usernames(
    api: Api,
) -> None:
    first = api.register(unique_email("ada"))
    second = api.register(unique_email("ada"))

    names = [first.user["username"], second.user["username"]]
    assert names[0] != names[1], names
    for name in names:
        assert USERNAME.fullmatch(name), names
        assert name.lower().startswith("ada"), names


@pytest.mark.parametrize(("local", "prefix"), [("x", "x"), ("a+b", "ab"), ("Ada.Lovelace", "ada.lovelace")])
def test_when_username_is_left_out_then_it_is_derived_from_the_email(
    api: Api, local: str, prefix: str
) -> None:
    account = api.register(unique_email(local))

    username = account.user["username"]
    assert USERNAME.fullmatch(username), username
    assert username.lower().startswith(prefix), username


def test_when_username_is_given_then_it_is_used(api: Api) -> None:
    wanted = f"grace_{uuid.uuid4().hex[:8]}"

    account = api.register(username=wanted)

    assert account.user["username"] == wanted


# --------------------------------------------------------------------------- validation


def valid_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"email": unique_email(), "password": "long enough password"}
    for key, value in changes.items():
        if value is ...:
            body.pop(key)
        else:
            body[key] = value
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "missing-at.example.com"}, "email"),
        ({"email": 42}, "email"),
        ({"email": "nul\u0000byte@example.com"}, "email"),
        ({"email": ["a@example.com"]}, "email"),
        ({"email": ...}, "email"),
        ({"password": ...}, "password"),
        ({"password": "short77"}, "password"),
        ({"password": "p" * 129}, "password"),
        ({"password": 12345678}, "password"),
        ({"username": "ab"}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "bang!"}, "username"),
        ({"username": "nul\u0000name"}, "username"),
        ({"username": 12345}, "username"),
        ({"username": "u" * 81}, "username"),
        ({"role": "admin"}, "role"),
        ({"id": 1}, "id"),
        ({"is_active": False}, "is_active"),
        ({"password_hash": "x"}, "password_hash"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ({"updated_at": "2020-01-01T00:00:00Z"}, "updated_at"),
    ],
    ids=lambda value: (
        value if isinstance(value, str) else next(iter(value)) + "=" + repr(next(iter(value.values())))[:20]
    ),
)
def test_when_new_user_breaks_a_rule_then_422_naming_the_field(
    api: Api, changes: dict[str, Any], field: str
) -> None:
    body = valid_body(**changes)

    response = create(api, body)

    assert_validation_error(response, field)


def test_when_password_has_exactly_eight_characters_then_it_is_accepted(api: Api) -> None:
    response = create(api, valid_body(password="eight888"))

    assert response.status_code == 201, describe(response)


def email_of_length(length: int) -> str:
    """A valid, unique address of exactly `length` characters (64-character local part)."""
    local = "a" * 64
    domain = f"{uuid.uuid4().hex[:12]}.example.com"
    remaining = length - len(local) - 1 - len(domain)
    count = -(-remaining // 61)
    sizes = [remaining // count + (1 if i < remaining % count else 0) for i in range(count)]
    filler = "".join("b" * (size - 1) + "." for size in sizes)
    email = f"{local}@{filler}{domain}"
    assert len(email) == length
    return email


def test_when_email_is_254_characters_then_it_is_accepted(api: Api) -> None:
    response = create(api, valid_body(email=email_of_length(254)))

    assert response.status_code == 201, describe(response)


def test_when_email_is_255_characters_then_422(api: Api) -> None:
    assert_validation_error(create(api, valid_body(email=email_of_length(255))), "email")


# --------------------------------------------------------------------------- conflicts


def test_when_email_is_taken_then_409_whatever_its_case(api: Api) -> None:
    taken = api.register(unique_email("Taken"))

    same = create(api, valid_body(email=taken.email))
    shouted = create(api, valid_body(email=taken.email.upper()))

    assert_error(same, 409, "conflict")
    assert_error(shouted, 409, "conflict")


def test_when_username_is_taken_then_409(api: Api) -> None:
    taken = api.register(username=f"taken_{uuid.uuid4().hex[:8]}")

    assert_error(create(api, valid_body(username=taken.user["username"])), 409, "conflict")


# --------------------------------------------------------------------------- changing


def change(api: Api, method: str, target: Account, by: Account, payload: Any) -> httpx.Response:
    return api.client.request(method, target.path, json=payload, headers=by.headers)


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_when_only_username_is_sent_then_only_username_changes(api: Api, method: str) -> None:
    account = api.register()
    new_name = f"renamed_{uuid.uuid4().hex[:8]}"

    response = change(api, method, account, account, {"username": new_name})

    assert response.status_code == 200, describe(response)
    user = response.json()
    assert_user(user, account.email)
    assert user["username"] == new_name
    assert user["id"] == account.id
    assert user["created_at"] == account.user["created_at"]
    assert parse_timestamp(user["updated_at"]) >= parse_timestamp(account.user["updated_at"])
    assert api.client.get(account.path, headers=account.headers).json() == user


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_when_only_email_is_sent_then_only_email_changes_lower_cased(api: Api, method: str) -> None:
    account = api.register()
    new_email = unique_email("New.Address")

    response = change(api, method, account, account, {"email": new_email})

    assert response.status_code == 200, describe(response)
    assert response.json()["email"] == new_email.lower()
    assert response.json()["username"] == account.user["username"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "p" * 129}, "password"),
        ({"username": "no spaces allowed"}, "username"),
        ({"is_active": False}, "is_active"),
        ({"id": 12345}, "id"),
        ({"password_hash": "x"}, "password_hash"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
    ids=lambda value: value if isinstance(value, str) else next(iter(value)),
)
def test_when_change_breaks_a_rule_then_422_and_nothing_changes(
    api: Api, payload: dict[str, Any], field: str
) -> None:
    account = api.register()

    response = change(api, "PATCH", account, account, payload)

    assert_validation_error(response, field)
    assert api.client.get(account.path, headers=account.headers).json() == account.user


def test_when_users_own_email_or_username_is_sent_again_then_it_is_no_conflict(api: Api) -> None:
    account = api.register(unique_email("Self"))

    response = change(
        api,
        "PATCH",
        account,
        account,
        {"email": account.email.upper(), "username": account.user["username"]},
    )

    assert response.status_code == 200, describe(response)
    assert response.json()["email"] == account.email.lower()


def test_when_a_user_is_deleted_then_its_email_can_register_again_under_a_new_id(api: Api) -> None:
    first = api.register()
    assert api.client.delete(first.path, headers=first.headers).status_code == 204

    again = api.register(first.email)

    assert again.id != first.id


def test_when_email_changes_to_a_taken_one_then_409(api: Api) -> None:
    account = api.register()
    other = api.register()

    assert_error(change(api, "PATCH", account, account, {"email": other.email.upper()}), 409, "conflict")
    assert_error(
        change(api, "PATCH", account, account, {"username": other.user["username"]}),
        409,
        "conflict",
    )


@pytest.mark.auth_modes("jwt", "session")
@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
def test_when_a_user_changes_another_user_then_403_and_nothing_changes(api: Api, method: str) -> None:
    mallory = api.register()
    victim = api.register()

    response = change(
        api,
        method,
        victim,
        mallory,
        {"username": f"owned_{uuid.uuid4().hex[:6]}"} if method != "DELETE" else None,
    )

    assert_error(response, 403, "forbidden")
    assert api.client.get(victim.path, headers=victim.headers).json() == victim.user


@pytest.mark.auth_modes("jwt", "session")
def test_when_password_changes_then_only_the_new_one_signs_in(api: Api, source_address: str) -> None:
    account = api.register()
    new_password = "a brand new passphrase"

    response = change(api, "PATCH", account, account, {"password": new_password})

    assert response.status_code == 200, describe(response)
    assert_user(response.json(), account.email)
    with api.client_from(source_address) as client:
        old = client.post("/api/auth/login", json={"email": account.email, "password": account.password})
        new = client.post("/api/auth/login", json={"email": account.email, "password": new_password})
    assert_error(old, 401, "invalid_credentials")
    assert new.status_code == 200, describe(new)


# --------------------------------------------------------------------------- deleting


def test_when_user_is_deleted_then_204_and_it_is_gone(api: Api) -> None:
    witness = api.register()
    account = api.register()

    response = api.client.delete(account.path, headers=account.headers)

    assert response.status_code == 204, describe(response)
    assert response.content == b"", describe(response)
    assert_error(api.client.get(account.path, headers=witness.headers), 404, "not_found")
    remaining = {user["id"] for user in all_users(api, witness)}
    assert account.id not in remaining
    assert witness.id in remaining
