"""The stand-in's success responses against Slack's published OpenAPI description (spec/).

The 2020 spec writes "one of these schemas" as ``items: [...]`` on non-array schemas; we read
that as ``anyOf``, then validate with JSON Schema draft 4 (types, patterns, required fields and
``additionalProperties: false``). Two deliberate departures, both named here:

- the spec declares ``chat.update``'s ``message.blocks`` an object; Slack (and the same spec's
  ``objs_message``) have an array, so that one property is corrected below;
- the demo team id ``T0PAIDUP`` is shorter than real team ids (``^[TE][A-Z0-9]{8,}$``), so team
  ids are lengthened before validating: the shape is under test, not our choice of id.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from integrations.slack_sandbox.ids import new_trigger_id
from integrations.slack_sandbox.workspace import TEAM_ID

from .conftest import RunningSlack

SPEC_PATH = Path(__file__).parent / "spec" / "slack_web_openapi_v2.json"
REAL_LENGTH_TEAM_ID = TEAM_ID + "00"


@cache
def spec() -> dict[str, Any]:
    return _items_alternatives_as_any_of(json.loads(SPEC_PATH.read_text()))


def _items_alternatives_as_any_of(node: Any) -> Any:
    if isinstance(node, list):
        return [_items_alternatives_as_any_of(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _items_alternatives_as_any_of(v) for k, v in node.items()}
    if isinstance(node.get("items"), list) and node.get("type") != "array":
        node["anyOf"] = node.pop("items")
    return node


def success_schema(method: str) -> dict[str, Any]:
    operations = spec()["paths"]["/" + method]
    schema = dict((operations.get("post") or operations["get"])["responses"]["200"]["schema"])
    if method == "chat.update":  # spec erratum: blocks is an array of block objects
        schema["properties"] = {**schema["properties"], "message": {
            **schema["properties"]["message"],
            "properties": {**schema["properties"]["message"]["properties"], "blocks": {"$ref": "#/definitions/blocks"}},
        }}
    return {**schema, "definitions": spec()["definitions"]}


def with_real_length_team_ids(body: Any) -> Any:
    text = json.dumps(body).replace(f'"{TEAM_ID}"', f'"{REAL_LENGTH_TEAM_ID}"')
    return json.loads(text)


def post_card(client: WebClient) -> str:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Acme* owes $1,000"}}]
    return str(client.chat_postMessage(channel="C0FINANCE", text="Acme owes $1,000", blocks=blocks)["ts"])


def upload(client: WebClient) -> str:
    return str(client.files_upload_v2(content=b"a,b\n", filename="aging.csv", channel="C0ALERTS")["file"]["id"])


CASES: dict[str, Callable[[WebClient], SlackResponse]] = {
    "auth.test": lambda c: c.auth_test(),
    "chat.postMessage": lambda c: c.chat_postMessage(channel="U0REP0001", text="hi", blocks=[{"type": "divider"}]),
    "chat.postEphemeral": lambda c: c.chat_postEphemeral(channel="C0SALES", user="U0REP0001", text="psst"),
    "chat.update": lambda c: c.chat_update(channel="C0FINANCE", ts=post_card(c), text="Paid",
                                           blocks=[{"type": "divider"}]),
    "chat.delete": lambda c: c.chat_delete(channel="C0FINANCE", ts=post_card(c)),
    "chat.getPermalink": lambda c: c.chat_getPermalink(channel="C0FINANCE", message_ts=post_card(c)),
    "reactions.add": lambda c: c.reactions_add(channel="C0FINANCE", timestamp=post_card(c), name="eyes"),
    "users.info": lambda c: c.users_info(user="U0REP0001"),
    "users.lookupByEmail": lambda c: c.users_lookupByEmail(email="fiona.finance@paidup.example"),
    "users.list": lambda c: c.users_list(),
    "usergroups.list": lambda c: c.usergroups_list(include_users=True),
    "usergroups.users.list": lambda c: c.usergroups_users_list(usergroup="S0FINANCE"),
    "conversations.open": lambda c: c.conversations_open(users="U0REP0002"),
    "conversations.info": lambda c: c.conversations_info(channel="C0FINANCE"),
    "files.info": lambda c: c.files_info(file=upload(c)),
    "views.open": lambda c: c.views_open(trigger_id=new_trigger_id("U0REP0001", time.time()), view={
        "type": "modal", "title": {"type": "plain_text", "text": "Invoice"}, "blocks": []}),
}


@pytest.mark.parametrize("method", sorted(CASES))
def test_success_response_matches_the_published_schema(client: WebClient, method: str) -> None:
    body = with_real_length_team_ids(CASES[method](client).data)
    errors = sorted(Draft4Validator(success_schema(method)).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors]


def test_a_dm_conversation_and_the_bot_user_match_too(slack: RunningSlack, client: WebClient) -> None:
    for method, response in (("conversations.info", client.conversations_info(channel="D0REP0001")),
                             ("users.info", client.users_info(user="U0PAIDUPBOT"))):
        assert not list(Draft4Validator(success_schema(method)).iter_errors(with_real_length_team_ids(response.data)))


def test_the_validator_does_catch_a_missing_field(client: WebClient) -> None:
    """Guard against a schema reading that accepts anything."""
    body = with_real_length_team_ids(client.users_info(user="U0REP0001").data)
    del body["user"]["profile"]["real_name"]
    assert list(Draft4Validator(success_schema("users.info")).iter_errors(body))
    incomplete = {k: v for k, v in client.auth_test().data.items() if k != "url"}
    assert list(Draft4Validator(success_schema("auth.test")).iter_errors(with_real_length_team_ids(incomplete)))
