"""`paidup serve` warms the status answer before it listens (bot.chat.serve.warm_up): the name
index is built then, not by the first question, and warming touches no data."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import load_app_config
from bot.services.resolution import AccountResolver, _NameIndex, build_name_index
from bot.services.status import StatusService
from bot.store.mirror import SfAccount
from bot.store.session import Database
from bot.store.state import SyncRun
from tests.conftest import ROOT


def test_warm_builds_the_index_once_and_changes_nothing(db: Database) -> None:
    builds: list[int] = []

    def counting(session: Session) -> _NameIndex:
        builds.append(1)
        return build_name_index(session)

    with db.session() as s:
        s.add(SfAccount(id="001000000000001AAA", name="Acme Corporation", name_key="acme"))
    resolver = AccountResolver(db, build_index=counting)
    status = StatusService(db, load_app_config(ROOT / "app.yml"), resolver)  # no sync: never refreshes live
    status.warm()
    assert len(builds) == 1
    reply = status.ask("Acme Corporation")
    assert reply.answer is not None and reply.answer.display_name == "Acme Corporation"
    assert len(builds) == 1  # the question used the warmed index
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncRun)) == 0
        assert s.scalar(select(func.count()).select_from(SfAccount)) == 1
