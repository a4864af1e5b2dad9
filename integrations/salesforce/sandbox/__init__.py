"""A local stand-in for the Salesforce REST API: OAuth, SOQL query/queryAll, describe, sObjects,
replication, limits and faults, seeded with the demo data.

    state, app = create_salesforce_sandbox(today=date(2026, 11, 30), client_secret="s3cret")
    with LoopbackServer(app) as server:
        ...  # SALESFORCE_LOGIN_URL = server.url
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from starlette.applications import Starlette

from integrations import demo_data as demo
from integrations.salesforce.sandbox.oauth import OAuthConfig
from integrations.salesforce.sandbox.seed import generate, seed_demo
from integrations.salesforce.sandbox.server import create_app
from integrations.salesforce.sandbox.state import SalesforceState

DEFAULT_CLIENT_ID = "paidup-sandbox-client"
DEFAULT_CLIENT_SECRET = "paidup-sandbox-secret"


def create_salesforce_sandbox(
    today: date | None = None, *, clock: Callable[[], datetime] | None = None,
    client_id: str = DEFAULT_CLIENT_ID, client_secret: str = DEFAULT_CLIENT_SECRET,
    jwt_public_key: str | bytes | None = None, multi_currency: bool = True, batch_size: int = 2000,
    child_batch_size: int = 200, org_currency: str = "USD", seed: bool = True, run_as: str = demo.REP.email,
    redirect_uris: tuple[str, ...] = (), rotate_refresh_tokens: bool = False, auto_approve: bool = True,
    api_limit: int = 100_000, generate_accounts: int = 0, generate_opportunities: int = 0,
) -> tuple[SalesforceState, Starlette]:
    """A seeded sandbox org and its ASGI app. ``clock`` stamps SystemModstamp and checks JWT expiry
    (default: the real UTC time); ``today`` anchors the demo close dates (default: the clock's date)."""
    clock = clock or (lambda: datetime.now(UTC))
    oauth = OAuthConfig(client_id, client_secret, jwt_public_key=jwt_public_key, run_as=run_as,
                        redirect_uris=redirect_uris, rotate_refresh_tokens=rotate_refresh_tokens,
                        auto_approve=auto_approve)
    state = SalesforceState(today=today or clock().date(), clock=clock, oauth=oauth, multi_currency=multi_currency,
                            batch_size=batch_size, child_batch_size=child_batch_size, org_currency=org_currency,
                            api_limit=api_limit)
    if seed:
        seed_demo(state)
    if generate_accounts or generate_opportunities:
        generate(state, generate_accounts, generate_opportunities)
    return state, create_app(state)


__all__ = ["SalesforceState", "create_salesforce_sandbox", "generate"]
