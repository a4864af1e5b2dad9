"""The alert jobs in the scheduler: their triggers come from app.yml (cron in alerts.timezone), and
a job whose chat platform is not set up logs it instead of crashing the scheduler."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.app import Paidup
from bot.config import Settings, load_app_config
from bot.jobs import alert_jobs, build_scheduler
from bot.store.session import Database
from bot.store.state import AlertLogEntry
from tests.conftest import ROOT

LONDON = ZoneInfo("Europe/London")


def test_alert_jobs_run_on_app_yml_schedules_and_survive_a_missing_slack(db: Database) -> None:
    paidup = Paidup(Settings(_env_file=None), load_app_config(ROOT / "app.yml"), db=db)
    jobs = alert_jobs(paidup.config, paidup.alerts)
    assert [job_id for job_id, _, _ in jobs] == ["alerts-overdue", "alerts-failed-sync", "alerts-payments"]
    triggers = {job_id: trigger for job_id, _, trigger in jobs}
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
    assert triggers["alerts-overdue"].get_next_fire_time(None, saturday) == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
    assert triggers["alerts-failed-sync"].get_next_fire_time(None, saturday) == datetime(2026, 11, 28, 10, 0,
                                                                                         tzinfo=LONDON)
    for _, run, _ in jobs:
        run()  # no SLACK_BOT_TOKEN: logged as not configured, nothing raised, nothing claimed
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AlertLogEntry)) == 0
    scheduler = build_scheduler(jobs, paidup.config.alerts.timezone)
    assert {job.id for job in scheduler.get_jobs()} == set(triggers)
