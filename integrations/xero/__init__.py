"""Xero Accounting API client for Paidup: auth, quota, paging, typed models and errors, webhooks.

Knows nothing of chat, the database or the bot; the bot's config passes every value in.
"""

from integrations.xero.auth import ClientCredentialsAuth, RefreshingTokenAuth, XeroAuth
from integrations.xero.authorize import AuthorizationCodeFlow, AuthorizationRequest, Pkce, authorize_on_loopback
from integrations.xero.caller import RetryPolicy
from integrations.xero.client import XeroClient
from integrations.xero.clock import Clock, ManualClock, SystemClock
from integrations.xero.errors import (
    ElementErrors,
    XeroAuthError,
    XeroAuthRevoked,
    XeroError,
    XeroForbidden,
    XeroNotConnected,
    XeroNotFound,
    XeroRateLimited,
    XeroTokenExpired,
    XeroUnavailable,
    XeroValidationError,
)
from integrations.xero.identity import API_URL, IDENTITY_URL, LEGACY_SCOPES, LOGIN_URL, PROVIDER, SCOPES, IdentityClient
from integrations.xero.limiter import Quota, QuotaLimiter
from integrations.xero.pages import Page, RecordFailure
from integrations.xero.webhooks import WebhookEvent, WebhookPayload, WebhookVerdict, WebhookVerifier, sign_webhook_body

__all__ = [
    "API_URL", "IDENTITY_URL", "LEGACY_SCOPES", "LOGIN_URL", "PROVIDER", "SCOPES",
    "AuthorizationCodeFlow", "AuthorizationRequest", "ClientCredentialsAuth", "Clock", "ElementErrors",
    "IdentityClient", "ManualClock", "Page", "Pkce", "Quota", "QuotaLimiter", "RecordFailure",
    "RefreshingTokenAuth", "RetryPolicy", "SystemClock", "WebhookEvent", "WebhookPayload", "WebhookVerdict",
    "WebhookVerifier", "XeroAuth", "XeroAuthError", "XeroAuthRevoked", "XeroClient", "XeroError", "XeroForbidden",
    "XeroNotConnected", "XeroNotFound", "XeroRateLimited", "XeroTokenExpired", "XeroUnavailable",
    "XeroValidationError", "authorize_on_loopback", "sign_webhook_body",
]
