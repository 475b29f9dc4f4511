"""Contract: register, login, me and logout; JWT and session credentials; login rate limit."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from ..harness import SourceAddresses
from .client import (
    JSON_TYPE,
    Account,
    Api,
    assert_error,
    assert_user,
    assert_validation_error,
    bearer,
    claims_for,
    describe,
    forge_jwt,
    jwt_parts,
    jwt_signature_valid,
    set_cookies,
    unique_email,
)

pytestmark = [pytest.mark.e2e, pytest.mark.auth_modes("jwt", "session")]


def assert_no_store(response: httpx.Response) -> None:
    assert "no-store" in response.headers.get("cache-control", ""), describe(response)


# --------------------------------------------------------------------------- sign in and out


def test_when_user_registers_then_201_with_user_and_credentials_not_cached(api: Api) -> None:
    email = unique_email("Reg.Ister")

    account = api.register(email)

    assert_user(account.user, email)
    assert account.response is not None
    assert_no_store(account.response)
    expected = {"user", "access_token", "token_type", "expires_in"} if api.auth == "jwt" else {"user"}
    assert set(account.body) == expected, account.body


def test_when_user_logs_in_with_any_case_email_then_200_and_not_cached(api: Api) -> None:
    account = api.register(unique_email("Case.Login"))

    response = api.client.post(
        "/api/auth/login", json={"email": account.email.upper(), "password": account.password}
    )

    assert response.status_code == 200, describe(response)
    assert_no_store(response)
    assert response.json()["user"] == account.user


def test_when_signed_in_then_me_answers_the_user_not_cached(api: Api) -> None:
    account = api.register()

    response = api.client.get("/api/auth/me", headers=account.headers)

    assert response.status_code == 200, describe(response)
    assert response.json() == account.user
    assert_no_store(response)


def test_when_not_signed_in_then_me_is_401(api: Api) -> None:
    assert_error(api.client.get("/api/auth/me"), 401, "unauthorized")


def test_when_user_logs_out_then_those_credentials_stop_at_once_and_others_live_on(
    api: Api,
) -> None:
    account = api.register()
    other = api.login(account)

    response = api.logout(account)

    assert response.status_code == 204, describe(response)
    assert_error(api.client.get("/api/auth/me", headers=account.headers), 401, "unauthorized")
    assert_error(api.client.get("/api/users", headers=account.headers), 401, "unauthorized")
    assert_error(api.logout(account), 401, "unauthorized")
    assert api.client.get("/api/auth/me", headers=other.headers).status_code == 200


def test_when_logging_out_without_credentials_then_401(api: Api) -> None:
    assert_error(api.client.post("/api/auth/logout", headers=JSON_TYPE), 401, "unauthorized")


def test_when_user_deletes_itself_then_all_its_credentials_are_401(api: Api) -> None:
    account = api.register()
    second = api.login(account)

    assert api.client.delete(account.path, headers=account.headers).status_code == 204

    for credentials in (account, second):
        assert_error(api.client.get("/api/auth/me", headers=credentials.headers), 401, "unauthorized")
        assert_error(api.client.get("/api/users", headers=credentials.headers), 401, "unauthorized")


def test_when_login_fails_then_unknown_email_and_wrong_password_answer_alike(
    api: Api, source_address: str
) -> None:
    account = api.register()

    with api.client_from(source_address) as client:
        wrong_password = client.post(
            "/api/auth/login", json={"email": account.email, "password": "not the password"}
        )
        unknown_email = client.post(
            "/api/auth/login", json={"email": unique_email(), "password": "not the password"}
        )

    assert_error(wrong_password, 401, "invalid_credentials")
    assert_error(unknown_email, 401, "invalid_credentials")
    assert wrong_password.json() == unknown_email.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"email": "x@example.com"}, "password"), ({"password": "long enough"}, "email"),
     ({"email": "x@example.com", "password": "long enough", "remember": True}, "remember")],
    ids=["no-password", "no-email", "unknown-field"],
)  # fmt: skip
def test_when_login_body_breaks_the_rules_then_422(
    api: Api, source_address: str, payload: dict[str, object], field: str
) -> None:
    with api.client_from(source_address) as client:
        response = client.post("/api/auth/login", json=payload)

    assert_validation_error(response, field)


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "nul\u0000byte@example.com", "password": "long enough password"},
        {"email": "a" * 10_000 + "@example.com", "password": "long enough password"},
        {"email": "odd@example.com", "password": "p" * 100_000},
        {"email": ["list@example.com"], "password": "long enough password"},
        {"email": "odd@example.com", "password": {"$ne": ""}},
    ],
    ids=["nul-in-email", "10k-email", "100k-password", "email-list", "password-object"],
)
def test_when_login_gets_hostile_input_then_401_or_422_not_a_crash(
    api: Api, source_address: str, payload: dict[str, object]
) -> None:
    with api.client_from(source_address) as client:
        response = client.post("/api/auth/login", json=payload)

    assert response.status_code in {401, 422}, describe(response)
    code = {401: "invalid_credentials", 422: "validation_error"}[response.status_code]
    assert_error(response, response.status_code, code)


def test_when_registering_then_password_over_128_is_422(api: Api) -> None:
    response = api.client.post("/api/auth/register", json={"email": unique_email(), "password": "p" * 129})

    assert_validation_error(response, "password")


def test_when_email_registers_twice_then_409(api: Api) -> None:
    account = api.register()

    response = api.client.post(
        "/api/auth/register", json={"email": account.email.title(), "password": "long enough pw"}
    )

    assert_error(response, 409, "conflict")


# --------------------------------------------------------------------------- rate limit


def fail_logins(client: httpx.Client, account: Account, times: int) -> list[httpx.Response]:
    return [
        client.post("/api/auth/login", json={"email": account.email, "password": f"wrong password {n}"})
        for n in range(times)
    ]


def test_when_a_client_fails_login_limit_times_then_further_logins_get_429(
    api: Api, source_address: str
) -> None:
    account = api.register()

    with api.client_from(source_address) as client:
        failures = fail_logins(client, account, api.login_rate_limit)
        blocked = client.post("/api/auth/login", json={"email": account.email, "password": account.password})

    for response in failures:
        assert_error(response, 401, "invalid_credentials")
    assert_error(blocked, 429, "rate_limited")
    retry_after = blocked.headers.get("retry-after", "")
    assert retry_after.isdigit(), describe(blocked)
    assert 1 <= int(retry_after) <= 60, describe(blocked)


def test_when_one_client_is_rate_limited_then_another_client_still_logs_in(
    api: Api, source_addresses: SourceAddresses
) -> None:
    account = api.register()
    noisy, quiet = source_addresses.take(), source_addresses.take()

    with api.client_from(noisy) as client:
        fail_logins(client, account, api.login_rate_limit)
        assert_error(
            client.post("/api/auth/login", json={"email": account.email, "password": "x" * 10}),
            429,
            "rate_limited",
        )
    with api.client_from(quiet) as client:
        response = client.post("/api/auth/login", json={"email": account.email, "password": account.password})

    assert response.status_code == 200, describe(response)


def test_when_failed_logins_are_422s_then_they_count_toward_the_limit(api: Api, source_address: str) -> None:
    account = api.register()

    with api.client_from(source_address) as client:
        invalid = [
            client.post("/api/auth/login", json={"email": account.email})
            for _ in range(api.login_rate_limit - 1)
        ]
        wrong = fail_logins(client, account, 1)
        blocked = client.post("/api/auth/login", json={"email": account.email, "password": account.password})

    for response in invalid:
        assert_validation_error(response, "password")
    assert_error(wrong[0], 401, "invalid_credentials")
    assert_error(blocked, 429, "rate_limited")
    assert blocked.headers.get("retry-after"), describe(blocked)


def test_when_logins_succeed_then_they_do_not_count_toward_the_limit(api: Api, source_address: str) -> None:
    account = api.register()

    with api.client_from(source_address) as client:
        responses = [
            client.post("/api/auth/login", json={"email": account.email, "password": account.password})
            for _ in range(api.login_rate_limit + 2)
        ]

    assert [response.status_code for response in responses] == [200] * len(responses)


def test_when_forwarded_for_header_changes_then_the_limit_still_holds(api: Api, source_address: str) -> None:
    account = api.register()

    with api.client_from(source_address) as client:
        for n in range(api.login_rate_limit):
            client.post(
                "/api/auth/login",
                json={"email": account.email, "password": "wrong password"},
                headers={"X-Forwarded-For": f"10.0.0.{n + 1}"},
            )
        blocked = client.post(
            "/api/auth/login",
            json={"email": account.email, "password": account.password},
            headers={"X-Forwarded-For": "10.0.1.1"},
        )

    assert_error(blocked, 429, "rate_limited")


# --------------------------------------------------------------------------- JWT


@pytest.mark.auth_modes("jwt")
def test_when_jwt_user_signs_in_then_the_answer_is_a_bearer_token_of_the_configured_lifetime(
    api: Api,
) -> None:
    account = api.register()
    login = api.login(account)

    for body in (account.body, login.body):
        assert set(body) == {"user", "access_token", "token_type", "expires_in"}, body
        assert body["token_type"] == "bearer", body
        assert body["expires_in"] == api.access_token_expires, body
        assert isinstance(body["access_token"], str), body
        assert body["access_token"], body


@pytest.mark.auth_modes("jwt")
def test_when_jwt_is_issued_then_it_is_hs256_with_sub_iat_exp_and_unique_jti(api: Api) -> None:
    account = api.register()
    login = api.login(account)
    now = time.time()

    jtis = []
    for body in (account.body, login.body):
        token = body["access_token"]
        header, claims, _ = jwt_parts(token)
        assert header.get("alg") == "HS256", header
        assert jwt_signature_valid(token, api.secret_key), "the token is not HS256-signed with SECRET_KEY"
        assert claims.get("sub") == str(account.id), claims
        assert isinstance(claims.get("iat"), int), claims
        assert abs(claims["iat"] - now) < 120, claims
        assert isinstance(claims.get("exp"), int), claims
        assert claims["exp"] - claims["iat"] == api.access_token_expires, claims
        assert isinstance(claims.get("jti"), str), claims
        assert claims["jti"], claims
        jtis.append(claims["jti"])
    assert len(set(jtis)) == 2, jtis


@pytest.mark.auth_modes("jwt")
def test_when_token_is_forged_with_the_secret_and_all_claims_then_it_is_accepted(api: Api) -> None:
    """The control for the tests below: a hand-made token the server must accept."""
    account = api.register()
    token = forge_jwt({"alg": "HS256", "typ": "JWT"}, claims_for(account.id), api.secret_key)

    response = api.client.get("/api/auth/me", headers=bearer(token))

    assert response.status_code == 200, describe(response)
    assert response.json()["id"] == account.id


@pytest.mark.auth_modes("jwt")
@pytest.mark.parametrize(
    "kind",
    [
        "alg-none",
        "alg-none-signed",
        "hs512",
        "no-exp",
        "expired",
        "wrong-secret",
        "tampered-sub",
        "no-sub",
        "unknown-sub",
    ],
)
def test_when_token_is_not_one_the_server_would_issue_then_401(api: Api, kind: str) -> None:
    account = api.register()
    other = api.register()
    hs256 = {"alg": "HS256", "typ": "JWT"}
    secret = api.secret_key
    tokens = {
        "alg-none": lambda: forge_jwt({"alg": "none", "typ": "JWT"}, claims_for(account.id), None),
        "alg-none-signed": lambda: forge_jwt({"alg": "none", "typ": "JWT"}, claims_for(account.id), secret),
        "hs512": lambda: forge_jwt({"alg": "HS512", "typ": "JWT"}, claims_for(account.id), secret, "sha512"),
        "no-exp": lambda: forge_jwt(hs256, claims_for(account.id, exp=None), secret),
        "expired": lambda: forge_jwt(
            hs256,
            claims_for(account.id, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
            secret,
        ),
        "wrong-secret": lambda: forge_jwt(
            hs256, claims_for(account.id), "another secret of at least thirty-two chars"
        ),
        "tampered-sub": lambda: tamper_sub(account.body["access_token"], other.id),
        "no-sub": lambda: forge_jwt(hs256, claims_for(account.id, sub=None), secret),
        "unknown-sub": lambda: forge_jwt(hs256, claims_for("999999999999"), secret),
    }

    response = api.client.get("/api/auth/me", headers=bearer(tokens[kind]()))

    assert_error(response, 401, "unauthorized")


def tamper_sub(token: str, new_sub: object) -> str:
    """The token with its payload's `sub` swapped and the original signature kept."""
    header, claims, _ = jwt_parts(token)
    claims["sub"] = str(new_sub)
    unsigned = forge_jwt(header, claims, None)
    return unsigned + token.rsplit(".", 1)[1]


