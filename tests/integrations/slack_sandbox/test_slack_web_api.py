"""slack_sdk's WebClient against the stand-in over loopback: each method family, auth, recording."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from integrations.slack_sandbox import DEFAULT_APP_TOKEN, DEFAULT_BOT_TOKEN
from integrations.slack_sandbox.workspace import BOT_ID, BOT_USER_ID, TEAM_ID

from .conftest import RunningSlack


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def test_auth_test_names_the_bot_user_and_carries_scopes(client: WebClient) -> None:
    response = client.auth_test()
    assert (response["user_id"], response["bot_id"], response["team_id"]) == (BOT_USER_ID, BOT_ID, TEAM_ID)
    assert response["url"] == "https://paidup-demo.slack.com/"
    assert "chat:write" in response.headers["x-oauth-scopes"]


@pytest.mark.parametrize(("token", "error"), [(None, "not_authed"), ("xoxb-wrong", "invalid_auth"),
                                              (DEFAULT_APP_TOKEN, "not_allowed_token_type")])
def test_bad_tokens_are_refused_like_slack(slack: RunningSlack, token: str | None, error: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(token=token, base_url=slack.api_url).chat_postMessage(channel="C0FINANCE", text="hi")
    assert error_of(excinfo) == error
    assert slack.state.messages("C0FINANCE") == []
    assert slack.state.last("chat.postMessage").identity is None or token == DEFAULT_APP_TOKEN


def test_socket_mode_handshake_needs_the_app_token(slack: RunningSlack) -> None:
    response = slack.client(DEFAULT_APP_TOKEN).apps_connections_open(app_token=DEFAULT_APP_TOKEN)
    assert response["url"].startswith("ws://127.0.0.1:")
    with pytest.raises(SlackApiError) as excinfo:
        slack.client().apps_connections_open(app_token=DEFAULT_BOT_TOKEN)
    assert error_of(excinfo) == "not_allowed_token_type"


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.teleport", json={"channel": "C0FINANCE"})
    assert error_of(excinfo) == "unknown_method"


def test_users_and_groups_come_from_the_demo_data(client: WebClient) -> None:
    rita = client.users_lookupByEmail(email="rita.rep@paidup.example")["user"]
    assert rita["id"] == "U0REP0001" and rita["profile"]["email"] == "rita.rep@paidup.example"
    assert rita["real_name"] == "Rita Rep" and rita["is_bot"] is False and rita["tz"] == "America/New_York"
    assert client.users_info(user="U0FINANCE1")["user"]["profile"]["email"] == "fiona.finance@paidup.example"
    assert client.users_info(user="U0OLD0001")["user"]["deleted"] is True
    assert client.users_info(user=BOT_USER_ID)["user"]["is_bot"] is True
    assert client.usergroups_users_list(usergroup="S0FINANCE")["users"] == ["U0FINANCE1"]
    groups = client.usergroups_list(include_users=True)["usergroups"]
    assert [(g["id"], g["handle"], g["users"]) for g in groups] == [("S0FINANCE", "finance", ["U0FINANCE1"])]
    for call, error in ((lambda: client.users_lookupByEmail(email="nobody@example.com"), "users_not_found"),
                        (lambda: client.users_lookupByEmail(email="olga.old@paidup.example"), "users_not_found"),
                        (lambda: client.users_info(user="U0NOBODY"), "user_not_found"),
                        (lambda: client.conversations_open(users="U0OLD0001"), "user_disabled")):
        with pytest.raises(SlackApiError) as excinfo:
            call()
        assert error_of(excinfo) == error


def test_conversations_open_gives_a_stable_dm_channel(client: WebClient) -> None:
    first = client.conversations_open(users="U0REP0001")["channel"]["id"]
    assert first.startswith("D") and client.conversations_open(users=["U0REP0001"])["channel"]["id"] == first
    assert client.conversations_open(users="U0REP0002")["channel"]["id"] != first
    info = client.conversations_info(channel=first)["channel"]
    assert info["is_im"] is True and info["user"] == "U0REP0001"
    assert client.conversations_info(channel="C0FINANCE")["channel"]["name"] == "finance"
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_info(channel="C0NOWHERE")
    assert error_of(excinfo) == "channel_not_found"


def test_post_message_records_the_message_and_answers_like_slack(slack: RunningSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Acme* owes $1,000"}}]
    first = client.chat_postMessage(channel="C0FINANCE", text="Acme owes $1,000", blocks=blocks)
    second = client.chat_postMessage(channel="#finance", text="reply", thread_ts=first["ts"])
    assert first["channel"] == second["channel"] == "C0FINANCE"
    assert float(second["ts"]) > float(first["ts"]) and len(first["ts"].split(".")[1]) == 6
    assert first["message"]["bot_id"] == BOT_ID and first["message"]["blocks"] == blocks
    seen = slack.state.messages("C0FINANCE")
    assert [(m.text, m.user, m.thread_ts) for m in seen] == [("Acme owes $1,000", BOT_USER_ID, None),
                                                            ("reply", BOT_USER_ID, first["ts"])]
    assert [m.text for m in slack.state.thread("C0FINANCE", first["ts"])] == ["reply"]
    call = slack.state.last("chat.postMessage")
    assert call.params["thread_ts"] == first["ts"] and call.identity.user_id == BOT_USER_ID and call.ok


def test_post_to_a_user_id_lands_in_their_dm(slack: RunningSlack, client: WebClient) -> None:
    response = client.chat_postMessage(channel="U0REP0001", text="Globex paid INV-0042")
    assert response["channel"] == client.conversations_open(users="U0REP0001")["channel"]["id"]
    assert [m.text for m in slack.state.dm_with("U0REP0001")] == ["Globex paid INV-0042"]


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"text": "no channel"}, "channel_not_found"),
    ({"channel": "C0NOWHERE", "text": "x"}, "channel_not_found"),
    ({"channel": "C0FINANCE"}, "no_text"),
])
def test_post_message_refusals(client: WebClient, kwargs: dict[str, str], error: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", json=kwargs)
    assert error_of(excinfo) == error


def test_ephemeral_messages_are_seen_by_one_user_only(slack: RunningSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C0SALES", text="for everyone")
    response = client.chat_postEphemeral(channel="C0SALES", user="U0REP0001", text="only Rita sees this")
    assert response["message_ts"]
    assert [m.text for m in slack.state.messages("C0SALES")] == ["for everyone"]
    assert [m.text for m in slack.state.ephemeral_for("U0REP0001")] == ["only Rita sees this"]
    assert [m.text for m in slack.state.visible_to("U0REP0002", "C0SALES")] == ["for everyone"]
    assert [m.text for m in slack.state.visible_to("U0REP0001", "C0SALES")] == ["for everyone", "only Rita sees this"]


def test_update_keeps_every_version_and_delete_hides_the_message(slack: RunningSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0FINANCE", text="Approve INV-0107?")["ts"]
    updated = client.chat_update(channel="C0FINANCE", ts=ts, text="Approved by Fiona")
    assert (updated["ts"], updated["text"]) == (ts, "Approved by Fiona")
    assert updated["message"]["text"] == "Approved by Fiona"
    message = slack.state.message("C0FINANCE", ts)
    assert [v.text for v in message.versions] == ["Approve INV-0107?", "Approved by Fiona"]
    assert message.edited_ts is not None
    assert client.chat_delete(channel="C0FINANCE", ts=ts)["ts"] == ts
    assert slack.state.messages("C0FINANCE") == []
    assert slack.state.messages("C0FINANCE", include_deleted=True)[0].deleted


def test_update_of_a_missing_message_is_message_not_found(client: WebClient) -> None:
    for call in (lambda: client.chat_update(channel="C0FINANCE", ts="1700000000.000100", text="x"),
                 lambda: client.chat_delete(channel="C0FINANCE", ts="1700000000.000100")):
        with pytest.raises(SlackApiError) as excinfo:
            call()
        assert error_of(excinfo) == "message_not_found"


def test_the_bot_cannot_edit_what_a_person_wrote(slack: RunningSlack, client: WebClient) -> None:
    typed = slack.state.post_as_user("U0REP0001", "has acme paid?")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel=typed.channel, ts=typed.ts, text="edited")
    assert error_of(excinfo) == "cant_update_message"


def test_reactions_and_permalinks(slack: RunningSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0ALERTS", text="INV-0042 paid")["ts"]
    assert client.reactions_add(channel="C0ALERTS", timestamp=ts, name="white_check_mark")["ok"]
    assert slack.state.message("C0ALERTS", ts).reactions == {"white_check_mark": [BOT_USER_ID]}
    with pytest.raises(SlackApiError) as excinfo:
        client.reactions_add(channel="C0ALERTS", timestamp=ts, name="white_check_mark")
    assert error_of(excinfo) == "already_reacted"
    link = client.chat_getPermalink(channel="C0ALERTS", message_ts=ts)["permalink"]
    assert link == f"https://paidup-demo.slack.com/archives/C0ALERTS/p{ts.replace('.', '')}"


def test_files_upload_v2_takes_all_three_steps(slack: RunningSlack, client: WebClient) -> None:
    response = client.files_upload_v2(content=b"bucket,amount\n1-30,1200\n", filename="aging.csv",
                                      title="Aging", channel="C0ALERTS", initial_comment="Overdue by bucket")
    file_id = response["file"]["id"]
    assert [c.method for c in slack.state.calls()] == ["files.getUploadURLExternal", "files.completeUploadExternal"]
    assert slack.state.file(file_id).content == b"bucket,amount\n1-30,1200\n"
    info = client.files_info(file=file_id)["file"]
    assert (info["name"], info["title"], info["size"], info["channels"]) == ("aging.csv", "Aging", 24, ["C0ALERTS"])
    [shared] = slack.state.messages("C0ALERTS")
    assert shared.text == "Overdue by bucket" and shared.files[0]["id"] == file_id


def test_completing_an_upload_whose_bytes_never_came_is_refused(client: WebClient) -> None:
    file_id = client.files_getUploadURLExternal(filename="x.png", length=3)["file_id"]
    with pytest.raises(SlackApiError) as excinfo:
        client.files_completeUploadExternal(files=[{"id": file_id, "title": "x"}], channel_id="C0OPS")
    assert error_of(excinfo) == "file_not_found"


def test_calls_are_recorded_whole_and_can_be_cleared(slack: RunningSlack, client: WebClient) -> None:
    client.auth_test()
    client.chat_postMessage(channel="C0OPS", text="sync failed", blocks=[{"type": "divider"}])
    call = slack.state.last("chat.postMessage")
    assert call.params == {"channel": "C0OPS", "text": "sync failed", "blocks": [{"type": "divider"}]}
    assert call.token == DEFAULT_BOT_TOKEN and call.http_method == "POST" and call.at > 0
    assert call.response["ok"] is True and call.status == 200
    assert [c.method for c in slack.state.calls()] == ["auth.test", "chat.postMessage"]
    assert slack.state.count("auth.test") == 1
    slack.state.clear()
    assert slack.state.calls() == [] and slack.state.messages("C0OPS") == []
