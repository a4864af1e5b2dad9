"""Interactivity payloads as Slack sends them (block_actions, view_submission, view_closed,
block_suggestion, shortcut, message_action), built from what the user sees in the stand-in.

Field shapes follow Slack's interaction payload reference: ``user{id,username,name,team_id}``,
``team{id,domain}``, ``api_app_id``, ``token``, ``trigger_id``, ``container``, ``actions[]``,
``view{id,hash,callback_id,private_metadata,state{values}}``, ``response_url``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from integrations.slack_sandbox.workspace import APP_ID, TEAM_DOMAIN, TEAM_ID


@dataclass(frozen=True)
class AppContext:
    """The workspace and app a request comes from."""

    team_id: str = TEAM_ID
    team_domain: str = TEAM_DOMAIN
    api_app_id: str = APP_ID
    verification_token: str = "sandbox-verification-token"  # noqa: S105 - Slack's deprecated `token` field


def user_json(user_id: str, user_name: str, app: AppContext) -> dict[str, Any]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": app.team_id}


def base_payload(kind: str, user_id: str, user_name: str, app: AppContext) -> dict[str, Any]:
    return {
        "type": kind, "user": user_json(user_id, user_name, app), "api_app_id": app.api_app_id,
        "token": app.verification_token, "team": {"id": app.team_id, "domain": app.team_domain},
        "enterprise": None, "is_enterprise_install": False,
    }


def find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]]:
    """(block_id, element) of the interactive element with ``action_id`` in a message's or view's blocks."""
    for block in blocks:
        elements = [block.get("accessory"), block.get("element"), *(block.get("elements") or [])]
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return str(block.get("block_id", "")), element
    raise LookupError(f"no element with action_id {action_id!r} in these blocks")


def action_json(block_id: str, element: dict[str, Any], action_ts: str,
                selection: dict[str, Any] | None = None) -> dict[str, Any]:
    """One entry of ``actions[]``: what the element was and what the user chose.

    ``selection`` carries what Slack adds for the element type, e.g. ``{"selected_option": {...}}``,
    ``{"selected_date": "2026-05-01"}``, ``{"value": "typed"}``; a button's value comes from the element.
    """
    action: dict[str, Any] = {"type": element.get("type"), "block_id": block_id,
                              "action_id": element.get("action_id"), "action_ts": action_ts}
    for key in ("text", "value", "style"):
        if key in element:
            action[key] = element[key]
    if "placeholder" in element:
        action["placeholder"] = element["placeholder"]
    action.update(selection or {})
    return action


def message_container(channel_id: str, message: dict[str, Any], is_ephemeral: bool) -> dict[str, Any]:
    container = {"type": "message", "message_ts": message["ts"], "channel_id": channel_id, "is_ephemeral": is_ephemeral}
    if message.get("thread_ts"):
        container["thread_ts"] = message["thread_ts"]
    return container


def view_container(view: dict[str, Any]) -> dict[str, Any]:
    return {"type": "view", "view_id": view["id"]}


def submitted_values(view: dict[str, Any], entered: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """``view.state.values`` as Slack submits it: every input's initial value, then what the user entered.

    ``entered`` maps block_id -> action_id -> the value object (``{"value": "x"}``,
    ``{"selected_option": {...}}``, ...); the element ``type`` is filled in from the view.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        element = block.get("element") if block.get("type") == "input" else None
        if isinstance(element, dict) and "action_id" in element:
            values.setdefault(str(block.get("block_id", "")), {})[element["action_id"]] = _initial_value(element)
    for block_id, actions in (entered or {}).items():
        for action_id, value in actions.items():
            current = values.setdefault(block_id, {}).setdefault(action_id, {})
            current.update(value)
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        for action_id, value in actions.items():
            if action_id not in (entered or {}).get(block_id, {}):
                values.setdefault(block_id, {}).setdefault(action_id, {}).update(value)
    return values


def _initial_value(element: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type", "")
    value: dict[str, Any] = {"type": kind}
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        value["value"] = element.get("initial_value")
    elif kind == "datepicker":
        value["selected_date"] = element.get("initial_date")
    elif kind == "timepicker":
        value["selected_time"] = element.get("initial_time")
    elif kind in ("static_select", "external_select", "radio_buttons"):
        value["selected_option"] = element.get("initial_option")
    elif kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        value["selected_options"] = element.get("initial_options", [])
    elif kind == "users_select":
        value["selected_user"] = element.get("initial_user")
    elif kind == "conversations_select":
        value["selected_conversation"] = element.get("initial_conversation")
    elif kind == "channels_select":
        value["selected_channel"] = element.get("initial_channel")
    return value
