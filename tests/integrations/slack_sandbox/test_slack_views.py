"""views.open / push / update / publish: triggers, stacks, hashes, Home tabs, the user's side."""

from __future__ import annotations

import time
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from integrations.slack_sandbox.ids import new_trigger_id

from .conftest import RunningSlack


def modal(title: str = "New invoice", **extra: Any) -> dict[str, Any]:
    blocks = [{"type": "input", "block_id": "amount", "label": {"type": "plain_text", "text": "Amount"},
               "element": {"type": "plain_text_input", "action_id": "value", "initial_value": "100"}}]
    return {"type": "modal", "callback_id": "invoice", "title": {"type": "plain_text", "text": title},
            "submit": {"type": "plain_text", "text": "Create"}, "blocks": blocks, **extra}


def trigger(user_id: str = "U0REP0001") -> str:
    return new_trigger_id(user_id, time.time())


def test_open_returns_the_view_and_the_user_sees_it(slack: RunningSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id=trigger(), view=modal(private_metadata="opp:006"))["view"]
    assert view["id"].startswith("V") and view["hash"] and view["state"] == {"values": {}}
    assert (view["callback_id"], view["private_metadata"], view["root_view_id"]) == ("invoice", "opp:006", view["id"])
    seen = slack.state.open_view_for("U0REP0001")
    assert seen.id == view["id"] and seen.callback_id == "invoice"
    assert slack.state.open_view_for("U0REP0002") is None


def test_a_trigger_is_single_use_and_may_expire(slack: RunningSlack, client: WebClient) -> None:
    used = trigger()
    client.views_open(trigger_id=used, view=modal())
    for trigger_id, error in ((used, "exchanged_trigger_id"), ("12345.98765.abcd", "invalid_arguments")):
        with pytest.raises(SlackApiError) as excinfo:
            client.views_open(trigger_id=trigger_id, view=modal())
        assert excinfo.value.response["error"] == error
    slack.state.trigger_ttl = 3
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=new_trigger_id("U0REP0001", time.time() - 10), view=modal())
    assert excinfo.value.response["error"] == "expired_trigger_id"


def test_push_stacks_at_most_three_views(slack: RunningSlack, client: WebClient) -> None:
    root = client.views_open(trigger_id=trigger(), view=modal("Root"))["view"]
    pushed = client.views_push(trigger_id=trigger(), view=modal("Second"))["view"]
    assert pushed["root_view_id"] == root["id"] and pushed["previous_view_id"] == root["id"]
    client.views_push(trigger_id=trigger(), view=modal("Third"))
    with pytest.raises(SlackApiError) as excinfo:
        client.views_push(trigger_id=trigger(), view=modal("Fourth"))
    assert excinfo.value.response["error"] == "push_limit_reached"
    assert [v.definition["title"]["text"] for v in slack.state.view_stack_for("U0REP0001")] == [
        "Root", "Second", "Third"]


def test_update_with_a_stale_hash_is_a_hash_conflict(slack: RunningSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id=trigger(), view=modal())["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Checking..."))["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Too late"))
    assert excinfo.value.response["error"] == "hash_conflict"
    assert slack.state.open_view_for("U0REP0001").definition["title"]["text"] == "Checking..."


def test_update_by_external_id_and_unknown_views(client: WebClient) -> None:
    client.views_open(trigger_id=trigger(), view=modal(external_id="draft-1"))
    assert client.views_update(external_id="draft-1", view=modal("Updated"))["view"]["title"]["text"] == "Updated"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id="V0NOPE", view=modal())
    assert excinfo.value.response["error"] == "not_found"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=trigger("U0REP0002"), view=modal(external_id="draft-1"))
    assert excinfo.value.response["error"] == "duplicate_external_id"


def test_entered_values_survive_an_update_that_keeps_the_ids(slack: RunningSlack, client: WebClient) -> None:
    view_id = client.views_open(trigger_id=trigger(), view=modal())["view"]["id"]
    slack.state.set_view_values(view_id, {"amount": {"value": {"type": "plain_text_input", "value": "250"}}})
    updated = client.views_update(view_id=view_id, view=modal("Same fields"))["view"]
    assert updated["state"]["values"] == {"amount": {"value": {"type": "plain_text_input", "value": "250"}}}


def test_publish_home_per_user_with_hash(slack: RunningSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi Rita"}}]}
    first = client.views_publish(user_id="U0REP0001", view=home)["view"]
    second = client.views_publish(user_id="U0REP0001", view=home, hash=first["hash"])["view"]
    assert second["id"] == first["id"] and second["hash"] != first["hash"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id="U0REP0001", view=home, hash=first["hash"])
    assert excinfo.value.response["error"] == "hash_conflict"
    assert slack.state.home_for("U0REP0001").definition["blocks"][0]["text"]["text"] == "Hi Rita"
    assert slack.state.home_for("U0REP0002") is None


def test_a_modal_cannot_be_published_and_home_cannot_be_opened(client: WebClient) -> None:
    for call in (lambda: client.views_publish(user_id="U0REP0001", view=modal()),
                 lambda: client.views_open(trigger_id=trigger(), view={"type": "home", "blocks": []})):
        with pytest.raises(SlackApiError) as excinfo:
            call()
        assert excinfo.value.response["error"] == "invalid_arguments"


@pytest.mark.parametrize(("ack", "open_titles"), [
    (None, []),
    ({"response_action": "clear"}, []),
    ({"response_action": "update", "view": modal("Updated")}, ["Root", "Updated"]),
    ({"response_action": "push", "view": modal("Pushed")}, ["Root", "Second", "Pushed"]),
    ({"response_action": "errors", "errors": {"amount": "Must be positive"}}, ["Root", "Second"]),
])
def test_submission_acks_do_what_slack_does(slack: RunningSlack, client: WebClient, ack: dict[str, Any] | None,
                                            open_titles: list[str]) -> None:
    client.views_open(trigger_id=trigger(), view=modal("Root"))
    second = client.views_push(trigger_id=trigger(), view=modal("Second"))["view"]
    slack.state.apply_submission_ack(second["id"], ack)
    stack = slack.state.view_stack_for("U0REP0001")
    expected = ["Root"] if ack is None else open_titles
    assert [v.definition["title"]["text"] for v in stack] == expected
    if ack and ack["response_action"] == "errors":
        assert stack[-1].errors == {"amount": "Must be positive"}
