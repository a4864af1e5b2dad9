"""The overdue digest as Slack messages: a summary (count, totals per currency, aging buckets),
then each owner and their invoices, worst offenders first, each invoice linked to Xero with a
menu: "Snooze 7 days", "Mark as promised to pay".

Pure: an ``OverdueDigest`` in, a list of messages out. The first is the digest; a long list
continues in its thread (each message within FACTS §6: 50 blocks, and far below the ~13k
characters Slack refuses in practice), and past ``THREAD_MESSAGES_MAX`` the rest is counted and
pointed at `/paidup overdue all`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.services.alerts.port import AllClear, OverdueDigest
from bot.services.overdue import OverdueInvoice, OwnerOverdue
from handlers.common.overdue_text import digest_text, title
from handlers.common.text import cut, money_list
from handlers.slack.blocks.status import mrkdwn_escape

FOLLOW_UP_ACTION = "overdue_follow_up"
SNOOZE, PROMISE = "snooze", "promise"
BLOCKS_MAX = 48  # of Slack's 50: room for the "continued in the thread" note
CHARACTERS_MAX = 11_000  # of the blocks' JSON: well under the ~13k characters Slack refuses
THREAD_MESSAGES_MAX = 5


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the notification text (and what screen readers read)
    blocks: list[dict[str, Any]]


def follow_up_value(kind: str, invoice_id: str) -> str:
    return f"{kind}|{invoice_id}"


def invoice_block(invoice: OverdueInvoice, n: int, promised: date | None = None) -> dict[str, Any]:
    number = mrkdwn_escape(invoice.number or "(no number)")
    linked = f"<{invoice.xero_url}|{number}>" if invoice.xero_url else number
    days = f"{invoice.days_overdue} day{'s' if invoice.days_overdue != 1 else ''}"
    text = (f"{linked} {mrkdwn_escape(cut(invoice.account_name, 80))}: {invoice.amount_due.formatted()} "
            f"{invoice.amount_due.currency}, *{days} overdue* (due {invoice.due_date.isoformat()})")
    if promised is not None:
        text += f" · promised by {promised.isoformat()}, not paid"
    options = [{"text": {"type": "plain_text", "text": "Snooze 7 days"},
                "value": follow_up_value(SNOOZE, invoice.invoice_id)},
               {"text": {"type": "plain_text", "text": "Mark as promised to pay"},
                "value": follow_up_value(PROMISE, invoice.invoice_id)}]
    return {"type": "section", "block_id": f"overdue_invoice_{n}", "text": {"type": "mrkdwn", "text": text},
            "accessory": {"type": "overflow", "action_id": FOLLOW_UP_ACTION, "options": options}}


def owner_block(group: OwnerOverdue, n: int) -> dict[str, Any]:
    count = f"{group.count} invoice{'s' if group.count != 1 else ''}"
    return _section(f"overdue_owner_{n}", f"*{mrkdwn_escape(group.owner_name)}* · {count} · "
                                          f"{money_list(group.totals)}")


def summary_blocks(digest: OverdueDigest) -> list[dict[str, Any]]:
    report = digest.report
    count = f"*{report.count} overdue invoice{'s' if report.count != 1 else ''}*: {money_list(report.totals)}"
    fields = [{"type": "mrkdwn", "text": cut(f"*{b.label} days*\n{b.count}" + (f" · {money_list(b.totals)}"
                                                                                 if b.count else ""), 2000)}
              for b in report.buckets]
    notes = [f"Worst first. Overdue: due before {digest.today.isoformat()}"
             + (f", at least {digest.min_days_overdue} days" if digest.min_days_overdue > 1 else "") + "."]
    if digest.hidden:
        notes.append(f"{digest.hidden} snoozed or promised to pay not shown.")
    if report.as_of is not None:
        notes.append(f"From Xero as of {report.as_of.strftime('%Y-%m-%d %H:%M')} UTC.")
    return [{"type": "header", "block_id": "overdue_title", "text": {"type": "plain_text", "text": title(digest)}},
            {"type": "section", "block_id": "overdue_summary", "text": {"type": "mrkdwn", "text": count},
             "fields": fields},
            {"type": "context", "block_id": "overdue_notes", "elements": [{"type": "mrkdwn", "text": " ".join(notes)}]}]


def _items(digest: OverdueDigest) -> list[tuple[str, OwnerOverdue | OverdueInvoice]]:
    items: list[tuple[str, OwnerOverdue | OverdueInvoice]] = []
    for group in digest.report.groups:
        if digest.owner_name is None:
            items.append(("owner", group))
        items += [("invoice", invoice) for invoice in group.invoices]
    return items


def _size(block: dict[str, Any]) -> int:
    return len(json.dumps(block, ensure_ascii=False))  # the block as sent, menu and all


def digest_messages(digest: OverdueDigest) -> list[SlackMessage]:
    """The digest and its continuations (thread replies), each within Slack's limits."""
    pages: list[list[dict[str, Any]]] = [summary_blocks(digest)]
    chars = sum(_size(b) for b in pages[0])
    owners = invoices = 0
    left = digest.report.count
    for kind, item in _items(digest):
        if isinstance(item, OwnerOverdue):
            block = owner_block(item, owners)
            owners += 1
        else:
            block = invoice_block(item, invoices, digest.missed_promises.get(item.invoice_id))
            invoices += 1
        if len(pages[-1]) >= BLOCKS_MAX or chars + _size(block) > CHARACTERS_MAX:
            if len(pages) > THREAD_MESSAGES_MAX:
                break
            pages.append([])
            chars = 0
        pages[-1].append(block)
        chars += _size(block)
        left -= kind == "invoice"
    text = digest_text(digest)
    messages = []
    for n, blocks in enumerate(pages):
        last = n == len(pages) - 1
        if not last:
            blocks.append(_context(f"overdue_more_{n}", "Continued in the thread." if n == 0 else "Continued below."))
        elif left:
            blocks.append(_context(f"overdue_more_{n}", f"…and {left} more overdue invoices not listed: "
                                                        "`/paidup overdue all` lists them by owner."))
        messages.append(SlackMessage(text if n == 0 else f"{text} (continued)", blocks))
    return messages


def all_clear_message(clear: AllClear) -> SlackMessage:
    text = f"All clear: nothing is overdue today ({clear.today.isoformat()})."
    if clear.hidden:
        text += f" {clear.hidden} overdue invoice{'s are' if clear.hidden != 1 else ' is'} snoozed or promised to pay."
    return SlackMessage(text, [_section("overdue_all_clear", f":white_check_mark: {text}")])


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": cut(text, 3000)}}


def _context(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "context", "block_id": block_id, "elements": [{"type": "mrkdwn", "text": text}]}
