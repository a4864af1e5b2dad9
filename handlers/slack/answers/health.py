"""`/paidup health`: calls ``Paidup.health_report`` once and renders ``blocks/health.py``."""

from __future__ import annotations

from handlers.common.desks import HealthSource
from handlers.common.health_text import health_text
from handlers.common.questions import Question
from handlers.slack.blocks.health import health_blocks
from handlers.slack.replies import Reply


def answer_health(service: object, question: Question) -> Reply:
    assert isinstance(service, HealthSource)
    report, now = service.check(), service.clock()
    return Reply(health_text(report, now, service.stale_after), health_blocks(report, now, service.stale_after))
