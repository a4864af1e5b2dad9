"""A local stand-in for Microsoft's side of a Teams bot: the Entra token endpoint, the Bot Framework
OpenID metadata and signing keys, and the Bot Connector REST API that records every reply and card
update (``server.py``); ``TeamsChannel`` (``channel.py``) builds the activities Teams would send, each
signed as the Bot Framework signs them (or deliberately not).

    state, app = create_teams_sandbox()
    with LoopbackServer(app) as server:
        channel = TeamsChannel(state, server.url)

It follows the Bot Framework's published protocol (``specs/teams/FACTS.md``), not Paidup's client.
"""

from integrations.teams_sandbox.channel import TOKEN_VARIANTS, TeamsChannel, TokenVariant
from integrations.teams_sandbox.server import (
    DEFAULT_APP_ID,
    DEFAULT_APP_PASSWORD,
    DEFAULT_TENANT_ID,
    create_teams_sandbox,
)
from integrations.teams_sandbox.state import ConnectorCall, PostedActivity, TeamsState, TeamsUser

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_APP_PASSWORD",
    "DEFAULT_TENANT_ID",
    "TOKEN_VARIANTS",
    "ConnectorCall",
    "PostedActivity",
    "TeamsChannel",
    "TeamsState",
    "TeamsUser",
    "TokenVariant",
    "create_teams_sandbox",
]
