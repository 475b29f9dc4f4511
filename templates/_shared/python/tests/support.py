"""How the tests speak to the app: the client they use, and accounts signed in on it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

PASSWORD = "correct horse battery"


class Response(Protocol):
    """What a test reads of an answer, in httpx's names."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


class Cookies(Protocol):
    def __getitem__(self, name: str) -> str: ...

    def set(self, name: str, value: str) -> None: ...


class Client(Protocol):
    """The `client` fixture: an in-process client of the app, in httpx's names."""

    @property
    def cookies(self) -> Cookies: ...

    def request(self, method: str, url: str, **kwargs: Any) -> Response: ...

    def get(self, url: str, **kwargs: Any) -> Response: ...

    def options(self, url: str, **kwargs: Any) -> Response: ...

    def post(self, url: str, **kwargs: Any) -> Response: ...

    def patch(self, url: str, **kwargs: Any) -> Response: ...

    def put(self, url: str, **kwargs: Any) -> Response: ...

    def delete(self, url: str, **kwargs: Any) -> Response: ...


@dataclass
class Account:
    """A user and a client that speaks as them."""

    client: Client
    user: dict[str, Any]
    headers: dict[str, str]

    @property
    def url(self) -> str:
        return f"/api/users/{self.user['id']}"

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Response:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Response:
        return self.request("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Response:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Response:
        return self.request("DELETE", url, **kwargs)
{%- if cookiecutter.auth != "none" %}

    def logout(self) -> Response:
        """POST /api/auth/logout: no body, but JSON like every POST."""
        json_type = {"Content-Type": "application/json"}
        return self.post("/api/auth/logout", headers=json_type)
{%- endif %}


# The `new_account` fixture: makes a user (ada@example.com unless told) and Account.
NewAccount = Callable[..., Account]


def account_maker(make_client: Callable[[], Client]) -> NewAccount:
{%- if cookiecutter.auth == "none" %}
    """Create users through the API; without auth, any client speaks for them."""
{%- else %}
    """Register users through the API, each with a client of their own."""
{%- endif %}

    def make(email: str = "ada@example.com", **fields: Any) -> Account:
        client = make_client()
        body = {"email": email, "password": PASSWORD, **fields}
{%- if cookiecutter.auth == "none" %}
        response = client.post("/api/users", json=body)
        assert response.status_code == 201, response.json()
        return Account(client, response.json(), {})
{%- else %}
        response = client.post("/api/auth/register", json=body)
        assert response.status_code == 201, response.json()
        data = response.json()
{%- if cookiecutter.auth == "jwt" %}
        headers = {"Authorization": f"Bearer {data['access_token']}"}
{%- else %}
        # The client keeps the session cookie; no header is needed.
        headers: dict[str, str] = {}
{%- endif %}
        return Account(client, data["user"], headers)
{%- endif %}

    return make
