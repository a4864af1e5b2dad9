"""The sync's bulk writes (bot.store.upsert) store exactly what the ORM would: the same values
back, money exact, times aware, rows matched by primary key only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Column, MetaData, String, Table, select, update

from bot.store.migrate import upgrade
from bot.store.mirror import XeroPayment
from bot.store.session import Database
from bot.store.state import SyncCursor
from bot.store.upsert import insert_rows, update_rows

T0 = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def payment(n: int, **values: object) -> dict[str, object]:
    return {"id": f"p-{n}", "invoice_id": f"i-{n}", "date": date(2026, 11, n % 28 + 1), "amount": Decimal(f"{n}.25"),
            "currency": "USD", "reference": f"ref {n}", "status": "AUTHORISED", "payment_type": None,
            "updated_at_xero": None, "synced_at": T0, **values}


def stored(db: Database) -> list[tuple]:
    with db.session() as s:
        return [tuple(row) for row in s.execute(select(
            XeroPayment.id, XeroPayment.invoice_id, XeroPayment.date, XeroPayment.amount, XeroPayment.currency,
            XeroPayment.reference, XeroPayment.status, XeroPayment.payment_type, XeroPayment.updated_at_xero,
            XeroPayment.synced_at).order_by(XeroPayment.id))]


def test_a_big_page_of_new_rows_is_stored_exactly(db: Database) -> None:
    """On PostgreSQL a page of 100 rows or more goes in by COPY: every column type the sync writes
    comes back as given (JSON, money, times, booleans, NULLs, text that needs escaping)."""
    from bot.store.mirror import XeroContact, XeroInvoice, XeroInvoiceLine

    contacts = [{"id": f"c-{n:04d}", "name": f"Tab\there, “quotes” \\ and\nnew line {n}", "name_key": f"k{n}",
                 "contact_number": None if n % 2 else f"N{n}", "account_number": None, "email": None,
                 "email_domain": None, "status": "ACTIVE", "default_currency": "USD",
                 "sales_terms_days": n % 30 or None, "sales_terms_type": "DAYSAFTERBILLDATE", "is_customer": n % 3 == 0,
                 "raw": {"addresses": [{"City": "Zürich", "n": n}]}, "updated_at_xero": T0, "synced_at": T0}
                for n in range(150)]
    payments = [payment(n) for n in range(1, 151)]
    with db.session() as s:
        insert_rows(s, XeroContact.__table__, contacts)
        insert_rows(s, XeroPayment.__table__, payments)
        s.execute(XeroContact.__table__.insert(), [{**contacts[0], "id": "x-0001"}])  # an id that sorts after
        s.add(XeroInvoice(id="i-1", number="INV-1", contact_id="c-0001", status="AUTHORISED", currency="USD"))
        s.flush()
        insert_rows(s, XeroInvoiceLine.__table__, [
            {"invoice_id": "i-1", "position": n, "line_item_id": None, "description": "d", "quantity": Decimal("1.5"),
             "unit_amount": Decimal("12.3456"), "discount_rate": None, "item_code": None, "account_code": "200",
             "tax_type": None, "tax_amount": Decimal("1.23"), "line_amount": Decimal("18.52")} for n in range(120)])
    with db.session() as s:
        back = {c.id: c for c in s.scalars(select(XeroContact))}
        lines = s.scalars(select(XeroInvoiceLine).order_by(XeroInvoiceLine.position)).all()
        assert len(back) == 151 and len(lines) == 120 and len({line.id for line in lines}) == 120
        assert lines[7].unit_amount == Decimal("12.3456") and lines[7].quantity == Decimal("1.5")
        for row in contacts:
            got = back[row["id"]]
            assert (got.name, got.contact_number, got.sales_terms_days, got.is_customer, got.raw,
                    got.updated_at_xero) == (row["name"], row["contact_number"], row["sales_terms_days"],
                                             row["is_customer"], row["raw"], T0)
    assert stored(db) == [tuple(p[k] for k in ("id", "invoice_id", "date", "amount", "currency", "reference", "status",
                                                "payment_type", "updated_at_xero", "synced_at"))
                          for p in sorted(payments, key=lambda p: str(p["id"]))]


def test_update_rows_writes_what_the_orms_bulk_update_writes(db: Database, tmp_path) -> None:
    later = datetime(2026, 11, 2, 10, 0, 0, 123000, tzinfo=UTC)
    changes = [
        {"id": "p-1", "amount": Decimal("1000000.99"), "updated_at_xero": later, "payment_type": "ACCRECPAYMENT"},
        {"id": "p-2", "amount": Decimal("0.01"), "updated_at_xero": later, "payment_type": "ACCRECPAYMENT"},
        {"id": "p-3", "reference": None, "status": "DELETED", "date": date(2027, 1, 31)},  # other keys
        {"id": "p-404", "reference": "nobody has this id"},  # matches nothing, changes nothing
    ]
    with db.session() as s:
        insert_rows(s, XeroPayment.__table__, [payment(n) for n in range(1, 6)])
        update_rows(s, XeroPayment.__table__, [dict(c) for c in changes])

    twin = Database(f"sqlite:///{tmp_path / 'twin.db'}")
    upgrade(twin)
    with twin.session() as s:
        s.execute(XeroPayment.__table__.insert(), [payment(n) for n in range(1, 6)])
        s.execute(update(XeroPayment), [dict(c) for c in changes[:3]])
    assert stored(db) == stored(twin)
    rows = {row[0]: row for row in stored(db)}
    assert rows["p-1"][3] == Decimal("1000000.99") and rows["p-1"][8] == later
    assert rows["p-3"][5] is None and rows["p-3"][6] == "DELETED" and rows["p-4"] == tuple(
        payment(4)[k] for k in ("id", "invoice_id", "date", "amount", "currency", "reference", "status",
                                "payment_type", "updated_at_xero", "synced_at"))


def test_update_rows_refuses_floats_like_the_column_does(db: Database) -> None:
    with db.session() as s:
        insert_rows(s, XeroPayment.__table__, [payment(1)])
    with pytest.raises(Exception, match="float"), db.session() as s:
        update_rows(s, XeroPayment.__table__, [{"id": "p-1", "amount": 1.1}])
    assert stored(db)[0][3] == Decimal("1.25")


def test_update_rows_leaves_a_python_side_onupdate_to_the_orm(db: Database) -> None:
    with pytest.raises(ValueError, match="onupdate"), db.session() as s:
        update_rows(s, SyncCursor.__table__, [{"source": "xero", "entity": "invoices", "cursor": "x"}])


def test_update_rows_wants_a_one_column_primary_key(db: Database) -> None:
    pairs = Table("pairs", MetaData(), Column("a", String, primary_key=True), Column("b", String, primary_key=True),
                  Column("v", String))
    with pytest.raises(ValueError, match="one-column primary key"), db.session() as s:
        update_rows(s, pairs, [{"a": "1", "b": "2", "v": "x"}])
