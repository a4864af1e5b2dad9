"""Who may approve invoice drafts: ``approvals.approvers`` plus the members of
``approvals.approver_groups`` (asked of the chat platform through ``ApproverDirectory``, cached for
a few minutes so a busy approval queue costs one lookup per group, not one per click)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bot.config import ApprovalsConfig
from bot.services.invoicing.ports import ApproverDirectory

log = logging.getLogger(__name__)
CACHE_SECONDS = 300.0


class Approvers:
    def __init__(self, config: ApprovalsConfig, directory: Callable[[], ApproverDirectory],
                 cache_seconds: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self._directory = directory
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def is_approver(self, user_id: str) -> bool:
        if user_id in self.config.approvers:
            return True
        return any(user_id in self.members(group) for group in self.config.approver_groups)

    def members(self, group_id: str) -> frozenset[str]:
        now = self._clock()
        with self._lock:
            cached = self._groups.get(group_id)
            if cached is not None and now - cached[0] < self._cache_seconds:
                return cached[1]
        try:
            members = frozenset(self._directory().group_members(group_id))
        except Exception:  # the chat platform said no: keep the last answer we had, if any
            log.exception("approvers.group_lookup_failed", extra={"group": group_id})
            return cached[1] if cached is not None else frozenset()
        with self._lock:
            self._groups[group_id] = (now, members)
        return members
