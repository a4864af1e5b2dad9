"""The interactivity half of ``SlackRequestSigner``: a person clicks, submits, closes, types
into a select, or runs a shortcut, on a message or view taken from the stand-in's state."""

from __future__ import annotations

from typing import Any

from integrations.slack_sandbox.interaction_payloads import (
    action_json,
    find_element,
    message_container,
    submitted_values,
    view_container,
)
from integrations.slack_sandbox.signatures import SignedRequest
from integrations.slack_sandbox.surfaces import Message, View
from integrations.slack_sandbox.workspace import default_channels

_CHANNEL_NAMES = {c.id: c.name for c in default_channels()}


def _view_json(view: View | dict[str, Any]) -> dict[str, Any]:
    return view.to_api() if isinstance(view, View) else dict(view)


class InteractionBuilder:
    """Expects the signer's ``base_payload``, ``trigger_id``, ``response_url``, ``action_ts``, ``sign_payload``."""

    def base_payload(self, kind: str, user_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def trigger_id(self, user_id: str) -> str:
        raise NotImplementedError

    def response_url(self, channel_id: str, user_id: str, message_ts: str | None = None) -> str:
        raise NotImplementedError

    def action_ts(self) -> str:
        raise NotImplementedError

    def sign_payload(self, payload: dict[str, Any], timestamp: int | None = None) -> SignedRequest:
        raise NotImplementedError

    def block_actions(self, user_id: str, action_id: str, *, message: Message | None = None,
                      view: View | dict[str, Any] | None = None, selection: dict[str, Any] | None = None,
                      timestamp: int | None = None) -> SignedRequest:
        """``user_id`` used the element ``action_id`` in ``message`` or ``view`` (exactly one).

        ``selection`` adds what the element type reports, e.g. ``{"selected_option": {...}}``.
        """
        if (message is None) == (view is None):
            raise ValueError("give exactly one of message or view")
        payload = self.base_payload("block_actions", user_id)
        payload["trigger_id"] = self.trigger_id(user_id)
        if message is not None:
            blocks = message.blocks
            payload.update(self._message_context(user_id, message))
            payload["state"] = {"values": {}}
        else:
            view_json = _view_json(view or {})
            # Slack reports every input's current value, initial values included, as on submission.
            view_json["state"] = {"values": submitted_values(view_json)}
            blocks = view_json.get("blocks", [])
            payload.update(container=view_container(view_json), view=view_json)
        block_id, element = find_element(blocks, action_id)
        payload["actions"] = [action_json(block_id, element, self.action_ts(), selection)]
        return self.sign_payload(payload, timestamp)

    def view_submission(self, user_id: str, view: View | dict[str, Any],
                        values: dict[str, dict[str, Any]] | None = None, *,
                        timestamp: int | None = None) -> SignedRequest:
        """``user_id`` pressed Submit; inputs carry their initial values unless ``values`` overrides them."""
        view_json = _view_json(view)
        view_json["state"] = {"values": submitted_values(view_json, values)}
        payload = self.base_payload("view_submission", user_id)
        payload.update(trigger_id=self.trigger_id(user_id), view=view_json, response_urls=[])
        return self.sign_payload(payload, timestamp)

    def view_closed(self, user_id: str, view: View | dict[str, Any], *, is_cleared: bool = False,
                    timestamp: int | None = None) -> SignedRequest:
        """Sent only for views opened with ``notify_on_close: true``."""
        payload = self.base_payload("view_closed", user_id)
        payload.update(view=_view_json(view), is_cleared=is_cleared)
        return self.sign_payload(payload, timestamp)

    def block_suggestion(self, user_id: str, action_id: str, value: str, *, view: View | dict[str, Any] | None = None,
                         message: Message | None = None, timestamp: int | None = None) -> SignedRequest:
        """An external_select asks for options matching what the user typed (``value``)."""
        payload = self.base_payload("block_suggestion", user_id)
        if view is not None:
            view_json = _view_json(view)
            blocks = view_json.get("blocks", [])
            payload.update(container=view_container(view_json), view=view_json)
        elif message is not None:
            blocks = message.blocks
            payload.update(self._message_context(user_id, message))
            del payload["response_url"]
        else:
            raise ValueError("give a view or a message")
        block_id, _ = find_element(blocks, action_id)
        payload.update(action_id=action_id, block_id=block_id, value=value, action_ts=self.action_ts())
        return self.sign_payload(payload, timestamp)

    def shortcut(self, user_id: str, callback_id: str, *, timestamp: int | None = None) -> SignedRequest:
        """A global shortcut: no channel and no response_url."""
        payload = self.base_payload("shortcut", user_id)
        payload.update(callback_id=callback_id, trigger_id=self.trigger_id(user_id), action_ts=self.action_ts())
        return self.sign_payload(payload, timestamp)

    def message_action(self, user_id: str, callback_id: str, message: Message, *,
                       timestamp: int | None = None) -> SignedRequest:
        """A message shortcut on ``message``."""
        payload = self.base_payload("message_action", user_id)
        payload.update(
            callback_id=callback_id, trigger_id=self.trigger_id(user_id), action_ts=self.action_ts(),
            channel={"id": message.channel, "name": self._channel_name(message.channel)},
            message_ts=message.ts, message=message.to_api(),
            response_url=self.response_url(message.channel, user_id, message.ts),
        )
        return self.sign_payload(payload, timestamp)

    def _message_context(self, user_id: str, message: Message) -> dict[str, Any]:
        message_json = message.to_api()
        return {
            "container": message_container(message.channel, message_json, message.is_ephemeral),
            "channel": {"id": message.channel, "name": self._channel_name(message.channel)},
            "message": message_json,
            "response_url": self.response_url(message.channel, user_id, message.ts),
        }

    @staticmethod
    def _channel_name(channel_id: str) -> str:
        return "directmessage" if channel_id.startswith("D") else _CHANNEL_NAMES.get(channel_id, channel_id.lower())
