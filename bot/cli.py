"""The `paidup` command line: parse, call a service, print, exit with a meaningful code.

Exit codes: 0 done; 1 done but something needs attention (doctor found a problem, sync records
failed); 2 could not run (bad config, the run itself failed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from bot.config import AppConfig, ConfigError, Settings, load_app_config, load_settings
from bot.logs import configure_logging

EXIT_ATTENTION, EXIT_FAILED = 1, 2


class Context:
    """What every command gets: settings (from the environment) and the --verbose flag."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
            configure_logging(self.verbose, self._settings.secret_values())
        return self._settings


def clean_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A ConfigError is a message for a person, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as exc:
            click.secho(f"Configuration error: {exc}", fg="red", err=True)
            sys.exit(EXIT_FAILED)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail (JSON lines on stderr).")
@click.version_option(package_name="paidup")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Paidup: Salesforce and Xero in Slack.

    Secrets come from the environment (or .env), everything else from app.yml (PAIDUP_CONFIG).
    Run `paidup doctor` first: it says what is missing.
    """
    ctx.obj = Context(verbose)


@cli.command()
@click.pass_obj
@clean_errors
def doctor(obj: Context) -> None:
    """Check config, database and credentials, and say what to fix."""
    from bot.services.doctor import run_checks

    checks = run_checks(obj.settings)
    checks += _connection_checks(obj.settings, checks)
    marks = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "red")}
    for check in checks:
        mark, colour = marks[check.status]
        click.echo(f"{click.style(mark, fg=colour)} {check.area:<11} {check.detail}")
        if check.fix:
            click.echo(f"  {'':<11} → {check.fix}")
    failed = sum(check.status == "fail" for check in checks)
    warned = sum(check.status == "warn" for check in checks)
    click.echo(f"\n{failed} problem(s), {warned} warning(s).")
    sys.exit(EXIT_ATTENTION if failed else 0)


def _connection_checks(settings: Settings, found: list[Any]) -> list[Any]:
    """One call to each platform whose credentials are set (the database must be current first:
    Xero and Salesforce tokens are stored in it)."""
    from bot.app import Paidup
    from bot.services.doctor import Check, check_connections, slack_scopes_check
    from bot.services.manifest import bot_scopes

    def failed(area: str) -> bool:
        return any(c.area == area and c.status == "fail" for c in found)

    if failed("config"):
        return []
    paidup = Paidup(settings, load_app_config(settings.config_path))
    probes: dict[str, Callable[[], Check]] = {}
    if settings.slack_bot_token and settings.slack_bot_token.get_secret_value():
        def slack() -> Check:
            answer = paidup.slack_client.auth_test()
            return slack_scopes_check(str(answer.get("team")), str(answer.get("user")),
                                      answer.headers.get("x-oauth-scopes"), bot_scopes(paidup.config))
        probes["slack"] = slack
    database_ready = any(c.area == "database" and c.status == "ok" for c in found)
    if database_ready and not failed("secrets") and not failed("xero"):
        probes["xero"] = lambda: Check("xero", "ok", f"Xero answers: organisation {paidup.xero.organisation().name}")
    if database_ready and not failed("secrets") and not failed("salesforce"):
        probes["salesforce"] = lambda: Check(
            "salesforce", "ok", f"Salesforce answers: Account has {len(paidup.salesforce.describe('Account').fields)} "
            "fields")
    secrets = [s.get_secret_value() for s in (settings.slack_bot_token, settings.xero_client_secret,
                                              settings.salesforce_client_secret, settings.secret_key) if s]
    try:
        return check_connections(probes, secrets)
    finally:
        paidup.db.dispose()


@cli.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.pass_obj
@clean_errors
def db_upgrade(obj: Context) -> None:
    """Apply database migrations (serve, sync and demo also do it on start)."""
    from bot.store.migrate import upgrade
    from bot.store.session import Database

    database = Database(obj.settings.database_url)
    before, after = upgrade(database)
    where = database.engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"{where}: already at revision {after}.")
    else:
        click.echo(f"{where}: migrated from {before or 'empty'} to {after}.")


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="Keep the demo database in this file.")
@click.option("--script", type=click.File("r", encoding="utf-8"),
              help="Run these chat lines (one a line, # comments) and print the transcript; exit 1 if one fails.")
@click.pass_obj
def demo(obj: Context, db_path: str | None, script: Any) -> None:
    """The whole bot on SQLite and the sandboxes, with a terminal chat; no credentials.

    Starts the Xero and Salesforce sandboxes with the demo data, a Slack stand-in and Paidup's HTTP
    endpoint on 127.0.0.1, syncs, then opens a chat as a person in Slack (type `help` there).
    Exit 0 done, 1 a script line failed, 2 the demo could not start.
    """
    from pathlib import Path

    from bot.demo import run_demo

    sys.exit(run_demo(Path(db_path).resolve() if db_path else None, script, verbose=obj.verbose))


@cli.command()
@click.option("--http", "http_mode", is_flag=True, help="Serve HTTP on PORT even if SLACK_APP_TOKEN is set.")
@click.option("--port", type=click.IntRange(1, 65535), help="Override PORT (HTTP mode).")
@click.pass_obj
@clean_errors
def serve(obj: Context, http_mode: bool, port: int | None) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT; plus the scheduler.

    HTTP mode serves POST /slack/events, POST /api/messages (Teams, when TEAMS_APP_ID is set),
    POST /xero/webhooks, GET /xero/callback and GET /healthz. With TEAMS_APP_ID and no SLACK_BOT_TOKEN
    it serves Teams only, over HTTP.
    Stops cleanly on SIGTERM or Ctrl-C.
    """
    from bot.app import Paidup
    from bot.chat.modes import require_slack_secrets, socket_mode_wanted
    from bot.chat.serve import serve as run

    settings = obj.settings
    paidup = Paidup(settings)
    if settings.teams_app_id and settings.slack_bot_token is None:
        chat, socket_mode = "Microsoft Teams", False  # Teams only: POST /api/messages over HTTP
    else:
        chat, socket_mode = "Slack", socket_mode_wanted(settings, paidup.config, force_http=http_mode)
        require_slack_secrets(settings, socket_mode=socket_mode)
        if settings.teams_app_id and not socket_mode:
            chat = "Slack and Microsoft Teams"
    where = "Socket Mode" if socket_mode else f"HTTP on port {settings.port if port is None else port}"
    if socket_mode and settings.teams_app_id:
        where += f", and Microsoft Teams over HTTP on port {settings.port if port is None else port}"
    click.echo(f"Paidup is serving {chat} over {where}; Ctrl-C or SIGTERM stops it.", err=True)
    try:
        run(paidup, force_http=http_mode, port=port)
    finally:
        paidup.close()
    click.echo("Paidup stopped.", err=True)


