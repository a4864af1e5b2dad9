"""The stand-in's response_url endpoint, driven by slack_sdk's WebhookClient (what Bolt's respond uses)."""

from __future__ import annotations

import time

import httpx
import pytest
from slack_sdk.webhook import WebhookClient

from integrations.slack_sandbox.ids import response_url_for

from .conftest import RunningSlack


def url(slack: RunningSlack, channel: str = "C0SALES", user: str = "U0REP0001", message_ts: str | None = None,
        issued_at: float | None = None) -> str:
    return response_url_for(slack.url, channel, user, time.time() if issued_at is None else issued_at, message_ts)


def test_default_answer_is_ephemeral_for_the_user(slack: RunningSlack) -> None:
    response = WebhookClient(url(slack)).send(text="Acme owes $1,000")
    assert response.status_code == 200
    assert [m.text for m in slack.state.ephemeral_for("U0REP0001", "C0SALES")] == ["Acme owes $1,000"]
    assert slack.state.messages("C0SALES") == []


def test_in_channel_answer_is_seen_by_everyone(slack: RunningSlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Acme* owes $1,000"}}]
    WebhookClient(url(slack)).send(text="Acme owes $1,000", blocks=blocks, response_type="in_channel")
    [message] = slack.state.messages("C0SALES")
    assert message.blocks == blocks and message.via == "response_url" and not message.is_ephemeral


def test_replace_and_delete_original(slack: RunningSlack) -> None:
    ts = slack.client().chat_postMessage(channel="C0FINANCE", text="Approve INV-0107?")["ts"]
    target = url(slack, "C0FINANCE", "U0FINANCE1", ts)
    WebhookClient(target).send(text="Approved", replace_original=True)
    assert [v.text for v in slack.state.message("C0FINANCE", ts).versions] == ["Approve INV-0107?", "Approved"]
    WebhookClient(target).send(delete_original=True)
    assert slack.state.messages("C0FINANCE") == []


def test_replace_an_ephemeral_original(slack: RunningSlack) -> None:
    ts = slack.client().chat_postEphemeral(channel="C0SALES", user="U0REP0001", text="Pick one")["message_ts"]
    WebhookClient(url(slack, message_ts=ts)).send(text="Picked", replace_original=True)
    [message] = slack.state.ephemeral_for("U0REP0001")
    assert message.text == "Picked" and message.ts == ts


def test_five_uses_within_thirty_minutes(slack: RunningSlack) -> None:
    target = url(slack)
    for n in range(5):
        assert WebhookClient(target).send(text=f"answer {n}").status_code == 200
    sixth = httpx.post(target, json={"text": "one too many"})
    assert (sixth.status_code, sixth.json()["error"]) == (404, "used_url")
    expired = httpx.post(url(slack, issued_at=time.time() - 31 * 60), json={"text": "late"})
    assert (expired.status_code, expired.json()["error"]) == (404, "expired_url")


@pytest.mark.parametrize(("body", "error"), [
    ({"response_type": "in_channel"}, "no_text"),
    ({"text": "x", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]}, "invalid_blocks"),
])
def test_bad_bodies(slack: RunningSlack, body: dict[str, object], error: str) -> None:
    response = httpx.post(url(slack), json=body)
    assert (response.status_code, response.json()["error"]) == (400, error)
    assert slack.state.ephemeral_for("U0REP0001") == []
