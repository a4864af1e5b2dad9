"""What a person asked, from plain language (DMs, @mentions) or `/paidup` text, as a typed intent.

    parse_intent("has Acme paid?")             == StatusIntent("Acme")
    parse_intent("did Globex pay INV-0042?")   == StatusIntent("Globex", invoice_number="INV-0042")
    parse_intent("overdue all")                == OverdueIntent("all")
    parse_intent("invoice acme")               == InvoiceIntent("acme")
    parse_intent("report team last month")     == ReportIntent("team", "last month")

Slack's HTML escaping (``&amp;`` ``&lt;`` ``&gt;``), user mentions (``<@U123>``) and link markup are
removed first; the text is capped so any length is cheap. A bare name is a status question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

MAX_INPUT_CHARS = 1_000  # anything longer is cut before matching
MAX_QUERY_CHARS = 120  # a company name or invoice number is never longer

OverdueScope = Literal["mine", "all"]
ReportScope = Literal["me", "team", "all"]

# What to show someone the parser did not understand; each parses to the intent it illustrates.
EXAMPLES = ("has Acme paid?", "did Globex pay INV-0042?", "what does Initech owe?", "overdue for me", "overdue all",
            "invoice acme", "health", "report for last month")


@dataclass(frozen=True)
class StatusIntent:
    query: str  # the account or contact name as typed ("" when only an invoice number was given)
    invoice_number: str | None = None  # wins over the name when both are given


@dataclass(frozen=True)
class InvoiceIntent:
    query: str  # an opportunity or account name; "" means "show my deals to invoice"


@dataclass(frozen=True)
class OverdueIntent:
    scope: OverdueScope


@dataclass(frozen=True)
class ReportIntent:
    scope: ReportScope = "me"
    period: str = "this month"  # "this month", "last month", "quarter" or "YYYY-MM" (checked by the report service)
    problem: str | None = None  # words that are neither a scope nor a period, to say so


@dataclass(frozen=True)
class HealthIntent:
    pass


@dataclass(frozen=True)
class HelpIntent:
    pass


@dataclass(frozen=True)
class UnknownIntent:
    text: str  # the cleaned text, for a "didn't understand" reply


Intent = StatusIntent | InvoiceIntent | OverdueIntent | ReportIntent | HealthIntent | HelpIntent | UnknownIntent

_MENTION = re.compile(r"<[@!#][^>\s]{0,80}>")  # <@U123>, <@U123|name>, <!here>, <#C123|general>
_LINK = re.compile(r"<(?:https?://|mailto:)[^>|\s]{0,500}(?:\|([^>]{0,200}))?>")
INVOICE_NUMBER = re.compile(r"(?<![\w-])([A-Za-z]{1,10}-?[0-9]{2,12})(?![\w-])")
_EDGE_PUNCTUATION = " \t\"'`“”‘’.,;:!?¿¡()[]{}<>*_~"

_HELP_WORDS = {"help", "?", "commands", "usage", "what can you do", "how does this work", "how do i use you"}
_GREETINGS = {"hi", "hello", "hey", "yo", "thanks", "thank you", "thx", "cheers", "ok", "okay", "good morning"}
_HEALTH_WORDS = {"health", "sync health", "sync status", "freshness", "is the sync ok", "is sync ok", "healthcheck"}
_ALL_WORDS = {"all", "everyone", "everybody", "team", "company", "whole team", "everything"}
_OVERDUE_FILLER = {
    "what", "what's", "whats", "is", "are", "show", "me", "list", "the", "any", "invoices", "invoice", "overdue",
    "past", "due", "late", "for", "of", "my", "mine", "i", "have", "do", "which", "please", "accounts", "deals",
}
_MINE_WORDS = {"me", "my", "mine", "i"}

# Question shapes around a name, tried in order; the name is what is left.
_LEADING = re.compile(
    r"^(?:(?:can you|could you|please|tell me|show me|check|look ?up|find|"
    r"what(?:'s| is) the (?:status|balance) (?:of|for)|status (?:of|for)|balance (?:of|for)|"
    r"how much (?:does|do|did)|what (?:does|do|did)|has|have|did|does|do|is|are|how(?:'s| is)|what about|about|"
    r"what(?:'s| is) overdue(?: for| at| with)?|overdue(?: for| at)?|for)\s+)+",
    re.IGNORECASE,
)
_TRAILING_WORDS = {
    "paid", "pay", "paying", "been", "owe", "owes", "owing", "still", "yet", "up", "us", "me", "already", "in", "full",
    "the", "their", "invoice", "invoices", "balance", "status", "anything", "any", "money", "now", "today", "overdue",
    "late",
}
_POSSESSIVE = re.compile(r"(?:'s|’s)$")


def clean_chat_text(text: str) -> str:
    """Slack markup and escaping removed, whitespace collapsed, length capped."""
    text = unicodedata.normalize("NFKC", text[: MAX_INPUT_CHARS * 2])
    text = _LINK.sub(lambda m: m.group(1) or "", text)
    text = _MENTION.sub(" ", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_INPUT_CHARS].strip()


def _trim(text: str) -> str:
    return text.strip(_EDGE_PUNCTUATION)


def parse_intent(text: str) -> Intent:
    """The intent of a message or `/paidup` text (see the module docstring for examples)."""
    cleaned = _trim(clean_chat_text(text))
    lowered = cleaned.casefold()
    if lowered.startswith("paidup "):
        cleaned, lowered = cleaned[7:].lstrip(), lowered[7:].lstrip()
    if not lowered or lowered in _HELP_WORDS or lowered.startswith("help "):
        return HelpIntent()
    first, _, rest = cleaned.partition(" ")
    command = first.casefold()
    if lowered in _HEALTH_WORDS or command == "health":
        return HealthIntent()
    if command == "status":
        return _status(_trim(rest)) if _trim(rest) else HelpIntent()
    if command == "invoice" or lowered.startswith(("create invoice", "create an invoice", "new invoice")):
        return _invoice(cleaned)
    report = _report(lowered, command)
    if report is not None:
        return report
    overdue = _overdue(lowered)
    if overdue is not None:
        return overdue
    if lowered in _GREETINGS:
        return UnknownIntent(cleaned)
    return _status(cleaned)


def _invoice(cleaned: str) -> Intent:
    rest = re.sub(r"^(?:create |new )?(?:an |a )?invoice\s*(?:for\s+)?", "", cleaned, flags=re.IGNORECASE)
    rest = _trim(rest)
    if INVOICE_NUMBER.fullmatch(rest):
        return StatusIntent("", invoice_number=rest.upper())
    return InvoiceIntent(rest[:MAX_QUERY_CHARS])


def _overdue(lowered: str) -> OverdueIntent | None:
    words = [_trim(w) for w in lowered.split()]
    if "overdue" not in words and "past due" not in lowered and "late invoices" not in lowered:
        return None
    leftover = [w for w in words if w and w not in _OVERDUE_FILLER and w not in _ALL_WORDS]
    if leftover:  # "is acme overdue?" asks about an account
        return None
    if any(w in _ALL_WORDS for w in words) or "whole team" in lowered:
        return OverdueIntent("all")
    return OverdueIntent("mine")


_REPORT_WORDS = {"report", "reports"}
_REPORT_FILLER = {"the", "a", "my", "for", "of", "in", "show", "give", "get", "send", "please", "what's", "whats",
                  "monthly", "sales", "revenue", "receivables", "numbers"}
_REPORT_SCOPES: dict[str, ReportScope] = {"me": "me", "mine": "me", "team": "team", "all": "all", "everyone": "all",
                                          "company": "all", "everything": "all", "whole": "all"}
_REPORT_PERIODS = re.compile(r"\b(this month|last month|(?:this |last )?quarter|\d{4}-\d{1,2})\b")


def _report(lowered: str, command: str) -> ReportIntent | None:
    """`report [me|team|all] [this month|last month|quarter|YYYY-MM]`, and "report for last month",
    "team report for 2026-10" in a DM; None when "report" is not what the text is about."""
    words = [_trim(w) for w in lowered.split()]
    if not _REPORT_WORDS & set(words):
        return None
    lowered = re.sub(r"\b(show|give|send|get|tell) me\b", r"\1", lowered)  # "show me the team report"
    periods = _REPORT_PERIODS.findall(lowered)
    rest = [t for w in _REPORT_PERIODS.sub(" ", lowered).split() if (t := _trim(w))]
    scopes = [_REPORT_SCOPES[w] for w in rest if w in _REPORT_SCOPES]
    leftover = [w for w in rest if w not in _REPORT_SCOPES and w not in _REPORT_FILLER and w not in _REPORT_WORDS]
    if leftover and command not in _REPORT_WORDS:
        return None  # "is the acme report ready?" is not a report request
    period = periods[0] if periods else "this month"
    if period == "last quarter":
        leftover.append(period)
    period = "quarter" if period.endswith("quarter") else period
    if re.fullmatch(r"\d{4}-\d", period):
        period = f"{period[:5]}0{period[5:]}"
    problem = None
    if leftover:
        problem = f"I don't know {' '.join(leftover)[:60]!r} in a report request"
    elif len(set(scopes)) > 1 or len(periods) > 1:
        problem = "ask for one scope and one period at a time"
    return ReportIntent(scopes[0] if scopes else "me", period, problem)


def _status(cleaned: str) -> Intent:
    found = INVOICE_NUMBER.search(cleaned)
    if found:
        name = _name_from_question(INVOICE_NUMBER.sub(" ", cleaned))
        return StatusIntent(name, invoice_number=found.group(1).upper())
    name = _name_from_question(cleaned) or _trim(cleaned)[:MAX_QUERY_CHARS]
    if not any(ch.isalnum() for ch in name):
        return UnknownIntent(cleaned[:MAX_QUERY_CHARS])
    return StatusIntent(name)


def _name_from_question(text: str) -> str:
    """"has Acme Corp paid yet?" → "Acme Corp": the question words around the name removed
    ("" when the text is only question words)."""
    text = _trim(" ".join(text.split()))
    lead = _LEADING.match(text)
    rest = text[lead.end():] if lead else text
    words = rest.split(" ")
    while words and _trim(words[-1]).casefold() in _TRAILING_WORDS:
        words.pop()
    name = _trim(" ".join(words))
    return _trim(_POSSESSIVE.sub("", name))[:MAX_QUERY_CHARS]
