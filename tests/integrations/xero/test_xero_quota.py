"""Quota and resilience: Retry-After honoured, the daily limit stops calls, the limiter keeps
under the minute and concurrency limits, 5xx/timeouts retried (writes only with a key), a
dropped connection. Time is the shared manual clock: waits are recorded, not slept."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import httpx
import pytest

from integrations.xero import (
    ManualClock,
    QuotaLimiter,
    RetryPolicy,
    XeroClient,
    XeroRateLimited,
    XeroUnavailable,
)
from integrations.xero.write_models import InvoiceUpdate
from tests.integrations.xero.conftest import PLAIN_HTTP, XeroRig


def test_a_minute_limit_429_waits_retry_after_and_goes_on(rig: XeroRig, xero: XeroClient) -> None:
    xero.organisation()
    rig.state.faults.fail_next(2, 429, retry_after=7, problem="minute")
    before = xero.calls_made
    assert xero.currencies().items
    assert rig.clock.sleeps == [7, 7]
    assert xero.calls_made - before == 3


def test_a_client_that_sees_no_quota_left_waits_before_asking_again(rig: XeroRig) -> None:
    rig.connect()
    rig.state.set_limits(per_minute=3)
    xero = rig.client(limiter=QuotaLimiter(per_minute=1000, clock=rig.clock), tenant_id=rig.state.tenant_id)
    for _ in range(4):
        xero.currencies()
    assert [r.status_code for _, r in rig.recorded("/Currencies")] == [200] * 4
    assert rig.recorded("/Currencies")[2][1].headers["X-MinLimit-Remaining"] == "0"
    assert rig.clock.sleeps == [60]  # waited a window after X-MinLimit-Remaining: 0, no 429


def test_a_quota_shared_with_another_worker_is_honoured_through_retry_after(rig: XeroRig) -> None:
    rig.connect()
    rig.state.set_limits(per_minute=3)
    other_worker = rig.client(tenant_id=rig.state.tenant_id)
    for _ in range(3):
        other_worker.currencies()
    xero = rig.client(tenant_id=rig.state.tenant_id)  # its own limiter knows nothing yet
    xero.currencies()
    statuses = [r.status_code for _, r in rig.recorded("/Currencies")]
    assert statuses == [200, 200, 200, 429, 200]
    refused = rig.recorded("/Currencies")[3][1]
    assert refused.headers["X-Rate-Limit-Problem"] == "minute" and refused.headers["Retry-After"] == "60"
    assert rig.clock.sleeps == [60]


def test_the_daily_limit_stops_and_reports_without_more_calls(rig: XeroRig, xero: XeroClient) -> None:
    xero.organisation()
    rig.state.faults.fail_next(1, 429, retry_after=3600, problem="Day")  # value is case-insensitive
    with pytest.raises(XeroRateLimited) as caught:
        xero.currencies()
    assert (caught.value.limit, caught.value.retry_after) == ("day", 3600)
    calls = xero.calls_made
    with pytest.raises(XeroRateLimited) as again:
        xero.invoice_pages().__next__()
    assert again.value.limit == "day" and xero.calls_made == calls  # refused locally, Xero not called
    quota = xero.quota()
    assert quota.day_remaining == 0 and quota.stopped_until == rig.clock.now() + timedelta(seconds=3600)
    rig.clock.advance(3600)
    assert xero.currencies().items


def test_quota_left_is_what_xero_reported_last(rig: XeroRig, xero: XeroClient) -> None:
    assert xero.quota().minute_remaining is None
    xero.organisation()
    xero.currencies()
    last = rig.recorded("/Currencies")[-1][1]
    quota = xero.quota()
    assert quota.minute_remaining == int(last.headers["X-MinLimit-Remaining"]) == 10_000 - 3
    assert quota.day_remaining == int(last.headers["X-DayLimit-Remaining"])
    assert quota.app_minute_remaining == int(last.headers["X-AppMinLimit-Remaining"])


def test_the_limiter_keeps_under_the_minute_limit_by_itself(rig: XeroRig) -> None:
    rig.connect()
    xero = rig.client(limiter=QuotaLimiter(per_minute=5, clock=rig.clock), tenant_id=rig.state.tenant_id)
    for _ in range(12):
        xero.currencies()
    assert all(r.status_code == 200 for _, r in rig.exchanges)
    assert sum(rig.clock.sleeps) == pytest.approx(120)  # two full windows waited, in manual time


def test_the_limiter_allows_five_at_once() -> None:
    limiter = QuotaLimiter(per_minute=1000, concurrent=5, clock=ManualClock())
    inside, peak, lock = [0], [0], threading.Lock()

    def call() -> None:
        with limiter.slot("tenant"):
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.02)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 5


def test_5xx_is_retried_with_backoff_for_reads(rig: XeroRig, xero: XeroClient) -> None:
    xero.organisation()
    rig.state.faults.fail_next(2, 500)
    assert xero.currencies().items
    assert len(rig.clock.sleeps) == 2 and rig.clock.sleeps[1] > rig.clock.sleeps[0] * 0.5
    rig.state.faults.fail_next(10, 503)
    with pytest.raises(XeroUnavailable):
        xero.currencies()
    assert [r.status_code for _, r in rig.recorded("/Currencies")][-4:] == [503] * 4  # RetryPolicy().attempts


def test_a_write_without_a_key_is_not_retried_one_with_a_key_is(rig: XeroRig, xero: XeroClient) -> None:
    draft = xero.get_invoice("INV-0005")
    rig.state.faults.fail_next(1, 500)
    with pytest.raises(XeroUnavailable):
        xero.update_invoice(draft.invoice_id, InvoiceUpdate(reference="R1"))
    assert len([q for q, _ in rig.recorded(f"/Invoices/{draft.invoice_id}") if q.method == "POST"]) == 1
    rig.state.faults.fail_next(1, 500)
    updated = xero.update_invoice(draft.invoice_id, InvoiceUpdate(reference="R2"), idempotency_key="edit-r2")
    assert updated.reference == "R2"
    keyed = [q for q, _ in rig.recorded(f"/Invoices/{draft.invoice_id}") if q.method == "POST"][-2:]
    assert [q.headers["Idempotency-Key"] for q in keyed] == ["edit-r2", "edit-r2"]


def test_timeouts_are_retried_for_reads_but_not_for_unkeyed_writes(rig: XeroRig) -> None:
    rig.connect()
    with httpx.Client(timeout=0.25, verify=PLAIN_HTTP) as impatient:
        xero = rig.client(http=impatient, tenant_id=rig.state.tenant_id)
        rig.state.faults.slow_next(1, 0.6)
        assert xero.currencies().items
        approved = xero.get_invoice("INV-0004").invoice_id
        rig.state.faults.slow_next(1, 0.6)
        with pytest.raises(XeroUnavailable, match="never retried"):
            xero.email_invoice(approved)
    assert rig.state.sent_emails == [] or len(rig.state.sent_emails) == 1  # Xero may have sent it: we cannot know


def test_a_dropped_connection_is_retried(rig: XeroRig) -> None:
    rig.connect()
    drops = [1]

    def flaky(request: httpx.Request) -> httpx.Response:
        if drops[0]:
            drops[0] -= 1
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        response = rig.http.send(request)
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)

    with httpx.Client(transport=httpx.MockTransport(flaky), verify=PLAIN_HTTP) as http:
        xero = rig.client(http=http, tenant_id=rig.state.tenant_id, retry=RetryPolicy(attempts=2))
        assert xero.organisation().name == "Paidup Demo Ltd"
    assert xero.calls_made == 2 and len(rig.clock.sleeps) == 1
