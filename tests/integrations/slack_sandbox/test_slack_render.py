"""Block Kit as the demo's terminal shows it: every block and element kind read as text, usable
elements numbered (stable for as long as they are shown), mrkdwn and rich_text styled, modals
as forms with what was entered and Slack's inline errors."""

from __future__ import annotations

from typing import Any

from integrations.slack_sandbox.render import BlockRenderer, Numbering, as_plain_text
from integrations.slack_sandbox.surfaces import Message, View

NAMES = {"U0REP0001": "Rita Rep"}
CHANNELS = {"C0FINANCE": "finance"}


def renderer() -> BlockRenderer:
    return BlockRenderer(Numbering(), NAMES.get, CHANNELS.get)


def plain(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, **extra}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def option(text: str, value: str | None = None) -> dict[str, Any]:
    return {"text": plain(text), "value": value or text.lower()}


def message(blocks: list[dict[str, Any]], **extra: Any) -> Message:
    return Message("D0REP0001", "1700000000.000100", "fallback", blocks, "U0PAIDUPBOT", **extra)


def shown(r: BlockRenderer, *renderables: Any) -> str:
    return as_plain_text(renderables, width=220)


STATUS_CARD = [
    {"type": "header", "block_id": "title", "text": plain("Acme Corporation")},
    {"type": "section", "block_id": "summary", "fields": [
        mrkdwn("*Amount due*\n£4,800.00 GBP + $10,310.00 USD"), mrkdwn("*Owner*\nRita Rep"), mrkdwn("plain field")]},
    {"type": "section", "block_id": "invoices", "text": mrkdwn(
        "*Open invoices*\n• *<https://go.xero.com/i?id=1|INV-0003>*: £4,800.00 GBP, _45 days overdue_")},
    {"type": "divider"},
    {"type": "context", "elements": [mrkdwn("From Xero, as of just now."),
                                     {"type": "image", "image_url": "https://x.example/i.png", "alt_text": "xero"}]},
    {"type": "actions", "block_id": "card_actions", "elements": [
        {"type": "button", "action_id": "create_invoice", "text": plain("Create invoice"), "style": "primary"},
        {"type": "button", "action_id": "share", "text": plain("Share in channel")},
        {"type": "button", "action_id": "open_xero", "text": plain("Open in Xero"), "url": "https://go.xero.com"},
        {"type": "static_select", "action_id": "period", "placeholder": plain("Period"),
         "options": [option("This month"), option("Last month")]},
        {"type": "overflow", "action_id": "more", "options": [option("Snooze 7 days"), option("Mark promised")]},
        {"type": "datepicker", "action_id": "promise", "initial_date": "2026-12-01"},
    ]},
]


def test_a_status_card_reads_as_lines_with_numbered_buttons_and_menus() -> None:
    r = renderer()
    text = shown(r, r.message(message(STATUS_CARD), where="DM"))
    assert text.splitlines()[0] == "Paidup · DM"
    for line in ("  Acme Corporation", "  Amount due: £4,800.00 GBP + $10,310.00 USD", "  Owner: Rita Rep",
                 "  plain field", "  Open invoices", "  • INV-0003: £4,800.00 GBP, 45 days overdue",
                 "  From Xero, as of just now.  [xero]"):
        assert line in text.splitlines(), line
    assert "─" * 40 in text
    actions = text.splitlines()[-1]
    assert actions.startswith("  [1] Create invoice   [2] Share in channel   [3] Open in Xero ↗   ")
    assert "[4] Period  ▾ This month | Last month" in actions
    assert "[5] ⋯ Snooze 7 days | Mark promised" in actions
    assert "[6] 2026-12-01  date YYYY-MM-DD" in actions
    target = r.numbering.target(4)
    assert target is not None and (target.surface, target.block_id, target.action_id, target.in_input) == (
        ("message", "D0REP0001", "1700000000.000100"), "card_actions", "period", False)
    assert r.numbering.target(7) is None


def test_numbers_are_stable_while_an_element_is_shown_and_new_for_new_elements() -> None:
    r = renderer()
    shown(r, r.message(message(STATUS_CARD), where="DM"))
    updated = [*STATUS_CARD[:-1], {"type": "actions", "block_id": "card_actions", "elements": [
        {"type": "button", "action_id": "share", "text": plain("Share in channel")},
        {"type": "button", "action_id": "undo", "text": plain("Undo")}]}]
    text = shown(r, r.message(message(updated), where="DM", note="updated"))
    assert text.splitlines()[0] == "Paidup · DM · updated"
    assert "[2] Share in channel   [7] Undo" in text


