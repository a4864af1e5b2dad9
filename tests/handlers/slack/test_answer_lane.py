"""Acks never wait for other people's answers; answers take turns (``bot.chat.answer_lane``),
through the real HTTP endpoint with signed slash commands."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from bot.chat.answer_lane import ANSWERS_AT_ONCE, AnswerLane, GatedAck
from bot.chat.slack_app import build_slack_app, slack_endpoint
from handlers.common.dispatch import Route
from handlers.common.questions import Question
from handlers.slack.dispatch import ROUTES
from handlers.slack.replies import Reply
from handlers.slack.services import SlackServices
from integrations.loopback import LoopbackServer
from integrations.slack_sandbox.signing import post_signed

from .conftest import SIGNING_SECRET, RunningBot, eventually

ASKERS = ANSWERS_AT_ONCE + 6  # more than Bolt's own pool of 5 listener threads, too


def test_every_question_is_acked_while_the_answers_before_it_are_still_working(bot: RunningBot) -> None:
    release = threading.Event()
    lock = threading.Lock()
    working: list[str] = []
    most_at_once = 0

    def slow(service: object, question: Question) -> Reply:
        nonlocal most_at_once
        with lock:
            working.append(question.user_id)
            most_at_once = max(most_at_once, len(working))
        release.wait(20)
        with lock:
            working.remove(question.user_id)
        return Reply(f"the answer for {question.user_id}")

    plugged = SlackServices(command="/paidup", answers="ephemeral", first_time=lambda key: True,
                            find=lambda name: object(), routes={**ROUTES, "status": Route("status", "status", slow)})
    app = build_slack_app(bot.paidup.settings, plugged)
    users = [f"U0LANE{n:04d}" for n in range(ASKERS)]
    with LoopbackServer(bot.paidup.web_app(slack=slack_endpoint(app, SIGNING_SECRET))) as server, \
            ThreadPoolExecutor(ASKERS) as askers:
        try:
            acks = list(askers.map(lambda user: post_signed(server.url + "/slack/events",
                                                            bot.signer.slash_command(user, "acme"), timeout=10),
                                   users))
            assert [ack.status_code for ack in acks] == [200] * ASKERS  # all acked, no answer finished yet
            assert all(ack.elapsed.total_seconds() < 2.0 for ack in acks)  # Slack allows 3 s
            assert eventually(lambda: len(working) == ANSWERS_AT_ONCE)  # a few answers at a time; the rest wait
            assert not any(bot.slack.state.ephemeral_for(user) for user in users)
        finally:
            release.set()
        for user in users:
            [answer] = eventually(lambda user=user: bot.slack.state.ephemeral_for(user), timeout=20)
            assert answer.text == f"the answer for {user}"
    assert most_at_once == ANSWERS_AT_ONCE


def test_an_ack_once_given_survives_bolt_clearing_it_after_the_listener_failed() -> None:
    # Bolt's thread runner sets ack.response = None when a listener that already acked raises; the
    # request thread polling for the ack must still find it (else Slack gets a 404 for an acked command).
    lane = AnswerLane(answers=1, threads=1)
    try:
        ack = GatedAck(lane)
        assert ack.response is None
        ack()
        given = ack.response
        assert given is not None and given.status == 200
        ack.response = None
        assert ack.response is given
    finally:
        lane.shutdown()
