"""The demo's terminal Slack client against a real Bolt app over loopback HTTP: what a person
types and clicks arrives signed, in Slack's shapes; what the app sends (after its ack, from
Bolt's worker threads) comes back rendered once the app goes quiet; forms are filled, searched
(block_suggestion), submitted and refused inline as in Slack."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond, Say
from slack_bolt.adapter.starlette import SlackRequestHandler
from slack_sdk import WebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from integrations.loopback import LoopbackServer
from integrations.slack_sandbox.client import ChatError, Settle, SlackPerson
from integrations.slack_sandbox.render import as_plain_text
from integrations.slack_sandbox.signing import SlackRequestSigner

from .conftest import SIGNING_SECRET, RunningSlack

REP, FINANCE = "U0REP0001", "U0FINANCE1"
QUICK = Settle(first=2.0, quiet=0.3, limit=10.0)


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def option(text: str) -> dict[str, Any]:
    return {"text": plain(text), "value": text.lower().replace(" ", "-")}


CUSTOMERS = ["Acme Corporation", "Acme Logistics GmbH", "Globex Inc"]


def form(extra_lines: int = 0) -> dict[str, Any]:
    lines = [{"type": "input", "block_id": f"line{n}", "label": plain(f"Line {n + 2}"),
              "element": {"type": "plain_text_input", "action_id": "value"}} for n in range(extra_lines)]
    return {
        "type": "modal", "callback_id": "invoice", "title": plain("New invoice"), "submit": plain("Create"),
        "close": plain("Cancel"), "notify_on_close": True,
        "blocks": [
            {"type": "input", "block_id": "contact", "label": plain("Customer"),
             "element": {"type": "external_select", "action_id": "value", "min_query_length": 1}},
            {"type": "input", "block_id": "amount", "label": plain("Amount"),
             "element": {"type": "number_input", "action_id": "value", "is_decimal_allowed": True}},
            {"type": "input", "block_id": "due", "label": plain("Due"),
             "element": {"type": "datepicker", "action_id": "value", "initial_date": "2026-12-29"}},
            {"type": "input", "block_id": "currency", "label": plain("Currency"),
             "element": {"type": "static_select", "action_id": "value", "initial_option": option("USD"),
                         "options": [option("USD"), option("GBP"), option("EUR")]}},
            {"type": "input", "block_id": "tags", "label": plain("Tags"), "optional": True,
             "element": {"type": "multi_static_select", "action_id": "value",
                         "options": [option("Renewal"), option("New business")]}},
            *lines,
            {"type": "actions", "block_id": "more", "elements": [
                {"type": "button", "action_id": "add_line", "text": plain("Add line")}]},
        ],
    }


def build_app(client: WebClient) -> App:
    app = App(client=client, signing_secret=SIGNING_SECRET, process_before_response=False)

    @app.command("/paidup")
    def paidup(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        if command["text"] == "help":
            ack(text="Try /paidup card")  # an answer in the ack itself
            return
        ack()
        respond(text="Your card", blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*Card* for {command['text']}"}},
            {"type": "actions", "block_id": "card", "elements": [
                {"type": "button", "action_id": "open_form", "text": plain("New invoice"), "style": "primary"},
                {"type": "static_select", "action_id": "period", "placeholder": plain("Period"),
                 "options": [option("This month"), option("Last month")]},
                {"type": "button", "action_id": "tell_finance", "text": plain("Tell finance")}]}])

    @app.action("open_form")
    def open_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=form())

    @app.action("add_line")
    def add_line(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_update(view_id=body["view"]["id"], hash=body["view"]["hash"], view=form(extra_lines=1))

    @app.action("period")
    def period(ack: Ack, respond: Respond, action: dict[str, Any]) -> None:
        ack()
        respond(replace_original=True, text=f"Period: {action['selected_option']['text']['text']}")

    @app.action("tell_finance")
    def tell_finance(ack: Ack, client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=FINANCE, text="The rep says hello")
        client.chat_postMessage(channel="C0FINANCE", text="Posted in #finance")

    @app.options("value")
    def customers(ack: Ack, payload: dict[str, Any]) -> None:
        found = [c for c in CUSTOMERS if payload["value"].lower() in c.lower()]
        ack(options=[option(c) for c in found])

    @app.view("invoice")
    def submitted(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        values = view["state"]["values"]
        amount = values["amount"]["value"]["value"]
        if amount is None or float(amount) <= 0:
            ack(response_action="errors", errors={"amount": "Enter an amount above zero"})
            return
        ack()
        tags = ", ".join(o["text"]["text"] for o in values["tags"]["value"]["selected_options"])
        client.chat_postMessage(channel=body["user"]["id"], text=(
            f"Draft for {values['contact']['value']['selected_option']['text']['text']}: {amount} "
            f"{values['currency']['value']['selected_option']['text']['text']} due "
            f"{values['due']['value']['selected_date']}; tags: {tags or 'none'}"))

    @app.view_closed("invoice")
    def closed(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text="Invoice cancelled")

    @app.event("message")
    def direct_message(event: dict[str, Any], say: Say) -> None:
        say(f"You said: {event['text']}")

    @app.event("app_mention")
    def mentioned(event: dict[str, Any], client: WebClient) -> None:
        client.chat_postEphemeral(channel=event["channel"], user=event["user"], text=f"Heard: {event['text']}")

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"Home of <@{event['user']}>"}}]})

    return app


@pytest.fixture
def person(slack: RunningSlack) -> Iterator[SlackPerson]:
    handler = SlackRequestHandler(build_app(slack.client()))

    async def events(request: Request):  # -> Starlette's Response
        return await handler.handle(request)

    with LoopbackServer(Starlette(routes=[Route("/slack/events", events, methods=["POST"])])) as server:
        someone = SlackPerson(slack.state, SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack.url),
                              server.url + "/slack/events", REP, aliases={"finance": FINANCE}, settle=QUICK)
        yield someone
        someone.close()


def text(shown: list[Any]) -> str:
    return as_plain_text(shown, width=200)


def test_a_slash_command_answer_arrives_after_the_ack_with_numbered_buttons(person: SlackPerson) -> None:
    call = person.say("/paidup acme")
    assert text(call).splitlines() == [
        "Paidup · DM · only visible to you", "  Card for acme",
        "  [1] New invoice   [2] Period  ▾ This month | Last month   [3] Tell finance"]
    sent = person.state.last("auth.test")  # Bolt's start-up call; the command itself went over HTTP, signed
    assert sent is not None
    assert text(person.say("/paidup help")).splitlines() == ["Paidup · DM · only visible to you", "  Try /paidup card"]


def test_a_direct_message_is_an_im_event_and_the_reply_is_shown(person: SlackPerson) -> None:
    shown = text(person.say("has <Acme> & co paid?"))
    assert shown.splitlines() == ["Paidup · DM", "  You said: has <Acme> & co paid?"]
    typed = [m for m in person.state.dm_with(REP) if m.via == "user"]
    assert [m.text for m in typed] == ["has <Acme> & co paid?"]


def test_a_menu_choice_replaces_the_message(person: SlackPerson) -> None:
    person.say("/paidup acme")
    assert text(person.pick(2, "last")).splitlines() == [
        "Paidup · DM · only visible to you · updated", "  Period: Last month"]
    with pytest.raises(ChatError, match="no longer there"):
        person.click(1)


def test_a_form_is_filled_searched_refused_inline_and_submitted(person: SlackPerson) -> None:
    person.say("/paidup acme")
    opened = text(person.click(1))
    assert "New invoice" in opened and "[4] Customer: (empty)  ▾ search" in opened
    assert "[8] Tags (optional): (empty)" in opened and "▾ Renewal | New business" in opened
    assert "[9] Add line" in opened
    with pytest.raises(ChatError, match="no single option matching 'acme'"):
        person.pick(4, "acme")  # two customers match: the person must say which
    assert text(person.pick(4, "logistics")) == "[4] = Acme Logistics GmbH\n"
    with pytest.raises(ChatError, match="wants a number"):
        person.set(5, "lots")
    with pytest.raises(ChatError, match="wants a date as YYYY-MM-DD"):
        person.set(6, "next week")
    person.set(5, "0")
    refused = text(person.submit())
    assert "⚠ Enter an amount above zero" in refused and "[5] Amount: 0" in refused
    person.set(5, "1250.50")
    person.pick(7, "gbp")
    person.pick(8, "renewal, new")
    done = text(person.submit()).splitlines()  # the modal first, however the app's threads raced
    assert done == ["(the “New invoice” modal closed)", "Paidup · DM",
                    "  Draft for Acme Logistics GmbH: 1250.50 GBP due 2026-12-29; tags: Renewal, New business"]
    with pytest.raises(ChatError, match="no modal is open"):
        person.submit()


def test_a_button_in_a_form_updates_it_and_keeps_what_was_entered(person: SlackPerson) -> None:
    person.say("/paidup acme")
    person.click(1)
    person.set(5, "99")
    updated = text(person.click(9))
    assert "Line 2" in updated and "[5] Amount: 99" in updated
    closed = text(person.close_modal())
    assert "modal closed" in closed and "Invoice cancelled" in closed  # notify_on_close: view_closed was sent


def test_messages_for_someone_else_wait_until_you_are_them(person: SlackPerson) -> None:
    person.say("/paidup acme")
    shown = text(person.click(3)).splitlines()
    assert shown == ["Paidup · #finance", "  Posted in #finance",
                     "(a message for Fiona Finance: `as finance` to read it)"]
    switched = text(person.switch_to("finance")).splitlines()
    assert switched == ["You are now Fiona Finance (@fiona.finance).",
                        "Paidup · DM · while you were away", "  The rep says hello"]
    assert person.user_id == FINANCE
    with pytest.raises(ChatError, match="no one called 'nobody'"):
        person.switch_to("nobody")


def test_home_sends_app_home_opened_and_shows_the_published_view(person: SlackPerson) -> None:
    shown = text(person.home())
    assert shown.splitlines()[0].startswith("╭─ App Home") and "Home of @Rita Rep" in shown
    assert person.state.home_for(REP) is not None


def test_unknown_numbers_and_wrong_verbs_are_refused(person: SlackPerson) -> None:
    person.say("/paidup acme")
    with pytest.raises(ChatError, match=r"there is no \[42\] on screen"):
        person.click(42)
    with pytest.raises(ChatError, match=r"\[2\] is a static select: say `pick 2 <choice>`"):
        person.click(2)
    with pytest.raises(ChatError, match=r"\[1\] is a button"):
        person.pick(1, "x")
    with pytest.raises(ChatError, match="/remind is not a valid command here"):
        person.say("/remind me tomorrow")


def test_buttons_and_form_fields_can_be_named_by_their_labels(person: SlackPerson) -> None:
    person.say("/paidup acme")
    assert "New invoice" in text(person.click_label("new invoice"))
    assert text(person.set_field("amount", "12")) == "[5] = 12\n"
    assert text(person.set_field("Cust", "globex")) == "[4] = Globex Inc\n"
    with pytest.raises(ChatError, match="no single field called 'nothing'"):
        person.set_field("nothing", "1")
    with pytest.raises(ChatError, match="no button 'Fly' on screen"):
        person.click_label("Fly")
    assert "Draft for Globex Inc: 12 USD" in text(person.submit())


def test_a_mention_in_a_channel_is_an_app_mention_event(person: SlackPerson) -> None:
    shown = text(person.mention("has acme paid?", "#sales")).splitlines()
    assert shown == ["Paidup · #sales · only visible to you", "  Heard: @Paidup has acme paid?"]
    typed = [m for m in person.state.messages("C0SALES") if m.via == "user"]
    assert [m.text for m in typed] == ["<@U0PAIDUPBOT> has acme paid?"]
