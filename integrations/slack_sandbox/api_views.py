"""views.open, views.push, views.update and views.publish: modals and Home tabs.

Slack refuses a malformed view with ``invalid_arguments`` and the broken rules listed in
``response_metadata.messages`` ("[ERROR] must be less than 25 characters [json-pointer:/view/title/text]").
"""

from __future__ import annotations

from typing import Any

from integrations.slack_sandbox.block_kit import check_view
from integrations.slack_sandbox.method_call import MethodCall, MethodHandler, SlackApiFailure, invalid_arguments
from integrations.slack_sandbox.view_stacks import ViewError


def _view_definition(call: MethodCall, expected_type: str | None) -> dict[str, Any]:
    view = call.params.get("view")
    if not isinstance(view, dict):
        raise invalid_arguments("missing or malformed `view` [json-pointer:/view]")
    errors = check_view(view)
    if expected_type is not None and not errors and view.get("type") != expected_type:
        errors = [f"must be `{expected_type}` for this method [json-pointer:/view/type]"]
    if errors:
        raise invalid_arguments(*errors)
    return view


def _refusal(error: ViewError) -> SlackApiFailure:
    if error.message is not None:
        return SlackApiFailure(error.error, response_metadata={"messages": [f"[ERROR] {error.message}"]})
    return SlackApiFailure(error.error)


def open_view(call: MethodCall) -> dict[str, Any]:
    definition = _view_definition(call, "modal")
    try:
        user_id = call.state.exchange_trigger(call.text("trigger_id"))
        view = call.state.open_modal(user_id, definition)
    except ViewError as error:
        raise _refusal(error) from error
    return {"ok": True, "view": view.to_api()}


def push_view(call: MethodCall) -> dict[str, Any]:
    definition = _view_definition(call, "modal")
    try:
        user_id = call.state.exchange_trigger(call.text("trigger_id") or call.text("interactivity_pointer"))
        view = call.state.push_modal(user_id, definition)
    except ViewError as error:
        raise _refusal(error) from error
    return {"ok": True, "view": view.to_api()}


def update_view(call: MethodCall) -> dict[str, Any]:
    definition = _view_definition(call, None)
    try:
        view = call.state.update_view(definition, view_id=call.text("view_id") or None,
                                      external_id=call.text("external_id") or None,
                                      view_hash=call.text("hash") or None)
    except ViewError as error:
        raise _refusal(error) from error
    return {"ok": True, "view": view.to_api()}


def publish_view(call: MethodCall) -> dict[str, Any]:
    user_id = call.text("user_id", missing="invalid_arguments")
    definition = _view_definition(call, "home")
    if call.state.user(user_id) is None:
        raise SlackApiFailure("user_not_found")
    try:
        view = call.state.publish_home(user_id, definition, view_hash=call.text("hash") or None)
    except ViewError as error:
        raise _refusal(error) from error
    return {"ok": True, "view": view.to_api()}


VIEW_METHODS: dict[str, MethodHandler] = {
    "views.open": open_view,
    "views.push": push_view,
    "views.update": update_view,
    "views.publish": publish_view,
}
