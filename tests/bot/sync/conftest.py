"""A world to sync: the Xero and Salesforce sandboxes on loopback, and a Paidup wired to them
exactly as `paidup serve` would be (settings from the environment names, tokens encrypted in
the test database)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.app import Paidup
from bot.config import Settings, load_app_config
from bot.store.session import Database
from integrations.salesforce.sandbox import SalesforceState, create_salesforce_sandbox
from integrations.xero.sandbox import XeroSandboxState, create_xero_sandbox
from tests.conftest import ROOT, SwappableApp

SECRET_KEY = "test-secret-key-that-is-long-enough"
XERO_ID, XERO_SECRET, WEBHOOK_KEY = "sandbox-client-id", "sandbox-client-secret", "sandbox-webhook-key"
SF_ID, SF_SECRET = "paidup-sandbox-client", "paidup-sandbox-secret"


@dataclass
class World:
    xero: XeroSandboxState
    salesforce: SalesforceState
    settings: Settings
    db: Database

    def paidup(self) -> Paidup:
        """A fresh composition, as a new process would build it."""
        return Paidup(self.settings, load_app_config(ROOT / "app.yml"), db=self.db)


def settings_for(xero_url: str, salesforce_url: str, **extra: str) -> Settings:
    return Settings(_env_file=None, PAIDUP_SECRET_KEY=SECRET_KEY, XERO_API_URL=xero_url, XERO_IDENTITY_URL=xero_url,
                    XERO_CLIENT_ID=XERO_ID, XERO_CLIENT_SECRET=XERO_SECRET, XERO_GRANT="client_credentials",
                    XERO_WEBHOOK_KEY=WEBHOOK_KEY, SALESFORCE_LOGIN_URL=salesforce_url, SALESFORCE_CLIENT_ID=SF_ID,
                    SALESFORCE_CLIENT_SECRET=SF_SECRET, **extra)


@pytest.fixture
def world(db: Database, sandbox_servers: tuple[tuple[SwappableApp, str], tuple[SwappableApp, str]],
          ) -> Iterator[World]:
    """Fresh, seeded Xero and Salesforce sandboxes on loopback, and the settings that point at them."""
    (xero_holder, xero_url), (sf_holder, sf_url) = sandbox_servers
    today = datetime.now(UTC).date()
    xero, xero_holder.app = create_xero_sandbox(today=today, client_id=XERO_ID, client_secret=XERO_SECRET,
                                                webhook_key=WEBHOOK_KEY)
    xero.base_url = xero_url
    salesforce, sf_holder.app = create_salesforce_sandbox(today=today, client_id=SF_ID, client_secret=SF_SECRET,
                                                          batch_size=200)
    yield World(xero, salesforce, settings_for(xero_url, sf_url), db)
    xero_holder.app = sf_holder.app = None  # until the next test plugs in its own, a late call fails
