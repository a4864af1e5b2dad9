"""``XeroClient``: the Accounting API as Paidup uses it (reads in ``reads.py``, writes in ``writes.py``).

    http = httpx.Client(timeout=30)
    identity = IdentityClient(http, client_id=..., client_secret=..., identity_url=settings.xero_identity_url)
    auth = RefreshingTokenAuth(identity, token_store)          # or ClientCredentialsAuth(...)
    xero = XeroClient(http, auth, QuotaLimiter(), api_url=settings.xero_api_url, tenant_id=settings.xero_tenant_id)
    for page in xero.invoice_pages(modified_since=cursor):
        store(page.items); record(page.failures)
    xero.quota().minute_remaining, xero.calls_made
"""

from __future__ import annotations

from integrations.xero.reads import XeroReads
from integrations.xero.writes import XeroWrites


class XeroClient(XeroReads, XeroWrites):
    """Reads and writes against one Xero organisation (see ``XeroApiBase`` for the constructor)."""
