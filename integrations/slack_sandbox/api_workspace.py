"""auth.test, apps.connections.open, users.*, usergroups.* and conversations.*: who and where."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import urlsplit

from integrations.slack_sandbox.ids import dm_channel_id
from integrations.slack_sandbox.method_call import MethodCall, MethodHandler, SlackApiFailure
from integrations.slack_sandbox.workspace import (
    APP_ID,
    BOT_NAME,
    TEAM_NAME,
    TEAM_URL,
    Channel,
    channel_json,
    im_json,
    user_json,
    usergroup_json,
)


def auth_test(call: MethodCall) -> dict[str, Any]:
    """Who the token is; fields as the published auth.test success schema declares them."""
    identity = call.identity
    user = call.state.user(identity.user_id) if identity.user_id else None
    body: dict[str, Any] = {"ok": True, "url": TEAM_URL, "team": TEAM_NAME, "user": user.name if user else BOT_NAME,
                            "team_id": identity.team_id, "user_id": identity.user_id or "",
                            "is_enterprise_install": False}
    if identity.bot_id is not None:
        body["bot_id"] = identity.bot_id
    return body


def open_socket_connection(call: MethodCall) -> dict[str, Any]:
    """A Socket Mode URL (the stand-in serves no WebSocket there; this only answers the handshake call)."""
    host = urlsplit(call.base_url).netloc
    return {"ok": True, "url": f"ws://{host}/link/?ticket={secrets.token_hex(16)}&app_id={APP_ID}"}


def users_info(call: MethodCall) -> dict[str, Any]:
    user = call.state.user(call.text("user", missing="user_not_found"))
    if user is None:
        raise SlackApiFailure("user_not_found")
    return {"ok": True, "user": user_json(user)}


def users_lookup_by_email(call: MethodCall) -> dict[str, Any]:
    """Slack answers users_not_found for a deactivated user too (users.info still shows them, deleted)."""
    user = call.state.user_by_email(call.text("email", missing="users_not_found"))
    if user is None or user.deleted:
        raise SlackApiFailure("users_not_found")
    return {"ok": True, "user": user_json(user)}


def users_list(call: MethodCall) -> dict[str, Any]:
    members = [user_json(u) for u in call.state.users()]
    return {"ok": True, "members": members, "cache_ts": int(call.state.now()),
            "response_metadata": {"next_cursor": ""}}


def usergroups_list(call: MethodCall) -> dict[str, Any]:
    include_disabled, include_users = call.flag("include_disabled"), call.flag("include_users")
    groups = [usergroup_json(g, include_users) for g in call.state.usergroups() if include_disabled or not g.disabled]
    return {"ok": True, "usergroups": groups}


def usergroups_users_list(call: MethodCall) -> dict[str, Any]:
    group = call.state.usergroup(call.text("usergroup", missing="no_such_subteam"))
    if group is None or (group.disabled and not call.flag("include_disabled")):
        raise SlackApiFailure("no_such_subteam")
    return {"ok": True, "users": list(group.users)}


def conversations_open(call: MethodCall) -> dict[str, Any]:
    if call.text("channel"):
        return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": call.channel()}}
    user_ids = [u.strip() for u in call.text("users", missing="users_list_not_supplied").split(",") if u.strip()]
    for user_id in user_ids:
        user = call.state.user(user_id)
        if user is None:
            raise SlackApiFailure("user_not_found")
        if user.deleted:
            raise SlackApiFailure("user_disabled")
    if len(user_ids) > 8:
        raise SlackApiFailure("too_many_users")
    channel_id = dm_channel_id(user_ids[0]) if len(user_ids) == 1 else _open_group_dm(call, user_ids)
    channel: dict[str, Any] = {"id": channel_id}
    if call.flag("return_im") and len(user_ids) == 1:
        channel = im_json(channel_id, user_ids[0])
    return {"ok": True, "no_op": True, "already_open": True, "channel": channel}


def _open_group_dm(call: MethodCall, user_ids: list[str]) -> str:
    members = tuple(sorted({*user_ids, call.identity.user_id or ""} - {""}))
    channel_id = "G" + hashlib.sha256(",".join(members).encode()).hexdigest()[:10].upper()
    name = "mpdm-" + "--".join(members) + "-1"
    call.state.add_channel(Channel(channel_id, name, is_private=True, members=members))
    return channel_id


def conversations_info(call: MethodCall) -> dict[str, Any]:
    channel_id = call.text("channel", missing="channel_not_found")
    channel = call.state.channel(channel_id)
    if channel is not None:
        return {"ok": True, "channel": channel_json(channel)}
    dm_user = call.state.dm_user(channel_id)
    if dm_user is not None:
        return {"ok": True, "channel": im_json(channel_id, dm_user)}
    raise SlackApiFailure("channel_not_found")


WORKSPACE_METHODS: dict[str, MethodHandler] = {
    "auth.test": auth_test,
    "apps.connections.open": open_socket_connection,
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
    "users.list": users_list,
    "usergroups.list": usergroups_list,
    "usergroups.users.list": usergroups_users_list,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
}
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
