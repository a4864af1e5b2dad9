"""`paidup manifest`: the Slack app manifest validates against Slack's published schema in both modes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.chat.modes import socket_mode_wanted
from bot.config import AppConfig, Settings, load_app_config
from bot.services.manifest import build_manifest
from tests.conftest import ROOT
from tests.test_cli import run

SCHEMA = json.loads((Path(__file__).parent / "spec" / "slack_app_manifest_v1.schema.json").read_text("utf-8"))


def validate(manifest: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(manifest)


@pytest.fixture
def config() -> AppConfig:
    return load_app_config(ROOT / "app.yml")


def test_http_mode_manifest_validates_and_points_every_url_at_slack_events(config: AppConfig) -> None:
    manifest = build_manifest(config, socket_mode=False, base_url="https://paidup.example.com/")
    validate(manifest)
    url = "https://paidup.example.com/slack/events"
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"]["request_url"] == url
    assert settings["interactivity"] == {"is_enabled": True, "request_url": url, "message_menu_options_url": url}
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/paidup" and command["url"] == url and command["usage_hint"]


def test_socket_mode_manifest_validates_and_has_no_request_urls(config: AppConfig) -> None:
    manifest = build_manifest(config, socket_mode=True)
    validate(manifest)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "https://" not in json.dumps(manifest)


def test_features_events_and_minimum_scopes(config: AppConfig) -> None:
    manifest = build_manifest(config, socket_mode=True)
    features = manifest["features"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert features["bot_user"]["display_name"] == "Paidup"
    assert features["shortcuts"] == [{"name": "Create invoice", "type": "message",
                                      "callback_id": "create_invoice_from_message",
                                      "description": "Draft a Xero invoice from this message"}]
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened", "app_mention",
                                                                         "message.im"]
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert {"chat:write", "commands", "im:history", "im:write", "app_mentions:read", "users:read.email",
            "chat:write.public", "files:write"} <= set(scopes)  # files:write: report charts
    assert not {"links:read", "links:write", "channels:read"} & set(scopes)


def test_scopes_follow_app_yml() -> None:
    bare = AppConfig.model_validate({"slack": {"command": "/owed", "app_name": "Owed"}})
    manifest = build_manifest(bare, socket_mode=False)
    validate(manifest)
    assert "chat:write.public" not in manifest["oauth_config"]["scopes"]["bot"]
    assert manifest["features"]["slash_commands"][0]["command"] == "/owed"
    grouped = AppConfig.model_validate({"approvals": {"approver_groups": ["S0FINANCE"]}})
    assert "usergroups:read" in build_manifest(grouped, socket_mode=True)["oauth_config"]["scopes"]["bot"]


@pytest.mark.parametrize(("socket_mode", "app_token", "expected"), [
    (None, None, False), (None, "xapp-1", True), (False, "xapp-1", False), (True, None, True)])
def test_socket_mode_follows_app_yml_then_the_app_token(socket_mode: bool | None, app_token: str | None,
                                                        expected: bool) -> None:
    config = AppConfig.model_validate({"slack": {"socket_mode": socket_mode}})
    settings = Settings(_env_file=None, **({"SLACK_APP_TOKEN": app_token} if app_token else {}))
    assert socket_mode_wanted(settings, config) is expected
    assert socket_mode_wanted(settings, config, force_http=True) is False


def test_paidup_manifest_prints_yaml_that_validates(tmp_path: Path) -> None:
    (tmp_path / "app.yml").write_text((ROOT / "app.yml").read_text("utf-8"), encoding="utf-8")
    result = run("manifest", "--url", "https://paidup.example.com", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = yaml.safe_load(result.stdout)
    validate(manifest)
    assert manifest["settings"]["event_subscriptions"]["request_url"] == "https://paidup.example.com/slack/events"
    socket = run("manifest", cwd=tmp_path, env={"SLACK_APP_TOKEN": "xapp-1-test"})
    assert socket.returncode == 0 and yaml.safe_load(socket.stdout)["settings"]["socket_mode_enabled"] is True
    assert "YOUR-HOST" in run("manifest", "--help", cwd=tmp_path).stdout

