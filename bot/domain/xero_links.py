"""Links into the Xero web app (specs/xero/FACTS.md §2 "Deep link")."""

from __future__ import annotations

from urllib.parse import quote

XERO_LOGIN = "https://go.xero.com/organisationlogin/default.aspx"


def invoice_deep_link(short_code: str | None, invoice_id: str) -> str | None:
    """The invoice in Xero for anyone signed in to the organisation; None without a short code."""
    if not short_code:
        return None
    return (f"{XERO_LOGIN}?shortcode={quote(short_code, safe='!')}"
            f"&redirecturl=/AccountsReceivable/View.aspx?InvoiceID={quote(invoice_id, safe='-')}")


def salesforce_record_path(object_name: str, record_id: str) -> str:
    """The Lightning path of a record; join it to the org's instance URL."""
    return f"/lightning/r/{object_name}/{quote(record_id, safe='')}/view"
