"""Webhooks from the sandbox to a configured URL, signed as Xero signs them (FACTS.md §8).

``deliver`` POSTs ``{"events": [...], "firstEventSequence", "lastEventSequence", "entropy"}``
with ``x-xero-signature`` = base64(HMAC-SHA256(key, body)) and returns the receiver's status.
``intent_to_receive`` sends the empty probe, correctly or incorrectly signed. ``deliver_later``
queues events for a background thread (used after API writes when ``auto_send`` is on).
"""

from __future__ import annotations

import json
import logging
import queue
import secrets
import string
import threading
import time
from datetime import UTC
from typing import Any

import httpx

from integrations.xero.clock import Clock
from integrations.xero.webhooks import sign_webhook_body

log = logging.getLogger(__name__)
CATEGORY_PATHS = {"INVOICE": "Invoices", "CONTACT": "Contacts", "CREDITNOTE": "CreditNotes"}


class WebhookSender:
    def __init__(self, key: str, tenant_id: str, clock: Clock, http: httpx.Client | None = None) -> None:
        self._key = key
        self._tenant_id = tenant_id
        self._clock = clock
        self._http = http  # created on first delivery: building an httpx.Client costs ~0.2 s
        self._sequence = 0
        self._lock = threading.Lock()
        self._queue: queue.Queue[list[dict[str, Any]]] = queue.Queue()
        self._worker: threading.Thread | None = None
        self.url: str | None = None
        self.auto_send = False
        self.deliveries: list[tuple[int, dict[str, Any]]] = []  # (status, payload) of every delivery

    def event(self, category: str, resource_id: str, event_type: str, api_url: str) -> dict[str, Any]:
        path = CATEGORY_PATHS.get(category, category.title() + "s")
        stamp = self._clock.now().astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds")
        return {"resourceUrl": f"{api_url}/api.xro/2.0/{path}/{resource_id}", "resourceId": resource_id,
                "eventDateUtc": stamp, "eventType": event_type, "eventCategory": category,
                "tenantId": self._tenant_id, "tenantType": "ORGANISATION"}

    def _post(self, payload: dict[str, Any], *, signed_correctly: bool = True) -> int:
        if not self.url:
            raise RuntimeError("no webhook URL configured (set state.webhooks.url)")
        body = json.dumps(payload, separators=(",", ":")).encode()
        signature = sign_webhook_body(self._key if signed_correctly else self._key + "-wrong", body)
        if self._http is None:
            self._http = httpx.Client(timeout=10.0)
        try:
            status = self._http.post(self.url, content=body, headers={
                "Content-Type": "application/json", "x-xero-signature": signature}).status_code
        except httpx.HTTPError as exc:
            log.warning("webhook delivery to %s failed: %s", self.url, type(exc).__name__)
            status = 0
        self.deliveries.append((status, payload))
        return status

    def deliver(self, events: list[dict[str, Any]]) -> int:
        with self._lock:
            first = self._sequence + 1
            self._sequence += len(events)
            last = self._sequence
        entropy = "".join(secrets.choice(string.ascii_uppercase) for _ in range(20))
        return self._post({"events": events, "firstEventSequence": first, "lastEventSequence": last,
                           "entropy": entropy})

    def intent_to_receive(self, *, signed_correctly: bool = True) -> int:
        entropy = "".join(secrets.choice(string.ascii_uppercase) for _ in range(20))
        return self._post({"events": [], "firstEventSequence": 0, "lastEventSequence": 0, "entropy": entropy},
                          signed_correctly=signed_correctly)

    def deliver_later(self, events: list[dict[str, Any]]) -> None:
        if not (self.auto_send and self.url and events):
            return
        self._queue.put(events)
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._drain, name="xero-sandbox-webhooks", daemon=True)
                self._worker.start()

    def _drain(self) -> None:
        while True:
            try:
                events = self._queue.get(timeout=1.0)
            except queue.Empty:
                return
            try:
                self.deliver(events)
            finally:
                self._queue.task_done()

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Block until queued deliveries went out (tests)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
