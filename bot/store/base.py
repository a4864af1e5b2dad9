"""The declarative base and the column types every table uses.

Money is stored as a scaled integer (``Money`` = cents, ``Precise`` = 4 places): exact on SQLite,
which has no decimal type, and on PostgreSQL alike, so the same migrations and the same
``SUM()`` work on both. Times are stored as UTC and always come back timezone-aware.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact Decimal stored as an integer number of 10**-places units.

    A value with more places than the column holds is refused, never silently rounded.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self._factor = Decimal(10) ** places

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if type(value) is not Decimal:
            if isinstance(value, float):
                raise TypeError("money must be Decimal, not float")
            value = Decimal(value)
        scaled = value.scaleb(self.places)
        units = int(scaled)  # truncates: compared below, so nothing is ever silently rounded
        if units != scaled:
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return units

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], int | None]:
        """``process_bind_param`` itself when the integer column needs no conversion of its own
        (SQLite, PostgreSQL): a sync stores about fifteen amounts per invoice, and TypeDecorator's
        generic wrapper cost more than the conversion."""
        impl_processor = self.impl_instance.dialect_impl(dialect).bind_processor(dialect)
        if impl_processor is not None:
            return super().bind_processor(dialect)  # type: ignore[return-value]
        return functools.partial(self.process_bind_param, dialect=dialect)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        # SUM() on SQLite may hand back a float for huge totals; go through str to stay exact.
        units = Decimal(value) if isinstance(value, int) else Decimal(str(value))
        return (units / self._factor).quantize(Decimal(1).scaleb(-self.places))

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


def Money() -> ScaledDecimal:
    """Amounts in a currency: 2 decimal places."""
    return ScaledDecimal(2)


def Precise() -> ScaledDecimal:
    """Unit amounts, quantities, rates: 4 decimal places (Xero's unitdp=4)."""
    return ScaledDecimal(4)


def Rate() -> ScaledDecimal:
    """Currency rates: 6 decimal places, as Xero keeps them."""
    return ScaledDecimal(6)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Paidup stores aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
