"""Block Kit as a person would read it in a terminal: messages, modals and Home tabs as Rich text.

Generic over Block Kit: header, section (text, fields, accessory), context, divider, actions,
input, image, rich_text, file, video; every interactive element (buttons, the select menus,
overflow, radio buttons, checkboxes, date/time pickers, the text and number inputs). What can
be used gets a number (``[3] Approve``) from a ``Numbering`` the caller keeps, so a person can
say ``click 3``; an element keeps its number for as long as its message or view shows it.

    numbering = Numbering()
    renderer = BlockRenderer(numbering, user_name=lambda uid: names.get(uid))
    console.print(renderer.message(message, where="#finance"))
    numbering.target(3)  # -> Target(surface=("message", channel, ts), block_id, action_id, element)
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.emoji import Emoji, NoEmoji
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from integrations.slack_sandbox.surfaces import Message, View

SurfaceRef = tuple[str, ...]  # ("message", channel, ts) or ("view", view_id)
SELECTS = frozenset({"static_select", "external_select", "users_select", "conversations_select", "channels_select"})
MULTI_SELECTS = frozenset(f"multi_{s}" for s in SELECTS)
TEXT_INPUTS = frozenset({"plain_text_input", "email_text_input", "url_text_input", "number_input",
                         "rich_text_input"})
PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker"})
CHOICES = frozenset({"radio_buttons", "checkboxes", "overflow"})
_BUTTON_STYLES = {"primary": "bold green", "danger": "bold red"}


def message_ref(message: Message) -> SurfaceRef:
    return ("message", message.channel, message.ts)


def view_ref(view: View) -> SurfaceRef:
    return ("view", view.id)


@dataclass(frozen=True)
class Target:
    """What a number stands for: an element in a block of a message or view."""

    number: int
    surface: SurfaceRef
    block_id: str
    action_id: str
    element: dict[str, Any]
    in_input: bool  # an input block's element (a form field) rather than something to press

    @property
    def type(self) -> str:
        return str(self.element.get("type", ""))


class Numbering:
    """Numbers for usable elements, stable per (surface, block, action) for the whole session."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[SurfaceRef, str, str], int] = {}
        self._targets: dict[int, Target] = {}

    def number(self, surface: SurfaceRef, block_id: str, action_id: str, element: dict[str, Any],
               in_input: bool) -> int:
        key = (surface, block_id, action_id)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._numbers) + 1
        self._targets[number] = Target(number, surface, block_id, action_id, element, in_input)
        return number

    def target(self, number: int) -> Target | None:
        return self._targets.get(number)

    def targets_newest_first(self) -> list[Target]:
        return [self._targets[n] for n in sorted(self._targets, reverse=True)]


# --- text objects, mrkdwn and rich_text ------------------------------------------------------

_EMOJI = re.compile(r":([a-z0-9_+\-']+):")
_ANGLE = re.compile(r"<([^<>]+)>")
_CODE = re.compile(r"`([^`\n]+)`")
_STYLE = re.compile(r"(?<![\w*_~])(\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~)(?![\w*_~])")
_STYLE_OF = {"*": "bold", "_": "italic", "~": "strike"}
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def emojize(text: str) -> str:
    """``:white_check_mark:`` as the emoji, where Rich knows the name; unknown names stay as typed."""

    def one(match: re.Match[str]) -> str:
        try:
            return str(Emoji(match.group(1).replace("-", "_")))
        except NoEmoji:
            return match.group(0)

    return _EMOJI.sub(one, text)