def test_mrkdwn_mentions_links_escapes_code_quotes_and_emoji() -> None:
    r = renderer()
    blocks = [{"type": "section", "text": mrkdwn(
        "Approved by <@U0REP0001> in <#C0FINANCE> for <!here>: *<https://x.example|INV-0042>* "
        "&amp; `status <account>` ~old~ :white_check_mark: <!date^1700000000^{date}|Nov 14> <@U0NOBODY>\n"
        "&gt; quoted &lt;b&gt;\n```pre <x>```")}]
    text = shown(r, *r.blocks(blocks, ("message", "C", "1")))
    assert text.splitlines() == [
        "Approved by @Rita Rep in #finance for @here: INV-0042 & status <account> old ✅ Nov 14 @U0NOBODY",
        "│ quoted <b>",
        "pre <x>",
    ]


def test_plain_text_emoji_follow_the_emoji_flag() -> None:
    r = renderer()
    blocks = [{"type": "header", "text": plain(":tada: Paid")},
              {"type": "header", "text": plain(":tada: as typed", emoji=False)}]
    assert shown(r, *r.blocks(blocks, ("message", "C", "1"))).splitlines() == ["🎉 Paid", ":tada: as typed"]


def test_rich_text_lists_quotes_preformatted_and_inline_elements() -> None:
    r = renderer()
    block = {"type": "rich_text", "elements": [
        {"type": "rich_text_section", "elements": [
            {"type": "text", "text": "Hello ", "style": {"bold": True}}, {"type": "user", "user_id": "U0REP0001"},
            {"type": "text", "text": " see "}, {"type": "link", "url": "https://x.example", "text": "this"},
            {"type": "emoji", "name": "tada"}, {"type": "channel", "channel_id": "C0FINANCE"}]},
        {"type": "rich_text_list", "style": "ordered", "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "first"}]},
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "second"}]}]},
        {"type": "rich_text_list", "style": "bullet", "indent": 1, "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "nested"}]}]},
        {"type": "rich_text_quote", "elements": [{"type": "text", "text": "quoted"}]},
        {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "x = 1"}]},
    ]}
    assert shown(r, *r.blocks([block], ("message", "C", "1"))).splitlines() == [
        "Hello @Rita Rep see this🎉#finance", "1. first", "2. second", "  • nested", "│ quoted", "x = 1"]


def test_images_files_unknown_blocks_attachments_and_deleted_messages() -> None:
    r = renderer()
    blocks = [{"type": "image", "image_url": "https://x.example/chart.png", "alt_text": "Aging chart",
               "title": plain("Aging by bucket")},
              {"type": "section", "text": mrkdwn("with a picture"),
               "accessory": {"type": "image", "image_url": "https://x.example/a.png", "alt_text": "logo"}},
              {"type": "table_of_the_future"}]
    msg = message(blocks, attachments=[{"color": "good", "title": "Paid", "text": "INV-0042 is *paid*",
                                        "fields": [{"title": "Amount", "value": "$5,000.00"}]}],
                  files=[{"id": "F1", "title": "Aging", "name": "aging.csv", "pretty_type": "CSV", "size": 2048}])
    text = shown(r, r.message(msg, where="#finance"))
    for line in ("  🖼  Aging by bucket", "  with a picture", "    🖼  logo", "  (table_of_the_future block)",
                 "  ▌ Paid", "  ▌ INV-0042 is paid", "  ▌ Amount: $5,000.00", "  📎 Aging (aging.csv, CSV, 2 KB)"):
        assert line in text.splitlines(), line
    msg.deleted = True
    assert shown(r, r.message(msg, where="#finance")).splitlines() == ["Paidup · #finance", "  (message deleted)"]


def test_a_message_without_blocks_shows_its_text_and_ephemeral_is_said() -> None:
    r = renderer()
    msg = Message("C0FINANCE", "1.0", "*Done*: <@U0REP0001>", [], "U0PAIDUPBOT", ephemeral_for="U0REP0001")
    assert shown(r, r.message(msg, where="#finance")).splitlines() == [
        "Paidup · #finance · only visible to you", "  Done: @Rita Rep"]