@cli.command()
@click.argument("source", required=False, type=click.Choice(["xero", "salesforce"]))
@click.option("--full", is_flag=True, help="Re-read everything instead of only what changed.")
@click.pass_obj
@clean_errors
def sync(obj: Context, source: str | None, full: bool) -> None:
    """Sync the mirror now (both sources unless one is named). Exit 0 ok, 1 records failed, 2 run failed."""
    from bot.app import Paidup
    from bot.sync_report import print_summary, run_with_progress

    paidup = Paidup(obj.settings)
    paidup.migrate()
    summaries = [run_with_progress(paidup.sync, name, full) for name in ([source] if source else
                                                                          ["salesforce", "xero"])]
    for summary in summaries:
        print_summary(summary)
    from bot.sync.linking import suggest_pending  # a big sync leaves the fuzzy suggestions for after it

    suggested = suggest_pending(paidup.db, paidup.config.salesforce.account_contact_field)
    if suggested is not None:
        click.echo(f"{suggested:,} link suggestions (similar names) are waiting for a person to confirm them.")
    paidup.close()
    if any(s.status in ("failed", "busy") for s in summaries):
        sys.exit(EXIT_FAILED)
    sys.exit(EXIT_ATTENTION if any(s.failed for s in summaries) else 0)


@cli.command()
@click.argument("provider", type=click.Choice(["xero", "salesforce"]))
@click.option("--port", type=int, help="Callback port (default PORT); the redirect URI is http://localhost:PORT/...")
@click.option("--no-browser", is_flag=True, help="Only print the login URL.")
@click.pass_obj
@clean_errors
def connect(obj: Context, provider: str, port: int | None, no_browser: bool) -> None:
    """Authorise Paidup with Xero or Salesforce in a browser; tokens are stored encrypted."""
    import webbrowser

    from bot.app import Paidup
    from bot.connect_flow import connect_salesforce, connect_xero

    paidup = Paidup(obj.settings)
    paidup.migrate()

    def show(url: str) -> None:
        click.echo(f"Open this page to authorise Paidup (waiting up to 5 minutes):\n\n  {url}\n")
        if not no_browser:
            webbrowser.open(url)

    callback_port = obj.settings.port if port is None else port
    if provider == "xero":
        name = connect_xero(paidup, show, callback_port)
        click.secho(f"Connected to the Xero organisation {name}. Tokens are stored encrypted.", fg="green")
    else:
        where = connect_salesforce(paidup, show, callback_port)
        click.secho(f"Connected to Salesforce at {where}. Tokens are stored encrypted.", fg="green")
    paidup.close()