class TextStyler:
    """mrkdwn, plain_text and rich_text into Rich ``Text``; user and channel ids become names."""

    def __init__(self, user_name: Callable[[str], str | None], channel_name: Callable[[str], str | None]) -> None:
        self.user_name = user_name
        self.channel_name = channel_name

    def text_object(self, obj: Any, style: str = "") -> Text:
        if not isinstance(obj, dict):
            return Text(str(obj or ""), style=style)
        if obj.get("type") == "mrkdwn" and not obj.get("verbatim", False):
            return self.mrkdwn(str(obj.get("text", "")), style)
        if obj.get("type") == "mrkdwn":
            return Text(html.unescape(str(obj.get("text", ""))), style=style)
        text = str(obj.get("text", ""))
        return Text(text if obj.get("emoji") is False else emojize(text), style=style)

    def plain(self, obj: Any) -> str:
        return self.text_object(obj).plain

    def mrkdwn(self, source: str, style: str = "") -> Text:
        """Slack's mrkdwn: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes, <links|labels>, mentions."""
        out = Text(style=style)
        in_pre = False
        for n, line in enumerate(source.split("\n")):
            if n:
                out.append("\n")
            if line.count("```") % 2 == 1 or (in_pre and "```" not in line):
                in_pre = in_pre != (line.count("```") % 2 == 1)
            if line.startswith("&gt;") or line.startswith(">"):
                out.append("│ ", style="dim")
                line = line.removeprefix("&gt;").removeprefix(">").lstrip()
            if "```" in line or in_pre:
                out.append(html.unescape(line.replace("```", "")), style="cyan")
                continue
            self._styled_line(out, line)
        return out

    def _styled_line(self, out: Text, line: str) -> None:
        """Code spans as typed; elsewhere ``<...>`` sequences become labels, then *bold* and friends
        apply (around a link too: ``*<url|INV-1>*``)."""
        angles: list[tuple[str, str | None]] = []

        def stash(match: re.Match[str]) -> str:
            angles.append(self._angle(match.group(1)))
            return f"\x00{len(angles) - 1}\x00"

        position = 0
        for code in _CODE.finditer(line):
            self._styled_run(out, _ANGLE.sub(stash, line[position:code.start()]), angles)
            out.append(html.unescape(code.group(1)), style="bold cyan")
            position = code.end()
        self._styled_run(out, _ANGLE.sub(stash, line[position:]), angles)

    def _styled_run(self, out: Text, run: str, angles: list[tuple[str, str | None]]) -> None:
        position = 0
        for match in _STYLE.finditer(run):
            self._emit(out, run[position:match.start()], "", angles)
            token = match.group(0)
            self._emit(out, token[1:-1], _STYLE_OF[token[0]], angles)
            position = match.end()
        self._emit(out, run[position:], "", angles)

    def _emit(self, out: Text, text: str, style: str, angles: list[tuple[str, str | None]]) -> None:
        for n, part in enumerate(_PLACEHOLDER.split(text)):
            if n % 2 == 0:
                if part:
                    out.append(emojize(html.unescape(part)), style=style)
                continue
            label, link = angles[int(part)]
            out.append(label, style=f"{style} underline link {link}".strip() if link else f"{style} bold".strip())

    def _angle(self, inner: str) -> tuple[str, str | None]:
        """(label, link or None) for one ``<...>``: a link, @user, #channel, !here, !date, !subteam."""
        target, _, label = inner.partition("|")
        label = html.unescape(label)
        if target.startswith("@"):
            return "@" + (label or self.user_name(target[1:]) or target[1:]), None
        if target.startswith("#"):
            return "#" + (label or self.channel_name(target[1:]) or target[1:]), None
        if target.startswith("!subteam^"):
            return label or "@" + target.removeprefix("!subteam^"), None
        if target.startswith("!date^"):
            return label or target, None
        if target.startswith("!"):
            return "@" + target[1:], None
        return (label or html.unescape(target)), html.unescape(target)

    def rich_text(self, block: dict[str, Any]) -> Text:
        out = Text()
        for n, element in enumerate(block.get("elements") or []):
            if n:
                out.append("\n")
            self._rich_element(out, element)
        return out

    def _rich_element(self, out: Text, element: dict[str, Any], prefix: str = "") -> None:
        kind = element.get("type")
        if kind == "rich_text_list":
            indent = "  " * int(element.get("indent") or 0)
            for n, item in enumerate(element.get("elements") or []):
                if n:
                    out.append("\n")
                marker = f"{n + 1 + int(element.get('offset') or 0)}." if element.get("style") == "ordered" else "•"
                out.append(f"{indent}{marker} ")
                self._rich_section(out, item)
        elif kind == "rich_text_quote":
            out.append("│ ", style="dim")
            self._rich_section(out, element)
        elif kind == "rich_text_preformatted":
            start = len(out)
            self._rich_section(out, element)
            out.stylize("cyan", start)
        else:
            self._rich_section(out, element)

    def _rich_section(self, out: Text, section: dict[str, Any]) -> None:
        for item in section.get("elements") or []:
            kind = item.get("type")
            style = " ".join(name for name, on in (item.get("style") or {}).items() if on and name != "code")
            if (item.get("style") or {}).get("code"):
                style = f"{style} bold cyan".strip()
            if kind == "text":
                out.append(html.unescape(str(item.get("text", ""))), style=style)
            elif kind == "link":
                url = str(item.get("url", ""))
                out.append(str(item.get("text") or url), style=f"{style} underline link {url}".strip())
            elif kind == "emoji":
                out.append(emojize(f":{item.get('name', '')}:"))
            elif kind == "user":
                uid = str(item.get("user_id", ""))
                out.append("@" + (self.user_name(uid) or uid), style="bold")
            elif kind == "channel":
                cid = str(item.get("channel_id", ""))
                out.append("#" + (self.channel_name(cid) or cid), style="bold")
            elif kind == "usergroup":
                out.append("@" + str(item.get("usergroup_id", "")), style="bold")
            elif kind == "broadcast":
                out.append("@" + str(item.get("range", "here")), style="bold")
            elif kind == "date":
                out.append(str(item.get("fallback") or item.get("timestamp", "")))
            elif kind in ("rich_text_section", "rich_text_list", "rich_text_quote", "rich_text_preformatted"):
                self._rich_element(out, item)


