"""Signatures as Slack makes them (checked with slack_sdk's verifier) and payload shapes."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest
from slack_sdk.signature import SignatureVerifier

from integrations.slack_sandbox import Message, View
from integrations.slack_sandbox.ids import parse_response_path, parse_trigger_id
from integrations.slack_sandbox.signing import SlackRequestSigner, slack_signature
from integrations.slack_sandbox.workspace import APP_ID, BOT_USER_ID, TEAM_ID

from .conftest import SIGNING_SECRET

CARD = Message("C0FINANCE", "1700000000.000100", "Approve INV-0107?", [
    {"type": "section", "block_id": "summary", "text": {"type": "mrkdwn", "text": "*Acme* $14,900.00"}},
    {"type": "actions", "block_id": "approval", "elements": [
        {"type": "button", "action_id": "approve", "value": "draft:7", "style": "primary",
         "text": {"type": "plain_text", "text": "Approve"}},
        {"type": "static_select", "action_id": "account", "placeholder": {"type": "plain_text", "text": "Account"},
         "options": [{"text": {"type": "plain_text", "text": "200 Sales"}, "value": "200"}]}]},
], BOT_USER_ID)
MODAL = View("V0000000042", "U0REP0001", {
    "type": "modal", "callback_id": "invoice", "private_metadata": "opp:0065g0000010001AAA",
    "title": {"type": "plain_text", "text": "New invoice"}, "submit": {"type": "plain_text", "text": "Create"},
    "blocks": [
        {"type": "input", "block_id": "due", "label": {"type": "plain_text", "text": "Due"},
         "element": {"type": "datepicker", "action_id": "date", "initial_date": "2026-05-01"}},
        {"type": "input", "block_id": "reference", "label": {"type": "plain_text", "text": "Reference"},
         "element": {"type": "plain_text_input", "action_id": "value"}},
        {"type": "input", "block_id": "customer", "label": {"type": "plain_text", "text": "Customer"},
         "element": {"type": "external_select", "action_id": "search", "min_query_length": 2}},
    ]}, "1700000000.abcd1234", "V0000000042")


def verifier(now: float | None = None) -> SignatureVerifier:
    class FixedClock:
        def now(self) -> float:
            return time.time() if now is None else now

    return SignatureVerifier(SIGNING_SECRET, clock=FixedClock())


def test_signature_matches_slacks_formula() -> None:
    assert slack_signature("secret", 1531420618, b"token=x") == SignatureVerifier("secret").generate_signature(
        timestamp="1531420618", body=b"token=x")


@pytest.mark.parametrize("build", [
    lambda s: s.slash_command("U0REP0001", "acme"),
    lambda s: s.block_actions("U0FINANCE1", "approve", message=CARD),
    lambda s: s.view_submission("U0REP0001", MODAL),
    lambda s: s.message_im("U0REP0001", "has acme paid?"),
    lambda s: s.url_verification("challenge-me"),
])
def test_signed_requests_verify_with_slack_sdk(signer: SlackRequestSigner, build) -> None:
    body, headers = build(signer)
    assert verifier().is_valid_request(body, headers)


def test_an_altered_body_or_a_ten_minute_old_timestamp_fails(signer: SlackRequestSigner) -> None:
    body, headers = signer.slash_command("U0REP0001", "acme")
    assert not verifier().is_valid_request(body.replace(b"acme", b"globex"), headers)
    old_body, old_headers = signer.slash_command("U0REP0001", "acme", timestamp=int(time.time()) - 600)
    assert not verifier().is_valid_request(old_body, old_headers)
    assert verifier(now=time.time() - 600).is_valid_request(old_body, old_headers)  # only the age was wrong


def test_retry_headers(signer: SlackRequestSigner) -> None:
    _, headers = signer.message_im("U0REP0001", "hi", event_id="Ev0000000001", retry_num=2,
                                   retry_reason="http_timeout")
    assert (headers["X-Slack-Retry-Num"], headers["X-Slack-Retry-Reason"]) == ("2", "http_timeout")


def test_slash_command_fields(signer: SlackRequestSigner) -> None:
    request = signer.slash_command("U0REP0001", "acme", channel_id="C0SALES")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    fields = {k: v[0] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()}
    assert {k: fields[k] for k in ("command", "text", "user_id", "user_name", "channel_id", "channel_name",
                                   "team_id", "team_domain", "api_app_id")} == {
        "command": "/paidup", "text": "acme", "user_id": "U0REP0001", "user_name": "rita.rep",
        "channel_id": "C0SALES", "channel_name": "sales", "team_id": TEAM_ID, "team_domain": "paidup-demo",
        "api_app_id": APP_ID}
    assert parse_trigger_id(fields["trigger_id"]).user_id == "U0REP0001"
    target = parse_response_path(fields["response_url"].split("/response/", 1)[1])
    assert (target.channel, target.user_id, target.message_ts) == ("C0SALES", "U0REP0001", None)


def test_block_actions_payload_describes_the_clicked_element(signer: SlackRequestSigner) -> None:
    payload = signer.block_actions("U0FINANCE1", "approve", message=CARD).payload()
    assert payload["type"] == "block_actions" and payload["api_app_id"] == APP_ID
    assert payload["user"] == {"id": "U0FINANCE1", "username": "fiona.finance", "name": "fiona.finance",
                               "team_id": TEAM_ID}
    assert payload["team"] == {"id": TEAM_ID, "domain": "paidup-demo"}
    assert payload["container"] == {"type": "message", "message_ts": CARD.ts, "channel_id": "C0FINANCE",
                                    "is_ephemeral": False}
    assert payload["channel"] == {"id": "C0FINANCE", "name": "finance"} and payload["message"]["ts"] == CARD.ts
    [action] = payload["actions"]
    assert {k: action[k] for k in ("type", "action_id", "block_id", "value", "style")} == {
        "type": "button", "action_id": "approve", "block_id": "approval", "value": "draft:7", "style": "primary"}
    assert parse_response_path(payload["response_url"].split("/response/", 1)[1]).message_ts == CARD.ts
    option = {"text": {"type": "plain_text", "text": "200 Sales"}, "value": "200"}
    select = signer.block_actions("U0FINANCE1", "account", message=CARD, selection={"selected_option": option})
    assert select.payload()["actions"][0]["selected_option"] == option


def test_view_submission_carries_initial_values_and_what_was_typed(signer: SlackRequestSigner) -> None:
    payload = signer.view_submission("U0REP0001", MODAL, {"reference": {"value": {"value": "PO-7781"}}}).payload()
    view = payload["view"]
    assert (view["id"], view["hash"], view["callback_id"]) == ("V0000000042", "1700000000.abcd1234", "invoice")
    assert view["private_metadata"] == "opp:0065g0000010001AAA"
    assert view["state"]["values"]["due"] == {"date": {"type": "datepicker", "selected_date": "2026-05-01"}}
    assert view["state"]["values"]["reference"] == {"value": {"type": "plain_text_input", "value": "PO-7781"}}
    assert payload["trigger_id"] and payload["response_urls"] == []


def test_other_interactivity_payloads(signer: SlackRequestSigner) -> None:
    suggestion = signer.block_suggestion("U0REP0001", "search", "acm", view=MODAL).payload()
    assert (suggestion["type"], suggestion["action_id"], suggestion["block_id"], suggestion["value"]) == (
        "block_suggestion", "search", "customer", "acm")
    assert suggestion["container"] == {"type": "view", "view_id": "V0000000042"}
    closed = signer.view_closed("U0REP0001", MODAL, is_cleared=True).payload()
    assert closed["type"] == "view_closed" and closed["is_cleared"] is True and closed["view"]["id"] == "V0000000042"
    shortcut = signer.shortcut("U0REP0001", "new_invoice").payload()
    assert shortcut["callback_id"] == "new_invoice" and "response_url" not in shortcut and shortcut["trigger_id"]
    action = signer.message_action("U0REP0001", "remind", CARD).payload()
    assert (action["type"], action["message_ts"], action["channel"]["id"]) == ("message_action", CARD.ts, "C0FINANCE")
    assert action["response_url"]


def test_events_api_envelopes(signer: SlackRequestSigner) -> None:
    request = signer.message_im("U0REP0001", "has O'Brien & Sons paid? <3", event_id="Ev0000000007")
    envelope = request.payload()
    assert request.headers["Content-Type"] == "application/json"
    assert {k: envelope[k] for k in ("type", "team_id", "api_app_id", "event_id")} == {
        "type": "event_callback", "team_id": TEAM_ID, "api_app_id": APP_ID, "event_id": "Ev0000000007"}
    assert envelope["authorizations"][0]["user_id"] == BOT_USER_ID and isinstance(envelope["event_time"], int)
    event = envelope["event"]
    assert (event["type"], event["channel_type"], event["channel"]) == ("message", "im", "D0REP0001")
    assert event["text"] == "has O'Brien &amp; Sons paid? &lt;3"
    mention = signer.app_mention("U0REP0002", "acme?", "C0SALES").payload()["event"]
    assert mention["text"] == f"<@{BOT_USER_ID}> acme?" and mention["channel"] == "C0SALES"
    home = signer.app_home_opened("U0REP0001").payload()["event"]
    assert (home["type"], home["tab"], home["user"]) == ("app_home_opened", "home", "U0REP0001")
    assert signer.url_verification("abc").payload() == {"token": signer.app.verification_token,
                                                         "challenge": "abc", "type": "url_verification"}


def test_without_a_sandbox_url_response_urls_look_like_slacks() -> None:
    fields = parse_qs(SlackRequestSigner("s").slash_command("U0REP0001", "acme").body.decode())
    assert fields["response_url"][0].startswith("https://hooks.slack.com/")
    with pytest.raises(ValueError, match="signing secret"):
        SlackRequestSigner("")
