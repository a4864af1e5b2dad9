"""The intent parser: many phrasings, Slack markup, and hostile text."""

from __future__ import annotations

import pytest

from bot.domain.intents import (
    EXAMPLES,
    MAX_QUERY_CHARS,
    HealthIntent,
    HelpIntent,
    InvoiceIntent,
    OverdueIntent,
    ReportIntent,
    StatusIntent,
    UnknownIntent,
    clean_chat_text,
    parse_intent,
)

PHRASINGS = [
    # status by name
    ("has Acme paid?", StatusIntent("Acme")),
    ("Has ACME paid yet??", StatusIntent("ACME")),
    ("acme", StatusIntent("acme")),
    ("status acme", StatusIntent("acme")),
    ("status Acme Corporation", StatusIntent("Acme Corporation")),
    ("Acme Corp paid yet?", StatusIntent("Acme Corp")),
    ("what does Initech owe?", StatusIntent("Initech")),
    ("how much does Initech owe us?", StatusIntent("Initech")),
    ("what's the status of Globex, Inc.?", StatusIntent("Globex, Inc")),
    ("what is the balance for Müller GmbH", StatusIntent("Müller GmbH")),
    ("did Hooli pay", StatusIntent("Hooli")),
    ("is Acme overdue?", StatusIntent("Acme")),
    ("what's overdue for acme", StatusIntent("acme")),
    ("Wayne Enterprises's balance", StatusIntent("Wayne Enterprises")),
    ("check O'Brien & Sons", StatusIntent("O'Brien & Sons")),
    ("paidup acme", StatusIntent("acme")),
    # invoice numbers win over names
    ("did Globex pay INV-0042?", StatusIntent("Globex", invoice_number="INV-0042")),
    ("INV-0042", StatusIntent("", invoice_number="INV-0042")),
    ("inv-0042 paid?", StatusIntent("", invoice_number="INV-0042")),
    ("status inv-0003", StatusIntent("", invoice_number="INV-0003")),
    ("has INV-0002 been paid", StatusIntent("", invoice_number="INV-0002")),
    ("invoice INV-0042", StatusIntent("", invoice_number="INV-0042")),
    # invoicing
    ("invoice", InvoiceIntent("")),
    ("invoice acme", InvoiceIntent("acme")),
    ("Invoice Acme Corporation - Expansion 2027", InvoiceIntent("Acme Corporation - Expansion 2027")),
    ("create an invoice for Globex", InvoiceIntent("Globex")),
    ("new invoice", InvoiceIntent("")),
    # overdue lists
    ("overdue", OverdueIntent("mine")),
    ("overdue for me", OverdueIntent("mine")),
    ("what's overdue", OverdueIntent("mine")),
    ("what's overdue?", OverdueIntent("mine")),
    ("my overdue invoices", OverdueIntent("mine")),
    ("overdue mine", OverdueIntent("mine")),
    ("overdue all", OverdueIntent("all")),
    ("show me everything overdue", OverdueIntent("all")),
    ("what is overdue for the team", OverdueIntent("all")),
    ("OVERDUE ALL", OverdueIntent("all")),
    # health and help
    ("health", HealthIntent()),
    ("sync status", HealthIntent()),
    ("Health?", HealthIntent()),
    ("help", HelpIntent()),
    ("", HelpIntent()),
    ("   ", HelpIntent()),
    ("?", HelpIntent()),
    ("what can you do?", HelpIntent()),
    ("status", HelpIntent()),
    # not understood
    ("hello", UnknownIntent("hello")),
    ("thanks!", UnknownIntent("thanks")),
    ("🚀🔥", UnknownIntent("🚀🔥")),
    ("?!...", HelpIntent()),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[p[0] or "empty" for p in PHRASINGS])
def test_phrasings(text: str, expected: object) -> None:
    assert parse_intent(text) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("<@U0REP0001> has Acme paid?", StatusIntent("Acme")),
    ("<@U0REP0001|rita> did Globex pay INV-0042?", StatusIntent("Globex", invoice_number="INV-0042")),
    ("has O'Brien &amp; Sons paid?", StatusIntent("O'Brien & Sons")),
    ("&lt;Acme&gt;", StatusIntent("Acme")),
    ("<!here> overdue all", OverdueIntent("all")),
    ("what about <https://acme.example|Acme Corporation>?", StatusIntent("Acme Corporation")),
    ("has\u200bAcme\u00a0paid?", StatusIntent("Acme")),
])
def test_slack_markup_and_escaping_are_removed(raw: str, expected: object) -> None:
    assert parse_intent(raw) == expected


@pytest.mark.parametrize("text", [
    "x' OR Name != '",
    "'; DROP TABLE sf_accounts; --",
    "a" * 5_000,
    "has " + "Acme " * 1_000 + "paid?",
    "שלום, האם Acme שילמו?",
    "مرحبا Acme",
    "😀" * 2_000,
    "\u202eemca\u202c",
    "<@U1>" * 1_000,
    "&amp;" * 1_000,
])
def test_hostile_text_gives_a_bounded_intent(text: str) -> None:
    intent = parse_intent(text)
    assert isinstance(intent, StatusIntent | UnknownIntent | HelpIntent)
    if isinstance(intent, StatusIntent):
        assert len(intent.query) <= MAX_QUERY_CHARS


def test_clean_chat_text_caps_and_collapses() -> None:
    assert clean_chat_text("  has   <@U1>  Acme\n\tpaid  ") == "has Acme paid"
    assert len(clean_chat_text("x" * 50_000)) <= 1_000


def test_the_help_examples_are_understood() -> None:
    kinds = [type(parse_intent(example)) for example in EXAMPLES]
    assert kinds == [StatusIntent, StatusIntent, StatusIntent, OverdueIntent, OverdueIntent, InvoiceIntent,
                     HealthIntent, ReportIntent]


@pytest.mark.parametrize(("text", "expected"), [
    ("report", ReportIntent("me", "this month")),
    ("report team last month", ReportIntent("team", "last month")),
    ("report all 2026-10", ReportIntent("all", "2026-10")),
    ("report me 2026-3", ReportIntent("me", "2026-03")),
    ("report for last month", ReportIntent("me", "last month")),
    ("show me the team report for this quarter", ReportIntent("team", "quarter")),
    ("Report Everyone Quarter", ReportIntent("all", "quarter")),
    ("report blah", ReportIntent("me", "this month", "I don't know 'blah' in a report request")),
    ("report team all", ReportIntent("team", "this month", "ask for one scope and one period at a time")),
    ("is the acme report ready?", StatusIntent("the acme report ready")),  # a name, not a report request
    ("overdue team", OverdueIntent("all")),
])
def test_report_requests(text: str, expected: object) -> None:
    assert parse_intent(text) == expected
