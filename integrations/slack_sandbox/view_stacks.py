"""Modal stacks and Home tabs per user, trigger exchange, and what a user's clicks do to views."""

from __future__ import annotations

import copy
from typing import Any

from integrations.slack_sandbox.core import StateCore
from integrations.slack_sandbox.ids import new_hash, parse_trigger_id
from integrations.slack_sandbox.surfaces import SurfaceChange, SurfaceChangeKind, View

MAX_STACK = 3  # a root modal plus two pushed views


class ViewError(Exception):
    """A views.* call Slack would refuse; ``error`` is Slack's error code."""

    def __init__(self, error: str, message: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.message = message


class ViewDesk(StateCore):
    trigger_ttl: float | None = None  # Slack's is 3 s; None (default) lets slow tests through
    _stacks: dict[str, list[View]]
    _homes: dict[str, View]
    _views: dict[str, View]
    _used_triggers: set[str]
    _view_count: int

    def _reset_views(self) -> None:
        with self._lock:
            self._stacks, self._homes, self._views, self._used_triggers = {}, {}, {}, set()
            self._view_count = 0

    # --- what views.* calls do -------------------------------------------------------------

    def exchange_trigger(self, trigger_id: str) -> str:
        """The user a trigger belongs to, using it up; raises ViewError as Slack refuses bad triggers."""
        trigger = parse_trigger_id(trigger_id)
        if trigger is None:
            raise ViewError("invalid_arguments", "invalid `trigger_id`")
        with self._lock:
            if trigger_id in self._used_triggers:
                raise ViewError("exchanged_trigger_id")
            if self.trigger_ttl is not None and self.now() - trigger.issued_at > self.trigger_ttl:
                raise ViewError("expired_trigger_id")
            self._used_triggers.add(trigger_id)
        return trigger.user_id

    def open_modal(self, user_id: str, definition: dict[str, Any]) -> View:
        """A new modal for ``user_id`` (any modal they had open is replaced)."""
        with self._lock:
            self._check_external_id(definition, None)
            for old in self._stacks.get(user_id, []):
                old.closed = True
            view = self._new_view(user_id, definition, root_view_id=None, previous_view_id=None)
            self._stacks[user_id] = [view]
        return self._announce("view_opened", view)

    def push_modal(self, user_id: str, definition: dict[str, Any]) -> View:
        with self._lock:
            stack = self._stacks.get(user_id) or []
            if not stack:
                raise ViewError("invalid_arguments", "no open view to push onto")
            if len(stack) >= MAX_STACK:
                raise ViewError("push_limit_reached")
            self._check_external_id(definition, None)
            view = self._new_view(user_id, definition, root_view_id=stack[0].id, previous_view_id=stack[-1].id)
            stack.append(view)
        return self._announce("view_pushed", view)

    def update_view(self, definition: dict[str, Any], *, view_id: str | None = None,
                    external_id: str | None = None, view_hash: str | None = None) -> View:
        """Replace a view's content (views.update); a stale ``view_hash`` raises hash_conflict."""
        with self._lock:
            view = self._live_view(view_id, external_id)
            if view_hash and view_hash != view.hash:
                raise ViewError("hash_conflict")
            self._check_external_id(definition, view.id)
            self._replace(view, definition)
        return self._announce("view_updated", view)

    def publish_home(self, user_id: str, definition: dict[str, Any], view_hash: str | None = None) -> View:
        with self._lock:
            home = self._homes.get(user_id)
            if home is not None and view_hash and view_hash != home.hash:
                raise ViewError("hash_conflict")
            if home is None:
                home = self._new_view(user_id, definition, root_view_id=None, previous_view_id=None)
                self._homes[user_id] = home
            else:
                self._replace(home, definition)
        return self._announce("home_published", home)

    # --- what a person does in Slack (the terminal client and tests drive these) ---------

    def set_view_values(self, view_id: str, values: dict[str, dict[str, Any]]) -> View:
        """Record what the user entered: ``{block_id: {action_id: {"type": ..., "value": ...}}}``."""
        with self._lock:
            view = self._live_view(view_id, None)
            for block_id, actions in values.items():
                view.values.setdefault(block_id, {}).update(copy.deepcopy(actions))
            return copy.deepcopy(view)

    def close_view(self, view_id: str) -> None:
        """The user closed (or Slack dismissed) ``view_id`` and every view pushed above it."""
        with self._lock:
            view = self._live_view(view_id, None)
            stack = self._stacks.get(view.user_id, [])
            index = next((i for i, v in enumerate(stack) if v.id == view_id), None)
            if index is None:
                raise ViewError("not_found", "only modals can be closed")
            closed = stack[index:]
            del stack[index:]
            for item in closed:
                item.closed = True
        for item in reversed(closed):
            self._announce("view_closed", item)

    def close_all_views(self, user_id: str) -> None:
        stack = self.view_stack_for(user_id)
        if stack:
            self.close_view(stack[0].id)

    def apply_submission_ack(self, view_id: str, ack_body: dict[str, Any] | None) -> View | None:
        """What Slack does with the app's answer to a view_submission; returns the view now on top."""
        body = ack_body or {}
        action = body.get("response_action")
        with self._lock:
            user_id = self._live_view(view_id, None).user_id
        if action == "errors":
            with self._lock:
                self._live_view(view_id, None).errors = dict(body.get("errors") or {})
        elif action == "update":
            self.update_view(body["view"], view_id=view_id)
        elif action == "push":
            self.push_modal(user_id, body["view"])
        elif action == "clear":
            self.close_all_views(user_id)
        else:
            self.close_view(view_id)
        return self.open_view_for(user_id)

    # --- reading ---------------------------------------------------------------------------

    def open_view_for(self, user_id: str) -> View | None:
        """The modal the user is looking at (top of their stack), or None."""
        with self._lock:
            stack = self._stacks.get(user_id) or []
            return copy.deepcopy(stack[-1]) if stack else None

    def view_stack_for(self, user_id: str) -> list[View]:
        with self._lock:
            return copy.deepcopy(self._stacks.get(user_id) or [])

    def home_for(self, user_id: str) -> View | None:
        with self._lock:
            return copy.deepcopy(self._homes.get(user_id))

    def view(self, view_id: str) -> View | None:
        with self._lock:
            return copy.deepcopy(self._views.get(view_id))

    # --- internals -------------------------------------------------------------------------

    def _new_view(self, user_id: str, definition: dict[str, Any], *, root_view_id: str | None,
                  previous_view_id: str | None) -> View:
        self._view_count += 1
        view_id = f"V{self._view_count:010d}"
        view = View(view_id, user_id, copy.deepcopy(definition), new_hash(self.now()),
                    root_view_id or view_id, previous_view_id)
        self._views[view_id] = view
        return view

    def _replace(self, view: View, definition: dict[str, Any]) -> None:
        """New content and hash; entered values survive where block_id and action_id stay the same."""
        kept = {key for b in definition.get("blocks", []) if isinstance(b, dict) for key in _value_keys(b)}
        view.values = {b: {a: v for a, v in acts.items() if (b, a) in kept} for b, acts in view.values.items()}
        view.values = {b: acts for b, acts in view.values.items() if acts}
        external_id = view.external_id
        view.definition = copy.deepcopy(definition)
        if external_id and "external_id" not in definition:
            view.definition["external_id"] = external_id  # the view keeps the id it was found by
        view.hash = new_hash(self.now())
        view.errors = {}

    def _live_view(self, view_id: str | None, external_id: str | None) -> View:
        if not view_id and not external_id:
            raise ViewError("invalid_arguments", "either view_id or external_id is required")
        for view in self._views.values():
            if not view.closed and (view.id == view_id or (external_id and view.external_id == external_id)):
                return view
        raise ViewError("not_found")

    def _check_external_id(self, definition: dict[str, Any], own_view_id: str | None) -> None:
        external_id = definition.get("external_id")
        if external_id and any(v.external_id == external_id and v.id != own_view_id and not v.closed
                               for v in self._views.values()):
            raise ViewError("duplicate_external_id")

    def _announce(self, kind: SurfaceChangeKind, view: View) -> View:
        with self._lock:
            snapshot = copy.deepcopy(view)
        self._notify(SurfaceChange(kind, view=snapshot))
        return snapshot


def _value_keys(block: dict[str, Any]) -> list[tuple[str, str]]:
    """(block_id, action_id) of every element in a block that can hold a value in view.state."""
    elements = [block.get("element"), block.get("accessory"), *(block.get("elements") or [])]
    block_id = str(block.get("block_id", ""))
    return [(block_id, str(e["action_id"])) for e in elements if isinstance(e, dict) and "action_id" in e]
