"""`paidup manifest --teams`: the Teams app manifest (JSON) with the bot id, and the app package."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import run

APP_ID = "6d1f2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "app.yml").write_text((ROOT / "app.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_manifest_names_the_bot_and_its_commands(workdir: Path) -> None:
    result = run("manifest", "--teams", "--url", "https://paidup.example.com", cwd=workdir,
                 env={"TEAMS_APP_ID": APP_ID})
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    assert manifest["manifestVersion"] == "1.29" and manifest["$schema"].endswith("/v1.29/MicrosoftTeams.schema.json")
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and bot["scopes"] == ["personal", "team", "groupChat"]
    commands = bot["commandLists"][0]["commands"]
    assert [c["title"] for c in commands][:3] == ["help", "status", "overdue"] and len(commands) <= 10
    assert {"invoice", "report", "health"} <= {c["title"] for c in commands}
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in commands)
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert manifest["developer"]["privacyUrl"] == "https://paidup.example.com/privacy"
    assert manifest["validDomains"] == ["paidup.example.com"]


def test_the_package_holds_the_manifest_and_both_icons(workdir: Path) -> None:
    result = run("manifest", "--teams", "--zip", "paidup-teams.zip", cwd=workdir, env={"TEAMS_APP_ID": APP_ID})
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(workdir / "paidup-teams.zip") as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert json.loads(package.read("manifest.json")) == json.loads(result.stdout)
        for name, size in (("color.png", 192), ("outline.png", 32)):
            png = package.read(name)
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (size, size)


def test_without_the_bot_id_it_says_what_to_set(workdir: Path) -> None:
    result = run("manifest", "--teams", cwd=workdir)
    assert result.returncode == 2 and "TEAMS_APP_ID is not set" in result.stderr and result.stdout == ""


def test_a_bad_teams_key_in_app_yml_is_named(workdir: Path) -> None:
    text = (workdir / "app.yml").read_text(encoding="utf-8")
    (workdir / "app.yml").write_text(text.replace("finance_conversation: null ", "finance_conversation: finance "),
                                     encoding="utf-8")
    result = run("manifest", "--teams", cwd=workdir, env={"TEAMS_APP_ID": APP_ID})
    assert result.returncode == 2
    assert "teams.finance_conversation" in result.stderr and "Teams conversation id" in result.stderr
