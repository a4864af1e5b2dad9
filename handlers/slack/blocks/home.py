"""The App Home view: the viewer's overdue invoices, uninvoiced closed-won deals, drafts waiting for
approval, the approval queue for approvers, sync freshness, then the help. Pure: ``HomeData`` and
``now`` in, a "home" view out (Slack's limit is 100 blocks; this stays far below it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.services.home import HomeData, Listed, UninvoicedDeal, WaitingDraft
from handlers.common.overdue_text import UNMAPPED
from handlers.common.text import HEADER_MAX, SOURCE_NAMES, cut, minutes_ago, money_list
from handlers.slack.blocks.help import help_blocks
from handlers.slack.blocks.overdue import overdue_line
from handlers.slack.blocks.status import CREATE_INVOICE_ACTION, SECTION_MAX, mrkdwn_escape

BLOCKS_MAX = 100
INVOICE_BUTTONS = 3


def home_view(command: str, home: HomeData | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The home tab; without ``home`` (the service is not built) just the help, so it is never blank."""
    blocks = home_blocks(home, now) if home is not None and now is not None else []
    blocks = [*blocks, *help_blocks(command)][:BLOCKS_MAX]
    return {"type": "home", "callback_id": "paidup_home", "blocks": blocks}


def home_blocks(home: HomeData, now: datetime) -> list[dict[str, Any]]:
    title = f"Paidup for {home.who}" if home.who else "Paidup"
    blocks: list[dict[str, Any]] = [_header("home_title", cut(title, HEADER_MAX))]
    if home.overdue is None:
        blocks.append(_section("home_unmapped", unmapped_text(home)))
    else:
        blocks += _overdue(home)
        blocks += _deals(home.deals)
    if home.my_drafts.count:
        blocks += _drafts("home_my_drafts", "My drafts waiting for approval", home.my_drafts, with_requester=False)
    if home.approval_queue is not None:
        blocks += _drafts("home_approvals", "Approval queue", home.approval_queue, with_requester=True,
                          empty="Nothing waiting for approval.")
    blocks.append({"type": "context", "block_id": "home_freshness",
                   "elements": [{"type": "mrkdwn", "text": freshness_text(home, now)}]})
    blocks.append({"type": "divider", "block_id": "home_help_divider"})
    return blocks


def unmapped_text(home: HomeData) -> str:
    mapping = home.mapping
    text = UNMAPPED.get(mapping.outcome, UNMAPPED["no_match"]).format(email=mapping.email or "")
    return (f"{text}\nSo this page can't show your overdue invoices or your deals yet; ask a Paidup admin "
            f"to check your Salesforce user's email address.")


def freshness_text(home: HomeData, now: datetime) -> str:
    return " · ".join(f"{SOURCE_NAMES.get(f.source, f.source)}: {minutes_ago(f.as_of, now)}" for f in home.freshness)


def _overdue(home: HomeData) -> list[dict[str, Any]]:
    report = home.overdue
    assert report is not None
    blocks = [_header("home_overdue_title", "My overdue invoices")]
    if not report.count:
        return [*blocks, _section("home_overdue", "Nothing is overdue. :tada:")]
    invoices = [i for group in report.groups for i in group.invoices]
    lines = [f"*{report.count} overdue*: {money_list(report.totals)}", *(overdue_line(i) for i in invoices)]
    rest = report.count - len(invoices)
    if rest:
        lines.append(f"…and {rest} more: `/paidup overdue mine`")
    return [*blocks, _section("home_overdue", "\n".join(lines))]


def deal_line(deal: UninvoicedDeal) -> str:
    amount = f"{deal.amount.formatted()} {deal.amount.currency}" if deal.amount else "no amount"
    closed = f"closed {deal.close_date.isoformat()}" if deal.close_date else "no close date"
    account = f" ({mrkdwn_escape(cut(deal.account_name, 60))})" if deal.account_name else ""
    return f"• {mrkdwn_escape(cut(deal.name, 120))}{account}: {amount}, {closed}"


def _deals(deals: Listed[UninvoicedDeal]) -> list[dict[str, Any]]:
    blocks = [_header("home_deals_title", "My closed-won deals not invoiced yet")]
    if not deals.count:
        return [*blocks, _section("home_deals", "Every closed-won deal of yours is invoiced.")]
    lines = [deal_line(d) for d in deals.items]
    if deals.more:
        lines.append(f"…and {deals.more} more")
    return [*blocks, _section("home_deals", "\n".join(lines)), _invoice_buttons(deals)]


def _invoice_buttons(deals: Listed[UninvoicedDeal]) -> dict[str, Any]:
    """"Create invoice" per deal (the first few) and one for any deal: each opens the invoice modal."""
    buttons = []
    for n, deal in enumerate(deals.items[:INVOICE_BUTTONS]):
        action_id = CREATE_INVOICE_ACTION if n == 0 else f"{CREATE_INVOICE_ACTION}_{n}"
        buttons.append({"type": "button", "action_id": action_id,
                        "text": {"type": "plain_text", "text": cut(f"Create invoice: {deal.name}", 75)},
                        "value": deal.opportunity_id})
    buttons.append({"type": "button", "action_id": f"{CREATE_INVOICE_ACTION}_{len(buttons)}",
                    "text": {"type": "plain_text", "text": "Invoice another deal…"}, "value": "q:"})
    return {"type": "actions", "block_id": "home_deal_actions", "elements": buttons}


def draft_line(draft: WaitingDraft, with_requester: bool) -> str:
    who = f" for <@{draft.requested_by}>" if with_requester else ""
    account = mrkdwn_escape(cut(draft.account_name, 60)) if draft.account_name else "(no account)"
    return (f"• Draft {draft.draft_id}{who}: {account}, {draft.total.formatted()} {draft.total.currency} "
            f"({draft.status.replace('_', ' ')} since {draft.since.date().isoformat()})")


def _drafts(block_id: str, title: str, drafts: Listed[WaitingDraft], *, with_requester: bool,
            empty: str = "") -> list[dict[str, Any]]:
    blocks = [_header(f"{block_id}_title", title)]
    lines = [draft_line(d, with_requester) for d in drafts.items] or [empty]
    if drafts.more:
        lines.append(f"…and {drafts.more} more")
    return [*blocks, _section(block_id, "\n".join(lines))]


def _header(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "header", "block_id": block_id, "text": {"type": "plain_text", "text": text}}


def _section(block_id: str, text: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": cut(text, SECTION_MAX)}}