@cli.group()
def alerts() -> None:
    """Alert jobs."""


@alerts.command("run")
@click.argument("job", type=click.Choice(["overdue", "failed-sync", "payments"]))
@click.pass_obj
@clean_errors
def alerts_run(obj: Context, job: str) -> None:
    """Run one alert job now, as the scheduler would; print what it posted.

    Exit 0 when it ran (whether or not there was anything to post), 1 when some alerts could not be
    delivered (kept for the next run), 2 when it could not run (configuration).
    """
    from bot.app import Paidup

    paidup = Paidup(obj.settings)
    paidup.migrate()
    try:
        result = paidup.alerts.run(job)
    finally:
        paidup.close()
    for line in result.lines():
        click.echo(line)
    if not result.lines():
        click.echo("nothing to do")
    sys.exit(EXIT_ATTENTION if result.failed else 0)


@cli.group()
def report() -> None:
    """Reports."""


@report.command("weekly")
@click.option("--scope", type=click.Choice(["team", "all"]), help="Instead of reports.scope, for this run.")
@click.option("--period", type=click.Choice(["this month", "last month", "quarter"]),
              help="Instead of reports.period, for this run.")
@click.pass_obj
@clean_errors
def report_weekly(obj: Context, scope: str | None, period: str | None) -> None:
    """Post the weekly report now, as the scheduler would: the figures to reports.channel, the charts
    in its thread (a bot set up for Teams only: to teams.reports_conversation, each chart a message
    after the card). It counts as this week's: a week already posted is not posted again.

    Exit 0 when it ran (posted, already posted this week, or another process is posting it), 1 when
    the chat refused the post (the next run tries again), 2 when it could not run (configuration).
    """
    from bot.app import Paidup

    paidup = Paidup(obj.settings)
    paidup.migrate()
    try:
        line, failed = _weekly_report(paidup, scope, period)
    finally:
        paidup.close()
    click.echo(line)
    sys.exit(EXIT_ATTENTION if failed else 0)


