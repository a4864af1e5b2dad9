"""Apply the Alembic migrations shipped inside the package (`paidup db upgrade`, and on start
of serve, sync and demo)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.store.session import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to ``revision``; (revision before, revision after)."""
    config = alembic_config(db.url)
    with db.engine.begin() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
    return before, after


def pending(db: Database) -> list[str]:
    """Revisions not yet applied (empty when the database is current)."""
    script = ScriptDirectory.from_config(alembic_config(db.url))
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return [rev.revision for rev in script.iterate_revisions("head", current)]
