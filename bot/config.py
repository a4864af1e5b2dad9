"""Configuration: secrets from the environment (``Settings``), everything else from app.yml
(``AppConfig``). Both are validated once, at start, in the composition root.

A bad app.yml stops start-up with one ``ConfigError`` whose message names the key path and what
was expected; the CLI prints it without a traceback. Nothing else in Paidup reads ``os.environ``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.cron import cron_trigger


class ConfigError(Exception):
    """app.yml or the environment is not usable; the message says what to fix."""


# --- app.yml -------------------------------------------------------------------------------


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _valid_cron(value: str) -> str:
    try:
        cron_trigger(value, "UTC")
    except ValueError as exc:
        raise ValueError(f"expected a 5-field cron expression such as '0 9 * * mon-fri' ({exc})") from None
    return value


def _valid_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"expected an IANA time zone such as Europe/London, got {value!r}") from None
    return value


Cron = Annotated[str, AfterValidator(_valid_cron)]
TimeZone = Annotated[str, AfterValidator(_valid_timezone)]
SlackChannelId = Annotated[str, Field(pattern=r"^[CGD][A-Z0-9]{2,}$")]
SlackUserId = Annotated[str, Field(pattern=r"^[UW][A-Z0-9]{2,}$")]
SlackGroupId = Annotated[str, Field(pattern=r"^S[A-Z0-9]{2,}$")]
SalesforceField = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=80)]


class SlackConfig(Section):
    command: str = Field(default="/paidup", pattern=r"^/[a-z0-9_-]{1,31}$")
    finance_channel: SlackChannelId | None = None
    alerts_channel: SlackChannelId | None = None
    ops_channel: SlackChannelId | None = None
    answers: Literal["ephemeral", "in_channel"] = "ephemeral"
    socket_mode: bool | None = None  # None: Socket Mode exactly when SLACK_APP_TOKEN is set
    app_name: str = Field(default="Paidup", min_length=1, max_length=35)


class ApprovalsConfig(Section):
    approvers: list[SlackUserId] = Field(default_factory=list)
    approver_groups: list[SlackGroupId] = Field(default_factory=list)
    four_eyes: bool = True


class XeroConfig(Section):
    default_account_code: str = Field(default="200", min_length=1, max_length=10)
    default_tax_type: str = Field(default="OUTPUT", min_length=1)
    due_days: int = Field(default=30, ge=0, le=365)
    send_on_approve: bool = False
    line_amount_types: Literal["Exclusive", "Inclusive", "NoTax"] = "Exclusive"
    calls_per_minute: int = Field(default=60, ge=1, le=60)


class WritebackConfig(Section):
    invoice_number: SalesforceField | None = "Xero_Invoice_Number__c"
    invoice_url: SalesforceField | None = "Xero_Invoice_URL__c"
    invoice_status: SalesforceField | None = "Xero_Invoice_Status__c"


class SalesforceConfig(Section):
    api_version: str = Field(default="64.0", pattern=r"^\d{2}\.0$")
    account_contact_field: SalesforceField | None = None
    writeback: WritebackConfig = WritebackConfig()

    @field_validator("api_version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # `api_version: 64.0` unquoted arrives as a float; accept it as the text it means.
        return f"{value:.1f}" if isinstance(value, float) else value


class SyncConfig(Section):
    every_minutes: int = Field(default=5, ge=1, le=1440)
    full_reconcile_cron: Cron = "0 2 * * *"
    stale_after_minutes: int = Field(default=15, ge=1)


class OverdueAlertConfig(Section):
    cron: Cron = "0 9 * * mon-fri"
    min_days_overdue: int = Field(default=1, ge=1)
    dm_owners: bool = True
    all_clear: bool = False


class FailedSyncAlertConfig(Section):
    cron: Cron = "*/15 * * * *"


class PaymentsAlertConfig(Section):
    post_to_channel: bool = True


class AlertsConfig(Section):
    timezone: TimeZone = "Europe/London"
    overdue: OverdueAlertConfig = OverdueAlertConfig()
    failed_sync: FailedSyncAlertConfig = FailedSyncAlertConfig()
    payments: PaymentsAlertConfig = PaymentsAlertConfig()


class ReportsConfig(Section):
    """`/paidup report` and the weekly report (``bot.services.reports``)."""

    timezone: TimeZone | None = None  # None: alerts.timezone
    managers: list[SlackUserId] = Field(default_factory=list)  # may see team and all reports, as approvers may
    channel: SlackChannelId | None = None  # the weekly report's channel; None: no weekly report
    cron: Cron = "0 8 * * mon"
    scope: Literal["team", "all"] = "all"
    period: Literal["this month", "last month", "quarter"] = "this month"
    top_accounts: int = Field(default=5, ge=1, le=20)

    def zone(self, alerts: AlertsConfig) -> str:
        return self.timezone or alerts.timezone


TEAMS_CONVERSATION_PATTERN = r"^(?:19|a|8|29):[^\s/?#]{1,300}$"
TEAMS_APPROVER_PATTERN = r"^(?:[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|[^@\s]+@[^@\s]+\.[^@\s]+)$"
TeamsConversationId = Annotated[str, Field(pattern=TEAMS_CONVERSATION_PATTERN)]
TeamsApprover = Annotated[str, Field(pattern=TEAMS_APPROVER_PATTERN), AfterValidator(str.lower)]
HttpsUrl = Annotated[str, Field(pattern=r"^https://[^\s]+$", max_length=2048)]


class TeamsConfig(Section):
    app_name: str = Field(default="Paidup", min_length=1, max_length=30)
    service_url: str = Field(default="https://smba.trafficmanager.net/teams/", pattern=r"^https?://[^\s]+$")
    finance_conversation: TeamsConversationId | None = None
    alerts_conversation: TeamsConversationId | None = None
    ops_conversation: TeamsConversationId | None = None
    reports_conversation: TeamsConversationId | None = None  # the weekly report of a Teams-only bot; None: none
    approvers: list[TeamsApprover] = Field(default_factory=list)
    report_managers: list[TeamsApprover] = Field(default_factory=list)  # may see team and all reports, as approvers may
    developer_name: str = Field(default="Paidup", min_length=1, max_length=32)
    website_url: HttpsUrl | None = None
    privacy_url: HttpsUrl | None = None
    terms_url: HttpsUrl | None = None


class AppConfig(Section):
    slack: SlackConfig = SlackConfig()
    approvals: ApprovalsConfig = ApprovalsConfig()
    xero: XeroConfig = XeroConfig()
    salesforce: SalesforceConfig = SalesforceConfig()
    sync: SyncConfig = SyncConfig()
    alerts: AlertsConfig = AlertsConfig()
    reports: ReportsConfig = ReportsConfig()
    teams: TeamsConfig = TeamsConfig()


def _describe_error(error: dict[str, Any]) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "(top level)"
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        known = ", ".join(_known_keys(error["loc"][:-1]))
        return f"{path}: unknown key (expected one of: {known})"
    if kind == "missing":
        return f"{path}: required key is missing"
    if kind in ("model_type", "dict_type"):
        return f"{path}: expected a mapping of keys, got {given!r}"
    if kind == "string_pattern_mismatch":
        return f"{path}: {given!r} does not look right ({_pattern_hint(error)})"
    message = error["msg"].removeprefix("Value error, ").replace("Input should be", "expected")
    if kind == "value_error":
        return f"{path}: {message}"
    return f"{path}: {message}, got {given!r}"


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = AppConfig
    for part in loc:
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


_PATTERN_HINTS = {
    r"^[CGD][A-Z0-9]{2,}$": "expected a Slack channel id such as C0123ABCD, not a #name",
    r"^[UW][A-Z0-9]{2,}$": "expected a Slack user id such as U0123ABCD",
    r"^S[A-Z0-9]{2,}$": "expected a Slack user group id such as S0123ABCD",
    r"^/[a-z0-9_-]{1,31}$": "expected a slash command such as /paidup",
    r"^\d{2}\.0$": 'expected a Salesforce API version such as "64.0"',
    r"^[A-Za-z][A-Za-z0-9_]*$": "expected a Salesforce field API name such as Xero_Invoice_Number__c",
    TEAMS_CONVERSATION_PATTERN: "expected a Teams conversation id such as 19:abc123@thread.tacv2",
    TEAMS_APPROVER_PATTERN: "expected an Entra (AAD) object id or an email address",
    r"^https://[^\s]+$": "expected an https:// URL",
}


def _pattern_hint(error: dict[str, Any]) -> str:
    pattern = (error.get("ctx") or {}).get("pattern", "")
    return _PATTERN_HINTS.get(pattern, f"expected text matching {pattern}")


def load_app_config(path: Path) -> AppConfig:
    """Read and validate app.yml; ConfigError names every problem with its key path."""
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found (set PAIDUP_CONFIG to its path, or copy the app.yml "
                          "from the Paidup repository)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of sections (slack:, xero:, ...), got {type(raw).__name__}")
    try:
        return AppConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [_describe_error(error) for error in exc.errors()]
        if len(problems) == 1:
            raise ConfigError(f"{path}: {problems[0]}") from None
        raise ConfigError(f"{path} has {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)) from None


# --- environment ---------------------------------------------------------------------------


def _with_trailing_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _without_trailing_slash(url: str) -> str:
    return url.rstrip("/")


class Settings(BaseSettings):
    """Secrets and deployment facts from the environment (or .env). Names are a contract."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      populate_by_name=True)

    config_path: Path = Field(default=Path("app.yml"), validation_alias="PAIDUP_CONFIG")
    database_url: str = Field(default="sqlite:///paidup.db", validation_alias="DATABASE_URL")
    secret_key: SecretStr | None = Field(default=None, validation_alias="PAIDUP_SECRET_KEY")
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: Annotated[str, AfterValidator(_with_trailing_slash)] = Field(
        default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    xero_client_id: str | None = Field(default=None, validation_alias="XERO_CLIENT_ID")
    xero_client_secret: SecretStr | None = Field(default=None, validation_alias="XERO_CLIENT_SECRET")
    xero_grant: Literal["authorization_code", "client_credentials"] = Field(
        default="authorization_code", validation_alias="XERO_GRANT")
    xero_tenant_id: str | None = Field(default=None, validation_alias="XERO_TENANT_ID")
    xero_api_url: Annotated[str, AfterValidator(_without_trailing_slash)] = Field(
        default="https://api.xero.com", validation_alias="XERO_API_URL")
    xero_identity_url: Annotated[str, AfterValidator(_without_trailing_slash)] = Field(
        default="https://identity.xero.com", validation_alias="XERO_IDENTITY_URL")
    xero_webhook_key: SecretStr | None = Field(default=None, validation_alias="XERO_WEBHOOK_KEY")
    salesforce_login_url: Annotated[str, AfterValidator(_without_trailing_slash)] = Field(
        default="https://login.salesforce.com", validation_alias="SALESFORCE_LOGIN_URL")
    salesforce_client_id: str | None = Field(default=None, validation_alias="SALESFORCE_CLIENT_ID")
    salesforce_client_secret: SecretStr | None = Field(default=None, validation_alias="SALESFORCE_CLIENT_SECRET")
    salesforce_username: str | None = Field(default=None, validation_alias="SALESFORCE_USERNAME")
    salesforce_private_key_file: Path | None = Field(default=None, validation_alias="SALESFORCE_PRIVATE_KEY_FILE")
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="PORT")
    teams_app_id: str | None = Field(default=None, validation_alias="TEAMS_APP_ID")
    teams_app_password: SecretStr | None = Field(default=None, validation_alias="TEAMS_APP_PASSWORD")
    teams_tenant_id: str | None = Field(default=None, validation_alias="TEAMS_TENANT_ID")
    teams_openid_url: str = Field(default="https://login.botframework.com/v1/.well-known/openidconfiguration",
                                  validation_alias="TEAMS_OPENID_URL")
    teams_login_url: Annotated[str, AfterValidator(_without_trailing_slash)] = Field(
        default="https://login.microsoftonline.com", validation_alias="TEAMS_LOGIN_URL")

    @field_validator("database_url")
    @classmethod
    def _sqlalchemy_driver(cls, value: str) -> str:
        # psycopg 3 is the PostgreSQL driver we ship; plain postgres:// URLs mean it.
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", value)

    def secret_values(self) -> list[str]:
        """Every secret's plain value, so logging can redact it wherever it appears."""
        values = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and value.get_secret_value():
                values.append(value.get_secret_value())
        return values


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and .env; a bad value becomes a ConfigError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = Settings.model_fields.get(str(error["loc"][0])) if error["loc"] else None
            name = field.validation_alias if field and field.validation_alias else ".".join(map(str, error["loc"]))
            problems.append(f"{name}: {error['msg']}")
        raise ConfigError("environment: " + "; ".join(problems)) from None
