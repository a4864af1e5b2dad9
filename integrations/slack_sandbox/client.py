"""A small Slack client for a person at a terminal: the Slack side of `paidup demo`.

What the person does is sent to the app exactly as Slack sends it, signed: ``/paidup …`` as a
slash command, anything else as a direct message (``message`` event in an ``im`` channel), a
click as ``block_actions``, a modal's Submit as ``view_submission`` (the app's answer applied as
Slack applies it), an external select's search as ``block_suggestion``, the Home tab as
``app_home_opened``. What the app sent to the Slack stand-in since the last step (messages,
ephemeral messages, response_url answers, updates, modals, the Home tab) comes back rendered by
``render.BlockRenderer``, once the app has gone quiet (answers arrive after the ack).

    person = SlackPerson(state, signer, bot_url + "/slack/events", "U0REP0001")
    for shown in person.say("/paidup acme"):
        console.print(shown)
    person.click(1)
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from rich.console import RenderableType
from rich.text import Text

from integrations.slack_sandbox.ids import dm_channel_id
from integrations.slack_sandbox.render import (
    TEXT_INPUTS,
    BlockRenderer,
    Numbering,
    Target,
    element_options,
    view_ref,
)
from integrations.slack_sandbox.signatures import SignedRequest
from integrations.slack_sandbox.signing import SlackRequestSigner, post_signed
from integrations.slack_sandbox.state import SlackState
from integrations.slack_sandbox.surfaces import Message, SurfaceChange, View
from integrations.slack_sandbox.workspace import BOT_USER_ID, SlackUser

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")


class ChatError(Exception):
    """What the person asked can't be done (no such button, a bad value, the app refused the request)."""


@dataclass(frozen=True)
class Settle:
    """How long to wait for the app: for its first output, then for quiet, at most ``limit`` seconds."""

    first: float = 4.0
    quiet: float = 0.5
    limit: float = 30.0


