"""`/paidup` through the real HTTP endpoint, signed as Slack signs it; answers checked where the
person sees them (the ack body, or the stand-in's record of response_url posts)."""

from __future__ import annotations

import json
from typing import Any

from bot.chat.slack_app import build_slack_app, slack_endpoint
from bot.domain.intents import StatusIntent
from handlers.common.dispatch import Route, decide
from handlers.common.questions import Question
from handlers.slack.dispatch import ROUTES
from handlers.slack.replies import Reply
from handlers.slack.services import SlackServices
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox import check_message_blocks
from integrations.slack_sandbox.signing import post_signed

from .conftest import SIGNING_SECRET, RunningBot, eventually


def ack_body(bot: RunningBot, text: str) -> dict[str, Any]:
    response = bot.post(bot.signer.slash_command("U0REP0001", text))
    assert response.status_code == 200
    assert response.elapsed.total_seconds() < 1.0  # Slack allows 3 s
    return response.json()


def block_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks)


def test_help_is_in_the_ack_body_as_ephemeral_block_kit(bot: RunningBot) -> None:
    answer = ack_body(bot, "help")
    assert answer["response_type"] == "ephemeral" and answer["text"].startswith("Paidup help")
    assert "/paidup overdue mine" in block_text(answer["blocks"])
    assert check_message_blocks(answer["blocks"]) == []
    assert ack_body(bot, "")["blocks"] == answer["blocks"]


def test_a_mistyped_sub_command_gets_the_help_with_a_word_about_it(bot: RunningBot) -> None:
    answer = ack_body(bot, "hepl")
    assert "I don't know the sub-command `hepl`" in answer["blocks"][0]["text"]["text"]
    assert "/paidup overdue mine" in block_text(answer["blocks"])


def test_invoice_opens_the_modal_instead_of_an_answer(bot: RunningBot) -> None:
    """`/paidup invoice [deal]` is acked empty and opens the invoice modal (issue 7); nothing is posted."""
    for n, text in enumerate(("invoice acme", "invoice")):
        response = bot.post(bot.signer.slash_command("U0REP0001", text))
        assert response.status_code == 200 and not response.content, text
        opened = eventually(lambda n=n: bot.slack.state.calls("views.open")[n:])
        assert opened, text
    view = bot.slack.state.open_view_for("U0REP0001")
    assert view is not None and view.definition["callback_id"] == "invoice_pick"
    assert bot.slack.state.calls("chat.postMessage") == []


def test_hostile_input_gets_a_normal_answer(bot: RunningBot) -> None:
    for n, text in enumerate(("x' OR Name != '", "a" * 5000, "💸 مرحبا", "<script>&lt;")):
        response = bot.post(bot.signer.slash_command("U0REP0001", text))
        assert response.status_code == 200  # acked; the answer follows through response_url
        answers = eventually(lambda n=n: bot.slack.state.ephemeral_for("U0REP0001")[n:])
        assert answers and answers[0].blocks, text


def test_questions_are_routed_by_their_intent() -> None:
    def route_of(text: str) -> str | None:
        decision = decide(Question.parse("U1", "C1", text))
        return decision.route.name if decision.route else None

    status = decide(Question.parse("U1", "C1", "status O'Brien &amp; Sons"), ROUTES)
    assert status.route == ROUTES["status"] and status.question.intent == StatusIntent("O'Brien & Sons")
    assert decide(Question.parse("U1", "C1", "INV-0042")).question.intent == StatusIntent("", "INV-0042")
    assert [route_of(t) for t in ("overdue all", "has Acme paid?", "invoice acme", "health", "overdeu", "hi", "")] \
        == ["overdue", "status", "invoice", "health", None, None, None]
    assert decide(Question.parse("U1", "C1", "hi")).notice.startswith("I didn't understand")


class EchoStatus:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def answer(self, question: Question) -> str:
        assert isinstance(question.intent, StatusIntent)
        self.asked.append(question.intent.query)
        return f"{question.intent.query}: nothing due"


def echo_status(service: object, question: Question) -> Reply:
    assert isinstance(service, EchoStatus)
    text = service.answer(question)
    return Reply(text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}])


def test_a_plugged_in_service_answers_through_response_url_after_the_ack(bot: RunningBot) -> None:
    service = EchoStatus()
    plugged = SlackServices(command="/paidup", answers="ephemeral", first_time=lambda key: True,
                            find=lambda name: service if name == "status" else None,
                            routes={**ROUTES, "status": Route("status", "status", echo_status)})
    app = build_slack_app(bot.paidup.settings, plugged)
    with LoopbackServer(bot.paidup.web_app(slack=slack_endpoint(app, SIGNING_SECRET))) as server:
        response = post_signed(server.url + "/slack/events", bot.signer.slash_command("U0REP0001", "status Acme"))
    assert response.status_code == 200 and response.text == ""
    [answer] = eventually(lambda: bot.slack.state.ephemeral_for("U0REP0001"))
    assert (answer.text, answer.via) == ("Acme: nothing due", "response_url")
    assert service.asked == ["Acme"]


def test_a_failing_service_tells_the_person_without_a_traceback(bot: RunningBot) -> None:
    def broken(service: object, question: Question) -> Reply:
        raise RuntimeError("database password hunter2 rejected")

    plugged = SlackServices(command="/paidup", answers="ephemeral", first_time=lambda key: True,
                            find=lambda name: object(), routes={**ROUTES, "status": Route("status", "status", broken)})
    app = build_slack_app(bot.paidup.settings, plugged)
    with LoopbackServer(bot.paidup.web_app(slack=slack_endpoint(app, SIGNING_SECRET))) as server:
        response = post_signed(server.url + "/slack/events", bot.signer.slash_command("U0REP0001", "acme"))
        assert response.status_code == 200
        [answer] = eventually(lambda: bot.slack.state.ephemeral_for("U0REP0001"))
    assert answer.text.startswith("Sorry, something went wrong") and "hunter2" not in answer.text


def test_answers_follow_slack_answers_in_app_yml(bot: RunningBot) -> None:
    in_channel = SlackServices(command="/owed", answers="in_channel", first_time=lambda key: True,
                               find=lambda name: None)
    app = build_slack_app(bot.paidup.settings, in_channel)
    with LoopbackServer(bot.paidup.web_app(slack=slack_endpoint(app, SIGNING_SECRET))) as server:
        request = bot.signer.slash_command("U0REP0001", "help", command="/owed")
        answer = post_signed(server.url + "/slack/events", request).json()
    assert answer["response_type"] == "in_channel" and "/owed overdue mine" in block_text(answer["blocks"])


def test_an_answer_whose_response_url_fails_comes_as_chat_post_ephemeral(bot: RunningBot) -> None:
    # a response_url nobody answers (a closed port) or one the stand-in refuses: the answer still arrives
    fields = {"token": "x", "team_id": "T0PAIDUP01", "team_domain": "paidup", "channel_id": "D0REP0001",
              "channel_name": "directmessage", "user_id": "U0REP0001", "user_name": "rita", "command": "/paidup",
              "text": "acme corporation", "api_app_id": "A0PAIDUPAPP", "trigger_id": "1.U0REP0001.ab"}
    for response_url in ("http://127.0.0.1:9/hooks/closed", bot.slack.url + "/response/not-a-key"):
        bot.slack.state.clear()
        response = bot.post(bot.signer.sign_form({**fields, "response_url": response_url}))
        assert response.status_code == 200 and response.text == ""
        [answer] = eventually(lambda: bot.slack.state.ephemeral_for("U0REP0001"))
        assert answer.via != "response_url" and bot.slack.state.count("chat.postEphemeral") == 1
