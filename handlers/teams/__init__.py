"""The Microsoft Teams adapter: the same answers as Slack, as Adaptive Cards, on the same services.

``TeamsBot`` (``bot.py``) takes one authenticated activity (``microsoft_teams.api`` models) and answers
it through the ``TeamsServices`` port; ``answers.py`` (text → card), ``actions.py`` (card buttons by
verb), ``cards/`` (pure Adaptive Card builders). Composed in ``bot/chat/teams_app.py``.
"""

from handlers.teams.bot import InvokeResult, TeamsBot
from handlers.teams.services import TeamsConnector, TeamsServices

__all__ = ["InvokeResult", "TeamsBot", "TeamsConnector", "TeamsServices"]
