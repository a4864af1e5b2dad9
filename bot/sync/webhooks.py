"""Xero webhooks: verify, store each event once, answer at once; a worker fetches what changed.

`POST /xero/webhooks` must answer within 5 s with an empty body, so the request only checks the
signature and inserts the events (de-duplicated on resourceId + eventDateUtc). The worker wakes
on every accepted delivery (and once a minute in case another process stored events) and
fetches exactly the invoices and contacts named, through our own configured base URL — never a
URL taken from the request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from bot.store.base import utcnow
from bot.store.session import Database
from bot.store.state import WebhookEvent
from bot.store.upsert import insert_ignoring_duplicates
from integrations.xero import WebhookVerifier

log = logging.getLogger(__name__)
FETCHED_CATEGORIES = ("INVOICE", "CONTACT")


class XeroWebhookInbox:
    def __init__(self, db: Database, verifier: WebhookVerifier | None, tenant_id: Callable[[], str | None],
                 on_events: Callable[[], None] = lambda: None, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.verifier = verifier
        self.tenant_id = tenant_id
        self.on_events = on_events
        self.clock = clock

    def receive(self, body: bytes, signature: str | None) -> int:
        """The HTTP status to answer (200 or 401); events stored for the worker."""
        if self.verifier is None:
            log.warning("xero.webhook_refused", extra={"reason": "XERO_WEBHOOK_KEY is not set"})
            return 401
        verdict = self.verifier.verify(body, signature)
        if not verdict.accepted or verdict.payload is None:
            if verdict.error:
                log.warning("xero.webhook_refused" if not verdict.accepted else "xero.webhook_unreadable",
                            extra={"reason": verdict.error})
            return verdict.status_code
        ours = self._our_tenant()
        rows = [{"resource_id": e.resource_id, "event_date": e.event_date_utc, "category": e.event_category,
                 "event_type": e.event_type, "tenant_id": e.tenant_id, "received_at": self.clock()}
                for e in verdict.payload.events
                if e.event_category in FETCHED_CATEGORIES and (ours is None or e.tenant_id == ours)]
        if rows:
            with self.db.session() as s:
                insert_ignoring_duplicates(s, WebhookEvent, rows, ["resource_id", "event_date"])
            log.info("xero.webhook_received", extra={"events": len(verdict.payload.events)})
            self.on_events()  # a redelivery finds its event already processed: the worker does nothing
        return 200

    def _our_tenant(self) -> str | None:
        try:
            return self.tenant_id()
        except Exception:  # noqa: BLE001 - not knowing the tenant must not lose events
            return None


class WebhookWorker:
    """A background thread that runs ``process`` when woken, and every ``interval`` seconds; then
    ``after_fetch`` when ``process`` fetched something (the composition root hooks the payment
    notices there, so they go out as soon as the fetch has stored a payment)."""

    def __init__(self, process: Callable[[], object], interval: float = 60.0,
                 after_fetch: Callable[[], object] | None = None) -> None:
        self._process = process
        self._after_fetch = after_fetch
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="xero-webhooks", daemon=True)

    def start(self) -> WebhookWorker:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                fetched = self._process()
            except Exception:
                log.exception("xero.webhook_processing_failed")
                continue
            if fetched is not None and self._after_fetch is not None:
                try:
                    self._after_fetch()
                except Exception:
                    log.exception("xero.webhook_after_fetch_failed")
