"""Events through the real HTTP endpoint: DMs and mentions answered once, retries de-duplicated on
event_id, the bot's own messages ignored, and requests Slack did not sign (or signed too long ago)
refused."""

from __future__ import annotations

import time

from integrations.slack_sandbox.event_payloads import message_event
from integrations.slack_sandbox.signatures import signed_headers
from integrations.slack_sandbox.signing import SignedRequest
from integrations.slack_sandbox.workspace import BOT_ID, BOT_USER_ID

from .conftest import RunningBot, eventually


def bot_answers_in_dm(bot: RunningBot, user: str) -> list:
    return [m for m in bot.slack.state.dm_with(user) if m.user == BOT_USER_ID]


def test_help_in_a_dm_is_answered_in_the_dm(bot: RunningBot) -> None:
    typed = bot.slack.state.post_as_user("U0REP0001", "help")
    assert bot.post(bot.signer.message_im("U0REP0001", typed.text, ts=typed.ts)).status_code == 200
    [answer] = eventually(lambda: bot_answers_in_dm(bot, "U0REP0001"))
    assert answer.text.startswith("Paidup help") and "/paidup overdue mine" in str(answer.blocks)


def test_invoice_in_a_dm_offers_the_form(bot: RunningBot) -> None:
    """A message gives no trigger to open a modal with: the answer is a button that opens it."""
    assert bot.post(bot.signer.message_im("U0REP0002", "invoice O'Brien & Sons")).status_code == 200
    [answer] = eventually(lambda: bot_answers_in_dm(bot, "U0REP0002"))
    assert "open the form for “O'Brien &amp; Sons”" in answer.blocks[0]["text"]["text"]
    assert answer.blocks[1]["elements"][0]["value"] == "q:O'Brien & Sons"


def test_a_mention_is_answered_to_the_asker_only(bot: RunningBot) -> None:
    assert bot.post(bot.signer.app_mention("U0REP0001", "help", "C0ALERTS")).status_code == 200
    [answer] = eventually(lambda: bot.slack.state.ephemeral_for("U0REP0001", "C0ALERTS"))
    assert answer.text.startswith("Paidup help")
    assert bot.slack.state.messages("C0ALERTS") == []


def test_a_retried_event_is_answered_once(bot: RunningBot) -> None:
    first = bot.signer.message_im("U0REP0001", "help", event_id="Ev0RETRY0001")
    assert bot.post(first).status_code == 200
    eventually(lambda: bot_answers_in_dm(bot, "U0REP0001"))
    retry = bot.signer.message_im("U0REP0001", "help", event_id="Ev0RETRY0001", retry_num=1)
    assert bot.post(retry).status_code == 200
    another = bot.signer.message_im("U0REP0001", "help again", event_id="Ev0OTHER0001")
    assert bot.post(another).status_code == 200
    assert len(eventually(lambda: len(bot_answers_in_dm(bot, "U0REP0001")) == 2 and
                          bot_answers_in_dm(bot, "U0REP0001"))) == 2
    time.sleep(0.3)  # a second answer to the retry would have arrived by now
    assert len(bot_answers_in_dm(bot, "U0REP0001")) == 2


def test_the_bot_never_answers_its_own_messages(bot: RunningBot) -> None:
    event = message_event(BOT_USER_ID, "help", "D0REP0001", f"{time.time():.6f}", channel_type="im",
                          team_id="T0PAIDUP")
    event["bot_id"] = BOT_ID
    assert bot.post(bot.signer.event(event)).status_code == 200
    edited = message_event("U0REP0001", "help", "D0REP0001", f"{time.time():.6f}", channel_type="im",
                           team_id="T0PAIDUP") | {"subtype": "message_changed"}
    assert bot.post(bot.signer.event(edited)).status_code == 200
    time.sleep(0.3)
    assert bot.slack.state.calls("chat.postMessage") == []


def test_the_home_tab_is_published(bot: RunningBot) -> None:
    assert bot.post(bot.signer.app_home_opened("U0REP0001")).status_code == 200
    home = eventually(lambda: bot.slack.state.home_for("U0REP0001"))
    assert home is not None


def test_url_verification_is_echoed(bot: RunningBot) -> None:
    response = bot.post(bot.signer.url_verification("chal-123"))
    assert response.status_code == 200 and response.json() == {"challenge": "chal-123"}


def test_a_bad_signature_is_refused(bot: RunningBot) -> None:
    body, headers = bot.signer.slash_command("U0REP0001", "acme")
    response = bot.post(SignedRequest(body.replace(b"acme", b"globex"), headers))
    assert response.status_code == 401
    unsigned = {k: v for k, v in headers.items() if k != "X-Slack-Signature"}
    assert bot.post(SignedRequest(body, unsigned)).status_code == 401
    assert [call.method for call in bot.slack.state.calls()] == ["auth.test"]  # at start-up only


def test_a_ten_minute_old_timestamp_is_refused(bot: RunningBot) -> None:
    old = bot.signer.slash_command("U0REP0001", "help", timestamp=int(time.time()) - 600)
    assert bot.post(old).status_code == 401
    replayed = bot.signer.message_im("U0REP0001", "help", timestamp=int(time.time()) - 600)
    assert bot.post(replayed).status_code == 401
    time.sleep(0.2)
    assert bot.slack.state.calls("chat.postMessage") == []


def test_malformed_payloads_get_4xx_and_the_server_keeps_serving(bot: RunningBot) -> None:
    signer = bot.signer
    for body, content_type in ((b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
                               (b"{not json", "application/json"), (b"\xff\xfe\x00", "application/json"),
                               (b"[]", "application/json"), (b"payload=%5B%5D", "application/x-www-form-urlencoded")):
        headers = signed_headers(signer.signing_secret, body, int(time.time()), content_type)
        response = bot.post(SignedRequest(body, headers))
        assert 400 <= response.status_code < 500, (body, response.status_code, response.text)
    assert bot.post(bot.signer.slash_command("U0REP0001", "help")).json()["text"].startswith("Paidup help")
