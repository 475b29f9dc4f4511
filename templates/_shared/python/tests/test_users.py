"""The users resource: pages, reads, changes and deletes, as the contract words them."""

from __future__ import annotations

import pytest

import support
{%- if cookiecutter.auth == "none" %}


def test_when_a_user_is_created_then_201_with_location_and_no_secret(
    client: support.Client, password: str
) -> None:
    response = client.post(
        "/api/users", json={"email": "Ada@Example.COM", "password": password}
    )

    user = response.json()
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/users/{user['id']}"
    assert user["email"] == "ada@example.com"
    assert user["username"] == "ada"
    assert user["is_active"] is True
    assert user["created_at"].endswith("Z")
    assert not {"password", "password_hash"} & user.keys()
{%- else %}


def test_when_not_signed_in_then_users_answer_401(client: support.Client) -> None:
    for response in (client.get("/api/users"), client.get("/api/users/1")):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"


def test_when_posting_to_users_then_405_because_accounts_register(
    new_account: support.NewAccount, password: str
) -> None:
    ada = new_account()

    response = ada.post(
        "/api/users", json={"email": "b@example.com", "password": password}
    )

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_when_changing_another_user_then_403(new_account: support.NewAccount) -> None:
    ada, bob = new_account("ada@example.com"), new_account("bob@example.com")

    patched = ada.patch(bob.url, json={"username": "taken_over"})
    deleted = ada.delete(bob.url)

    assert patched.status_code == 403
    assert deleted.status_code == 403
    assert patched.json()["error"]["code"] == "forbidden"
{%- endif %}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", "a" * 250 + "@b.co"),
        ("password", "short"),
        ("password", "p" * 129),
        ("username", "no spaces"),
        ("username", "ab"),
        ("is_active", False),
        ("id", 1),
        ("role", "admin"),
        ("nickname", "ada"),
    ],
)
def test_when_a_field_breaks_the_rules_then_422_names_it(
    client: support.Client, password: str, field: str, value: object
) -> None:
    body = {"email": "ada@example.com", "password": password, field: value}

    response = client.post("{% if cookiecutter.auth == "none" %}/api/users{% else %}/api/auth/register{% endif %}", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert field in response.json()["error"]["fields"]


def test_when_users_are_listed_then_pages_come_oldest_first(
    new_account: support.NewAccount,
) -> None:
    ada = new_account("ada@example.com")
    new_account("bob@example.com")
    new_account("cyd@example.com")

    response = ada.get("/api/users?limit=2&offset=1")

    page = response.json()
    assert response.status_code == 200
    assert [user["username"] for user in page["items"]] == ["bob", "cyd"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "limit=ten", "offset=-1", f"offset={2**63}"]
)
def test_when_the_page_is_out_of_range_then_422(
    new_account: support.NewAccount, query: str
) -> None:
    response = new_account().get(f"/api/users?{query}")

    assert response.status_code == 422
    assert query.split("=")[0] in response.json()["error"]["fields"]
{%- if cookiecutter.database == "mongodb" %}


# Unknown ObjectIds, then ids of every wrong shape (too short, too long, not hex,
# operators): all 404, never a crash.
@pytest.mark.parametrize(
    "user_id",
    [
        *("0" * 24, "f" * 24),
        *("999", "abc", "a" * 23, "a" * 25, "f" * 25, "9" * 30, "g" * 24),
        *("$ne", "%24ne", "%00"),
    ],
)
{%- else %}


@pytest.mark.parametrize("user_id", ["999", "abc", "-1", "9" * 30])
{%- endif %}
def test_when_the_id_is_unknown_or_malformed_then_404(
    new_account: support.NewAccount, user_id: str
) -> None:
    response = new_account().get(f"/api/users/{user_id}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["patch", "put"])
def test_when_a_user_changes_their_email_then_it_is_stored_lower_case(
    new_account: support.NewAccount, method: str
) -> None:
    ada = new_account()

    response = getattr(ada, method)(ada.url, json={"email": "Ada.L@Example.ORG"})

    assert response.status_code == 200
    assert response.json()["email"] == "ada.l@example.org"
    assert ada.get(ada.url).json()["email"] == "ada.l@example.org"


@pytest.mark.parametrize(
    "body",
    [{"is_active": False}, {"id": 5}, {"password_hash": "x"}, {"created_at": "x"}],
)
def test_when_a_client_sets_a_field_it_may_not_then_422(
    new_account: support.NewAccount, body: dict[str, object]
) -> None:
    ada = new_account()

    response = ada.patch(ada.url, json=body)

    assert response.status_code == 422
    assert set(body) <= set(response.json()["error"]["fields"])


def test_when_the_email_is_taken_in_another_case_then_409(
    new_account: support.NewAccount,
) -> None:
    new_account("bob@example.com")
    ada = new_account("ada@example.com")

    response = ada.patch(ada.url, json={"email": "BOB@example.com"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_when_a_user_is_deleted_then_it_is_gone_and_its_id_never_comes_back(
    new_account: support.NewAccount,
) -> None:
    bob = new_account("bob@example.com")
    ada = new_account("ada@example.com")

    deleted = ada.delete(ada.url)
    cy = new_account("cy@example.com")

    assert deleted.status_code == 204
    assert bob.get(ada.url).status_code == 404
{%- if cookiecutter.database == "mongodb" %}
    assert cy.user["id"] not in (ada.user["id"], bob.user["id"])
{%- else %}
    assert cy.user["id"] > ada.user["id"]
{%- endif %}
{%- if cookiecutter.auth != "none" %}
    assert ada.get("/api/auth/me").status_code == 401
{%- endif %}
