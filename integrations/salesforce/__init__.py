"""Salesforce REST integration: auth flows, a SOQL builder, streamed queries, typed errors.

Knows nothing of chat, the database or the bot; the bot passes configuration in.
"""

from integrations.salesforce.auth import ClientCredentialsAuth, JwtBearerAuth, SalesforceAuth, SalesforceSession
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.limits import ApiUsage, RetryPolicy
from integrations.salesforce.paging import ModstampCursor, QueryPage, RecordFailure
from integrations.salesforce.web_flow import Pkce, WebServerAuth

__all__ = [
    "ApiUsage",
    "ClientCredentialsAuth",
    "JwtBearerAuth",
    "ModstampCursor",
    "Pkce",
    "QueryPage",
    "RecordFailure",
    "RetryPolicy",
    "SalesforceAuth",
    "SalesforceClient",
    "SalesforceSession",
    "WebServerAuth",
]
