"""Expired sessions, limits, 5xx, timeouts and dropped connections."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from integrations import demo_data as demo
from integrations.salesforce import ClientCredentialsAuth, RetryPolicy, SalesforceClient
from integrations.salesforce.errors import (
    SalesforceLimitExceeded,
    SalesforceSessionExpired,
    SalesforceUnavailable,
)
from integrations.salesforce.limits import ApiUsage, parse_limit_info
from integrations.salesforce.models import Opportunity
from integrations.salesforce.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from integrations.tokens import MemoryTokenStore

from .conftest import Org


def test_an_expired_session_is_renewed_once_and_the_call_retried(org: Org, client: SalesforceClient) -> None:
    client.describe("Account")
    org.state.expire_sessions()
    assert client.org_currency() == "USD"
    assert org.state.oauth.token_requests == {"client_credentials": 2}
    assert client.calls_made == 3  # describe, the refused query, the retried query


def test_a_session_refused_twice_is_a_typed_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/services/oauth2/token":
            return httpx.Response(200, json={"access_token": "00D!x", "instance_url": "https://org.example"})
        return httpx.Response(401, json=[{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])

    http = httpx.Client(transport=httpx.MockTransport(handler))
    auth = ClientCredentialsAuth(http, "https://org.example", "id", "secret")
    with pytest.raises(SalesforceSessionExpired) as raised:
        SalesforceClient(http, auth).describe("Account")
    assert raised.value.status_code == 401 and auth.token_requests == 2
    assert "00D!x" not in str(raised.value)


def test_limit_info_is_read_from_every_response(org: Org, client: SalesforceClient) -> None:
    org.state.set_api_usage(4998, 5000)
    client.describe("Account")
    assert client.usage == ApiUsage(4999, 5000) and client.usage.remaining == 1
    client.describe("Opportunity")
    with pytest.raises(SalesforceLimitExceeded) as raised:
        client.org_currency()
    assert raised.value.error_code == "REQUEST_LIMIT_EXCEEDED" and raised.value.status_code == 403
    assert raised.value.usage == ApiUsage(5000, 5000)
    assert org.sleeps == []  # a limit is not retried


def test_limit_exceeded_switch_stops_a_sync_mid_stream(make_org: Callable[..., Org], http: httpx.Client) -> None:
    org = make_org(batch_size=3)
    client = org.client(http)
    pages = client.changed_pages(Opportunity, None)
    next(pages)
    org.state.set_limit_exceeded()
    with pytest.raises(SalesforceLimitExceeded):
        next(pages)


def test_5xx_reads_are_retried_with_backoff(org: Org, client: SalesforceClient) -> None:
    org.state.fail_next(2, 500)
    assert client.describe("Account").has_field("Name")
    assert len(org.sleeps) == 2 and all(0 < s <= 0.02 for s in org.sleeps)


def test_5xx_after_the_last_attempt_is_unavailable(org: Org, client: SalesforceClient) -> None:
    org.state.fail_next(5, 503)
    with pytest.raises(SalesforceUnavailable) as raised:
        client.describe("Account")
    assert raised.value.error_code == "SERVER_UNAVAILABLE" and len(org.sleeps) == 2


def test_writes_are_not_retried(org: Org, client: SalesforceClient) -> None:
    client.describe("Account")
    org.state.fail_next(1, 500)
    with pytest.raises(SalesforceUnavailable):
        client.update_record("Opportunity", demo.OPPORTUNITIES[0].id, {"NextStep": "x"})
    assert org.sleeps == []


def test_timeouts_are_retried_then_reported(org: Org) -> None:
    with httpx.Client(timeout=0.15) as http:
        client = org.client(http)
        client.describe("Account")
        org.state.set_latency(0.4)
        with pytest.raises(SalesforceUnavailable, match="ReadTimeout"):
            client.describe("Opportunity")
    assert len(org.sleeps) == 2


def test_a_dropped_connection_is_retried(org: Org) -> None:
    real, dropped = httpx.HTTPTransport(), []

    def flaky(request: httpx.Request) -> httpx.Response:
        if "/services/data/" in request.url.path and not dropped:
            dropped.append(request.url.path)
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return real.handle_request(request)

    with httpx.Client(transport=httpx.MockTransport(flaky), timeout=5) as http:
        auth = ClientCredentialsAuth(http, org.url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
                                     store=MemoryTokenStore(), clock=org.clock)
        client = SalesforceClient(http, auth, sleep=org.sleeps.append, retry=RetryPolicy(3, 0.01, 0.01))
        assert client.org_currency() == "USD"
    assert len(dropped) == 1 and len(org.sleeps) == 1


def test_limit_info_parsing() -> None:
    header = "api-usage=18/5000; per-app-api-usage=17/250(appName=sample-app); api-bursts=1/750; junk; x=a/b"
    assert parse_limit_info(header) == {"api-usage": ApiUsage(18, 5000), "per-app-api-usage": ApiUsage(17, 250),
                                        "api-bursts": ApiUsage(1, 750)}
    assert parse_limit_info("") == {}


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(attempts=6, base_delay=1, max_delay=4)
    assert [0.5 <= policy.delay(1) <= 1, 1 <= policy.delay(2) <= 2, 2 <= policy.delay(5) <= 4] == [True] * 3