# --- blocks --------------------------------------------------------------------------------


class BlockRenderer:
    """Blocks into lines of Rich ``Text``; messages, modals and Home tabs into renderables."""

    def __init__(self, numbering: Numbering, user_name: Callable[[str], str | None] = lambda _: None,
                 channel_name: Callable[[str], str | None] = lambda _: None) -> None:
        self.numbering = numbering
        self.styler = TextStyler(user_name, channel_name)

    # --- surfaces ------------------------------------------------------------------------

    def message(self, message: Message, *, where: str, note: str = "") -> RenderableType:
        """A message: a heading (who, where, a note such as "updated"), then its content indented."""
        heading = Text()
        author = "Paidup" if message.bot_id else (self.styler.user_name(message.user) or message.user)
        heading.append(author, style="bold magenta")
        heading.append(f" · {where}", style="dim")
        if message.is_ephemeral:
            heading.append(" · only visible to you", style="dim")
        if message.thread_ts and message.thread_ts != message.ts:
            heading.append(" · in a thread", style="dim")
        if note:
            heading.append(f" · {note}", style="yellow")
        if message.deleted:
            return Group(heading, Padding(Text("(message deleted)", style="dim italic"), (0, 0, 0, 2), expand=False))
        lines: list[RenderableType] = (self.blocks(message.blocks, message_ref(message)) if message.blocks
                                       else [self.styler.mrkdwn(message.text)])
        for attachment in message.attachments:
            lines.extend(self.attachment(attachment, message_ref(message)))
        for file in message.files:
            lines.append(Text(f"📎 {file_summary(file)}"))
        return Group(heading, *(Padding(line, (0, 0, 0, 2), expand=False) for line in lines))

    def view(self, view: View, *, stack_depth: int = 1) -> RenderableType:
        """A modal as a form (numbered inputs, its submit and close) or a Home tab, in a panel."""
        definition = view.definition
        lines = self.blocks(definition.get("blocks") or [], view_ref(view), values=view.values, errors=view.errors)
        if view.type == "modal":
            footer = Text("", style="dim")
            if definition.get("submit"):
                footer.append(f"submit: {self.styler.plain(definition['submit'])}  ·  ")
            footer.append(f"close: {self.styler.plain(definition.get('close') or {'text': 'Cancel'})}")
            lines.extend([Text(""), footer])
            title = self.styler.plain(definition.get("title") or {"text": "Modal"})
            if stack_depth > 1:
                title += f" (on top of {stack_depth - 1} more)"
            return Panel(Group(*lines), title=Text(title, style="bold"), title_align="left",
                         subtitle=Text("modal", style="dim"), subtitle_align="right")
        return Panel(Group(*lines), title=Text("App Home", style="bold"), title_align="left")

    def attachment(self, attachment: dict[str, Any], surface: SurfaceRef) -> list[RenderableType]:
        lines: list[RenderableType] = []
        if attachment.get("pretext"):
            lines.append(self.styler.mrkdwn(str(attachment["pretext"])))
        if attachment.get("title"):
            lines.append(Text(str(attachment["title"]), style="bold"))
        if attachment.get("text"):
            lines.append(self.styler.mrkdwn(str(attachment["text"])))
        for field in attachment.get("fields") or []:
            lines.append(Text.assemble((f"{field.get('title', '')}: ", "bold"), self.styler.mrkdwn(
                str(field.get("value", "")))))
        lines.extend(self.blocks(attachment.get("blocks") or [], surface))
        if attachment.get("footer"):
            lines.append(self.styler.mrkdwn(str(attachment["footer"]), "dim"))
        bar = Text("▌ ", style=_bar_colour(attachment.get("color")))
        return [Text.assemble(bar, line) if isinstance(line, Text) else line for line in lines]

    # --- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: Iterable[dict[str, Any]], surface: SurfaceRef, *,
               values: dict[str, dict[str, Any]] | None = None,
               errors: dict[str, str] | None = None) -> list[RenderableType]:
        lines: list[RenderableType] = []
        for index, block in enumerate(blocks):
            block_id = str(block.get("block_id") or f"#{index}")
            lines.extend(self.block(block, block_id, surface, (values or {}).get(block_id, {})))
            if errors and block_id in errors:
                lines.append(Text(f"    ⚠ {errors[block_id]}", style="bold red"))
        return lines

    def block(self, block: dict[str, Any], block_id: str, surface: SurfaceRef,
              values: dict[str, Any]) -> list[RenderableType]:
        kind = block.get("type")
        if kind == "header":
            return [self.styler.text_object(block.get("text"), "bold underline")]
        if kind == "divider":
            return [Text("─" * 40, style="dim")]
        if kind == "section":
            return self._section(block, block_id, surface)
        if kind == "context":
            return [self._context(block)]
        if kind == "actions":
            return [self._actions(block, block_id, surface)]
        if kind == "input":
            return self._input(block, block_id, surface, values)
        if kind == "image":
            title = self.styler.plain(block.get("title")) if block.get("title") else ""
            return [Text(f"🖼  {title or block.get('alt_text', 'image')}", style="italic")]
        if kind == "rich_text":
            return [self.styler.rich_text(block)]
        if kind == "file":
            return [Text(f"📎 file {block.get('external_id', '')}", style="italic")]
        if kind == "video":
            return [Text(f"▶ {self.styler.plain(block.get('title'))}", style="italic")]
        return [Text(f"({kind} block)", style="dim")]

    def _section(self, block: dict[str, Any], block_id: str, surface: SurfaceRef) -> list[RenderableType]:
        lines: list[RenderableType] = []
        if block.get("text"):
            lines.append(self.styler.text_object(block["text"]))
        for field in block.get("fields") or []:
            lines.append(self._field(field))
        accessory = block.get("accessory")
        if isinstance(accessory, dict):
            if accessory.get("type") == "image":
                lines.append(Text(f"  🖼  {accessory.get('alt_text', 'image')}", style="italic"))
            else:
                lines.append(Text.assemble("  ", self.element(accessory, block_id, surface)))
        return lines

    def _field(self, field: dict[str, Any]) -> Text:
        """A field "*Label*\\nvalue" reads as "Label: value" on one line; anything else as written."""
        raw = str(field.get("text", ""))
        label, newline, value = raw.partition("\n")
        if field.get("type") == "mrkdwn" and newline and re.fullmatch(r"\*[^*]+\*", label):
            return Text.assemble((label.strip("*") + ": ", "bold"), self.styler.mrkdwn(value))
        return self.styler.text_object(field)

    def _context(self, block: dict[str, Any]) -> Text:
        out = Text(style="dim")
        for n, element in enumerate(block.get("elements") or []):
            if n:
                out.append("  ")
            if element.get("type") == "image":
                out.append(f"[{element.get('alt_text', 'image')}]")
            else:
                out.append_text(self.styler.text_object(element))
        return out

    def _actions(self, block: dict[str, Any], block_id: str, surface: SurfaceRef) -> RenderableType:
        """A row of elements; where they don't fit one line, they wrap whole, in columns."""
        elements = [self.element(element, block_id, surface) for element in block.get("elements") or []]
        return Columns(elements, padding=(0, 3), expand=False)

    def _input(self, block: dict[str, Any], block_id: str, surface: SurfaceRef,
               values: dict[str, Any]) -> list[RenderableType]:
        """``[N] Label: value``; a menu's options, then the hint, indented on the lines below."""
        element = block.get("element") or {}
        label = Text.assemble(self.styler.text_object(block.get("label"), "bold"))
        if block.get("optional"):
            label.append(" (optional)", style="dim")
        number = self._number(element, block_id, surface, in_input=True)
        listed = any(True for _ in element_options(element))
        value = self._input_value(element, values.get(str(element.get("action_id", ""))))
        if not listed:
            value.append_text(self._choices(element))
        lines: list[RenderableType] = [Text.assemble((f"[{number}] " if number else "", "bold yellow"), label, ": ",
                                                     value)]
        if listed:
            lines.append(Padding(self._choices(element, lead=""), (0, 0, 0, 6), expand=False))
        if block.get("hint"):
            lines.append(Padding(self.styler.text_object(block["hint"], "dim"), (0, 0, 0, 6), expand=False))
        return lines

    def _input_value(self, element: dict[str, Any], entered: dict[str, Any] | None) -> Text:
        """What a form field holds now: what the person set, else its initial value, else its placeholder."""
        kind = str(element.get("type", ""))
        current = describe_value(element, entered, self.styler)
        out = Text()
        if current:
            out.append(current, style="green")
        else:
            placeholder = self.styler.plain(element.get("placeholder")) if element.get("placeholder") else ""
            out.append(f"({placeholder or 'empty'})", style="dim")
        if kind in TEXT_INPUTS and element.get("multiline"):
            out.append("  multi-line", style="dim")
        return out

    # --- elements ------------------------------------------------------------------------

    def element(self, element: dict[str, Any], block_id: str, surface: SurfaceRef) -> Text:
        """One interactive element outside a form: ``[N] Label`` for a button, menus with their options."""
        kind = str(element.get("type", ""))
        number = self._number(element, block_id, surface, in_input=False)
        tag = Text(f"[{number}] " if number else "", style="bold yellow")
        if kind == "button":
            label = self.styler.text_object(element.get("text"), _BUTTON_STYLES.get(str(element.get("style")), "bold"))
            if element.get("url"):
                label.append(" ↗")
            return Text.assemble(tag, label)
        if kind == "overflow":
            return Text.assemble(tag, ("⋯ ", "bold"), self._choices(element, lead=""))
        placeholder = self.styler.plain(element.get("placeholder")) if element.get("placeholder") else ""
        current = describe_value(element, None, self.styler)
        shown = Text(current, style="green") if current else Text(placeholder or _KIND_WORDS.get(kind, kind),
                                                                   style="italic")
        return Text.assemble(tag, shown, self._choices(element))

    def _choices(self, element: dict[str, Any], lead: str = "  ") -> Text:
        kind = str(element.get("type", ""))
        out = Text(style="dim")
        options = list(element_options(element))
        if options:
            out.append(lead + ("▾ " if kind not in CHOICES else ""))
            out.append(" | ".join(self.styler.plain(o.get("text")) for o in options))
        elif kind in ("external_select", "multi_external_select"):
            out.append(f"{lead}▾ search")
        elif kind in PICKERS:
            out.append(f"{lead}{_KIND_WORDS[kind]}")
        elif kind in ("users_select", "multi_users_select", "conversations_select", "channels_select",
                      "multi_conversations_select", "multi_channels_select"):
            out.append(f"{lead}▾ {_KIND_WORDS.get(kind.removeprefix('multi_'), kind)}")
        return out

    def _number(self, element: dict[str, Any], block_id: str, surface: SurfaceRef, *, in_input: bool) -> int | None:
        action_id = element.get("action_id")
        kind = element.get("type")
        if not action_id or kind in ("image", "workflow_button"):
            return None
        return self.numbering.number(surface, block_id, str(action_id), element, in_input)


