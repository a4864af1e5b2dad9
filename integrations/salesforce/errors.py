"""Typed Salesforce errors: one base, one subclass per thing a caller handles differently.

The REST data API answers errors as a JSON array ``[{"message", "errorCode", "fields"}]``; the
token endpoint answers the OAuth shape ``{"error", "error_description"}``. Both are turned into
these classes in one place (``error_from_response`` / ``auth_error_from_response``).

No text built here ever contains a token, the client secret, the private key or a JWT: messages
come from Salesforce's error bodies and our own wording only. The ``response`` is attached as an
attribute for debugging, never rendered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import httpx

from integrations.salesforce.limits import ApiUsage, parse_limit_info

_NO_SUCH_COLUMN = re.compile(r"No such column '([^']+)'")


class SalesforceError(Exception):
    """Base of every error this integration raises."""

    def __init__(self, message: str, *, status_code: int | None = None, error_code: str | None = None,
                 fields: Sequence[str] = (), response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_code = error_code
        self.fields = list(fields)
        self.response = response

    def __str__(self) -> str:
        code = f"{self.error_code}: " if self.error_code else ""
        status = f" (HTTP {self.status_code})" if self.status_code else ""
        return f"{code}{self.message}{status}"


class SalesforceConfigError(SalesforceError):
    """The integration is set up in a way that cannot work; ``hint`` says what to change."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(f"{message}; {hint}")
        self.hint = hint


class SalesforceAuthError(SalesforceError):
    """The token endpoint refused us: ``error``/``error_description`` as Salesforce sent them."""

    def __init__(self, error: str, description: str = "", *, hint: str = "", status_code: int | None = None,
                 response: httpx.Response | None = None) -> None:
        text = f"{error}: {description}" if description else error
        super().__init__(f"{text}; {hint}" if hint else text, status_code=status_code, error_code=error,
                         response=response)
        self.error = error
        self.error_description = description
        self.hint = hint

    def __str__(self) -> str:
        status = f" (HTTP {self.status_code})" if self.status_code else ""
        return f"Salesforce login failed: {self.message}{status}"


class SalesforceSessionExpired(SalesforceError):
    """INVALID_SESSION_ID even after getting a fresh token and retrying once."""


class SalesforceNotFound(SalesforceError):
    """NOT_FOUND / ENTITY_IS_DELETED: the record or resource does not exist (any more)."""


class SalesforceMalformedQuery(SalesforceError):
    """MALFORMED_QUERY and friends: Salesforce could not run the SOQL we sent."""


class SalesforceQueryLocatorExpired(SalesforceError):
    """INVALID_QUERY_LOCATOR: a nextRecordsUrl is no longer valid (cursors live 2 days); re-run the
    query from the stored cursor."""


class SalesforceInvalidField(SalesforceError):
    """INVALID_FIELD: a field we named does not exist on the object (``fields`` names it)."""


class SalesforceWritebackFieldMissing(SalesforceInvalidField):
    """A configured write-back field does not exist on the Opportunity."""

    def __init__(self, field: str, setting: str, cause: SalesforceError) -> None:
        super().__init__(
            f"Opportunity has no field {field} (configured as write-back field {setting!r}); create the custom "
            f"field in Salesforce Setup or set salesforce.writeback.{setting} to null in app.yml",
            status_code=cause.status_code, error_code=cause.error_code, fields=[field], response=cause.response)
        self.field = field
        self.setting = setting


class SalesforceLimitExceeded(SalesforceError):
    """REQUEST_LIMIT_EXCEEDED (HTTP 403): stop and report; ``usage`` is the last api-usage seen."""

    def __init__(self, message: str, *, usage: ApiUsage | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.usage = usage


class SalesforceUnavailable(SalesforceError):
    """5xx, timeouts or dropped connections, after the retries for reads were spent."""


class SalesforceRequestError(SalesforceError):
    """Any other refusal (validation rules, permissions, bad JSON...)."""


_BY_CODE: dict[str, type[SalesforceError]] = {
    "INVALID_SESSION_ID": SalesforceSessionExpired,
    "NOT_FOUND": SalesforceNotFound,
    "ENTITY_IS_DELETED": SalesforceNotFound,
    "MALFORMED_QUERY": SalesforceMalformedQuery,
    "INVALID_QUERY_FILTER_OPERATOR": SalesforceMalformedQuery,
    "INVALID_QUERY_LOCATOR": SalesforceQueryLocatorExpired,
    "INVALID_TYPE": SalesforceMalformedQuery,
    "INVALID_FIELD": SalesforceInvalidField,
    "REQUEST_LIMIT_EXCEEDED": SalesforceLimitExceeded,
}


def first_error(response: httpx.Response) -> tuple[str | None, str, list[str]]:
    """(errorCode, message, fields) of a REST error body, tolerating non-JSON bodies."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None, response.reason_phrase or "error", []
    item = body[0] if isinstance(body, list) and body else body
    if not isinstance(item, dict):
        return None, response.reason_phrase or "error", []
    fields = item.get("fields") or []
    return item.get("errorCode"), str(item.get("message", "")), [str(f) for f in fields]


def error_from_response(response: httpx.Response) -> SalesforceError:
    """The typed error for a failed REST data API response."""
    code, message, fields = first_error(response)
    status = response.status_code
    cls = _BY_CODE.get(code or "")
    if cls is None:
        cls = SalesforceUnavailable if status >= 500 else SalesforceRequestError
    if cls is SalesforceInvalidField and not fields:
        fields = _NO_SUCH_COLUMN.findall(message)
    kwargs: dict[str, Any] = {"status_code": status, "error_code": code, "fields": fields, "response": response}
    if cls is SalesforceLimitExceeded:
        kwargs["usage"] = parse_limit_info(response.headers.get("Sforce-Limit-Info", "")).get("api-usage")
    return cls(message or response.reason_phrase or "error", **kwargs)


_DOMAIN_HINT = ("the client credentials flow needs your org's My Domain login URL: set SALESFORCE_LOGIN_URL to "
                "https://<your-domain>.my.salesforce.com")


def auth_error_from_response(response: httpx.Response) -> SalesforceError:
    """The typed error for a failed token endpoint response (OAuth error shape)."""
    if response.status_code >= 500:
        return SalesforceUnavailable("the token endpoint failed",
                                     status_code=response.status_code, response=response)
    try:
        body = json.loads(response.content)
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    error = str(body.get("error") or f"http_{response.status_code}")
    description = str(body.get("error_description") or "")
    hint = _DOMAIN_HINT if "not supported on this domain" in description else ""
    return SalesforceAuthError(error, description, hint=hint, status_code=response.status_code, response=response)


def client_credentials_domain_error(login_url: str) -> SalesforceConfigError:
    return SalesforceConfigError(f"SALESFORCE_LOGIN_URL is {login_url}, which Salesforce refuses for the client "
                                 "credentials flow", _DOMAIN_HINT)
