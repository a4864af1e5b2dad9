"""Storage: migrations from empty, exact money, aware times, encrypted tokens, leases."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, insert, select, text

from bot.store import migrate
from bot.store.models import Base, OAuthToken, XeroInvoice
from bot.store.session import Database, LeaseBusy
from bot.store.state import SyncRun, last_good_sync
from bot.store.tokens import DatabaseTokenStore, SecretBox, TokenDecryptError
from integrations.tokens import TokenSet


def invoice(n: int, **values: object) -> XeroInvoice:
    fields = {"id": f"00000000-0000-0000-0000-{n:012d}", "number": f"INV-{n:04d}", "contact_id": "c",
              "status": "AUTHORISED", "currency": "USD", "date": date(2026, 11, 1), "due_date": date(2026, 12, 1)}
    return XeroInvoice(**{**fields, **values})


def test_migrations_create_exactly_the_models(db: Database) -> None:
    assert migrate.pending(db) == []
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_from_empty_and_again_is_a_no_op(tmp_path, migrated_url) -> None:
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    head = ScriptDirectory.from_config(migrate.alembic_config(fresh.url)).get_current_head()
    assert migrate.upgrade(fresh) == (None, head)
    assert migrate.upgrade(fresh) == (head, head)
    assert migrate.pending(Database(migrated_url)) == []


def test_money_round_trips_exactly_and_sums_in_sql(db: Database) -> None:
    with db.session() as s:
        s.add(invoice(1, total=Decimal("0.1"), amount_due=Decimal("0.10")))
        s.add(invoice(2, total=Decimal("0.2"), amount_due=Decimal("99999999999.99")))
    with db.session() as s:
        assert s.scalar(select(func.sum(XeroInvoice.total))) == Decimal("0.30")
        assert s.scalar(select(XeroInvoice.total).where(XeroInvoice.number == "INV-0001")) == Decimal("0.10")
        assert s.scalar(select(func.sum(XeroInvoice.amount_due))) == Decimal("100000000000.09")
        assert s.scalar(select(func.count()).where(XeroInvoice.amount_due > Decimal("0.05"))) == 2


def test_money_refuses_floats_and_hidden_rounding(db: Database) -> None:
    with pytest.raises(Exception, match="Decimal, not float"), db.session() as s:
        s.add(invoice(3, total=0.1))
        s.flush()
    with pytest.raises(Exception, match="more than 2 decimal places"), db.session() as s:
        s.add(invoice(4, total=Decimal("1.005")))
        s.flush()


def test_times_come_back_aware_utc(db: Database) -> None:
    local = datetime(2026, 11, 28, 9, 30, tzinfo=UTC).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    with db.session() as s:
        s.add(invoice(5, updated_at_xero=local))
    with db.session() as s:
        stored = s.scalar(select(XeroInvoice.updated_at_xero))
    assert stored == datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    assert stored.tzinfo is not None


def test_tokens_are_encrypted_at_rest(db: Database) -> None:
    store = DatabaseTokenStore(db, SecretBox("correct horse battery staple"))
    tokens = TokenSet(access_token="at-PLAINTEXT-123", refresh_token="rt-PLAINTEXT-456",
                      expires_at=datetime(2026, 12, 1, tzinfo=UTC), extra={"tenant_id": "t-1"})
    store.save("xero", tokens)
    assert store.load("xero") == tokens
    with db.engine.connect() as connection:
        raw = connection.execute(text("SELECT ciphertext FROM oauth_tokens")).scalar_one()
    assert b"PLAINTEXT" not in bytes(raw)
    assert b"t-1" not in bytes(raw)
    with pytest.raises(TokenDecryptError, match="PAIDUP_SECRET_KEY"):
        DatabaseTokenStore(db, SecretBox("another key")).load("xero")
    store.delete("xero")
    assert store.load("xero") is None
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(OAuthToken)) == 0


def test_a_fernet_key_is_used_as_given() -> None:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    assert Fernet(key.encode()).decrypt(SecretBox(key).encrypt(b"x")) == b"x"


def test_a_lease_is_held_by_one_holder_at_a_time(db: Database) -> None:
    other_process = Database(db.url)
    with db.lease("sync:xero"):
        assert other_process.try_lease("sync:xero", timedelta(minutes=1)) is None
        with pytest.raises(LeaseBusy), other_process.lease("sync:xero"):
            pass
    with other_process.lease("sync:xero") as token:
        assert other_process.renew_lease("sync:xero", token, timedelta(minutes=5))
    other_process.dispose()


def test_an_expired_lease_can_be_taken_over(db: Database) -> None:
    assert db.try_lease("job", timedelta(seconds=-1)) is not None
    assert db.try_lease("job", timedelta(minutes=1)) is not None


def test_concurrent_takers_get_one_lease(db: Database) -> None:
    winners: list[str] = []
    start = threading.Barrier(8)

    def take() -> None:
        start.wait()
        if (token := db.try_lease("race", timedelta(minutes=1))) is not None:
            winners.append(token)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_the_last_good_sync_is_the_newest_ok_whole_run_of_that_source(db: Database) -> None:
    at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    runs = [("xero", "full", "ok", at), ("xero", "incremental", "partial", at + timedelta(minutes=5)),
            ("xero", "incremental", "failed", at + timedelta(minutes=10)),  # failed: not fresh
            ("xero", "webhook", "ok", at + timedelta(minutes=15)),  # a few records: not the whole source
            ("salesforce", "incremental", "ok", at + timedelta(minutes=20)), ("xero", "incremental", "ok", None)]
    with db.engine.begin() as c:
        c.execute(insert(SyncRun.__table__), [
            {"source": source, "kind": kind, "status": status, "started_at": at, "finished_at": finished,
             "created": 0, "updated": 0, "deleted": 0, "failed": 0, "calls": 0}
            for source, kind, status, finished in runs])
    with db.session() as s:
        assert s.scalar(last_good_sync("xero")) == at + timedelta(minutes=5)
        assert s.scalar(last_good_sync("xero", ("full",))) == at
        assert s.scalar(last_good_sync("salesforce")) == at + timedelta(minutes=20)
        assert s.scalar(last_good_sync("nowhere")) is None
