"""The Microsoft Teams app manifest (manifest.json) for the current app.yml and TEAMS_APP_ID, and
the app package Teams uploads (a zip of the manifest and its two icons).

Manifest schema 1.29 (the current generally available version, June 2026). The bot is the Azure
Bot's app id; scopes personal, team and groupChat; the command list is what the help card shows.
Upload the package in Teams (Apps → Manage your apps → Upload an app) or the Teams admin center.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bot.config import AppConfig

MANIFEST_VERSION = "1.29"
SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
PLACEHOLDER_URL = "https://YOUR-HOST"
ACCENT = (0x1D, 0x6B, 0x4F)
SCOPES = ["personal", "team", "groupChat"]
COMMANDS = (
    ("help", "What Paidup answers, with examples"),
    ("status", "status <account or invoice number>: has Acme paid?"),
    ("overdue", "overdue mine | overdue all: overdue invoices by owner"),
    ("invoice", "invoice <deal>: draft a Xero invoice from a closed-won deal"),
    ("report", "report me | team | all [last month]: receivables and revenue, with charts"),
    ("health", "Sync freshness, failures and unlinked records"),
)
SHORT_DESCRIPTION = "Has Acme paid? Salesforce and Xero answers in Teams."
FULL_DESCRIPTION = ("Ask in a chat or @mention the bot in a channel: amounts due and overdue per currency, open "
                    "invoices with links to Xero, the last payment, overdue lists by owner, and sync health. "
                    "Invoices from closed-won deals go to finance for approval in a Teams channel.")


def build_teams_manifest(config: AppConfig, app_id: str, base_url: str = PLACEHOLDER_URL) -> dict[str, Any]:
    teams = config.teams
    base = base_url.rstrip("/")
    host = urlsplit(base).hostname or "YOUR-HOST"
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": "1.0.0",
        "id": app_id,
        "developer": {"name": teams.developer_name, "websiteUrl": teams.website_url or base + "/",
                      "privacyUrl": teams.privacy_url or base + "/privacy",
                      "termsOfUseUrl": teams.terms_url or base + "/terms"},
        "name": {"short": teams.app_name, "full": f"{teams.app_name}: Salesforce and Xero answers"[:100]},
        "description": {"short": SHORT_DESCRIPTION, "full": FULL_DESCRIPTION},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [{"botId": app_id, "scopes": SCOPES, "isNotificationOnly": False, "supportsFiles": False,
                  "commandLists": [{"scopes": SCOPES, "commands": [{"title": title, "description": description}
                                                                   for title, description in COMMANDS]}]}],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
    }


def _png(size: int, pixel: Callable[[int, int], tuple[int, int, int, int]]) -> bytes:
    """A minimal RGBA PNG (what Teams wants for app icons), drawn by ``pixel(x, y)``."""
    raw = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _ring(size: int, x: int, y: int) -> bool:
    centre = (size - 1) / 2
    distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
    return size * 0.28 <= distance <= size * 0.42


def color_icon() -> bytes:
    """192×192: a white ring on the accent colour."""
    return _png(192, lambda x, y: (255, 255, 255, 255) if _ring(192, x, y) else (*ACCENT, 255))


def outline_icon() -> bytes:
    """32×32: the ring in white on transparent, as Teams requires for outline icons."""
    return _png(32, lambda x, y: (255, 255, 255, 255) if _ring(32, x, y) else (0, 0, 0, 0))


def teams_app_package(manifest: dict[str, Any]) -> bytes:
    """The zip Teams uploads: manifest.json, color.png, outline.png at the top level."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        package.writestr("color.png", color_icon())
        package.writestr("outline.png", outline_icon())
    return buffer.getvalue()