FORM_BLOCKS = [
    {"type": "section", "text": mrkdwn("Invoice *Acme Corporation - Expansion 2027*")},
    {"type": "input", "block_id": "reference", "label": plain("Reference"), "hint": plain("Shown on the invoice"),
     "element": {"type": "plain_text_input", "action_id": "value", "initial_value": "PO-7781"}},
    {"type": "input", "block_id": "amount", "label": plain("Amount"),
     "element": {"type": "number_input", "action_id": "value", "is_decimal_allowed": True}},
    {"type": "input", "block_id": "due", "label": plain("Due date"), "optional": True,
     "element": {"type": "datepicker", "action_id": "value", "placeholder": plain("Pick a date")}},
    {"type": "input", "block_id": "currency", "label": plain("Currency"),
     "element": {"type": "static_select", "action_id": "value", "initial_option": option("USD"),
                 "option_groups": [{"label": plain("Common"), "options": [option("USD"), option("GBP")]},
                                   {"label": plain("Other"), "options": [option("EUR")]}]}},
    {"type": "input", "block_id": "contact", "label": plain("Xero contact"),
     "element": {"type": "external_select", "action_id": "value", "min_query_length": 1}},
    {"type": "input", "block_id": "tags", "label": plain("Tags"), "optional": True,
     "element": {"type": "multi_static_select", "action_id": "value", "options": [option("Renewal"), option("New")]}},
    {"type": "input", "block_id": "approver", "label": plain("Approver"),
     "element": {"type": "users_select", "action_id": "value", "initial_user": "U0REP0001"}},
    {"type": "input", "block_id": "send", "label": plain("Send"),
     "element": {"type": "checkboxes", "action_id": "value", "options": [option("Email it on approval")]}},
    {"type": "actions", "block_id": "lines", "elements": [
        {"type": "button", "action_id": "add_line", "text": plain("Add line")}]},
]


def test_a_modal_is_a_form_with_numbered_fields_values_hints_errors_and_its_buttons() -> None:
    r = renderer()
    definition = {"type": "modal", "callback_id": "invoice", "title": plain("Create invoice"),
                  "submit": plain("Create draft"), "close": plain("Cancel"), "blocks": FORM_BLOCKS}
    view = View("V0000000001", "U0REP0001", definition, "1.a", "V0000000001")
    view.values = {"amount": {"value": {"type": "number_input", "value": "14900.00"}},
                   "contact": {"value": {"type": "external_select", "selected_option": option("Acme Corporation")}}}
    view.errors = {"due": "The due date can't be in the past"}
    lines = [line.strip("│ ").rstrip() for line in shown(r, r.view(view, stack_depth=2)).splitlines()]
    assert lines[0].startswith("╭─ Create invoice (on top of 1 more)")
    body = [line for line in lines[1:-1] if line]
    assert body == [
        "Invoice Acme Corporation - Expansion 2027",
        "[1] Reference: PO-7781",
        "Shown on the invoice",
        "[2] Amount: 14900.00",
        "[3] Due date (optional): (Pick a date)  date YYYY-MM-DD",
        "⚠ The due date can't be in the past",
        "[4] Currency: USD",
        "▾ USD | GBP | EUR",
        "[5] Xero contact: Acme Corporation  ▾ search",
        "[6] Tags (optional): (empty)",
        "▾ Renewal | New",
        "[7] Approver: @Rita Rep  ▾ a person",
        "[8] Send: (empty)",
        "Email it on approval",
        "[9] Add line",
        "submit: Create draft  ·  close: Cancel",
    ]
    assert lines[-1].endswith("modal ─╯")
    field, button = r.numbering.target(4), r.numbering.target(9)
    assert field is not None and field.in_input and field.surface == ("view", "V0000000001")
    assert button is not None and not button.in_input and button.action_id == "add_line"


def test_a_home_tab_is_a_panel() -> None:
    r = renderer()
    home = View("V0000000002", "U0REP0001", {"type": "home", "blocks": STATUS_CARD[:2]}, "1.b", "V0000000002")
    text = shown(r, r.view(home))
    assert text.splitlines()[0].startswith("╭─ App Home")
    assert "Amount due: £4,800.00 GBP + $10,310.00 USD" in text


def test_the_rarer_form_fields_show_their_values() -> None:
    r = renderer()
    blocks = [
        {"type": "input", "block_id": "note", "label": plain("Note"), "element": {
            "type": "rich_text_input", "action_id": "v", "initial_value": {"type": "rich_text", "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": "Call "},
                                                          {"type": "user", "user_id": "U0REP0001"}]}]}}},
        {"type": "input", "block_id": "when", "label": plain("When"),
         "element": {"type": "datetimepicker", "action_id": "v", "initial_date_time": 1767225600}},
        {"type": "input", "block_id": "where", "label": plain("Where"),
         "element": {"type": "multi_channels_select", "action_id": "v", "initial_channels": ["C0FINANCE", "C0X"]}},
        {"type": "input", "block_id": "time", "label": plain("Time"),
         "element": {"type": "timepicker", "action_id": "v"}},
    ]
    lines = shown(r, *r.blocks(blocks, ("view", "V1"), values={"time": {"v": {"selected_time": "09:30"}}}))
    assert lines.splitlines() == [
        "[1] Note: Call @Rita Rep", "[2] When: 2026-01-01 00:00 UTC  date and time",
        "[3] Where: #finance, #C0X  ▾ a channel", "[4] Time: 09:30  time HH:MM"]
