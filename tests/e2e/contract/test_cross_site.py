"""Contract: no state change without JSON's content type, body or not.

A form can send only `application/x-www-form-urlencoded`, `multipart/form-data` or
`text/plain`, and a no-cors fetch may send no content type at all; a page on the same site
carries the user's cookie with both. So every POST, PUT and PATCH must say
`application/json`, even a bare logout.
"""

from __future__ import annotations

import httpx
import pytest

from .client import JSON_TYPE, Api, assert_error, describe

pytestmark = pytest.mark.e2e

# What a form or a no-cors fetch can send, as (content type or None, body).
NOT_JSON = {
    "none": (None, b""),
    "urlencoded": ("application/x-www-form-urlencoded", b""),
    "multipart": ("multipart/form-data; boundary=x", b"--x--\r\n"),
    "text": ("text/plain", b""),
}


def send(api: Api, method: str, path: str, kind: str, headers: dict[str, str]) -> httpx.Response:
    content_type, body = NOT_JSON[kind]
    request = api.client.build_request(
        method,
        path,
        content=body,
        headers={**headers, **({"Content-Type": content_type} if content_type else {})},
    )
    if content_type is None:
        assert "content-type" not in request.headers
    return api.client.send(request)


@pytest.mark.auth_modes("jwt", "session")
@pytest.mark.parametrize("kind", sorted(NOT_JSON))
def test_when_logout_is_posted_as_a_form_could_then_415_and_the_credentials_still_work(
    api: Api, kind: str
) -> None:
    account = api.register()

    response = send(api, "POST", "/api/auth/logout", kind, account.headers)

    assert_error(response, 415, "unsupported_media_type")
    me = api.client.get("/api/auth/me", headers=account.headers)
    assert me.status_code == 200, describe(me)


@pytest.mark.auth_modes("jwt", "session")
def test_when_logout_says_json_without_a_body_then_204(api: Api) -> None:
    account = api.register()

    response = api.client.post("/api/auth/logout", headers={**account.headers, **JSON_TYPE})

    assert response.status_code == 204, describe(response)
    assert_error(api.client.get("/api/auth/me", headers=account.headers), 401, "unauthorized")


@pytest.mark.parametrize("kind", sorted(NOT_JSON))
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_when_a_user_is_changed_as_a_form_could_then_415_and_nothing_changes(
    api: Api, kind: str, method: str
) -> None:
    account = api.register()

    response = send(api, method, account.path, kind, account.headers)

    assert_error(response, 415, "unsupported_media_type")
    after = api.client.get(account.path, headers=account.headers)
    assert after.status_code == 200, describe(after)
    assert after.json() == account.user


@pytest.mark.parametrize("kind", sorted(NOT_JSON))
def test_when_an_account_is_created_without_a_body_as_a_form_could_then_415(api: Api, kind: str) -> None:
    path = "/api/users" if api.auth == "none" else "/api/auth/register"

    assert_error(send(api, "POST", path, kind, {}), 415, "unsupported_media_type")
