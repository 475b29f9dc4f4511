"""The notes resource, through the registry: routes, validation, OpenAPI, owners."""

from __future__ import annotations

from collections.abc import Callable

import support


def test_when_signed_out_then_notes_are_401(client: support.Client) -> None:
    assert client.get("/api/notes").status_code == 401
    assert client.post("/api/notes", json={"text": "hi"}).status_code == 401


def test_when_a_note_is_written_then_its_owner_reads_and_lists_it(
    new_account: support.NewAccount,
) -> None:
    ada = new_account()

    created = ada.post("/api/notes", json={"text": "buy milk"})

    assert created.status_code == 201, created.text
    note = created.json()
    assert note["text"] == "buy milk"
    assert note["owner_id"] == ada.user["id"]
    assert note["created_at"].endswith("Z")
    assert created.headers["Location"] == f"/api/notes/{note['id']}"
    assert ada.get(created.headers["Location"]).json() == note
    assert ada.get("/api/notes").json() == {"items": [note]}


def test_when_another_user_asks_then_the_note_is_404_and_not_listed(
    new_account: support.NewAccount,
) -> None:
    ada = new_account()
    bob = new_account("bob@example.com")
    note = ada.post("/api/notes", json={"text": "mine"}).json()

    answer = bob.get(f"/api/notes/{note['id']}")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert bob.get("/api/notes").json() == {"items": []}


def test_when_the_text_breaks_the_rules_then_422_names_it(
    new_account: support.NewAccount,
) -> None:
    ada = new_account()
    for body in ({"text": ""}, {"text": "x" * 201}, {"text": 5}, {}):
        answer = ada.post("/api/notes", json=body)
        assert answer.status_code == 422, body
        assert "text" in answer.json()["error"]["fields"], body
    unknown = ada.post("/api/notes", json={"text": "ok", "owner_id": 1})
    assert unknown.status_code == 422


def test_when_the_user_is_deleted_then_their_notes_go_too(
    new_account: support.NewAccount, stored_notes: Callable[[], int]
) -> None:
    ada = new_account()
    bob = new_account("bob@example.com")
    ada.post("/api/notes", json={"text": "one"})
    bob.post("/api/notes", json={"text": "two"})
    assert stored_notes() == 2

    assert ada.delete(ada.url).status_code == 204

    assert stored_notes() == 1
    assert len(bob.get("/api/notes").json()["items"]) == 1


def test_the_openapi_document_publishes_the_notes_operations(
    client: support.Client,
) -> None:
    document = client.get("/openapi.json").json()

    operations = {
        operation["operationId"]
        for path in ("/api/notes", "/api/notes/{id}")
        for operation in document["paths"][path].values()
    }
    assert operations == {"listNotes", "createNote", "getNote"}
    assert {"Note", "NoteCreate", "NotePage"} <= document["components"][
        "schemas"
    ].keys()