@pytest.mark.auth_modes("jwt")
@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "Bearer not.a.jwt",
        "Bearer abc",
        "Basic dXNlcjpwYXNz",
        "Token abc.def.ghi",
    ],
)
def test_when_authorization_header_is_malformed_then_401(api: Api, authorization: str) -> None:
    response = api.client.get("/api/auth/me", headers={"Authorization": authorization})

    assert_error(response, 401, "unauthorized")


@pytest.mark.auth_modes("jwt")
def test_when_jwt_logs_out_then_a_forged_copy_of_the_same_jti_is_dead_too(api: Api) -> None:
    account = api.register()
    _, claims, _ = jwt_parts(account.body["access_token"])

    assert api.logout(account).status_code == 204

    replay = forge_jwt(
        {"alg": "HS256", "typ": "JWT"}, claims_for(account.id, jti=claims["jti"]), api.secret_key
    )
    assert_error(api.client.get("/api/auth/me", headers=bearer(replay)), 401, "unauthorized")


# --------------------------------------------------------------------------- sessions


@pytest.mark.auth_modes("session")
def test_when_session_user_signs_in_then_an_httponly_lax_root_cookie_is_set(api: Api) -> None:
    account = api.register()
    login = api.login(account)

    for answer in (account, login):
        assert answer.response is not None
        cookies = set_cookies(answer.response)
        assert len(cookies) == 1, f"expected one session cookie: {describe(answer.response)}"
        cookie = cookies[0]
        assert cookie.has_flag("httponly"), describe(answer.response)
        assert cookie.attributes.get("samesite", "").lower() == "lax", describe(answer.response)
        assert cookie.attributes.get("path") == "/", describe(answer.response)
        assert answer.body.keys() == {"user"}, answer.body


