"""`/paidup health`: freshness per source, open failures, unlinked and duplicate records, link
suggestions waiting, stuck drafts, API quota left. Pure: a ``Health`` and ``now`` in, blocks out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.services.health import Health, SourceHealth
from handlers.common.health_text import is_stale, quota_text
from handlers.common.text import SOURCE_NAMES, cut, minutes_ago
from handlers.slack.blocks.status import mrkdwn_escape

ERROR_SHOWN_MAX = 300
DUPLICATES_SHOWN = 5


def source_text(source: SourceHealth, now: datetime, stale_after: timedelta) -> str:
    name = SOURCE_NAMES.get(source.source, source.source)
    mark = ":warning:" if is_stale(source, now, stale_after) or source.last_error else ":white_check_mark:"
    synced = minutes_ago(source.last_success, now).replace("as of ", "last good sync ")
    lines = [f"{mark} *{name}*: {synced}; {source.open_failures} open failure"
             f"{'s' if source.open_failures != 1 else ''}; {quota_text(source.quota)}"]
    if source.last_error:
        kind = f" ({mrkdwn_escape(source.last_error_kind)})" if source.last_error_kind else ""
        lines.append(f"Last run failed{kind}: {mrkdwn_escape(cut(source.last_error, ERROR_SHOWN_MAX))}")
    return "\n".join(lines)


def linking_text(report: Health) -> str:
    lines = [f"• {report.unlinked_accounts} Salesforce account{'s' if report.unlinked_accounts != 1 else ''} "
             "not linked to a Xero contact",
             f"• {report.unlinked_contacts_with_open_invoices} Xero contact"
             f"{'s' if report.unlinked_contacts_with_open_invoices != 1 else ''} with open invoices and no account",
             f"• {report.open_suggestions} link suggestion{'s' if report.open_suggestions != 1 else ''} to review"]
    for dup in report.duplicates[:DUPLICATES_SHOWN]:
        side = "Salesforce account" if dup.side == "salesforce" else "Xero contact"
        lines.append(f"• Duplicate: {side} {mrkdwn_escape(dup.record_id)} is linked to {len(dup.linked_ids)} records")
    if len(report.duplicates) > DUPLICATES_SHOWN:
        lines.append(f"• …and {len(report.duplicates) - DUPLICATES_SHOWN} more duplicates")
    if report.stuck_drafts:
        lines.append(f"• {len(report.stuck_drafts)} invoice draft{'s' if len(report.stuck_drafts) != 1 else ''} "
                     "waiting for over an hour")
    return cut("*Linking*\n" + "\n".join(lines), 3000)


def health_blocks(report: Health, now: datetime, stale_after: timedelta) -> list[dict[str, Any]]:
    sources = "\n".join(source_text(s, now, stale_after) for s in report.sources) or "No sources configured."
    hint = (f"Figures older than {int(stale_after.total_seconds() // 60)} min are stale. "
            "`paidup sync` shows details and retries failures.")
    return [
        {"type": "header", "block_id": "health_title", "text": {"type": "plain_text", "text": "Paidup health"}},
        {"type": "section", "block_id": "health_sources", "text": {"type": "mrkdwn", "text": cut(sources, 3000)}},
        {"type": "section", "block_id": "health_linking", "text": {"type": "mrkdwn", "text": linking_text(report)}},
        {"type": "context", "block_id": "health_hint", "elements": [{"type": "mrkdwn", "text": hint}]},
    ]
