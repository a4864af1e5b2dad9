"""What the answers need from the bot, named here so the chat adapters never import the composition
root: the status desk, the overdue desk and the health report. Built by ``bot.app.Paidup``
(``status_desk``, ``overdue_desk``, ``health_report``); Slack and Teams render from them alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.services.health import Health
from bot.services.overdue import OverdueService
from bot.services.people import PeopleService, ProfileLookup
from bot.services.status import StatusService


def no_salesforce_url() -> str | None:
    return None


@dataclass(frozen=True)
class StatusDesk:
    """What the status card needs: the status service, and the Salesforce org's URL for the account
    link (None before the first Salesforce sign-in). Built by the composition root (``Paidup.status_desk``)."""

    status: StatusService
    salesforce_url: Callable[[], str | None] = field(default=no_salesforce_url)


@dataclass(frozen=True)
class OverdueDesk:
    """What the overdue answer needs: the overdue list, who the asker is in Salesforce, and how to
    ask the chat for a user's profile. Built by the composition root (``Paidup.overdue_desk``)."""

    overdue: OverdueService
    people: PeopleService
    lookup: ProfileLookup


@runtime_checkable
class HealthSource(Protocol):
    """What ``bot.app.HealthReport`` offers."""

    stale_after: timedelta
    clock: Callable[[], datetime]

    def check(self) -> Health: ...
