"""Seed the sandbox org from ``integrations.demo_data`` and generate bulk data for benchmarks.

Demo records keep their deterministic ids; close dates are relative to the state's ``today``.
Opportunities that already have an invoice get the write-back fields filled (number, Xero URL,
status). In a single-currency org every amount is in the org currency.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from integrations import demo_data as demo
from integrations.salesforce.sandbox.derived import derive_line_item
from integrations.salesforce.sandbox.schema import STAGES
from integrations.salesforce.sandbox.state import SalesforceState

ORG_ID = demo.sf_id("00D", 1)
STANDARD_PRICEBOOK_ID = demo.sf_id("01s", 1)
XERO_INVOICE_URL = "https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID={}"
_LIST_PRICES = {"PLAT-ANNUAL": Decimal("12000.00"), "SEAT": Decimal("240.00"), "ONBOARD": Decimal("2500.00"),
                "CUSTOM-INT": Decimal("360.00")}


def seed_demo(state: SalesforceState, org_name: str = "Paidup Demo Ltd") -> None:
    state.bulk_load("Organization", [{"Id": ORG_ID, "Name": org_name, "DefaultCurrencyIsoCode": state.org_currency}])
    state.bulk_load("User", [_user(u) for u in demo.USERS])
    state.bulk_load("Account", [_account(a) for a in demo.ACCOUNTS_SF])
    state.bulk_load("Contact", [_contact(c) for c in demo.CONTACTS_XERO if c.key in demo.SF_ACCOUNT])
    state.bulk_load("Product2", [{"Id": p.id, "Name": p.name, "ProductCode": p.product_code, "IsActive": True,
                                  "Description": p.name} for p in demo.PRODUCTS])
    products = {p.product_code: state.lookup("Product2", p.id) for p in demo.PRODUCTS}
    opportunities, lines = [], []
    for opp in demo.OPPORTUNITIES:
        opp_lines = [_line(opp, i, line, products[line.product]) for i, line in enumerate(opp.lines)]
        opportunities.append(_opportunity(state, opp, opp_lines))
        lines.extend(opp_lines)
    state.bulk_load("Opportunity", opportunities)
    state.bulk_load("OpportunityLineItem", lines)


def _user(user: demo.DemoUser) -> dict[str, Any]:
    first, _, last = user.name.partition(" ")
    return {"Id": user.id, "Username": user.email, "Name": user.name, "FirstName": first, "LastName": last,
            "Email": user.email, "IsActive": user.is_active}


def _account(account: demo.DemoAccount) -> dict[str, Any]:
    row: dict[str, Any] = {"Id": account.id, "Name": account.name, "OwnerId": account.owner.id,
                           "Website": account.website, "AccountNumber": account.account_number,
                           "Phone": account.phone, "Type": "Customer"}
    if account.billing:
        b = account.billing
        row |= {"BillingStreet": b.street, "BillingCity": b.city, "BillingState": b.state or None,
                "BillingPostalCode": b.postal_code, "BillingCountry": b.country}
    return row


def _contact(contact: demo.DemoContact) -> dict[str, Any]:
    account = demo.SF_ACCOUNT[contact.key]
    return {"Id": demo.sf_id("003", demo.ACCOUNTS_SF.index(account) + 1), "AccountId": account.id,
            "FirstName": "Accounts", "LastName": "Payable", "Name": "Accounts Payable", "Email": contact.email,
            "OwnerId": account.owner.id}


def _line(opp: demo.DemoOpportunity, index: int, line: demo.DemoOppLine, product: Any) -> dict[str, Any]:
    row = {"Id": demo.sf_id("00k", opp.n * 10 + index + 1), "OpportunityId": opp.id,
           "Product2Id": product["Id"], "PricebookEntryId": demo.sf_id("01u", demo.PRODUCTS.index(
               demo.PRODUCT[line.product]) + 1), "Quantity": line.quantity, "UnitPrice": line.unit_price,
           "ListPrice": _LIST_PRICES.get(line.product, line.unit_price), "Discount": line.discount,
           "Description": line.description, "SortOrder": index + 1, "CurrencyIsoCode": opp.currency}
    derive_line_item(row, product)
    return row


def _opportunity(state: SalesforceState, opp: demo.DemoOpportunity, lines: list[dict[str, Any]]) -> dict[str, Any]:
    name, probability, forecast, closed, won = STAGES[opp.stage.lower()]
    amount = sum((line["TotalPrice"] for line in lines), Decimal("0.00")) if lines else opp.amount
    row: dict[str, Any] = {
        "Id": opp.id, "Name": opp.name, "AccountId": demo.SF_ACCOUNT[opp.account].id, "OwnerId": opp.owner.id,
        "StageName": name, "IsClosed": closed, "IsWon": won, "ForecastCategoryName": forecast,
        "Probability": Decimal(probability), "CloseDate": state.today + timedelta(days=opp.close_in_days),
        "Amount": amount, "Type": "New Business", "Pricebook2Id": STANDARD_PRICEBOOK_ID if lines else None,
        "HasOpportunityLineItem": bool(lines), "CurrencyIsoCode": opp.currency}
    if opp.invoice_number:
        invoice = next(i for i in demo.INVOICES if i.number == opp.invoice_number)
        row |= {"Xero_Invoice_Number__c": invoice.number, "Xero_Invoice_URL__c": XERO_INVOICE_URL.format(invoice.id),
                "Xero_Invoice_Status__c": invoice.status}
    if not state.multi_currency:
        row.pop("CurrencyIsoCode")
        for line in lines:
            line.pop("CurrencyIsoCode", None)
    return row


def generate(state: SalesforceState, accounts: int, opportunities: int, lines_per_opportunity: int = 2,
             seed: int = 0) -> dict[str, int]:
    """Add ``accounts`` accounts and ``opportunities`` opportunities (spread over the new accounts, or the
    existing ones), each with ``lines_per_opportunity`` line items. Fast enough for 50,000 deals."""
    rng = random.Random(seed)
    with state.lock:
        owners = [u["Id"] for u in state.rows("User", False) if u.get("IsActive")]
        products = list(state.rows("Product2", False))
        new_accounts = [{"Id": state.new_id("Account"), "Name": f"Generated Account {n:05d}",
                         "OwnerId": rng.choice(owners), "BillingCountry": rng.choice(["United States", "Germany"]),
                         "Website": f"https://generated-{n:05d}.example", "Type": "Customer"}
                        for n in range(1, accounts + 1)]
        state.bulk_load("Account", new_accounts)
        account_ids = [a["Id"] for a in new_accounts] or [a["Id"] for a in state.rows("Account", False)]
        opps, lines = [], []
        for n in range(1, opportunities + 1):
            opp, opp_lines = _generated_opportunity(state, rng, n, account_ids, owners, products,
                                                    lines_per_opportunity)
            opps.append(opp)
            lines.extend(opp_lines)
        state.bulk_load("Opportunity", opps)
        state.bulk_load("OpportunityLineItem", lines)
    return {"accounts": len(new_accounts), "opportunities": len(opps), "line_items": len(lines)}


def _generated_opportunity(state: SalesforceState, rng: random.Random, n: int, account_ids: list[str],
                           owners: list[str], products: list[dict[str, Any]],
                           line_count: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    stage = STAGES[rng.choice(["prospecting", "negotiation/review", "closed won", "closed won", "closed lost"])]
    currency = rng.choice(["USD", "USD", "EUR", "GBP"]) if state.multi_currency else state.org_currency
    opp_id = state.new_id("Opportunity")
    lines = []
    for i in range(line_count):
        product = rng.choice(products)
        price = _LIST_PRICES.get(product.get("ProductCode") or "", Decimal("100.00"))
        line = {"Id": state.new_id("OpportunityLineItem"), "OpportunityId": opp_id, "Product2Id": product["Id"],
                "Quantity": Decimal(rng.randint(1, 20)), "UnitPrice": price, "SortOrder": i + 1}
        if state.multi_currency:
            line["CurrencyIsoCode"] = currency
        derive_line_item(line, product)
        lines.append(line)
    opp = {"Id": opp_id, "Name": f"Generated Deal {n:06d}", "AccountId": rng.choice(account_ids),
           "OwnerId": rng.choice(owners), "StageName": stage[0], "Probability": Decimal(stage[1]),
           "ForecastCategoryName": stage[2], "IsClosed": stage[3], "IsWon": stage[4],
           "CloseDate": state.today + timedelta(days=rng.randint(-120, 90)), "HasOpportunityLineItem": bool(lines),
           "Amount": sum((line["TotalPrice"] for line in lines), Decimal("0.00")) if lines else Decimal("1000.00"),
           "Pricebook2Id": STANDARD_PRICEBOOK_ID if lines else None}
    if state.multi_currency:
        opp["CurrencyIsoCode"] = currency
    return opp, lines
