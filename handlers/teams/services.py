"""What the Teams handlers get from the bot: a narrow port built by the composition root.

``find(name)`` returns the named service of the running bot (``Paidup.<name>``) or None while it is
not built; ``connector`` sends and updates activities (the Bot Connector REST API, implemented in
``integrations.teams``). Handlers never reach past this port: no SQL, no HTTP, no Xero or Salesforce.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Member(Protocol):
    """A conversation member as the connector describes one (``TeamsChannelAccount``)."""

    @property
    def name(self) -> str | None: ...
    @property
    def aad_object_id(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def user_principal_name(self) -> str | None: ...


class TeamsConnector(Protocol):
    def send(self, service_url: str, conversation_id: str, activity: dict[str, Any]) -> str: ...

    def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None: ...

    def member(self, service_url: str, conversation_id: str, member_id: str) -> Member | None: ...

    def open_personal_chat(self, service_url: str, tenant_id: str, bot_id: str, member_id: str) -> str: ...


@dataclass(frozen=True)
class TeamsServices:
    connector: TeamsConnector
    find: Callable[[str], object | None]  # a service by name, None when the bot has no such service yet
    app_name: str = "Paidup"  # how people @mention the bot
    approvers: frozenset[str] = field(default_factory=frozenset)  # AAD object ids and lower-case emails
    report_managers: frozenset[str] = field(default_factory=frozenset)  # the same, for team and all reports
