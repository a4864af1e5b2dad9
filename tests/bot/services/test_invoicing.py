"""The invoicing service without any chat attached (the port's no-op notifier), and its pure parts:
Xero-style totals, due dates from payment terms, where a Xero message belongs, approver groups."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal

import pytest

from bot.app import Paidup
from bot.config import ApprovalsConfig
from bot.services.invoicing import Approvers, InvoiceInput, LineInput
from bot.services.invoicing.form import due_date
from bot.services.invoicing.totals import compute
from bot.services.invoicing.validate import field_for_xero_message
from bot.services.people import ChatProfile
from bot.store.mirror import XeroContact
from integrations import demo_data as demo

REP, FINANCE = "U0REP0001", "U0FINANCE1"
RATES = {"OUTPUT": Decimal("10"), "TAX001": Decimal("20"), "NONE": Decimal("0")}


def lookup(user_id: str) -> ChatProfile | None:
    person = next((u for u in demo.USERS if u.slack_id == user_id), None)
    return ChatProfile(person.email, person.name) if person else None


def line(key: str, quantity: str, unit: str, discount: str | None = None, tax: str = "OUTPUT") -> LineInput:
    return LineInput(key, "x", Decimal(quantity), Decimal(unit), Decimal(discount) if discount else None, "200", tax)


def test_totals_round_per_line_as_xero_does() -> None:
    lines = [line("a", "3", "33.335"), line("b", "1", "99.99", "12.5", "TAX001"), line("c", "2", "10", tax="NONE")]
    exclusive = compute(lines, "USD", "Exclusive", RATES)
    assert [t.line_amount for t in exclusive.lines] == [Decimal("100.01"), Decimal("87.49"), Decimal("20.00")]
    assert [t.tax_amount for t in exclusive.lines] == [Decimal("10.00"), Decimal("17.50"), Decimal("0.00")]
    assert (exclusive.sub_total, exclusive.total_tax, exclusive.total) == (Decimal("207.50"), Decimal("27.50"),
                                                                           Decimal("235.00"))
    assert exclusive.total_discount == Decimal("12.50")
    inclusive = compute(lines, "USD", "Inclusive", RATES)
    assert [t.tax_amount for t in inclusive.lines] == [Decimal("9.09"), Decimal("14.58"), Decimal("0.00")]
    assert (inclusive.sub_total, inclusive.total) == (Decimal("183.83"), Decimal("207.50"))
    assert compute(lines, "USD", "NoTax", RATES).total_tax == Decimal("0.00")


@pytest.mark.parametrize(("days", "kind", "expected"), [
    (None, None, date(2026, 2, 27)),  # xero.due_days = 30
    (14, "DAYSAFTERBILLDATE", date(2026, 2, 11)),
    (10, "DAYSAFTERBILLMONTH", date(2026, 2, 10)),
    (31, "OFCURRENTMONTH", date(2026, 1, 31)),
    (31, "OFFOLLOWINGMONTH", date(2026, 2, 28)),  # clamped to the month
])
def test_due_date_from_payment_terms(days: int | None, kind: str | None, expected: date) -> None:
    contact = XeroContact(id="c", name="c", name_key="c", sales_terms_days=days, sales_terms_type=kind)
    assert due_date(date(2026, 1, 28), contact, 30) == expected


def test_xero_messages_land_on_their_fields() -> None:
    form = InvoiceInput("006", "c", "USD", date(2026, 1, 1), date(2026, 2, 1), "ref",
                        [LineInput("l1", "x", Decimal(1), Decimal(1), None, "200", "OUTPUT"),
                         LineInput("l2", "y", Decimal(1), Decimal(1), None, "999", "OUTPUT")])
    assert field_for_xero_message("Account code '999' is not a valid code for this document.", form) == \
        "line:l2:account_code"
    assert field_for_xero_message("The contact 'Acme' is archived and cannot be used", form) == "contact"
    assert field_for_xero_message("Organisation is not subscribed to currency CHF", form) == "currency"
    assert field_for_xero_message("The document date cannot be before the end of year lock date", form) == \
        "invoice_date"
    assert field_for_xero_message("Something else entirely", form) == "form"


class Groups:
    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members, self.calls = members, 0

    def group_members(self, group_id: str) -> Collection[str]:
        self.calls += 1
        if group_id not in self.members:
            raise RuntimeError("no_such_subteam")
        return self.members[group_id]


def test_approver_groups_are_cached_and_a_failed_lookup_keeps_the_last_answer() -> None:
    now = [0.0]
    groups = Groups({"S0FIN": ["U0GROUP1"]})
    approvers = Approvers(ApprovalsConfig(approvers=["U0FINANCE1"], approver_groups=["S0FIN"]), lambda: groups,
                          cache_seconds=60, clock=lambda: now[0])
    assert approvers.is_approver("U0FINANCE1") and groups.calls == 0
    assert approvers.is_approver("U0GROUP1") and not approvers.is_approver("U0OTHER1") and groups.calls == 1
    now[0] = 61
    groups.members = {}  # Slack says no now
    assert approvers.is_approver("U0GROUP1") and groups.calls == 2  # the last known members still count
    fresh = Approvers(ApprovalsConfig(approver_groups=["S0FIN"]), lambda: groups)
    assert not fresh.is_approver("U0GROUP1")  # never known: nobody


def test_the_service_works_with_no_chat_attached(paidup: Paidup) -> None:
    service = paidup.invoicing
    assert paidup.settings.slack_bot_token is None  # NoNotifier: nothing is posted anywhere
    acme = demo.OPPORTUNITIES[0]
    outcome = service.form_for(acme.id, REP, lookup)
    assert outcome.form is not None and outcome.form.totals.total == Decimal("16390.00")
    submitted = service.submit(REP, outcome.form.input, "cli-1")
    assert submitted.ok and submitted.draft is not None and submitted.draft.status == "awaiting_approval"
    assert submitted.draft.approval_message is None
    assert service.approve(submitted.draft.id, REP).code == "not_allowed"
    approved = service.approve(submitted.draft.id, FINANCE)
    assert approved.ok and approved.draft is not None and approved.draft.xero_invoice_number
    again = service.approve(submitted.draft.id, FINANCE)
    assert again.code == "already_decided" and "already approved" in again.message
    assert service.form_for(acme.id, REP, lookup).message == (
        f"“{acme.name}” is already invoiced: {approved.draft.xero_invoice_number}.")


def test_what_cannot_be_invoiced_says_why(paidup: Paidup) -> None:
    service = paidup.invoicing
    open_deal, muller = demo.OPPORTUNITIES[6], demo.OPPORTUNITIES[2]
    assert "is not closed-won (Negotiation/Review)" in (service.form_for(open_deal.id, FINANCE, lookup).message or "")
    assert service.form_for(muller.id, REP, lookup).message == "Only the opportunity's owner or finance can invoice it."
    assert service.form_for("006000000000000AAA", REP, lookup).message == \
        "That opportunity is not in Paidup's copy of Salesforce."
    assert service.picker("U0NOBODY1", "", lambda user: None).message.startswith("I can't tell who you are")
