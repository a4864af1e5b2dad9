"""The stand-in's workspace: team, app, bot user, people, user groups and channels.

Defaults mirror ``integrations.demo_data.USERS`` (same emails, ``slack_id`` as the user id) and
the channels the demo ``app.yml`` names; factories accept their own lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from integrations.demo_data import USERS as DEMO_USERS

TEAM_ID = "T0PAIDUP"
TEAM_NAME = "Paidup Demo"
TEAM_DOMAIN = "paidup-demo"
TEAM_URL = f"https://{TEAM_DOMAIN}.slack.com/"
APP_ID = "A0PAIDUPAPP"
BOT_USER_ID = "U0PAIDUPBOT"
BOT_ID = "B0PAIDUPBOT"
BOT_NAME = "paidup"
FINANCE_GROUP_ID = "S0FINANCE"
CREATED = 1_700_000_000  # when the demo workspace and its objects were "created"
BOT_SCOPES = (
    "chat:write", "chat:write.public", "commands", "im:write", "im:history", "app_mentions:read",
    "users:read", "users:read.email", "usergroups:read", "channels:read", "groups:read",
    "files:write", "links:read", "links:write",
)
_TIME_ZONES = {"U0REP0001": "America/New_York", "U0REP0002": "America/Los_Angeles"}
_TZ_DETAILS = {
    "America/New_York": ("Eastern Standard Time", -18000),
    "America/Los_Angeles": ("Pacific Standard Time", -28800),
    "Europe/London": ("Greenwich Mean Time", 0),
}


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str  # the handle ("rita.rep")
    real_name: str
    email: str | None
    tz: str = "Europe/London"
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    bot_id: str | None = None


@dataclass(frozen=True)
class Usergroup:
    id: str
    handle: str
    name: str
    users: tuple[str, ...]
    description: str = ""
    disabled: bool = False


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_general: bool = False
    members: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class TokenIdentity:
    """Who a token speaks for: the app's bot user (xoxb-) or the app itself (xapp-)."""

    kind: Literal["bot", "app"]
    user_id: str | None
    bot_id: str | None
    app_id: str = APP_ID
    team_id: str = TEAM_ID


def bot_user() -> SlackUser:
    return SlackUser(BOT_USER_ID, BOT_NAME, "Paidup", None, is_bot=True, bot_id=BOT_ID)


def default_users() -> list[SlackUser]:
    """The demo Salesforce users (same email, id = slack_id) and the app's bot user."""
    people = [
        SlackUser(u.slack_id, u.email.split("@")[0], u.name, u.email,
                  tz=_TIME_ZONES.get(u.slack_id, "Europe/London"), deleted=not u.is_active)
        for u in DEMO_USERS
    ]
    return [*people, bot_user()]


def default_usergroups() -> list[Usergroup]:
    return [Usergroup(FINANCE_GROUP_ID, "finance", "Finance", ("U0FINANCE1",), "Invoice approvers")]


def default_channels() -> list[Channel]:
    people = tuple(u.id for u in default_users())
    return [
        Channel("C0GENERAL", "general", is_general=True, members=people),
        Channel("C0FINANCE", "finance", members=people),
        Channel("C0ALERTS", "receivables", members=people),
        Channel("C0OPS", "paidup-ops", members=people),
        Channel("C0SALES", "sales", members=people),
    ]


def user_json(user: SlackUser) -> dict[str, Any]:
    """A user object as users.info / users.lookupByEmail return it."""
    tz_label, tz_offset = _TZ_DETAILS.get(user.tz, (user.tz, 0))
    first, _, last = user.real_name.partition(" ")
    profile: dict[str, Any] = {
        "real_name": user.real_name, "real_name_normalized": user.real_name,
        "display_name": "" if user.is_bot else user.name, "display_name_normalized": "" if user.is_bot else user.name,
        "first_name": first, "last_name": last, "title": "", "phone": "", "skype": "", "fields": None,
        "status_text": "", "status_emoji": "", "status_expiration": 0, "avatar_hash": "g" + user.id[-11:].lower(),
        "image_24": f"https://avatars.slack-edge.com/{user.id}_24.png",
        "image_72": f"https://avatars.slack-edge.com/{user.id}_72.png", "team": TEAM_ID,
    }
    if user.email is not None:
        profile["email"] = user.email
    if user.is_bot:
        profile.update(bot_id=user.bot_id or BOT_ID, api_app_id=APP_ID, always_active=True)
    return {
        "id": user.id, "team_id": TEAM_ID, "name": user.name, "deleted": user.deleted, "color": "9f69e7",
        "real_name": user.real_name, "tz": user.tz, "tz_label": tz_label, "tz_offset": tz_offset,
        "profile": profile, "is_admin": user.is_admin, "is_owner": False, "is_primary_owner": False,
        "is_restricted": False, "is_ultra_restricted": False, "is_bot": user.is_bot, "is_app_user": False,
        "updated": CREATED, "has_2fa": False,
    }


def usergroup_json(group: Usergroup, include_users: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": group.id, "team_id": TEAM_ID, "is_usergroup": True, "is_subteam": True, "name": group.name,
        "description": group.description, "handle": group.handle, "is_external": False,
        "date_create": CREATED, "date_update": CREATED, "date_delete": CREATED + 1 if group.disabled else 0,
        "auto_type": None, "auto_provision": False, "enterprise_subteam_id": "", "created_by": BOT_USER_ID,
        "updated_by": BOT_USER_ID, "deleted_by": None, "prefs": {"channels": [], "groups": []},
        "user_count": len(group.users),
    }
    if include_users:
        body["users"] = list(group.users)
    return body


def channel_json(channel: Channel) -> dict[str, Any]:
    """A public or private channel as conversations.info returns it."""
    empty_topic = {"value": "", "creator": "", "last_set": 0}
    return {
        "id": channel.id, "name": channel.name, "name_normalized": channel.name, "created": CREATED,
        "creator": BOT_USER_ID, "is_archived": False, "is_channel": not channel.is_private,
        "is_group": channel.is_private, "is_general": channel.is_general, "is_mpim": False, "is_im": False,
        "is_private": channel.is_private, "is_shared": False, "is_ext_shared": False, "is_org_shared": False,
        "is_pending_ext_shared": False, "is_member": BOT_USER_ID in channel.members,
        "topic": empty_topic, "purpose": empty_topic, "num_members": len(channel.members),
    }


def im_json(channel_id: str, user_id: str) -> dict[str, Any]:
    """The bot's direct-message conversation with a user, as conversations.info returns it."""
    return {
        "id": channel_id, "created": CREATED, "is_im": True, "is_org_shared": False, "user": user_id,
        "priority": 0, "is_archived": False, "is_open": True, "is_user_deleted": False,
    }
