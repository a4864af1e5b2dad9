"""Typed Xero errors: one base, one subclass per thing a caller handles differently.

Xero answers errors in several shapes (FACTS.md §6): the accounting ``ApiException``
``{"ErrorNumber", "Type", "Message", "Elements": [{..., "ValidationErrors": [{"Message"}]}]}``,
the problem-details shape ``{"Title", "Status", "Detail"}`` for 401/403, the OAuth shape
``{"error"}`` from the token endpoint, and plain text for 404/503. ``error_from_response`` turns
an accounting response into one of these classes; ``auth_error_from_response`` does the same
for the token endpoint.

No text built here contains a token or the client secret: messages come from Xero's error
bodies and our own wording only. The response is attached for debugging, never rendered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import httpx

RateLimitName = Literal["minute", "day", "concurrent", "appminute", "unknown"]


class XeroError(Exception):
    """Base of every error this integration raises."""

    def __init__(self, message: str, *, status_code: int | None = None,
                 response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.response = response
        self.correlation_id = response.headers.get("Xero-Correlation-Id") if response is not None else None

    def __str__(self) -> str:
        status = f" (HTTP {self.status_code})" if self.status_code else ""
        return f"{self.message}{status}"


class XeroAuthError(XeroError):
    """Authentication failed; the person who connected Xero must act (reconnect, fix credentials)."""


class XeroNotConnected(XeroAuthError):
    """No tokens are stored (run ``paidup connect xero``) or the token has no connected organisation."""


class XeroAuthRevoked(XeroAuthError):
    """The token endpoint said ``invalid_grant``: the refresh token was used, expired or revoked."""

    def __init__(self, error: str = "invalid_grant", *, status_code: int | None = None,
                 response: httpx.Response | None = None) -> None:
        super().__init__(f"Xero refused the stored authorisation ({error}); reconnect with `paidup connect xero`",
                         status_code=status_code, response=response)
        self.error = error


class XeroTokenExpired(XeroAuthError):
    """401 from the API even after a fresh token: expired, revoked, or the app was disconnected."""

    def __init__(self, detail: str, *, status_code: int | None = 401, response: httpx.Response | None = None) -> None:
        super().__init__(f"Xero rejected the access token: {detail}", status_code=status_code, response=response)
        self.detail = detail


class XeroForbidden(XeroError):
    """403: the tenant id is missing or wrong, the organisation is no longer connected, or a scope is missing."""

    def __init__(self, detail: str, *, tenant_id: str | None = None, status_code: int | None = 403,
                 response: httpx.Response | None = None) -> None:
        super().__init__(f"Xero refused access to organisation {tenant_id or '(none)'}: {detail}",
                         status_code=status_code, response=response)
        self.detail = detail
        self.tenant_id = tenant_id


class XeroNotFound(XeroError):
    """404: the resource does not exist (or not in this organisation)."""

    def __init__(self, resource: str, *, status_code: int | None = 404, response: httpx.Response | None = None) -> None:
        super().__init__(f"Xero has no {resource}", status_code=status_code, response=response)
        self.resource = resource


@dataclass(frozen=True)
class ElementErrors:
    """The validation messages Xero attached to one submitted element (index in the batch)."""

    index: int
    record_id: str | None
    messages: list[str]


class XeroValidationError(XeroError):
    """400: Xero refused the request. ``messages`` are Xero's own words, for a person to act on."""

    def __init__(self, messages: list[str], *, elements: list[ElementErrors] | None = None,
                 error_type: str = "ValidationException", error_number: int | None = None,
                 status_code: int | None = 400, response: httpx.Response | None = None) -> None:
        text = "; ".join(messages) or error_type
        super().__init__(f"Xero {error_type}: {text}", status_code=status_code, response=response)
        self.messages = messages
        self.elements = elements or []
        self.error_type = error_type
        self.error_number = error_number


class XeroRateLimited(XeroError):
    """429: a Xero limit was hit. ``limit`` names it; ``retry_after`` is seconds until it resets."""

    def __init__(self, limit: RateLimitName, retry_after: float, *, status_code: int | None = 429,
                 response: httpx.Response | None = None) -> None:
        super().__init__(f"Xero {limit} rate limit reached; retry after {retry_after:.0f} s",
                         status_code=status_code, response=response)
        self.limit = limit
        self.retry_after = retry_after


class XeroUnavailable(XeroError):
    """5xx, timeouts or dropped connections, after the allowed retries were spent."""


def _json_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _element_errors(body: dict[str, Any]) -> list[ElementErrors]:
    found: list[ElementErrors] = []
    for index, element in enumerate(body.get("Elements") or []):
        if not isinstance(element, dict):
            continue
        messages = [str(v.get("Message", "")) for v in element.get("ValidationErrors") or [] if isinstance(v, dict)]
        record_id = next((str(element[k]) for k in ("InvoiceID", "ContactID", "PaymentID", "CreditNoteID")
                          if element.get(k)), None)
        if messages:
            found.append(ElementErrors(index, record_id, messages))
    return found


def validation_error(response: httpx.Response) -> XeroValidationError:
    body = _json_body(response)
    elements = _element_errors(body)
    messages = [m for e in elements for m in e.messages]
    if not messages:
        messages = [str(body.get("Message") or response.text[:500] or response.reason_phrase)]
    return XeroValidationError(messages, elements=elements, error_type=str(body.get("Type") or "BadRequest"),
                               error_number=body.get("ErrorNumber"), status_code=response.status_code,
                               response=response)


def rate_limit_name(value: str | None) -> RateLimitName:
    name = (value or "").strip().lower()
    return name if name in ("minute", "day", "concurrent", "appminute") else "unknown"  # type: ignore[return-value]


def rate_limited(response: httpx.Response, default_wait: float = 60.0) -> XeroRateLimited:
    try:
        retry_after = float(response.headers.get("Retry-After", default_wait))
    except ValueError:
        retry_after = default_wait
    return XeroRateLimited(rate_limit_name(response.headers.get("X-Rate-Limit-Problem")), retry_after,
                           response=response)


def error_from_response(response: httpx.Response, *, resource: str = "resource",
                        tenant_id: str | None = None) -> XeroError:
    """The typed error for a failed accounting/identity API response."""
    status = response.status_code
    if status == 400:
        return validation_error(response)
    detail = str(_json_body(response).get("Detail") or response.reason_phrase or "")
    if status == 401:
        return XeroTokenExpired(detail or "Unauthorized", response=response)
    if status == 403:
        return XeroForbidden(detail or "Forbidden", tenant_id=tenant_id, response=response)
    if status == 404:
        return XeroNotFound(resource, response=response)
    if status == 429:
        return rate_limited(response)
    if status >= 500:
        return XeroUnavailable(f"Xero is unavailable: {response.reason_phrase or status}", status_code=status,
                               response=response)
    return XeroError(f"Xero answered {detail or 'an unexpected status'}", status_code=status, response=response)


def auth_error_from_response(response: httpx.Response) -> XeroError:
    """The typed error for a failed token endpoint response (OAuth shape ``{"error": ...}``)."""
    if response.status_code >= 500:
        return XeroUnavailable("Xero's token endpoint is unavailable", status_code=response.status_code,
                               response=response)
    error = str(_json_body(response).get("error") or f"http_{response.status_code}")
    if error == "invalid_grant":
        return XeroAuthRevoked(error, status_code=response.status_code, response=response)
    return XeroAuthError(f"Xero login failed: {error}", status_code=response.status_code, response=response)