def _weekly_report(paidup: Any, scope: str | None, period: str | None) -> tuple[str, bool]:
    """What the run did, in a line for a person, and whether the post failed."""
    import logging

    from slack_sdk.errors import SlackApiError

    from bot.services.reports import ReportService, resolve_period
    from bot.services.reports.weekly import WeeklyReport
    from integrations.teams.errors import TeamsApiError

    settings = paidup.config.reports
    weekly = paidup.weekly_report
    if weekly.channel is None:
        raise ConfigError(f"{weekly.setting} is not set in app.yml: the weekly report has no channel to go to "
                          "(see README: Reports)")
    # without the chat's credentials: a ConfigError now, before the week is claimed
    paidup.teams_sender if paidup.teams_only else paidup.alert_delivery  # noqa: B018
    if scope or period:
        settings = settings.model_copy(update={"scope": scope or settings.scope, "period": period or settings.period})
        reports = ReportService(paidup.db, paidup.config.model_copy(update={"reports": settings}), paidup.reports.clock)
        weekly = WeeklyReport(reports, weekly.poster, weekly.channel, weekly.setting)
    subject = "the sales team" if settings.scope == "team" else "everyone"
    what = f"{subject}, {resolve_period(settings.period, weekly.reports.today()).label}, to {weekly.channel}"
    try:
        outcome = weekly.run()
    except Exception as exc:  # the post failed; the alert log keeps the week for the next run
        logging.getLogger(__name__).warning("reports.weekly.failed", exc_info=True)
        if isinstance(exc, SlackApiError) and exc.response.get("error"):
            error = f"Slack said {exc.response.get('error')}"
        elif isinstance(exc, TeamsApiError):
            error = f"Teams said HTTP {exc.status}{f' {exc.code}' if exc.code else ''}"
        else:
            error = type(exc).__name__
        return f"failed: the weekly report ({what}): {error}; the next run tries again", True
    lines = {"posted": f"posted: the weekly report for {outcome.week} ({what})",
             "already_posted": f"skipped: the weekly report for {outcome.week} was posted already ({what})",
             "busy": "skipped: another process is posting the weekly report right now",
             "not_configured": f"skipped: {weekly.setting} is not set"}
    return lines[outcome.status], False


@cli.command()
@click.option("--teams", is_flag=True, help="Print the Microsoft Teams app manifest (manifest.json) instead.")
@click.option("--zip", "package", type=click.Path(dir_okay=False, writable=True), default=None,
              help="With --teams: also write the Teams app package (manifest.json and icons) to this zip file.")
@click.option("--url", "base_url", default="https://YOUR-HOST", show_default=True,
              help="Public base URL of `paidup serve --http` (HTTP mode only); the placeholder must be replaced "
                   "before pasting. Request URLs become <url>/slack/events.")
@click.pass_obj
@clean_errors
def manifest(obj: Context, teams: bool, package: str | None, base_url: str) -> None:
    """Print the Slack app manifest (YAML) for the current app.yml; --teams: the Teams manifest (JSON).

    Socket Mode follows slack.socket_mode in app.yml, or (when that is null) whether SLACK_APP_TOKEN is set.
    """
    import yaml

    from bot.chat.modes import socket_mode_wanted
    from bot.services.manifest import build_manifest

    config = load_app_config(obj.settings.config_path)  # a bad app.yml is reported before anything else
    if teams:
        write_teams_manifest(obj.settings, config, base_url, package)
        return
    socket = socket_mode_wanted(obj.settings, config)
    click.echo(yaml.safe_dump(build_manifest(config, socket_mode=socket, base_url=base_url), sort_keys=False, width=120,
                              allow_unicode=True), nl=False)


def write_teams_manifest(settings: Settings, config: AppConfig, base_url: str, package: str | None) -> None:
    import json
    from pathlib import Path

    from bot.services.teams_manifest import build_teams_manifest, teams_app_package

    if not settings.teams_app_id:
        raise ConfigError("TEAMS_APP_ID is not set: the manifest names the Azure Bot's app id (see README: "
                          "Microsoft Teams)")
    built = build_teams_manifest(config, settings.teams_app_id, base_url)
    click.echo(json.dumps(built, indent=2, ensure_ascii=False))
    if package:
        Path(package).write_bytes(teams_app_package(built))
        click.echo(f"Wrote the Teams app package to {package}: upload it in Teams (Apps → Manage your apps).",
                   err=True)


def main() -> None:
    cli(prog_name="paidup")