@pytest.mark.auth_modes("session")
def test_when_sessions_are_issued_then_their_ids_are_opaque_and_distinct(api: Api) -> None:
    account = api.register(unique_email("opaque"))
    values = [
        set_cookies(answer.response)[0].value for answer in (account, api.login(account), api.login(account))
    ]

    assert len(set(values)) == 3, values
    for value in values:
        assert len(value) >= 20, value
        assert account.email not in value, value
        assert account.user["username"] not in value, value


@pytest.mark.auth_modes("session")
def test_when_login_carries_a_chosen_session_cookie_then_a_new_id_is_issued(api: Api) -> None:
    account = api.register()
    name = set_cookies(account.response)[0].name
    chosen = "attacker-chosen-session-id-0123456789"

    response = api.client.post(
        "/api/auth/login",
        json={"email": account.email, "password": account.password},
        headers={"Cookie": f"{name}={chosen}"},
    )

    assert response.status_code == 200, describe(response)
    assert [cookie.value for cookie in set_cookies(response)] != [chosen]
    assert_error(api.client.get("/api/auth/me", headers={"Cookie": f"{name}={chosen}"}), 401, "unauthorized")


@pytest.mark.auth_modes("session")
@pytest.mark.parametrize("change", ["last-char", "truncated", "empty", "other-name"])
def test_when_session_cookie_is_tampered_then_401(api: Api, change: str) -> None:
    account = api.register()
    cookie = set_cookies(account.response)[0]
    flipped = cookie.value[:-1] + ("A" if cookie.value[-1] != "A" else "B")
    header = {
        "last-char": f"{cookie.name}={flipped}",
        "truncated": f"{cookie.name}={cookie.value[: len(cookie.value) // 2]}",
        "empty": f"{cookie.name}=",
        "other-name": f"not_{cookie.name}={cookie.value}",
    }[change]

    assert_error(api.client.get("/api/auth/me", headers={"Cookie": header}), 401, "unauthorized")


@pytest.mark.auth_modes("session")
def test_when_session_logs_out_then_the_old_cookie_is_401(api: Api) -> None:
    account = api.register()
    assert api.client.get("/api/auth/me", headers=account.headers).status_code == 200

    response = api.logout(account)

    assert response.status_code == 204, describe(response)
    assert_error(api.client.get("/api/auth/me", headers=account.headers), 401, "unauthorized")
    assert_error(
        api.client.patch(
            account.path, json={"username": f"late_{uuid.uuid4().hex[:6]}"}, headers=account.headers
        ),
        401,
        "unauthorized",
    )
