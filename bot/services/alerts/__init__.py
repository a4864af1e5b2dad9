"""Scheduled and event-driven alerts, chat-agnostic: the overdue digest (channel and owner DMs),
payment notices (from the sync outbox, right after a webhook fetch), failed-sync alerts with
retry and ignore; snooze, promise to pay and "remind me when paid".

``service.AlertService`` is the entry point (``Paidup.alerts``); ``port.AlertDelivery`` is what a
chat adapter implements; ``alert_log`` makes every post happen once.
"""

from bot.services.alerts.jobs import AlertChannels, JobResult
from bot.services.alerts.port import AlertDelivery, MessageRef, Recipient
from bot.services.alerts.service import JOBS, AlertService, FailureOutcome

__all__ = ["JOBS", "AlertChannels", "AlertDelivery", "AlertService", "FailureOutcome", "JobResult", "MessageRef",
           "Recipient"]
