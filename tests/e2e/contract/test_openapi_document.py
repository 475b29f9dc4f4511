"""Contract: every stack publishes the same OpenAPI document for its auth mode and id kind.

Each served /openapi.json is validated, normalised (sorted keys; no descriptions, summaries,
titles or examples) and compared with the reference for its (auth, id kind) in `openapi/`.
A reference is written from one stack's document and matched by the other frameworks:

    curl -s localhost:8000/openapi.json | python -m tests.e2e.contract.test_openapi_document jwt integer
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from .. import harness
from .client import Api, describe

pytestmark = pytest.mark.e2e

REFERENCES = Path(__file__).parent / "openapi"
AUTH_MODES = ("jwt", "session", "none")
ID_KINDS = ("integer", "objectid")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Words for people, not for a client generator: they may differ between frameworks.
ANNOTATIONS = frozenset({"description", "summary", "title", "examples", "example", "$schema", "$id"})
DIFF_LINES = 80

# Every operation of docs/api-contract.md, with its operationId.
OPERATIONS = {
    "GET /health": "getHealth",
    "GET /api/users": "listUsers",
    "GET /api/users/{id}": "getUser",
    "PATCH /api/users/{id}": "updateUser",
    "PUT /api/users/{id}": "replaceUser",
    "DELETE /api/users/{id}": "deleteUser",
}
WITHOUT_AUTH = {"POST /api/users": "createUser"}
WITH_AUTH = {
    "POST /api/auth/register": "register",
    "POST /api/auth/login": "login",
    "GET /api/auth/me": "getCurrentUser",
    "POST /api/auth/logout": "logout",
}
SCHEMAS = {
    "User", "UserCreate", "UserUpdate", "UserPage", "Health",
    "Error", "ErrorDetail", "ValidationError", "ValidationErrorDetail",
}  # fmt: skip
AUTH_SCHEMAS = {
    "jwt": {"LoginRequest", "TokenResponse"},
    "session": {"LoginRequest", "SessionResponse"},
    "none": set(),
}
SECURITY_SCHEMES = {"jwt": {"bearerAuth"}, "session": {"cookieAuth"}, "none": set()}
ID_SCHEMAS = {
    "integer": {"type": "integer", "minimum": 1},
    "objectid": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
}


def id_kind(database: str) -> str:
    return "objectid" if database == "mongodb" else "integer"


def reference_path(auth: str, ids: str) -> Path:
    return REFERENCES / f"{auth}-{ids}.json"


def contract_operations(auth: str) -> dict[str, str]:
    return {**OPERATIONS, **(WITHOUT_AUTH if auth == "none" else WITH_AUTH)}


# --------------------------------------------------------------------------- normalising


def normalise_schema(schema: Any) -> Any:
    """A JSON Schema without its annotations; `required` as a set (sorted), properties kept by name."""
    if isinstance(schema, list):
        return [normalise_schema(item) for item in schema]
    if isinstance(schema, float) and schema.is_integer():
        return int(schema)  # one JSON number: FastAPI writes a bound of 1 as 1.0
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATIONS:
            continue
        if key == "properties":
            # Property names are data, even a property called "title".
            result[key] = {name: normalise_schema(field) for name, field in value.items()}
        elif key == "required" and isinstance(value, list):
            result[key] = sorted(value)
        else:
            result[key] = normalise_schema(value)
    return result


def _content(content: dict[str, Any]) -> dict[str, Any]:
    return {media: normalise_schema(body.get("schema", {})) for media, body in content.items()}


def _resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """A response or parameter, following one `$ref` into components."""
    ref = item.get("$ref")
    if not isinstance(ref, str):
        return item
    target: Any = document
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return dict(target)


def _operation(document: dict[str, Any], item: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    parameters = {}
    for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = _resolve(document, parameter)
        parameters[(parameter["in"], parameter["name"])] = {
            "in": parameter["in"],
            "name": parameter["name"],
            "required": bool(parameter.get("required", False)),
            "schema": normalise_schema(parameter.get("schema", {})),
        }
    result: dict[str, Any] = {
        "operationId": operation.get("operationId"),
        "parameters": [parameters[key] for key in sorted(parameters)],
        # No `security` means the document's default; spelt out, the documents compare.
        "security": operation.get("security", document.get("security", [])),
        "responses": {
            str(status): _content(_resolve(document, answer).get("content", {}))
            for status, answer in operation.get("responses", {}).items()
        },
    }
    if "requestBody" in operation:
        body = _resolve(document, operation["requestBody"])
        result["requestBody"] = {
            "required": bool(body.get("required", False)),
            "content": _content(body.get("content", {})),
        }
    return result


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    """What a client generator reads from the document, in one canonical spelling."""
    operations = {
        f"{method.upper()} {path}": _operation(document, item, item[method])
        for path, item in document.get("paths", {}).items()
        for method in METHODS
        if method in item
    }
    components = document.get("components", {})
    return {
        "openapi": document.get("openapi"),
        "info": {"version": document.get("info", {}).get("version")},
        "operations": operations,
        "schemas": {name: normalise_schema(schema) for name, schema in components.get("schemas", {}).items()},
        "securitySchemes": normalise_schema(components.get("securitySchemes", {})),
    }


def part(normalised: dict[str, Any], paths: tuple[str, ...], schemas: tuple[str, ...]) -> dict[str, Any]:
    """The operations under `paths` and the schemas named with `schemas` first, of a normalised
    document: one resource's share of it."""
    return {
        "operations": {
            key: value
            for key, value in normalised["operations"].items()
            if key.split(" ", 1)[1].startswith(paths)
        },
        "schemas": {name: value for name, value in normalised["schemas"].items() if name.startswith(schemas)},
    }


def canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def first_differences(expected: str, actual: str, label: str) -> str:
    diff = list(
        difflib.unified_diff(expected.splitlines(), actual.splitlines(), label, "served", lineterm="", n=4)
    )
    more = f"\n... and {len(diff) - DIFF_LINES} more diff lines" if len(diff) > DIFF_LINES else ""
    return "\n".join(diff[:DIFF_LINES]) + more


# --------------------------------------------------------------------------- the tests


def test_when_openapi_json_is_served_then_it_is_valid_and_the_reference_for_its_auth_and_ids(
    api: Api, stack: harness.Stack
) -> None:
    response = api.client.get("/openapi.json")
    assert response.status_code == 200, describe(response)
    document = response.json()
    validate(document)
    reference = reference_path(stack.auth, id_kind(stack.database))
    assert reference.exists(), (
        f"no reference {reference.name}: write it from one stack (see this module's doc)"
    )

    expected = reference.read_text(encoding="utf-8")
    actual = canonical(normalise(document))

    assert actual == expected, (
        f"{stack.name} publishes another document than {reference.name} (first differences):\n"
        + first_differences(expected, actual, reference.name)
    )


@pytest.mark.parametrize("auth", AUTH_MODES)
@pytest.mark.parametrize("ids", ID_KINDS)
def test_when_a_reference_is_read_then_it_lists_every_operation_of_the_contract(auth: str, ids: str) -> None:
    reference = json.loads(reference_path(auth, ids).read_text(encoding="utf-8"))

    operations = reference["operations"]
    expected = contract_operations(auth)
    assert {name: op["operationId"] for name, op in operations.items()} == expected
    assert set(reference["schemas"]) == SCHEMAS | AUTH_SCHEMAS[auth]
    assert set(reference["securitySchemes"]) == SECURITY_SCHEMES[auth]
    for name, operation in operations.items():
        responses = operation["responses"]
        assert {"500", "503"} <= set(responses), name
        assert any(status.startswith("2") for status in responses), name
        assert "default" not in responses, name
        errors = {
            status: body for status, body in responses.items() if int(status) >= 400 and status != "503"
        }
        for status, body in errors.items():
            envelope = "ValidationError" if status == "422" else "Error"
            assert body == {"application/json": {"$ref": f"#/components/schemas/{envelope}"}}, (name, status)
        if "{id}" in name:
            (parameter,) = operation["parameters"]
            assert parameter == {"in": "path", "name": "id", "required": True, "schema": ID_SCHEMAS[ids]}
        signed_in = auth != "none" and not name.startswith(
            ("GET /health", "POST /api/auth/register", "POST /api/auth/login")
        )
        assert bool(operation["security"]) == signed_in, name
        assert ("401" in responses) == (signed_in or name == "POST /api/auth/login"), name
        if operation.get("requestBody") is not None:
            assert {"400", "413", "415", "422"} <= set(responses), name
    user_id = {key: value for key, value in ID_SCHEMAS[ids].items() if key != "minimum"}
    assert reference["schemas"]["User"]["properties"]["id"] == user_id


def main(argv: list[str]) -> int:
    """Write the reference for (auth, id kind) from a served document read on stdin."""
    if len(argv) != 2 or argv[0] not in AUTH_MODES or argv[1] not in ID_KINDS:
        print(f"usage: ... < openapi.json  {'|'.join(AUTH_MODES)} {'|'.join(ID_KINDS)}", file=sys.stderr)
        return 2
    document = json.load(sys.stdin)
    validate(document)
    REFERENCES.mkdir(exist_ok=True)
    reference_path(*argv).write_text(canonical(normalise(document)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
