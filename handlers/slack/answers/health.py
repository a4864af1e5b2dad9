"""`/paidup health`: calls ``Paidup.health_report`` once and renders ``blocks/health.py``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.services.health import Health
from handlers.slack.blocks.health import health_blocks, health_text
from handlers.slack.questions import Question
from handlers.slack.replies import Reply


@runtime_checkable
class HealthSource(Protocol):
    """What ``bot.app.HealthReport`` offers (named here so handlers never import the composition root)."""

    stale_after: timedelta
    clock: Callable[[], datetime]

    def check(self) -> Health: ...


def answer_health(service: object, question: Question) -> Reply:
    assert isinstance(service, HealthSource)
    report, now = service.check(), service.clock()
    return Reply(health_text(report, now, service.stale_after), health_blocks(report, now, service.stale_after))
