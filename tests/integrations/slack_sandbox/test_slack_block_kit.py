"""Block Kit limits: the checker called directly, and as the stand-in applies it to calls."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View as SdkView

from integrations.slack_sandbox import check_message_blocks, check_view
from integrations.slack_sandbox.ids import new_trigger_id

from .conftest import RunningSlack


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str = "Approve", action_id: str = "approve", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, **extra}


def pointers(errors: list[str]) -> list[str]:
    return [e.rsplit("[json-pointer:", 1)[1].rstrip("]") for e in errors]


def test_blocks_built_with_slack_sdk_models_pass() -> None:
    blocks = [
        HeaderBlock(text="Approve INV-0107"),
        SectionBlock(text=MarkdownTextObject(text="*Acme* $14,900.00"), fields=["Due", "in 30 days"],
                     accessory=StaticSelectElement(action_id="pick", placeholder="Account",
                                                   options=[Option(text="200 Sales", value="200")])),
        DividerBlock(),
        ContextBlock(elements=[MarkdownTextObject(text="as of 2 min ago")]),
        ActionsBlock(block_id="approval", elements=[
            ButtonElement(text="Approve", action_id="approve", value="draft:1", style="primary"),
            ButtonElement(text="Reject", action_id="reject", value="draft:1", style="danger",
                          confirm=ConfirmObject(title="Reject?", text="The rep will be told.")),
        ]),
        InputBlock(label="Due date", element=DatePickerElement(action_id="due", initial_date="2026-05-01"),
                   block_id="due"),
        InputBlock(label="Reason", element=PlainTextInputElement(action_id="reason", multiline=True, max_length=500),
                   block_id="reason", optional=True),
    ]
    assert check_message_blocks([b.to_dict() for b in blocks]) == []
    view = SdkView(type="modal", title="New invoice", submit="Create", blocks=blocks).to_dict()
    assert check_view(view) == []


@pytest.mark.parametrize(("blocks", "pointer", "problem"), [
    ([section()] * 51, "/blocks", "no more than 50 items allowed"),
    ([section("x" * 3001)], "/blocks/0/text/text", "must be less than 3001 characters"),
    ([section(fields=[{"type": "plain_text", "text": "f"}] * 11)], "/blocks/0/fields", "no more than 10 items"),
    ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "/blocks/0/text/text", "151"),
    ([{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}], "/blocks/0/text/type", "plain_text"),
    ([{"type": "actions", "elements": [button("b" * 76)]}], "/blocks/0/elements/0/text/text", "76"),
    ([{"type": "actions", "elements": [button(action_id="a" * 256)]}], "/blocks/0/elements/0/action_id", "256"),
    ([section(block_id="b" * 256)], "/blocks/0/block_id", "256"),
    ([{"type": "actions", "elements": [button()] * 26}], "/blocks/0/elements", "no more than 25"),
    ([{"type": "actions", "elements": []}], "/blocks/0/elements", "at least 1"),
    ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "/blocks/0/elements", "10"),
    ([{"type": "section"}], "/blocks/0", "text or fields"),
    ([section("")], "/blocks/0/text/text", "more than 0 characters"),
    ([{"type": "carousel"}], "/blocks/0", "failed to match all allowed schemas"),
    ([section(block_id="x"), section(block_id="x")], "/blocks/1/block_id", "duplicate block_id"),
    ([{"type": "input", "label": {"type": "plain_text", "text": "L"}}], "/blocks/0/element", "missing required"),
    ([{"type": "actions", "elements": [button(style="fancy")]}], "/blocks/0/elements/0/style", "primary"),
    ([{"type": "actions", "elements": [button(confirm={"title": {"type": "plain_text", "text": "t"}})]}],
     "/blocks/0/elements/0/confirm/text", "missing required"),
    ([{"type": "actions", "elements": [{"type": "static_select", "action_id": "s", "options": [
        {"text": {"type": "plain_text", "text": "o" * 76}, "value": "v"}]}]}],
     "/blocks/0/elements/0/options/0/text/text", "76"),
    ([{"type": "image", "image_url": "https://example.com/chart.png"}], "/blocks/0/alt_text", "missing required"),
])
def test_broken_limits_are_reported_with_json_pointers(blocks: list[dict[str, Any]], pointer: str,
                                                        problem: str) -> None:
    errors = check_message_blocks(blocks)
    assert pointer in pointers(errors), errors
    assert any(problem in e for e in errors), errors


@pytest.mark.parametrize(("view", "pointer"), [
    ({"type": "modal", "blocks": []}, "/view/title"),
    ({"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": []}, "/view/title/text"),
    ({"type": "modal", "title": {"type": "plain_text", "text": "t"}, "close": {"type": "plain_text", "text": "c" * 25},
      "blocks": []}, "/view/close/text"),
    ({"type": "modal", "title": {"type": "plain_text", "text": "t"}, "blocks": [
        {"type": "input", "label": {"type": "plain_text", "text": "L"},
         "element": {"type": "plain_text_input", "action_id": "a"}}]}, "/view/submit"),
    ({"type": "home", "blocks": [section()] * 101}, "/view/blocks"),
    ({"type": "home", "blocks": [], "private_metadata": "m" * 3001}, "/view/private_metadata"),
    ({"type": "dialog", "blocks": []}, "/view/type"),
])
def test_view_limits(view: dict[str, Any], pointer: str) -> None:
    assert pointer in pointers(check_view(view))


def test_a_modal_may_hold_100_blocks_but_a_message_only_50() -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Long"}, "blocks": [section()] * 100}
    assert check_view(view) == []
    assert check_message_blocks([section()] * 50) == []


def test_post_message_with_broken_blocks_is_invalid_blocks(slack: RunningSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0FINANCE", text="fallback", blocks=[section("x" * 3001)])
    response = excinfo.value.response
    assert response["error"] == "invalid_blocks"
    assert response["errors"] == ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]
    assert response["response_metadata"]["messages"] == ["[ERROR] " + response["errors"][0]]
    assert slack.state.messages("C0FINANCE") == []


def test_update_and_ephemeral_check_blocks_too(slack: RunningSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0FINANCE", text="ok")["ts"]
    too_many = [section()] * 51
    for call in (lambda: client.chat_update(channel="C0FINANCE", ts=ts, text="x", blocks=too_many),
                 lambda: client.chat_postEphemeral(channel="C0FINANCE", user="U0REP0001", text="x", blocks=too_many)):
        with pytest.raises(SlackApiError) as excinfo:
            call()
        assert excinfo.value.response["error"] == "invalid_blocks"
    assert slack.state.message("C0FINANCE", ts).text == "ok"


def test_views_with_broken_limits_are_invalid_arguments(client: WebClient) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "An overly long modal title"}, "blocks": []}
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=new_trigger_id("U0REP0001", 1e9), view=view)
    assert excinfo.value.response["error"] == "invalid_arguments"
    assert excinfo.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"]
