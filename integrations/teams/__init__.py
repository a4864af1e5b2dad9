"""Microsoft Teams through the Bot Framework protocol: the connector REST client that sends and
updates activities and looks up conversation members (``connector.py``), the Entra client-credentials
token it sends them with (``tokens.py``), and the validator of the Bot Framework JWT on inbound
activities (``inbound_auth.py``).

Synchronous httpx, like the Xero and Salesforce clients, because the bot's services and scheduler
are synchronous. The wire models come from Microsoft's Teams SDK (``microsoft-teams-api``): inbound
activities are parsed with its ``ActivityTypeAdapter`` by the caller. Knows nothing of the bot.
"""

from integrations.teams.connector import ConnectorClient, TeamsMember
from integrations.teams.errors import TeamsApiError, TeamsAuthError, TeamsError
from integrations.teams.inbound_auth import BOT_FRAMEWORK_ISSUER, InboundTokenValidator, InvalidInboundToken
from integrations.teams.tokens import BOT_FRAMEWORK_SCOPE, BotTokenProvider

__all__ = [
    "BOT_FRAMEWORK_ISSUER",
    "BOT_FRAMEWORK_SCOPE",
    "BotTokenProvider",
    "ConnectorClient",
    "InboundTokenValidator",
    "InvalidInboundToken",
    "TeamsApiError",
    "TeamsAuthError",
    "TeamsError",
    "TeamsMember",
]
