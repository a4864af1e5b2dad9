"""The composition root: settings and app.yml in, every collaborator built and wired once.

Nothing else constructs clients, stores or services; commands, the web server and tests ask a
``Paidup`` for what they need.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

import httpx
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from starlette.applications import Starlette

from bot.chat.slack_app import build_slack_app, slack_endpoint, slack_services
from bot.config import AppConfig, ConfigError, Settings, load_app_config
from bot.services.alerts import AlertChannels, AlertService
from bot.services.connect import XeroConnector
from bot.services.health import Health, health
from bot.services.home import HomeService
from bot.services.invoicing import Approvers, InvoiceNotifier, InvoicingService, NoGroups, NoNotifier
from bot.services.overdue import OverdueService
from bot.services.people import PeopleService
from bot.services.reports import ReportService
from bot.services.reports.weekly import WeeklyReport
from bot.services.resolution import AccountResolver
from bot.services.status import StatusService
from bot.store import migrate
from bot.store.base import utcnow
from bot.store.session import Database
from bot.store.tokens import DatabaseTokenStore, SecretBox
from bot.sync.service import SyncService
from bot.sync.webhooks import WebhookWorker, XeroWebhookInbox
from bot.web import SlackEndpoint, TeamsEndpoint, XeroConnectPages, create_web_app, mirror_health
from handlers.common.desks import OverdueDesk, StatusDesk
from handlers.slack.alerts.delivery import SlackAlertDelivery
from handlers.slack.answers.overdue import slack_profile_lookup
from handlers.slack.answers.report import ReportDesk, SlackReportPoster
from handlers.slack.invoicing.notifier import SlackInvoiceNotifier, SlackUsergroups
from integrations import salesforce as sf
from integrations.salesforce.auth import ClientCredentialsAuth as SalesforceClientCredentials
from integrations.salesforce.auth import JwtBearerAuth, SalesforceAuth
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.web_flow import WebServerAuth
from integrations.xero import (
    ClientCredentialsAuth,
    IdentityClient,
    QuotaLimiter,
    RefreshingTokenAuth,
    WebhookVerifier,
    XeroAuth,
    XeroClient,
)

if TYPE_CHECKING:  # the Teams SDK's models take a second to import: only when Teams is used
    from handlers.teams import TeamsBot
    from handlers.teams.alerts import TeamsAlertDelivery
    from handlers.teams.proactive import ProactiveSender
    from integrations.teams import ConnectorClient

HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
ALERT_RATE_LIMIT_RETRIES = 5  # 429s waited out per Slack call before the alert is kept for the next run
log = logging.getLogger(__name__)
SALESFORCE_CALLBACK = "http://localhost:{port}/salesforce/callback"


@dataclass(frozen=True)
class HealthReport:
    """`/paidup health`: the mirror's health now (``bot.services.health``), with the staleness
    threshold from app.yml; drafts waiting longer than ``stuck_after`` count as stuck."""

    db: Database
    stale_after: timedelta
    stuck_after: timedelta = timedelta(hours=1)
    clock: Callable[[], datetime] = field(default=utcnow)

    def check(self) -> Health:
        return health(self.db, self.clock() - self.stuck_after)


class Paidup:
    """Everything the bot is made of, built lazily from ``settings`` and ``config``."""

    def __init__(self, settings: Settings, config: AppConfig | None = None, *, db: Database | None = None,
                 http: httpx.Client | None = None) -> None:
        self.settings = settings
        self.config = config if config is not None else load_app_config(settings.config_path)
        self._db = db
        self._http = http

    @cached_property
    def db(self) -> Database:
        return self._db or Database(self.settings.database_url)

    def migrate(self) -> None:
        migrate.upgrade(self.db)

    @cached_property
    def http(self) -> httpx.Client:
        return self._http or httpx.Client(timeout=HTTP_TIMEOUT)

    @cached_property
    def token_store(self) -> DatabaseTokenStore:
        key = self.settings.secret_key
        if key is None or not key.get_secret_value():
            raise ConfigError("PAIDUP_SECRET_KEY is not set: it encrypts the stored OAuth tokens "
                              "(see README: Configuration)")
        return DatabaseTokenStore(self.db, SecretBox(key.get_secret_value()))

    # --- Xero ------------------------------------------------------------------------------

    @cached_property
    def xero_identity(self) -> IdentityClient:
        settings = self.settings
        if not settings.xero_client_id:
            raise ConfigError("XERO_CLIENT_ID is not set (see README: Xero)")
        secret = settings.xero_client_secret.get_secret_value() if settings.xero_client_secret else None
        return IdentityClient(self.http, client_id=settings.xero_client_id, client_secret=secret,
                              identity_url=settings.xero_identity_url)

    @cached_property
    def xero_auth(self) -> XeroAuth:
        if self.settings.xero_grant == "client_credentials":
            return ClientCredentialsAuth(self.xero_identity, self.token_store)
        return RefreshingTokenAuth(self.xero_identity, self.token_store)

    @cached_property
    def xero(self) -> XeroClient:
        limiter = QuotaLimiter(per_minute=self.config.xero.calls_per_minute)
        return XeroClient(self.http, self.xero_auth, limiter, api_url=self.settings.xero_api_url,
                          tenant_id=self.settings.xero_tenant_id)

    # --- Salesforce ------------------------------------------------------------------------

    @cached_property
    def salesforce_auth(self) -> SalesforceAuth:
        s = self.settings
        login = s.salesforce_login_url
        if s.salesforce_username and s.salesforce_private_key_file:
            if not s.salesforce_client_id:
                raise ConfigError("SALESFORCE_CLIENT_ID is not set: the JWT bearer flow needs the app's consumer key")
            try:
                key = s.salesforce_private_key_file.read_bytes()
            except OSError as exc:
                raise ConfigError(f"SALESFORCE_PRIVATE_KEY_FILE: cannot read {s.salesforce_private_key_file} "
                                  f"({exc.strerror})") from None
            return JwtBearerAuth(self.http, login, s.salesforce_client_id, s.salesforce_username, key,
                                 store=self.token_store)
        if not s.salesforce_client_id or s.salesforce_client_secret is None:
            raise ConfigError("no Salesforce credentials: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET, or "
                              "SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY_FILE (see README: Salesforce)")
        secret = s.salesforce_client_secret.get_secret_value()
        stored = self.token_store.load(sf.auth.PROVIDER)
        if stored is not None and stored.refresh_token:  # `paidup connect salesforce` was run
            return WebServerAuth(self.http, login, s.salesforce_client_id, secret,
                                 stored.extra.get("redirect_uri", SALESFORCE_CALLBACK.format(port=s.port)),
                                 store=self.token_store)
        try:
            return SalesforceClientCredentials(self.http, login, s.salesforce_client_id, secret,
                                               store=self.token_store)
        except sf.errors.SalesforceConfigError as exc:
            raise ConfigError(str(exc)) from None

    @cached_property
    def salesforce(self) -> SalesforceClient:
        return SalesforceClient(self.http, self.salesforce_auth, api_version=self.config.salesforce.api_version)

    @cached_property
    def xero_connector(self) -> XeroConnector:
        key = self.settings.secret_key
        box = SecretBox(key.get_secret_value()) if key else None
        if box is None:
            raise ConfigError("PAIDUP_SECRET_KEY is not set: it encrypts the stored OAuth tokens")
        return XeroConnector(self.db, box, self.xero_identity, self.token_store, self.settings.xero_client_id or "",
                             self.settings.xero_identity_url, lambda: self.xero, self.settings.xero_tenant_id)

    # --- services --------------------------------------------------------------------------

    @cached_property
    def sync(self) -> SyncService:
        # Clients are built on first use, so a missing Xero setup doesn't stop a Salesforce sync.
        return SyncService(self.db, self.config, lambda: self.xero, lambda: self.salesforce)

    @cached_property
    def resolver(self) -> AccountResolver:
        return AccountResolver(self.db)

    @cached_property
    def status(self) -> StatusService:
        # Live refreshes of a stale contact go through the sync service (built on first use).
        return StatusService(self.db, self.config, self.resolver, lambda: self.sync)

    @cached_property
    def status_desk(self) -> StatusDesk:
        """The status card: the status service and the Salesforce org's URL for its account link."""
        return StatusDesk(self.status, self.salesforce_instance_url)

    def salesforce_instance_url(self) -> str | None:
        """The org's instance URL from the stored Salesforce session; None before the first sign-in."""
        try:
            stored = self.token_store.load(sf.auth.PROVIDER)
        except ConfigError:
            return None
        url = stored.extra.get("instance_url") if stored is not None else None
        return str(url) if url else None

    @cached_property
    def people(self) -> PeopleService:
        return PeopleService(self.db)

    @cached_property
    def overdue(self) -> OverdueService:
        return OverdueService(self.db, self.config)

    @cached_property
    def overdue_desk(self) -> OverdueDesk:
        """`/paidup overdue`: "mine" asks Slack (users.info with the bot token) who the asker is."""
        return OverdueDesk(self.overdue, self.people, slack_profile_lookup(lambda: self.slack_client))

    @cached_property
    def home(self) -> HomeService:
        """The App Home tab: the viewer's overdue invoices, uninvoiced deals, drafts and approvals."""
        return HomeService(self.db, self.config, self.overdue, self.people, is_approver=self.approvers.is_approver)

    @cached_property
    def approvers(self) -> Approvers:
        """approvals.approvers plus the members of approvals.approver_groups (Slack, cached)."""
        has_slack = self.settings.slack_bot_token is not None
        return Approvers(self.config.approvals,
                         lambda: SlackUsergroups(lambda: self.slack_client) if has_slack else NoGroups())

    @cached_property
    def invoice_notifier(self) -> InvoiceNotifier:
        """Approval cards and the rep's DMs in Slack; nothing is posted without a bot token."""
        if self.settings.slack_bot_token is None:
            return NoNotifier()
        return SlackInvoiceNotifier(lambda: self.slack_client, self.config.slack.finance_channel)

    @cached_property
    def invoicing(self) -> InvoicingService:
        """Invoices from opportunities, approved in chat (issue 7); in Teams when the bot is Teams only."""
        if self.teams_only:
            return self.teams_invoicing
        return InvoicingService(self.db, self.config, lambda: self.xero, lambda: self.salesforce, self.people,
                                self.approvers, notifier=lambda: self.invoice_notifier,
                                refresh_mirror=lambda ids: self.sync.fetch_records("invoices", ids))

    @cached_property
    def slack_client(self) -> WebClient:
        """Slack's Web API with the bot token, as the Bolt app's own client (``serve`` builds its app
        separately, so services that call Slack get this one rather than ``slack_app``'s)."""
        token = self.settings.slack_bot_token
        return WebClient(token=token.get_secret_value() if token else None, base_url=self.settings.slack_api_url,
                         timeout=10)

    @cached_property
    def health_report(self) -> HealthReport:
        return HealthReport(self.db, timedelta(minutes=self.config.sync.stale_after_minutes))

    @cached_property
    def alerts(self) -> AlertService:
        """Overdue digests, payment notices and failed-sync alerts (``bot.services.alerts``), posted
        through ``alert_delivery``; the scheduler, `paidup alerts run` and the demo call its jobs.
        A bot set up for Teams only (TEAMS_APP_ID, no SLACK_BOT_TOKEN) posts them to Teams instead."""
        if self.teams_only:
            teams = self.config.teams
            return AlertService(self.db, self.config, lambda: self.sync, self.people,
                                lambda: self.teams_alert_delivery,
                                AlertChannels(teams.alerts_conversation, teams.ops_conversation))
        slack = self.config.slack
        return AlertService(self.db, self.config, lambda: self.sync, self.people, lambda: self.alert_delivery,
                            AlertChannels(slack.alerts_channel, slack.ops_channel))

    @property
    def teams_only(self) -> bool:
        """Set up for Microsoft Teams and not for Slack: alerts, and invoice drafts the recovery job
        finishes, are told in Teams."""
        token = self.settings.slack_bot_token
        return bool(self.settings.teams_app_id) and not (token and token.get_secret_value())

    @cached_property
    def alert_delivery(self) -> SlackAlertDelivery:
        """Alerts to Slack: a client of its own that waits out 429s (Retry-After) before giving up."""
        token = self.settings.slack_bot_token
        if token is None or not token.get_secret_value():
            raise ConfigError("SLACK_BOT_TOKEN is not set: alerts are posted to Slack with the bot token")
        client = WebClient(token=token.get_secret_value(), base_url=self.settings.slack_api_url, timeout=10,
                           retry_handlers=[ConnectionErrorRetryHandler(),
                                           RateLimitErrorRetryHandler(max_retry_count=ALERT_RATE_LIMIT_RETRIES)])
        return SlackAlertDelivery(client)

    @cached_property
    def reports(self) -> ReportService:
        """`/paidup report` figures (``bot.services.reports``); team and all for approvers (groups
        included) and reports.managers."""
        return ReportService(self.db, self.config, is_approver=lambda user: self.approvers.is_approver(user))

    @cached_property
    def report_desk(self) -> ReportDesk:
        """The report answer in Slack: who the asker is (users.info) and the client that uploads charts."""
        return ReportDesk(self.reports, self.people, slack_profile_lookup(lambda: self.slack_client),
                          lambda: self.slack_client, self.config.slack.command, self.config.slack.answers)

    @cached_property
    def weekly_report(self) -> WeeklyReport:
        """reports.scope for reports.period, once a week (scheduler: bot.jobs.report_jobs), to reports.channel;
        to teams.reports_conversation when the bot is set up for Teams only."""
        if self.teams_only:
            from handlers.teams.report import TeamsReportPoster

            return WeeklyReport(self.reports, lambda: TeamsReportPoster(self.teams_sender, self.reports.clock),
                                self.config.teams.reports_conversation, "teams.reports_conversation")
        return WeeklyReport(self.reports, lambda: SlackReportPoster(self.alert_delivery.client, self.reports.clock),
                            self.config.reports.channel, "reports.channel")

    def payment_notices_now(self) -> None:
        """After a webhook fetch stored changes: tell owners and watchers of new payments at once."""
        try:
            self.alerts.run_payments()
        except ConfigError as exc:  # Slack not set up: the events wait in the outbox
            log.info("alerts.payments_not_configured", extra={"reason": str(exc)})

    @cached_property
    def webhook_worker(self) -> WebhookWorker:
        return WebhookWorker(self.sync.process_webhooks, after_fetch=self.payment_notices_now)

    @cached_property
    def webhook_inbox(self) -> XeroWebhookInbox | None:
        key = self.settings.xero_webhook_key
        verifier = WebhookVerifier(key.get_secret_value()) if key and key.get_secret_value() else None
        return XeroWebhookInbox(self.db, verifier, self._xero_tenant, on_events=self.webhook_worker.wake)

    def _xero_tenant(self) -> str | None:
        return self.xero.tenant_id

    # --- Slack -----------------------------------------------------------------------------

    @cached_property
    def slack_app(self) -> App:
        """The Bolt app with every Slack listener registered (calls auth.test once when built)."""
        return build_slack_app(self.settings, slack_services(self))

    def slack_endpoint(self) -> SlackEndpoint:
        """``POST /slack/events`` serving ``slack_app``: pass it to ``web_app(slack=...)``."""
        secret = self.settings.slack_signing_secret
        return slack_endpoint(self.slack_app, secret.get_secret_value() if secret else "")

    # --- Microsoft Teams -------------------------------------------------------------------

    @cached_property
    def teams_connector(self) -> ConnectorClient:
        """The Bot Connector REST client with the bot's Entra client-credentials token."""
        from bot.chat.teams_app import require_teams_credentials
        from integrations.teams import BotTokenProvider, ConnectorClient

        app_id, password = require_teams_credentials(self.settings)
        tokens = BotTokenProvider(self.http, self.settings.teams_login_url, app_id, password,
                                  self.settings.teams_tenant_id)
        return ConnectorClient(self.http, tokens)

    @cached_property
    def teams_bot(self) -> TeamsBot:
        from bot.chat.teams_app import teams_services
        from handlers.teams import TeamsBot

        return TeamsBot(teams_services(self, self.teams_connector))

    @cached_property
    def teams_alert_delivery(self) -> TeamsAlertDelivery:
        """Alerts to Teams: proactive cards to teams.alerts_conversation / ops_conversation and 1:1 chats."""
        from bot.chat.teams_app import display_name
        from handlers.teams.alerts import TeamsAlertDelivery

        return TeamsAlertDelivery(self.teams_sender, lambda user: display_name(self.people, user))

    @cached_property
    def teams_invoicing(self) -> InvoicingService:
        """Invoices asked for in Teams: teams.approvers decide (four-eyes from approvals.four_eyes), the
        approval card goes to teams.finance_conversation and the rep hears back in their 1:1 chat."""
        from bot.chat.teams_app import TeamsApprovers, known_email

        approvers = TeamsApprovers(self.config.teams.approvers, lambda user: known_email(self.people, user))
        return InvoicingService(self.db, self.config, lambda: self.xero, lambda: self.salesforce, self.people,
                                approvers, notifier=lambda: self.teams_invoice_notifier)

    @cached_property
    def teams_invoice_notifier(self) -> InvoiceNotifier:
        from bot.chat.teams_app import display_name
        from handlers.teams.invoicing.notifier import TeamsInvoiceNotifier

        return TeamsInvoiceNotifier(self.teams_sender, self.config.teams.finance_conversation,
                                    lambda user: display_name(self.people, user))

    @cached_property
    def teams_sender(self) -> ProactiveSender:
        """Messages the bot starts in Teams: to teams.* conversations and people's 1:1 chats."""
        from bot.chat.teams_app import require_teams_credentials
        from handlers.teams.proactive import ProactiveSender

        app_id, _ = require_teams_credentials(self.settings)
        return ProactiveSender(self.teams_connector, self.config.teams.service_url,
                               self.settings.teams_tenant_id or "", f"28:{app_id}")

    def teams_endpoint(self) -> TeamsEndpoint:
        """``POST /api/messages``, each activity's Bot Framework JWT checked against TEAMS_OPENID_URL."""
        from bot.chat.teams_app import require_teams_credentials, teams_endpoint
        from integrations.teams import InboundTokenValidator

        app_id, _ = require_teams_credentials(self.settings)
        return teams_endpoint(self.teams_bot, InboundTokenValidator(self.http, self.settings.teams_openid_url, app_id))

    def web_app(self, slack: SlackEndpoint | None = None, teams: TeamsEndpoint | None = None) -> Starlette:
        """The HTTP endpoints; ``slack`` serves /slack/events (the Bolt request handler); ``teams``
        serves /api/messages, built here when TEAMS_APP_ID is set."""
        if teams is None and self.settings.teams_app_id:
            teams = self.teams_endpoint()
        try:
            connector = self.xero_connector
            connect = XeroConnectPages(connector.start, lambda params: connector.finish(params).tenant_name)
        except ConfigError:
            connect = None
        stale = timedelta(minutes=self.config.sync.stale_after_minutes)
        return create_web_app(mirror_health(self.db, stale), self.webhook_inbox, slack, connect, teams)

    def close(self) -> None:
        if "webhook_worker" in self.__dict__:
            self.webhook_worker.stop()
        if "http" in self.__dict__ and self._http is None:
            self.http.close()
        if "db" in self.__dict__ and self._db is None:
            self.db.dispose()
