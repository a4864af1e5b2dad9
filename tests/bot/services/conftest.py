"""The services against a synced world: both sandboxes on loopback, the mirror filled from them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import Paidup
from tests.bot.sync.conftest import World, world  # noqa: F401


@pytest.fixture
def paidup(world: World) -> Iterator[Paidup]:  # noqa: F811
    """A Paidup whose mirror holds the demo data (Salesforce, then Xero, as `paidup sync` does)."""
    app = world.paidup()
    assert app.sync.sync("salesforce").status == "ok"
    assert app.sync.sync("xero").status == "ok"
    yield app
    app.close()
