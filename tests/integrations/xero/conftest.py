"""A Xero sandbox on a loopback port per test (its clock shared with the client, so quota
windows, token expiry and backoff run in manual time), and a real XeroClient pointed at it.

Every HTTP exchange the client makes is recorded in ``rig.exchanges`` for the contract tests.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import httpx
import pytest

from integrations.loopback import LoopbackServer
from integrations.tokens import MemoryTokenStore, TokenSet
from integrations.xero import (
    PROVIDER,
    IdentityClient,
    ManualClock,
    QuotaLimiter,
    RefreshingTokenAuth,
    RetryPolicy,
    XeroAuth,
    XeroClient,
)
from integrations.xero.sandbox import (
    TEST_SCOPES,
    SandboxLimits,
    XeroSandboxState,
    create_xero_sandbox,
    disable_nagle,
)
from tests.conftest import SwappableApp

TODAY = date(2026, 7, 1)
START = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
CLIENT_ID = "C0FFEE0000000000000000000000AB12"
CLIENT_SECRET = "s3cr3t-client-secret-value-do-not-leak"
WEBHOOK_KEY = "wh-key-0123456789abcdef"
PLAIN_HTTP = ssl.create_default_context()  # built once: every httpx.Client would load the CA bundle again (~0.1 s)
ROOMY = SandboxLimits(per_minute=10_000, per_day=1_000_000, app_per_minute=1_000_000, concurrent=50)


@dataclass
class XeroRig:
    """The sandbox, its URL, the shared clock and what a client needs to talk to it."""

    state: XeroSandboxState
    url: str
    clock: ManualClock
    http: httpx.Client
    store: MemoryTokenStore = field(default_factory=MemoryTokenStore)
    exchanges: list[tuple[httpx.Request, httpx.Response]] = field(default_factory=list)

    @property
    def login_url(self) -> str:
        return self.url + "/identity/connect/authorize"

    def identity(self, http: httpx.Client | None = None) -> IdentityClient:
        return IdentityClient(http or self.http, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                              identity_url=self.url, clock=self.clock)

    def connect(self, scopes: tuple[str, ...] = TEST_SCOPES) -> TokenSet:
        tokens = self.state.issue_tokens(scopes)
        self.store.save(PROVIDER, tokens)
        return tokens

    def auth(self, store: MemoryTokenStore | None = None) -> RefreshingTokenAuth:
        return RefreshingTokenAuth(self.identity(), store or self.store, clock=self.clock)

    def client(self, *, auth: XeroAuth | None = None, limiter: QuotaLimiter | None = None,
               tenant_id: str | None = None, retry: RetryPolicy | None = None,
               http: httpx.Client | None = None) -> XeroClient:
        return XeroClient(http or self.http, auth or self.auth(), limiter or QuotaLimiter(clock=self.clock),
                          api_url=self.url, tenant_id=tenant_id, clock=self.clock, retry=retry)

    def recorded(self, path_part: str) -> list[tuple[httpx.Request, httpx.Response]]:
        return [(q, r) for q, r in self.exchanges if path_part.lower() in q.url.path.lower()]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(scope="session")
def loopback() -> Iterator[tuple[SwappableApp, str]]:
    holder = SwappableApp()
    with disable_nagle(LoopbackServer(holder)) as server:
        yield holder, server.url


@pytest.fixture
def sandbox(clock: ManualClock, loopback: tuple[SwappableApp, str]) -> Iterator[tuple[XeroSandboxState, str]]:
    holder, url = loopback
    state, holder.app = create_xero_sandbox(today=TODAY, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                            webhook_key=WEBHOOK_KEY, clock=clock, limits=ROOMY)
    state.base_url = url
    yield state, url
    holder.app = None


@pytest.fixture
def rig(sandbox: tuple[XeroSandboxState, str], clock: ManualClock) -> Iterator[XeroRig]:
    state, url = sandbox
    exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def record(response: httpx.Response) -> None:
        response.read()
        exchanges.append((response.request, response))

    with httpx.Client(timeout=5.0, verify=PLAIN_HTTP, event_hooks={"response": [record]}) as http:
        yield XeroRig(state, url, clock, http, exchanges=exchanges)


@pytest.fixture
def xero(rig: XeroRig) -> XeroClient:
    """A client connected with the bot's scopes plus ``accounting.payments`` (tests write payments)."""
    rig.connect()
    return rig.client()