_KIND_WORDS = {
    "static_select": "choose", "external_select": "search", "users_select": "a person",
    "conversations_select": "a conversation", "channels_select": "a channel", "datepicker": "date YYYY-MM-DD",
    "timepicker": "time HH:MM", "datetimepicker": "date and time", "plain_text_input": "text",
    "number_input": "number", "email_text_input": "email", "url_text_input": "URL", "rich_text_input": "text",
    "radio_buttons": "choose one", "checkboxes": "choose any",
}


def element_options(element: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """An element's options, option groups flattened."""
    yield from element.get("options") or []
    for group in element.get("option_groups") or []:
        yield from group.get("options") or []


def describe_value(element: dict[str, Any], entered: dict[str, Any] | None, styler: TextStyler) -> str:
    """The value an element shows: what was entered (a ``state.values`` entry) else its initial value."""
    state = entered or {}
    kind = str(element.get("type", ""))

    def option_text(option: Any) -> str:
        return styler.plain(option.get("text")) if isinstance(option, dict) else ""

    if kind == "rich_text_input":
        rich = state.get("rich_text_value") or element.get("initial_value")
        return styler.rich_text(rich).plain if isinstance(rich, dict) else ""
    if kind in TEXT_INPUTS:
        value = state.get("value") if "value" in state else element.get("initial_value")
        return "" if value is None else str(value)
    if kind == "datepicker":
        return str(state.get("selected_date") or element.get("initial_date") or "")
    if kind == "timepicker":
        return str(state.get("selected_time") or element.get("initial_time") or "")
    if kind == "datetimepicker":
        moment = state.get("selected_date_time") or element.get("initial_date_time")
        return datetime.fromtimestamp(int(moment), UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else ""
    if kind in ("static_select", "external_select", "radio_buttons"):
        return option_text(state.get("selected_option") if "selected_option" in state
                           else element.get("initial_option"))
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        chosen = state.get("selected_options") if "selected_options" in state else element.get("initial_options")
        return ", ".join(option_text(o) for o in chosen or [])
    if kind in ("users_select", "multi_users_select"):
        user = state.get("selected_user") or element.get("initial_user")
        users = state.get("selected_users") or element.get("initial_users") or ([user] if user else [])
        return ", ".join("@" + (styler.user_name(u) or u) for u in users)
    if kind in ("conversations_select", "channels_select"):
        chosen = (state.get("selected_conversation") or state.get("selected_channel")
                  or element.get("initial_conversation") or element.get("initial_channel"))
        return "#" + (styler.channel_name(chosen) or chosen) if chosen else ""
    if kind in ("multi_conversations_select", "multi_channels_select"):
        chosen = (state.get("selected_conversations") or state.get("selected_channels")
                  or element.get("initial_conversations") or element.get("initial_channels") or [])
        return ", ".join("#" + (styler.channel_name(c) or c) for c in chosen)
    return ""


def file_summary(file: dict[str, Any]) -> str:
    """"Aging by bucket (aging.png, PNG, 34 KB)": what Slack shows of a shared file, minus the preview."""
    name, title = str(file.get("name") or ""), str(file.get("title") or file.get("name") or "a file")
    details = [d for d in (name if name != title else "", str(file.get("pretty_type") or "")) if d]
    size = file.get("size")
    if isinstance(size, int):
        details.append(f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes")
    return title + (f" ({', '.join(details)})" if details else "")


def _bar_colour(colour: Any) -> str:
    named = {"good": "green", "warning": "yellow", "danger": "red"}
    if isinstance(colour, str) and re.fullmatch(r"#?[0-9a-fA-F]{6}", colour):
        return "#" + colour.lstrip("#")
    return named.get(str(colour), "dim")


def as_plain_text(renderables: Iterable[RenderableType], width: int = 100) -> str:
    """What a terminal of ``width`` columns would show, without colours or trailing blanks (tests)."""
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False,
                      legacy_windows=False)
    for renderable in renderables:
        console.print(renderable)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.split("\n"))
