"""The sandbox organisation and its switches, with Python control methods for tests, the bench
and ``paidup demo`` (the same operations are exposed over HTTP under ``/__sandbox__/``)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from integrations import demo_data as demo
from integrations.tokens import TokenSet
from integrations.xero.clock import Clock, SystemClock
from integrations.xero.identity import SCOPES
from integrations.xero.sandbox.faults import Faults
from integrations.xero.sandbox.idempotency import IdempotencyCache
from integrations.xero.sandbox.ledger import Ledger
from integrations.xero.sandbox.listing import Listing
from integrations.xero.sandbox.money_in import allocate_credit_note, apply_payment
from integrations.xero.sandbox.oauth import SandboxOAuth
from integrations.xero.sandbox.quota import SandboxLimits, SandboxQuota
from integrations.xero.sandbox.render import render_contact, render_credit_note, render_invoice, render_payment
from integrations.xero.sandbox.seed import (
    BANK_ACCOUNT_CODE,
    organisation_record,
    seed_contacts,
    seed_demo,
    seed_invoices,
    seed_settings,
)
from integrations.xero.sandbox.webhook_sender import WebhookSender

TEST_SCOPES = (*SCOPES, "accounting.payments")  # what tests and the demo use: the bot's scopes + writing payments


class XeroSandboxState:
    def __init__(self, *, today: date, client_id: str, client_secret: str, webhook_key: str,
                 clock: Clock | None = None, limits: SandboxLimits | None = None, seed: bool = True,
                 provider_name: str = "Paidup", granular_only: bool = True) -> None:
        self.today = today
        self.clock = clock or SystemClock()
        self.lock = threading.RLock()
        self.provider_name = provider_name
        self.base_url = "https://api.xero.com"  # set to the loopback URL by whoever serves the app
        self.tenant_id = demo.TENANT_ID
        self.ledger = Ledger(organisation_record(self.clock.now()))
        self.listing = Listing(self.ledger)
        self.oauth = SandboxOAuth(client_id=client_id, client_secret=client_secret, clock=self.clock,
                                  granular_only=granular_only,
                                  tenant={"tenantId": self.tenant_id, "tenantName": demo.TENANT_NAME,
                                          "tenantType": "ORGANISATION"})
        self.quota = SandboxQuota(replace(limits) if limits else SandboxLimits(), self.clock)
        self.faults = Faults()
        self.idempotency = IdempotencyCache()
        self.webhooks = WebhookSender(webhook_key, self.tenant_id, self.clock)
        self.sent_emails: list[dict[str, str]] = []
        self._credit_note_count = 0
        if seed:
            seed_demo(self.ledger, today, self.clock.now())
        else:
            seed_settings(self.ledger, self.clock.now())

    # --- volume --------------------------------------------------------------------------

    def add_contacts(self, count: int, start: int | None = None) -> list[str]:
        """``count`` generated customers (``demo_data.generated_contacts``); their ContactIDs."""
        with self.lock:
            first = start or self._generated_count("Contacts") + 1
            return seed_contacts(self.ledger, demo.generated_contacts(count, first), self.clock.now())

    def add_invoices(self, count: int, *, contacts: int = 100) -> list[str]:
        """``count`` generated invoices spread over ``contacts`` generated customers; their InvoiceIDs."""
        with self.lock:
            keys = [c.key for c in demo.generated_contacts(contacts)]
            if self.ledger.get("Contacts", demo.demo_uuid(f"contact:{keys[-1]}")) is None:
                seed_contacts(self.ledger, demo.generated_contacts(contacts), self.clock.now())
            start = self._generated_count("Invoices") + 1
            return seed_invoices(self.ledger, demo.generated_invoices(count, keys, start), self.today,
                                 self.clock.now())

    def _generated_count(self, collection: str) -> int:
        field = "Name" if collection == "Contacts" else "InvoiceNumber"
        prefix = "Generated Customer " if collection == "Contacts" else "GEN-"
        return sum(1 for r in self.ledger.tables[collection].values() if str(r.get(field) or "").startswith(prefix))

    # --- money ---------------------------------------------------------------------------

    def record_payment(self, invoice: str, amount: Decimal | str | None = None, *, reference: str = "",
                       paid_on: date | None = None, notify: bool = True) -> dict[str, Any]:
        """Pay ``invoice`` (number or id), in full unless ``amount``; sends an INVOICE webhook if configured."""
        with self.lock:
            record = self._invoice(invoice)
            element = {"Invoice": {"InvoiceID": record["InvoiceID"]}, "Account": {"Code": BANK_ACCOUNT_CODE},
                       "Amount": Decimal(str(amount)) if amount is not None else record["AmountDue"],
                       "Date": paid_on or self.today, "Reference": reference}
            payment = apply_payment(self.ledger, element, self.today, self.clock.now())
            rendered = render_payment(self.ledger, payment)
        self._notify(notify, "INVOICE", record["InvoiceID"])
        return rendered

    def add_credit_note(self, invoice: str, amount: Decimal | str, *, notify: bool = True) -> dict[str, Any]:
        with self.lock:
            record = self._invoice(invoice)
            self._credit_note_count += 1
            note = allocate_credit_note(self.ledger, record, Decimal(str(amount)), self.today, self.clock.now(),
                                        f"CN-{self._credit_note_count:04d}")
            rendered = render_credit_note(self.ledger, note)
        self._notify(notify, "INVOICE", record["InvoiceID"])
        return rendered

    def archive_contact(self, contact: str, *, notify: bool = True) -> None:
        with self.lock:
            record = self.ledger.contact(contact) or self.ledger.contact_by_name(contact)
            if record is None:
                raise KeyError(contact)
            record.update(ContactStatus="ARCHIVED", UpdatedDateUTC=self.clock.now())
            self.ledger.changed()
        self._notify(notify, "CONTACT", record["ContactID"])

    def _invoice(self, key: str) -> dict[str, Any]:
        record = self.ledger.invoice(key)
        if record is None:
            raise KeyError(f"no invoice {key}")
        return record

    # --- webhooks ------------------------------------------------------------------------

    def send_webhook(self, category: str, resource_id: str, event_type: str = "UPDATE") -> int:
        """POST one signed event to ``webhooks.url``; the receiver's HTTP status (0 if unreachable)."""
        return self.webhooks.deliver([self.webhooks.event(category, resource_id, event_type, self.base_url)])

    def send_intent_to_receive(self, *, signed_correctly: bool = True) -> int:
        return self.webhooks.intent_to_receive(signed_correctly=signed_correctly)

    def _notify(self, notify: bool, category: str, resource_id: str) -> None:
        if notify and self.webhooks.url:
            self.send_webhook(category, resource_id)

    def changed(self, events: list[tuple[str, str, str]]) -> None:
        """After an API write: queue (category, id, type) events when ``webhooks.auto_send`` is on."""
        self.webhooks.deliver_later([self.webhooks.event(c, i, t, self.base_url) for c, i, t in events])

    # --- auth and limits -----------------------------------------------------------------

    def issue_tokens(self, scopes: tuple[str, ...] = TEST_SCOPES, *, custom_connection: bool = False) -> TokenSet:
        """A connected token set without the browser dance (tests, the demo)."""
        with self.lock:
            body = self.oauth.issue(set(scopes), custom_connection=custom_connection)
        return TokenSet(access_token=body["access_token"], refresh_token=body.get("refresh_token"),
                        expires_at=self.clock.now() + timedelta(seconds=body["expires_in"]), scope=body["scope"])

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.oauth.expire_access_tokens()

    def set_limits(self, **limits: int) -> None:
        with self.lock:
            for name, value in limits.items():
                setattr(self.quota.limits, name, value)
            self.quota.reset()

    # --- looking -------------------------------------------------------------------------

    def invoice(self, key: str) -> dict[str, Any]:
        """An invoice as ``GET /Invoices/{key}`` would render it."""
        with self.lock:
            return render_invoice(self.ledger, self._invoice(key))

    def contact(self, key: str) -> dict[str, Any]:
        with self.lock:
            record = self.ledger.contact(key) or self.ledger.contact_by_name(key, active_only=False)
            if record is None:
                raise KeyError(key)
            return render_contact(self.ledger, record)

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {name: len(table) for name, table in self.ledger.tables.items()}