class SlackPerson:
    """One person (switchable) using Slack against the app at ``events_url``; see the module doc."""

    def __init__(self, state: SlackState, signer: SlackRequestSigner, events_url: str, user_id: str, *,
                 command: str = "/paidup", aliases: dict[str, str] | None = None, settle: Settle = Settle(),
                 http: httpx.Client | None = None, activity: Callable[[], tuple[int, bool]] | None = None) -> None:
        """``activity`` adds what else tells the app is still working: (a count that grows with its
        work, whether some is in flight), e.g. requests into the services it calls."""
        self.state = state
        self.signer = signer
        self.events_url = events_url
        self.command = command
        self.aliases = {k.lower(): v for k, v in (aliases or {}).items()}
        self.settle = settle
        self.http = http or httpx.Client(timeout=30.0)
        self.activity = activity or (lambda: (0, False))
        self.numbering = Numbering()
        self.renderer = BlockRenderer(self.numbering, self._user_name, self._channel_name)
        self._user_id = user_id
        self._changes: list[SurfaceChange] = []
        self._shown_upto = 0
        self._lock = threading.Lock()
        self._seen_messages: set[tuple[str, str]] = set()
        self._unseen: dict[str, list[tuple[str, str]]] = {}
        self._unsubscribe = state.subscribe(self._hear)

    def close(self) -> None:
        self._unsubscribe()
        self.http.close()

    # --- who -----------------------------------------------------------------------------

    @property
    def user_id(self) -> str:
        return self._user_id

    @property
    def user(self) -> SlackUser:
        user = self.state.user(self._user_id)
        if user is None:
            raise ChatError(f"no user {self._user_id} in this workspace")
        return user

    def find_user(self, who: str) -> SlackUser:
        """A person by alias ("finance"), id, handle, full or first name (case-insensitive)."""
        wanted = who.strip().lower().removeprefix("@")
        wanted = self.aliases.get(wanted, wanted).lower()
        people = [u for u in self.state.users() if not u.is_bot and not u.deleted]
        for test in (lambda u: u.id.lower() == wanted, lambda u: u.name.lower() == wanted,
                     lambda u: u.real_name.lower() == wanted, lambda u: u.real_name.lower().split()[0] == wanted):
            found = [u for u in people if test(u)]
            if len(found) == 1:
                return found[0]
        names = ", ".join(sorted([*self.aliases, *(u.name for u in people)]))
        raise ChatError(f"no one called {who!r} here; try one of: {names}")

    def switch_to(self, who: str) -> list[RenderableType]:
        """Become another person; shows what reached them while someone else was at the keyboard."""
        user = self.find_user(who)
        shown = self._render_pending()  # what is pending belongs to the person who was here
        self._user_id = user.id
        shown.append(Text(f"You are now {user.real_name} (@{user.name}).", style="bold"))
        for channel, ts in self._unseen.pop(user.id, []):
            message = self.state.message(channel, ts)
            if message is not None:
                shown.append(self._render_message(message, note="while you were away"))
        view = self.state.open_view_for(user.id)
        if view is not None:
            shown.append(self.renderer.view(view, stack_depth=len(self.state.view_stack_for(user.id))))
        return shown

    # --- what a person does ----------------------------------------------------------------

    def say(self, text: str) -> list[RenderableType]:
        """``/paidup …`` as a slash command; anything else as a direct message to the app."""
        command, _, rest = text.strip().partition(" ")
        if command == self.command:
            return self._step(lambda: self._slash(rest.strip()))
        if re.fullmatch(r"/[a-z0-9_-]+", command):  # as Slack answers a command no app registered
            raise ChatError(f"{command} is not a valid command here (the app's command is {self.command}); "
                            "`say` sends the line as a message")
        return self.direct_message(text)

    def mention(self, text: str, channel: str = "#general") -> list[RenderableType]:
        """``@app text`` in a channel (``app_mention``), the message posted there as the person."""
        channel_id = self._channel(channel)

        def send() -> None:
            typed = self.state.post_as_user(self._user_id, f"<@{self.signer.bot_user_id}> {text}", channel=channel_id)
            self._post(self.signer.app_mention(self._user_id, text, channel_id, ts=typed.ts))

        return self._step(send)

    def direct_message(self, text: str) -> list[RenderableType]:
        """``text`` as a direct message to the app, even when it starts with "/"."""
        return self._step(lambda: self._direct_message(text))

    def click(self, number: int, option: str | None = None) -> list[RenderableType]:
        """Press button ``number``; for a menu (select, overflow, radio) choose ``option`` in it."""
        target = self._target(number)
        if target.type != "button":
            if option is None:
                choices = " | ".join(self.renderer.styler.plain(o.get("text")) for o in element_options(target.element))
                raise ChatError(f"[{number}] is a {target.type.replace('_', ' ')}: say `pick {number} <choice>`"
                                + (f" ({choices})" if choices else ""))
            return self.pick(number, option)
        if target.in_input:
            raise ChatError(f"[{number}] is a form field: `set {number} = <value>`")
        return self._step(lambda: self._post_action(target, None))

    def click_label(self, label: str) -> list[RenderableType]:
        """Press the button labelled ``label`` (its whole text, else the one it starts), newest first."""
        wanted = label.strip().lower()
        buttons = [t for t in self.numbering.targets_newest_first() if t.type == "button" and not t.in_input
                   and self._still_shown(t)]
        texts = {t.number: self.renderer.styler.plain(t.element.get("text")).lower() for t in buttons}
        for test in (lambda t: texts[t.number] == wanted, lambda t: texts[t.number].startswith(wanted)):
            found = [t for t in buttons if test(t)]
            if found:
                return self.click(found[0].number)
        raise ChatError(f"no button {label!r} on screen")

    def pick(self, number: int, choice: str) -> list[RenderableType]:
        """Choose in a menu, or fill a form field (same as ``set``)."""
        target = self._target(number)
        if target.type == "button":
            raise ChatError(f"[{number}] is a button: `click {number}`")
        selection = self._selection(target, choice)
        if target.in_input:
            return self._fill(target, selection)
        return self._step(lambda: self._post_action(target, selection))

    def set(self, number: int, value: str) -> list[RenderableType]:
        return self.pick(number, value)

    def set_field(self, label: str, value: str) -> list[RenderableType]:
        """Fill the open modal's field labelled ``label`` (its whole label, else the one it starts)."""
        return self.pick(self._field_by_label(label).number, value)

    def _field_by_label(self, label: str) -> Target:
        view = self._open_modal()
        wanted = label.strip().lower()
        fields = [(str(b.get("block_id") or f"#{i}"), b) for i, b in enumerate(view.definition.get("blocks", []))
                  if b.get("type") == "input" and isinstance(b.get("element"), dict)]
        labels = {block_id: self.renderer.styler.plain(b.get("label")).lower() for block_id, b in fields}
        found = [f for f in fields if labels[f[0]] == wanted] or [f for f in fields if labels[f[0]].startswith(wanted)]
        if len(found) == 1 or (found and labels[found[0][0]] == wanted):
            block_id, block = found[0]
            element = block["element"]
            number = self.numbering.number(view_ref(view), block_id, str(element.get("action_id", "")), element, True)
            return self._target(number)
        raise ChatError(f"the form has no single field called {label!r}")

    def submit(self) -> list[RenderableType]:
        view = self._open_modal()
        if not view.definition.get("submit"):
            raise ChatError("this modal has no submit button; `close` it instead")
        shown = self._step(lambda: self._submit(view))
        now = self.state.view(view.id)
        if now is not None and not now.closed and now.errors and now.hash == view.hash:  # refused inline
            shown.append(self.renderer.view(now, stack_depth=len(self.state.view_stack_for(self._user_id))))
        return shown

    def close_modal(self) -> list[RenderableType]:
        view = self._open_modal()

        def send() -> None:
            self.state.close_view(view.id)
            if view.definition.get("notify_on_close"):
                self._post(self.signer.view_closed(self._user_id, view))

        return self._step(send)

    def show_modal(self) -> list[RenderableType]:
        view = self._open_modal()
        return [self.renderer.view(view, stack_depth=len(self.state.view_stack_for(self._user_id)))]

    def home(self) -> list[RenderableType]:
        """Open the App Home tab: ``app_home_opened``, then the Home the app published."""
        current = self.state.home_for(self._user_id)

        def send() -> None:
            self._post(self.signer.app_home_opened(self._user_id, view=current.to_api() if current else None))

        shown = self._step(send, show_home=True)
        if not any(isinstance(s, _HomeMarker) for s in shown):
            home = self.state.home_for(self._user_id)
            shown.append(self.renderer.view(home) if home else Text("(the app has not published a Home tab)",
                                                                     style="dim"))
        return [s.renderable if isinstance(s, _HomeMarker) else s for s in shown]

    def refresh(self, wait: Settle | None = None) -> list[RenderableType]:
        """Whatever the app sent since the last step (e.g. after a job or a webhook)."""
        return self._step(lambda: None, settle=wait or Settle(first=0.0, quiet=self.settle.quiet))

    def wait_for_output(self, settle: Settle) -> list[RenderableType]:
        return self._step(lambda: None, settle=settle)

    # --- sending -------------------------------------------------------------------------

    def _post(self, request: SignedRequest) -> httpx.Response:
        try:
            response = post_signed(self.events_url, request, client=self.http)
        except httpx.HTTPError as exc:
            raise ChatError(f"the app did not answer ({exc.__class__.__name__})") from None
        if response.status_code != 200:
            raise ChatError(f"the app answered HTTP {response.status_code}: {response.text[:200]}")
        return response

    def _slash(self, text: str) -> None:
        response = self._post(self.signer.slash_command(self._user_id, text, command=self.command))
        body = _json(response)
        if body is None and response.text.strip():  # Slack shows a plain-text ack body as the answer
            body = {"text": response.text.strip()}
        if body and (body.get("text") or body.get("blocks")):  # an immediate answer in the ack
            in_channel = body.get("response_type") == "in_channel"
            self.state.add_message(Message(dm_channel_id(self._user_id), self.state.next_ts(),
                                           str(body.get("text") or ""), list(body.get("blocks") or []),
                                           BOT_USER_ID, ephemeral_for=None if in_channel else self._user_id,
                                           via="response_url"))

    def _direct_message(self, text: str) -> None:
        typed = self.state.post_as_user(self._user_id, text)
        self._post(self.signer.message_im(self._user_id, text, ts=typed.ts))

    def _post_action(self, target: Target, selection: dict[str, Any] | None) -> None:
        surface = self._live_surface(target)
        if isinstance(surface, Message):
            request = self.signer.block_actions(self._user_id, target.action_id, message=surface, selection=selection)
        else:
            request = self.signer.block_actions(self._user_id, target.action_id, view=surface, selection=selection)
        self._post(request)

    def _submit(self, view: View) -> None:
        response = self._post(self.signer.view_submission(self._user_id, view))
        self.state.apply_submission_ack(view.id, _json(response) or None)

    def _fill(self, target: Target, selection: dict[str, Any]) -> list[RenderableType]:
        view = self._live_surface(target)
        assert isinstance(view, View)
        value = {"type": target.type, **selection}
        self.state.set_view_values(view.id, {target.block_id: {target.action_id: value}})
        block = next((b for b in view.definition.get("blocks", []) if b.get("block_id") == target.block_id), {})
        shown_value = self.renderer.styler.plain({"type": "plain_text", "text": _describe_selection(selection)})
        confirmation: list[RenderableType] = [Text(f"[{target.number}] = {shown_value}", style="green")]
        if block.get("dispatch_action"):
            fresh = self.state.view(view.id)
            assert fresh is not None
            return confirmation + self._step(lambda: self._post(self.signer.block_actions(
                self._user_id, target.action_id, view=fresh, selection=selection)))
        return confirmation

    # --- choosing values -----------------------------------------------------------------

    def _selection(self, target: Target, choice: str) -> dict[str, Any]:
        kind, element, choice = target.type, target.element, choice.strip()
        if kind == "rich_text_input":
            return {"rich_text_value": {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [
                {"type": "text", "text": self._text_value(target, choice)}]}]}}
        if kind in TEXT_INPUTS:
            return {"value": self._text_value(target, choice)}
        if kind == "datepicker":
            if not _DATE.match(choice):
                raise ChatError(f"[{target.number}] wants a date as YYYY-MM-DD, not {choice!r}")
            return {"selected_date": choice}
        if kind == "timepicker":
            if not _TIME.match(choice):
                raise ChatError(f"[{target.number}] wants a time as HH:MM, not {choice!r}")
            return {"selected_time": choice}
        if kind == "datetimepicker":
            try:
                moment = datetime.strptime(choice, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
            except ValueError:
                raise ChatError(f"[{target.number}] wants a date and time as YYYY-MM-DD HH:MM (UTC)") from None
            return {"selected_date_time": int(moment.timestamp())}
        if kind in ("static_select", "radio_buttons", "overflow"):
            return {"selected_option": self._option(target, list(element_options(element)), choice)}
        if kind in ("multi_static_select", "checkboxes"):
            options = list(element_options(element))
            return {"selected_options": [self._option(target, options, c) for c in _split(choice)]}
        if kind == "external_select":
            return {"selected_option": self._external_option(target, choice)}
        if kind == "multi_external_select":
            return {"selected_options": [self._external_option(target, c) for c in _split(choice)]}
        if kind == "users_select":
            return {"selected_user": self.find_user(choice).id}
        if kind == "multi_users_select":
            return {"selected_users": [self.find_user(c).id for c in _split(choice)]}
        if kind in ("conversations_select", "channels_select"):
            key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
            return {key: self._channel(choice)}
        if kind in ("multi_conversations_select", "multi_channels_select"):
            key = "selected_conversations" if kind == "multi_conversations_select" else "selected_channels"
            return {key: [self._channel(c) for c in _split(choice)]}
        raise ChatError(f"[{target.number}] is a {kind}, which this terminal can't fill in")

    def _text_value(self, target: Target, value: str) -> str:
        element = target.element
        if target.type == "number_input":
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise ChatError(f"[{target.number}] wants a number, not {value!r}") from None
            if not element.get("is_decimal_allowed") and number != number.to_integral_value():
                raise ChatError(f"[{target.number}] wants a whole number")
            low, high = element.get("min_value"), element.get("max_value")
            if (low is not None and number < Decimal(str(low))) or (high is not None and number > Decimal(str(high))):
                raise ChatError(f"[{target.number}] wants a number from {low if low is not None else '…'} "
                                f"to {high if high is not None else '…'}")
        if element.get("max_length") and len(value) > int(element["max_length"]):
            raise ChatError(f"[{target.number}] takes at most {element['max_length']} characters")
        return value

    def _option(self, target: Target, options: list[dict[str, Any]], choice: str) -> dict[str, Any]:
        """The option whose text (or value, or 1-based position) is ``choice``; else the one it starts or is in."""
        if not options:
            raise ChatError(f"[{target.number}] has no options")
        texts = [self.renderer.styler.plain(o.get("text")).lower() for o in options]
        wanted = choice.lower()
        exact = [i for i in range(len(options)) if texts[i] == wanted]
        if exact:
            return options[exact[0]]
        for test in (lambda i: str(options[i].get("value", "")).lower() == wanted,
                     lambda i: wanted.isdigit() and int(wanted) == i + 1,
                     lambda i: texts[i].startswith(wanted), lambda i: wanted in texts[i]):
            found = [i for i in range(len(options)) if test(i)]
            if len(found) == 1:
                return options[found[0]]
        listed = " | ".join(self.renderer.styler.plain(o.get("text")) for o in options)
        raise ChatError(f"[{target.number}] has no single option matching {choice!r}; options: {listed}")

    def _external_option(self, target: Target, query: str) -> dict[str, Any]:
        """Ask the app for options matching ``query`` (block_suggestion), then choose among them."""
        surface = self._live_surface(target)
        request = (self.signer.block_suggestion(self._user_id, target.action_id, query, message=surface)
                   if isinstance(surface, Message) else
                   self.signer.block_suggestion(self._user_id, target.action_id, query, view=surface))
        body = _json(self._post(request)) or {}
        options = list(element_options(body))
        if not options:
            raise ChatError(f"[{target.number}]: the app suggests nothing for {query!r}")
        return self._option(target, options, query) if len(options) > 1 else options[0]

    def _channel(self, name: str) -> str:
        wanted = name.strip().removeprefix("#").lower()
        for channel_id in (c for c in (self.state.resolve_channel("#" + wanted), self.state.resolve_channel(
                name.strip())) if c):
            return channel_id
        raise ChatError(f"no channel {name!r}")

    # --- what the app showed -------------------------------------------------------------

    def _hear(self, change: SurfaceChange) -> None:
        with self._lock:
            self._changes.append(change)

    def _step(self, send: Callable[[], None], *, settle: Settle | None = None,
              show_home: bool = False) -> list[RenderableType]:
        with self._lock:
            start = len(self._changes)
        calls = self.state.call_count()
        send()
        self._wait(start, calls, settle or self.settle)
        return self._render_pending(show_home=show_home)

    def _wait(self, start: int, calls: int, settle: Settle) -> None:
        """Until the app has shown something and then been quiet for ``settle.quiet`` (or time is up)."""
        began = last_activity = time.monotonic()
        seen: tuple[int, int, int] = (start, calls, self.activity()[0])
        while True:
            time.sleep(0.02)
            now = time.monotonic()
            elsewhere, busy = self.activity()
            with self._lock:
                activity = (len(self._changes), self.state.call_count(), elsewhere)
            if activity != seen or busy:
                seen, last_activity = activity, now
            shown_something = seen[0] > start
            if (shown_something or settle.first <= now - began) and now - last_activity >= settle.quiet:
                return
            if now - began >= settle.limit:
                return

    def _render_pending(self, *, show_home: bool = False) -> list[RenderableType]:
        with self._lock:
            changes = self._changes[self._shown_upto:]
            self._shown_upto = len(self._changes)
        shown: list[RenderableType] = []
        order: list[tuple[str, ...]] = []
        latest: dict[tuple[str, ...], SurfaceChange] = {}
        for change in changes:
            key = (("message", change.message.channel, change.message.ts) if change.message is not None
                   else ("view", change.view.id if change.view else ""))
            if key not in latest:
                order.append(key)
            first = latest.get(key)
            if first is not None and first.kind in ("message_posted", "view_opened", "view_pushed") \
                    and change.kind not in ("message_deleted", "view_closed"):
                change = SurfaceChange(first.kind, message=change.message, view=change.view)
            latest[key] = change
        for key in sorted(order, key=lambda k: self._reading_order(latest[k], order.index(k))):
            rendered = self._render_change(latest[key], show_home)
            if rendered is not None:
                shown.append(rendered)
        return shown

    def _reading_order(self, change: SurfaceChange, arrived: int) -> tuple[int, str, float, int]:
        """Within one step, the same order however the app's threads raced: the person's modal and
        Home first, then their DM and what only they see, then channels by name, then others' DMs."""
        message = change.message
        if message is None:
            return (0, "", 0.0, arrived)
        owner = message.ephemeral_for or self.state.dm_user(message.channel)
        if owner == self._user_id:
            return (1, "", float(message.ts), arrived)
        if owner is None:
            return (2, self._channel_name(message.channel) or message.channel, float(message.ts), arrived)
        return (3, owner, float(message.ts), arrived)

    def _render_change(self, change: SurfaceChange, show_home: bool) -> RenderableType | None:
        if change.message is not None:
            return self._message_change(change)
        view = change.view
        if view is None or view.user_id != self._user_id:
            return None
        if change.kind == "home_published":
            if show_home:
                home = self.state.home_for(self._user_id)
                return _HomeMarker(self.renderer.view(home or view))
            return Text("(your App Home changed: `home` shows it)", style="dim")
        if change.kind == "view_closed":
            title = self.renderer.styler.plain(view.definition.get("title") or {"text": "modal"})
            return Text(f"(the “{title}” modal closed)", style="dim")
        live = self.state.view(view.id)
        if live is None or live.closed:
            return None
        return self.renderer.view(live, stack_depth=len(self.state.view_stack_for(self._user_id)))

    def _message_change(self, change: SurfaceChange) -> RenderableType | None:
        message = change.message
        assert message is not None
        if message.via == "user" or message.user != BOT_USER_ID:
            return None
        owner = message.ephemeral_for or self.state.dm_user(message.channel)
        key = (message.channel, message.ts)
        if owner is not None and owner != self._user_id:
            unseen = self._unseen.setdefault(owner, [])
            if key not in unseen:
                unseen.append(key)
            person = self.state.user(owner)
            name = person.real_name if person else owner
            alias = next((a for a, uid in self.aliases.items() if uid == owner), person.name if person else owner)
            return Text(f"(a message for {name}: `as {alias}` to read it)", style="dim")
        live = self.state.message(message.channel, message.ts) or message
        note = ""
        if change.kind == "message_updated" and key in self._seen_messages:
            note = "updated"
        elif change.kind == "message_deleted" or message.deleted:
            live, note = message, "deleted"
            live.deleted = True
        return self._render_message(live, note=note)

    def _render_message(self, message: Message, note: str = "") -> RenderableType:
        self._seen_messages.add((message.channel, message.ts))
        return self.renderer.message(message, where=self._where(message.channel), note=note)

    def _where(self, channel: str) -> str:
        if channel.startswith("D"):
            return "DM"
        return "#" + (self._channel_name(channel) or channel)

    # --- lookups -------------------------------------------------------------------------

    def _target(self, number: int) -> Target:
        target = self.numbering.target(number)
        if target is None:
            raise ChatError(f"there is no [{number}] on screen")
        return target

    def _still_shown(self, target: Target) -> bool:
        try:
            self._live_surface(target)
        except ChatError:
            return False
        return True

    def _live_surface(self, target: Target) -> Message | View:
        if target.surface[0] == "message":
            message = self.state.message(target.surface[1], target.surface[2])
            if message is None or not _has_action(message.blocks, target.action_id):
                raise ChatError(f"[{target.number}] is no longer there (its message changed)")
            return message
        view = self.state.view(target.surface[1])
        if view is None or view.closed or not _has_action(view.definition.get("blocks", []), target.action_id):
            raise ChatError(f"[{target.number}] is no longer there (its view closed or changed)")
        if view.user_id != self._user_id:
            raise ChatError(f"[{target.number}] is on someone else's screen")
        return view

    def _open_modal(self) -> View:
        view = self.state.open_view_for(self._user_id)
        if view is None:
            raise ChatError("no modal is open")
        return view

    def _user_name(self, user_id: str) -> str | None:
        user = self.state.user(user_id)
        return user.real_name if user else None

    def _channel_name(self, channel_id: str) -> str | None:
        channel = self.state.channel(channel_id)
        return channel.name if channel else None


@dataclass(frozen=True)
class _HomeMarker:
    renderable: RenderableType

    def __rich__(self) -> RenderableType:
        return self.renderable


def _has_action(blocks: list[dict[str, Any]], action_id: str) -> bool:
    for block in blocks:
        for element in (block.get("accessory"), block.get("element"), *(block.get("elements") or [])):
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return True
    return False


def _json(response: httpx.Response) -> dict[str, Any] | None:
    if not response.content.strip():
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _split(choices: str) -> list[str]:
    return [c.strip() for c in choices.split(",") if c.strip()]


def _describe_selection(selection: dict[str, Any]) -> str:
    for key in ("value", "selected_date", "selected_time", "selected_user", "selected_conversation",
                "selected_channel"):
        if key in selection:
            return str(selection[key])
    if "selected_date_time" in selection:
        return datetime.fromtimestamp(selection["selected_date_time"], UTC).strftime("%Y-%m-%d %H:%M UTC")
    if "rich_text_value" in selection:
        return "".join(e.get("text", "") for s in selection["rich_text_value"]["elements"] for e in s["elements"])
    for key in ("selected_conversations", "selected_channels"):
        if key in selection:
            return ", ".join(selection[key])
    if "selected_option" in selection:
        return str((selection["selected_option"].get("text") or {}).get("text", ""))
    if "selected_options" in selection:
        return ", ".join(str((o.get("text") or {}).get("text", "")) for o in selection["selected_options"])
    if "selected_users" in selection:
        return ", ".join(selection["selected_users"])
    return ""

