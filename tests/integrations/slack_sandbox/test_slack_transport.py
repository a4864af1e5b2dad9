"""The three body kinds slack_sdk sends, fault switches (429 + Retry-After, ok:false), listeners."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SurfaceChange
from integrations.slack_sandbox.ids import new_trigger_id

from .conftest import RunningSlack

AUTH = {"Authorization": f"Bearer {DEFAULT_BOT_TOKEN}"}


def test_json_body(slack: RunningSlack) -> None:
    body = {"channel": "C0FINANCE", "text": "json", "blocks": [{"type": "divider"}]}
    response = httpx.post(slack.api_url + "chat.postMessage", json=body, headers=AUTH).json()
    assert response["ok"] and slack.state.last("chat.postMessage").params["blocks"] == [{"type": "divider"}]
    assert slack.state.last("chat.postMessage").content_type.startswith("application/json")


def test_form_body_with_json_encoded_fields(slack: RunningSlack) -> None:
    form = {"channel": "C0FINANCE", "text": "form", "blocks": json.dumps([{"type": "divider"}])}
    response = httpx.post(slack.api_url + "chat.postMessage", data=form, headers=AUTH).json()
    assert response["ok"] and response["message"]["blocks"] == [{"type": "divider"}]
    assert slack.state.last("chat.postMessage").params["blocks"] == [{"type": "divider"}]


def test_form_body_with_the_token_as_a_parameter(slack: RunningSlack) -> None:
    response = httpx.post(slack.api_url + "auth.test", data={"token": DEFAULT_BOT_TOKEN}).json()
    assert response["ok"] and "token" not in slack.state.last("auth.test").params


def test_get_with_query_parameters(slack: RunningSlack) -> None:
    for method, params, key in (("users.lookupByEmail", {"email": "sam.seller@paidup.example"}, "user"),
                                ("usergroups.users.list", {"usergroup": "S0FINANCE"}, "users"),
                                ("users.info", {"user": "U0REP0002"}, "user")):
        response = httpx.get(slack.api_url + method, params=params, headers=AUTH).json()
        assert response["ok"] and key in response
        assert slack.state.last(method).http_method == "GET" and slack.state.last(method).params == params


@pytest.mark.parametrize(("content", "content_type", "error"), [
    (b"{not json", "application/json", "invalid_json"),
    (b"[1, 2]", "application/json", "json_not_object"),
    (b"<xml/>", "application/xml", "invalid_post_type"),
])
def test_unreadable_bodies(slack: RunningSlack, content: bytes, content_type: str, error: str) -> None:
    headers = {**AUTH, "Content-Type": content_type}
    response = httpx.post(slack.api_url + "chat.postMessage", content=content, headers=headers).json()
    assert response == {"ok": False, "error": error}


def test_malformed_blocks_string_is_invalid_blocks_format(slack: RunningSlack) -> None:
    form = {"channel": "C0FINANCE", "text": "x", "blocks": "[{not json"}
    response = httpx.post(slack.api_url + "chat.postMessage", data=form, headers=AUTH).json()
    assert response == {"ok": False, "error": "invalid_blocks_format"}


def test_429_with_retry_after_is_honoured_by_slack_sdks_retry_handler(slack: RunningSlack) -> None:
    slack.state.rate_limit_next("chat.postMessage", times=1, retry_after=1)
    client = slack.client()
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    started = time.monotonic()
    response = client.chat_postMessage(channel="C0FINANCE", text="after the limit")
    assert response["ok"] and time.monotonic() - started >= 1.0
    attempts = slack.state.calls("chat.postMessage")
    assert [(c.status, c.response.get("error")) for c in attempts] == [(429, "ratelimited"), (200, None)]
    assert [m.text for m in slack.state.messages("C0FINANCE")] == ["after the limit"]


def test_429_without_a_retry_handler_surfaces_retry_after(slack: RunningSlack, client: WebClient) -> None:
    slack.state.rate_limit_next("views.publish", times=2, retry_after=30)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.views_publish(user_id="U0REP0001", view={"type": "home", "blocks": []})
        assert excinfo.value.response.status_code == 429
        assert excinfo.value.response.headers["Retry-After"] == "30"
    assert client.views_publish(user_id="U0REP0001", view={"type": "home", "blocks": []})["ok"]


def test_fail_next_answers_ok_false_then_recovers(slack: RunningSlack, client: WebClient) -> None:
    slack.state.fail_next("chat.postMessage", "not_in_channel", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel="C0OPS", text="x")
        assert excinfo.value.response.data == {"ok": False, "error": "not_in_channel"}
    assert client.chat_postMessage(channel="C0OPS", text="x")["ok"]
    assert client.auth_test()["ok"]  # other methods were never affected


def test_a_wildcard_fault_hits_whichever_method_comes_next(slack: RunningSlack, client: WebClient) -> None:
    slack.state.fail_next("*", "fatal_error", extra={"detail": "staged"}, status=500)
    with pytest.raises(SlackApiError) as excinfo:
        client.auth_test()
    assert excinfo.value.response.status_code == 500 and excinfo.value.response["detail"] == "staged"
    assert client.auth_test()["ok"]
    slack.state.fail_next("auth.test", "token_revoked")
    slack.state.clear_faults()
    assert client.auth_test()["ok"]


def test_listeners_hear_messages_and_views_as_they_are_recorded(slack: RunningSlack, client: WebClient) -> None:
    heard: list[SurfaceChange] = []
    unsubscribe = slack.state.subscribe(heard.append)
    ts = client.chat_postMessage(channel="U0REP0001", text="Acme owes $1,000")["ts"]
    client.chat_update(channel="D0REP0001", ts=ts, text="Acme owes $0")
    client.views_open(trigger_id=new_trigger_id("U0REP0001", time.time()),
                      view={"type": "modal", "title": {"type": "plain_text", "text": "Invoice"}, "blocks": []})
    client.views_publish(user_id="U0REP0001", view={"type": "home", "blocks": []})
    unsubscribe()
    client.chat_postMessage(channel="C0OPS", text="after unsubscribing")
    assert [c.kind for c in heard] == ["message_posted", "message_updated", "view_opened", "home_published"]
    assert heard[0].message.text == "Acme owes $1,000" and heard[0].is_from_bot
    assert heard[2].view.user_id == "U0REP0001"


def test_a_failing_listener_does_not_break_the_call(slack: RunningSlack, client: WebClient) -> None:
    def broken(change: SurfaceChange) -> None:
        raise RuntimeError("terminal went away")

    unsubscribe = slack.state.subscribe(broken)
    try:
        assert client.chat_postMessage(channel="C0OPS", text="still delivered")["ok"]
    finally:
        unsubscribe()
