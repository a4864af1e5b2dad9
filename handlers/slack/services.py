"""What the Slack listeners get from the bot: a narrow port, built by the composition root.

``find(name)`` returns the named service of the running bot (``Paidup.<name>``) or None while it is
not built; listeners never reach past this port (no SQL, no Xero or Salesforce calls here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from handlers.common.dispatch import Route
from handlers.slack.dispatch import ROUTES
from handlers.slack.replies import Visibility


@dataclass(frozen=True)
class SlackServices:
    command: str  # the slash command from app.yml, e.g. "/paidup"
    answers: Visibility  # who sees an answer by default (slack.answers)
    first_time: Callable[[str], bool]  # an event key → True the first time it is seen, False for a repeat
    find: Callable[[str], object | None]  # a service by name, None when the bot has no such service yet
    routes: Mapping[str, Route] = field(default_factory=lambda: ROUTES)  # sub-command → answer (dispatch.py)
