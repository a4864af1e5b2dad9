"""One Salesforce sandbox server per test module; each test gets a fresh org behind it.

The server is a ``LoopbackServer`` on 127.0.0.1:0 running a small switch app, so a test can
ask for its own org (single-currency, small batches, rotating refresh tokens...) without
starting another server. Time is a ``FakeClock`` shared by the sandbox and the client.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from integrations.loopback import LoopbackServer
from integrations.salesforce import ClientCredentialsAuth, RetryPolicy, SalesforceClient
from integrations.salesforce.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, create_salesforce_sandbox
from integrations.salesforce.sandbox.state import SalesforceState
from integrations.tokens import MemoryTokenStore
from tests.conftest import SwappableApp

TODAY = date(2026, 11, 30)
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class FakeClock:
    """Frozen time that tests move on explicitly."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float = 1.0) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@dataclass
class RsaKeys:
    private_pem: bytes = field(repr=False)
    public_pem: bytes


@dataclass
class Org:
    state: SalesforceState
    url: str
    clock: FakeClock
    sleeps: list[float] = field(default_factory=list)

    def client(self, http: httpx.Client, **kwargs: Any) -> SalesforceClient:
        auth = ClientCredentialsAuth(http, self.url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
                                     store=MemoryTokenStore(), clock=self.clock)
        kwargs.setdefault("retry", RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02))
        return SalesforceClient(http, auth, sleep=self.sleeps.append, **kwargs)


@pytest.fixture(scope="session")
def rsa_keys() -> RsaKeys:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return RsaKeys(private, public)


@pytest.fixture(scope="module")
def switch_server() -> Iterator[tuple[SwappableApp, str]]:
    switch = SwappableApp()
    server = LoopbackServer(switch)
    # Accepted sockets inherit TCP_NODELAY from the listener on Linux. Without it uvicorn's separate
    # header and body writes meet the client's delayed ACK, and every request takes ~40 ms.
    server._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with server:
        yield switch, server.url


@pytest.fixture
def make_org(switch_server: tuple[SwappableApp, str], rsa_keys: RsaKeys) -> Callable[..., Org]:
    """``make_org(batch_size=3, multi_currency=False, ...)``: a fresh seeded org behind the server."""
    switch, url = switch_server

    def make(**options: Any) -> Org:
        clock = options.pop("clock", None) or FakeClock()
        options.setdefault("jwt_public_key", rsa_keys.public_pem)
        state, app = create_salesforce_sandbox(today=TODAY, clock=clock, **options)
        switch.app = app
        return Org(state, url, clock)
    return make


@pytest.fixture
def org(make_org: Callable[..., Org]) -> Org:
    return make_org()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


@pytest.fixture
def client(org: Org, http: httpx.Client) -> SalesforceClient:
    return org.client(http)
