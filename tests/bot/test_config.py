"""app.yml and environment: valid files load, bad ones give one clear message, secrets stay secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import AppConfig, ConfigError, load_app_config, load_settings
from tests.conftest import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "app.yml"
    path.write_text(text, encoding="utf-8")
    return path


def problem(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_app_config(write(tmp_path, text))
    return str(caught.value)


def test_committed_app_yml_loads_with_the_documented_values() -> None:
    config = load_app_config(ROOT / "app.yml")
    assert config.slack.command == "/paidup"
    assert config.slack.finance_channel == "C0FINANCE"
    assert config.approvals.approvers == ["U0FINANCE1"]
    assert config.xero.default_account_code == "200"
    assert config.salesforce.api_version == "64.0"
    assert config.salesforce.writeback.invoice_number == "Xero_Invoice_Number__c"
    assert config.alerts.timezone == "Europe/London"
    assert config.alerts.overdue.cron == "0 9 * * mon-fri"


def test_every_key_in_the_model_is_documented_in_the_committed_app_yml() -> None:
    text = (ROOT / "app.yml").read_text(encoding="utf-8")

    def keys(model: type, prefix: str = "") -> list[str]:
        found = []
        for name, field in model.model_fields.items():
            found.append(name)
            if isinstance(field.annotation, type) and hasattr(field.annotation, "model_fields"):
                found += keys(field.annotation)
        return found

    missing = [key for key in keys(AppConfig) if f"{key}:" not in text]
    assert missing == []


def test_empty_file_means_all_defaults(tmp_path: Path) -> None:
    config = load_app_config(write(tmp_path, ""))
    assert config == AppConfig()
    assert config.sync.every_minutes == 5


def test_unquoted_api_version_is_read_as_the_text_it_means(tmp_path: Path) -> None:
    assert load_app_config(write(tmp_path, "salesforce:\n  api_version: 64.0\n")).salesforce.api_version == "64.0"


def test_missing_file_names_the_path_and_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_app_config(tmp_path / "nope.yml")
    assert str(caught.value) == (f"{tmp_path / 'nope.yml'}: config file not found (set PAIDUP_CONFIG to its path, "
                                 "or copy the app.yml from the Paidup repository)")


def test_unknown_key_names_its_path_and_the_keys_expected(tmp_path: Path) -> None:
    message = problem(tmp_path, "slack:\n  finanse_channel: C0FINANCE\n")
    assert message.endswith("slack.finanse_channel: unknown key (expected one of: command, finance_channel, "
                            "alerts_channel, ops_channel, answers, socket_mode, app_name)")


def test_wrong_type(tmp_path: Path) -> None:
    assert problem(tmp_path, "xero:\n  due_days: soon\n").endswith(
        "xero.due_days: expected a valid integer, unable to parse string as an integer, got 'soon'")
    assert "approvals: expected a mapping of keys, got 3" in problem(tmp_path, "approvals: 3\n")


def test_bad_choice_and_bad_channel_id(tmp_path: Path) -> None:
    assert "slack.answers: expected 'ephemeral' or 'in_channel', got 'loud'" in problem(
        tmp_path, "slack:\n  answers: loud\n")
    assert "slack.finance_channel: '#finance' does not look right (expected a Slack channel id" in problem(
        tmp_path, "slack:\n  finance_channel: '#finance'\n")


def test_bad_cron(tmp_path: Path) -> None:
    message = problem(tmp_path, "alerts:\n  overdue:\n    cron: '61 9 * * *'\n")
    assert "alerts.overdue.cron: expected a 5-field cron expression such as '0 9 * * mon-fri'" in message
    assert "61" in message
    assert "4 fields" not in problem(tmp_path, "alerts:\n  failed_sync:\n    cron: '0 9 * *'\n")
    assert "got 4" in problem(tmp_path, "alerts:\n  failed_sync:\n    cron: '0 9 * *'\n")


def test_unknown_time_zone(tmp_path: Path) -> None:
    assert problem(tmp_path, "alerts:\n  timezone: Mars/Olympus\n").endswith(
        "alerts.timezone: expected an IANA time zone such as Europe/London, got 'Mars/Olympus'")


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    assert "not valid YAML at line 2, column 1" in problem(tmp_path, "slack:\n\tcommand: x\n")


def test_several_problems_are_listed_one_per_line(tmp_path: Path) -> None:
    message = problem(tmp_path, "slack:\n  answers: loud\nxero:\n  due_days: -1\n")
    assert message.splitlines()[0].endswith("has 2 problems:")
    assert message.splitlines()[1].startswith("  - slack.answers")


def test_environment_names_are_the_contract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.setenv("PAIDUP_CONFIG", "/etc/paidup/app.yml")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/paidup")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("XERO_API_URL", "http://127.0.0.1:8/")
    monkeypatch.setenv("XERO_GRANT", "client_credentials")
    monkeypatch.setenv("PORT", "8080")
    settings = load_settings()
    assert settings.config_path == Path("/etc/paidup/app.yml")
    assert settings.database_url == "postgresql+psycopg://u@db/paidup"
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.xero_api_url == "http://127.0.0.1:8"
    assert settings.xero_grant == "client_credentials"
    assert settings.port == 8080


def test_dotenv_is_read_and_environment_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("XERO_CLIENT_ID=from-dotenv\nXERO_TENANT_ID=t-dotenv\n")
    monkeypatch.setenv("XERO_TENANT_ID", "t-env")
    settings = load_settings()
    assert settings.xero_client_id == "from-dotenv"
    assert settings.xero_tenant_id == "t-env"


def test_secrets_are_never_echoed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret-token")
    monkeypatch.setenv("XERO_CLIENT_SECRET", "xero-shh")
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "PORT" in str(caught.value)
    assert "xoxb-very-secret-token" not in str(caught.value)
    monkeypatch.setenv("PORT", "3000")
    settings = load_settings()
    assert "xoxb-very-secret-token" not in repr(settings)
    assert "xero-shh" not in repr(settings) and "xero-shh" not in str(settings.model_dump())
    assert set(settings.secret_values()) == {"xoxb-very-secret-token", "xero-shh"}
