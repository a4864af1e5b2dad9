"""Sync health: freshness and quota per source, the last error, open failures, unlinked and
duplicate records, stuck drafts (the same content as Slack's `/paidup health`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from microsoft_teams.cards import AdaptiveCard, Fact, FactSet, TextBlock

from bot.services.health import Health, SourceHealth
from handlers.common.health_text import health_text, is_stale, quota_text
from handlers.common.text import SOURCE_NAMES, cut, minutes_ago
from handlers.teams.cards.common import CardReply, card_content, plain

ERROR_SHOWN_MAX = 300
DUPLICATES_SHOWN = 5


def source_blocks(source: SourceHealth, now: datetime, stale_after: timedelta) -> list[Any]:
    name = SOURCE_NAMES.get(source.source, source.source)
    mark = "⚠️" if is_stale(source, now, stale_after) or source.last_error else "✅"
    synced = minutes_ago(source.last_success, now).replace("as of ", "last good sync ")
    failures = f"{source.open_failures} open failure{'s' if source.open_failures != 1 else ''}"
    blocks: list[Any] = [TextBlock(text=f"{mark} **{name}**: {synced}; {failures}; {quota_text(source.quota)}",
                                   wrap=True)]
    if source.last_error:
        kind = f" ({plain(source.last_error_kind)})" if source.last_error_kind else ""
        blocks.append(TextBlock(text=f"Last run failed{kind}: {plain(cut(source.last_error, ERROR_SHOWN_MAX))}",
                                wrap=True, color="Attention", spacing="None"))
    return blocks


def linking_facts(report: Health) -> FactSet:
    facts = [Fact(title="Salesforce accounts without a Xero contact", value=str(report.unlinked_accounts)),
             Fact(title="Xero contacts with open invoices and no account",
                  value=str(report.unlinked_contacts_with_open_invoices)),
             Fact(title="Link suggestions to review", value=str(report.open_suggestions)),
             Fact(title="Duplicates", value=str(len(report.duplicates))),
             Fact(title="Invoice drafts waiting over an hour", value=str(len(report.stuck_drafts)))]
    return FactSet(facts=facts)


def health_reply(report: Health, now: datetime, stale_after: timedelta) -> CardReply:
    body: list[Any] = [TextBlock(text="Paidup health", size="Large", weight="Bolder", wrap=True)]
    for source in report.sources:
        body += source_blocks(source, now, stale_after)
    if not report.sources:
        body.append(TextBlock(text="No sources configured.", wrap=True))
    body += [TextBlock(text="Linking", weight="Bolder", wrap=True, spacing="Medium"), linking_facts(report)]
    for dup in report.duplicates[:DUPLICATES_SHOWN]:
        side = "Salesforce account" if dup.side == "salesforce" else "Xero contact"
        body.append(TextBlock(text=f"Duplicate: {side} {plain(dup.record_id)} is linked to {len(dup.linked_ids)} "
                              "records", wrap=True, spacing="None"))
    body.append(TextBlock(text=f"Figures older than {int(stale_after.total_seconds() // 60)} min are stale. "
                          "“paidup sync” shows details and retries failures.", wrap=True, is_subtle=True,
                          size="Small"))
    text = health_text(report, now, stale_after)
    return CardReply(text, card_content(AdaptiveCard(body=body, fallback_text=text)))
