"""A real Bolt app, its WebClient on the stand-in, fed the signer's requests: proof that the
payloads parse the way Slack's do and that what the app sends back lands in the message model."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, BoltResponse, Respond, Say
from slack_bolt.adapter.starlette import SlackRequestHandler
from slack_sdk import WebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from integrations.loopback import LoopbackServer
from integrations.slack_sandbox.signing import SignedRequest, SlackRequestSigner, post_signed

from .conftest import SIGNING_SECRET, RunningSlack

MODAL = {"type": "modal", "callback_id": "invoice", "notify_on_close": True,
         "title": {"type": "plain_text", "text": "New invoice"}, "submit": {"type": "plain_text", "text": "Create"},
         "blocks": [{"type": "input", "block_id": "reference", "label": {"type": "plain_text", "text": "Reference"},
                     "element": {"type": "plain_text_input", "action_id": "value"}}]}
CARD_BLOCKS = [{"type": "actions", "block_id": "approval", "elements": [
    {"type": "button", "action_id": "approve", "value": "draft:7", "text": {"type": "plain_text", "text": "Approve"}}]}]


def build_app(client: WebClient) -> App:
    app = App(client=client, signing_secret=SIGNING_SECRET, process_before_response=True)

    @app.command("/paidup")
    def paidup(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        ack()
        respond(f"Looking up {command['text']}...")

    @app.action("approve")
    def approve(ack: Ack, respond: Respond, body: dict[str, Any]) -> None:
        ack()
        respond(replace_original=True, text=f"Approved by <@{body['user']['id']}>")

    @app.shortcut("new_invoice")
    def new_invoice(ack: Ack, client: WebClient, body: dict[str, Any]) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    @app.view("invoice")
    def invoice_submitted(ack: Ack, view: dict[str, Any]) -> None:
        reference = view["state"]["values"]["reference"]["value"]["value"]
        if not reference.startswith("PO-"):
            ack(response_action="errors", errors={"reference": "Use the PO number"})
        else:
            ack()

    @app.options("search")
    def search(ack: Ack, payload: dict[str, Any]) -> None:
        ack(options=[{"text": {"type": "plain_text", "text": "Acme Corporation"}, "value": payload["value"]}])

    @app.event("message")
    def direct_message(event: dict[str, Any], say: Say) -> None:
        say(f"You asked: {event['text']}")

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    return app


@pytest.fixture
def bolt(slack: RunningSlack) -> App:
    app = build_app(slack.client())
    slack.state.clear()  # forget the auth.test Bolt made at start-up
    return app


def dispatch(app: App, request: SignedRequest) -> BoltResponse:
    headers: dict[str, str | list[str]] = dict(request.headers)
    return app.dispatch(BoltRequest(body=request.body.decode(), headers=headers))


def test_bolt_verifies_at_start_with_auth_test(slack: RunningSlack) -> None:
    build_app(slack.client())
    assert slack.state.last("auth.test").ok


def test_slash_command_answered_through_response_url(slack: RunningSlack, bolt: App,
                                                     signer: SlackRequestSigner) -> None:
    assert dispatch(bolt, signer.slash_command("U0REP0001", "acme")).status == 200
    [answer] = slack.state.ephemeral_for("U0REP0001")
    assert (answer.text, answer.channel, answer.via) == ("Looking up acme...", "D0REP0001", "response_url")


def test_button_click_replaces_the_card(slack: RunningSlack, bolt: App, signer: SlackRequestSigner) -> None:
    ts = slack.client().chat_postMessage(channel="C0FINANCE", text="Approve?", blocks=CARD_BLOCKS)["ts"]
    card = slack.state.message("C0FINANCE", ts)
    assert dispatch(bolt, signer.block_actions("U0FINANCE1", "approve", message=card)).status == 200
    updated = slack.state.message("C0FINANCE", ts)
    assert updated.text == "Approved by <@U0FINANCE1>" and updated.blocks == [] and len(updated.versions) == 2


def test_shortcut_opens_a_modal_and_submission_errors_keep_it_open(slack: RunningSlack, bolt: App,
                                                                   signer: SlackRequestSigner) -> None:
    dispatch(bolt, signer.shortcut("U0REP0001", "new_invoice"))
    view = slack.state.open_view_for("U0REP0001")
    assert view is not None and view.callback_id == "invoice"
    response = dispatch(bolt, signer.view_submission("U0REP0001", view, {"reference": {"value": {"value": "x"}}}))
    ack = json.loads(response.body)
    assert ack == {"response_action": "errors", "errors": {"reference": "Use the PO number"}}
    slack.state.apply_submission_ack(view.id, ack)
    assert slack.state.open_view_for("U0REP0001").errors == {"reference": "Use the PO number"}
    response = dispatch(bolt, signer.view_submission("U0REP0001", view, {"reference": {"value": {"value": "PO-1"}}}))
    assert response.status == 200 and response.body == ""
    slack.state.apply_submission_ack(view.id, None)
    assert slack.state.open_view_for("U0REP0001") is None


def test_options_request(bolt: App, signer: SlackRequestSigner) -> None:
    view = {**MODAL, "id": "V0000000001", "blocks": [{"type": "input", "block_id": "customer",
            "label": {"type": "plain_text", "text": "Customer"},
            "element": {"type": "external_select", "action_id": "search"}}]}
    response = dispatch(bolt, signer.block_suggestion("U0REP0001", "search", "acm", view=view))
    assert json.loads(response.body)["options"][0]["value"] == "acm"


def test_direct_message_and_home_events(slack: RunningSlack, bolt: App, signer: SlackRequestSigner) -> None:
    typed = slack.state.post_as_user("U0REP0001", "has O'Brien & Sons paid?")
    assert dispatch(bolt, signer.message_im("U0REP0001", typed.text, ts=typed.ts)).status == 200
    assert [m.text for m in slack.state.dm_with("U0REP0001")] == [
        "has O'Brien & Sons paid?", "You asked: has O'Brien &amp; Sons paid?"]
    dispatch(bolt, signer.app_home_opened("U0REP0001"))
    assert slack.state.home_for("U0REP0001") is not None


def test_stale_or_tampered_requests_are_rejected_by_bolt(bolt: App, signer: SlackRequestSigner) -> None:
    old = signer.slash_command("U0REP0001", "acme", timestamp=int(time.time()) - 600)
    assert dispatch(bolt, old).status == 401
    body, headers = signer.slash_command("U0REP0001", "acme")
    assert dispatch(bolt, SignedRequest(body.replace(b"acme", b"globex"), headers)).status == 401


@pytest.fixture
def bolt_over_http(bolt: App) -> Iterator[str]:
    handler = SlackRequestHandler(bolt)

    async def events(request: Request) -> Any:
        return await handler.handle(request)

    with LoopbackServer(Starlette(routes=[Route("/slack/events", events, methods=["POST"])])) as server:
        yield server.url + "/slack/events"


def test_post_signed_over_http(slack: RunningSlack, bolt_over_http: str, signer: SlackRequestSigner) -> None:
    verification = post_signed(bolt_over_http, signer.url_verification("abc123"))
    assert verification.status_code == 200 and verification.json() == {"challenge": "abc123"}
    assert post_signed(bolt_over_http, signer.slash_command("U0REP0002", "globex")).status_code == 200
    assert [m.text for m in slack.state.ephemeral_for("U0REP0002")] == ["Looking up globex..."]
