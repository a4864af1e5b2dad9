"""The overdue answer's and the overdue digest's words in both chats: titles, the notification
text, the aging buckets line, and why "mine" finds no Salesforce user."""

from __future__ import annotations

from bot.services.alerts.port import OverdueDigest
from bot.services.overdue import BucketTotal, OverdueReport
from handlers.common.text import HEADER_MAX, cut, money_list

UNMAPPED = {
    "no_email": "Slack doesn't share your email address with Paidup (the app needs the users:read.email scope), "
                "so I can't tell which Salesforce user you are.",
    "no_match": "No Salesforce user has your Slack email address ({email}), so I can't tell which invoices are "
                "yours.",
    "several": "Several active Salesforce users share your email address ({email}); ask an admin to fix that.",
    "inactive": "The Salesforce user with your email address ({email}) is inactive.",
}  # in Slack's words: Teams says "Teams" and leaves out the scope (handlers.teams.report.unmapped_text)


def buckets_line(buckets: list[BucketTotal]) -> str:
    return " · ".join(f"{b.label} days: {b.count}" + (f" ({money_list(b.totals)})" if b.count else "")
                      for b in buckets)


def overdue_title(report: OverdueReport, who: str | None) -> str:
    if report.scope == "mine":
        return cut(f"Overdue for {who}" if who else "Your overdue invoices", HEADER_MAX)
    return "Overdue invoices, everyone"


def overdue_text(report: OverdueReport, who: str | None = None) -> str:
    if not report.count:
        return f"{overdue_title(report, who)}: nothing overdue."
    return f"{overdue_title(report, who)}: {report.count} invoices, {money_list(report.totals)}"


def title(digest: OverdueDigest) -> str:
    """The digest's title."""
    day = digest.today.strftime("%a %-d %b %Y")
    who = f"Your overdue invoices ({digest.owner_name})" if digest.owner_name else "Overdue invoices"
    return cut(f"{who} · {day}", HEADER_MAX)


def digest_text(digest: OverdueDigest) -> str:
    return f"{title(digest)}: {digest.report.count} invoices, {money_list(digest.report.totals)}"
