"""Chat users mapped to Salesforce users by email, cached in ChatUser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Paidup
from bot.services.people import ChatProfile, PeopleService
from bot.store.mirror import SfUser
from bot.store.state import ChatUser
from integrations import demo_data as demo

PROFILES = {u.slack_id: ChatProfile(u.email.upper(), u.name) for u in demo.USERS}
PROFILES["U0NOMAIL"] = ChatProfile(None, "Bot User")
PROFILES["U0STRANGER"] = ChatProfile("someone@elsewhere.example", "Stranger")


class Directory:
    """Stands in for the chat platform's user lookup; counts lookups."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, user_id: str) -> ChatProfile | None:
        self.calls.append(user_id)
        return PROFILES.get(user_id)


def test_a_rep_is_mapped_by_email_and_cached(paidup: Paidup) -> None:
    directory = Directory()
    mapping = paidup.people.salesforce_user("U0REP0001", directory)
    assert (mapping.outcome, mapping.sf_user_id, mapping.email) == ("matched", demo.REP.id, "rita.rep@paidup.example")
    assert mapping.sf_user.name == "Rita Rep" and not mapping.from_cache
    again = paidup.people.salesforce_user("U0REP0001", directory)
    assert again.sf_user_id == demo.REP.id and again.from_cache and directory.calls == ["U0REP0001"]
    with paidup.db.session() as s:
        row = s.get(ChatUser, "U0REP0001")
        assert (row.sf_user_id, row.email, row.display_name) == (demo.REP.id, "rita.rep@paidup.example", "Rita Rep")
    assert paidup.people.chat_users_for(demo.REP.id) == ["U0REP0001"]


def test_unmapped_users_say_why(paidup: Paidup) -> None:
    directory = Directory()
    people = paidup.people
    assert people.salesforce_user("U0NOMAIL", directory).outcome == "no_email"
    assert people.salesforce_user("U0STRANGER", directory).outcome == "no_match"
    assert people.salesforce_user("U0UNKNOWN", directory).outcome == "no_email"  # the lookup found nobody
    former = people.salesforce_user("U0OLD0001", directory)
    assert (former.outcome, former.sf_user_id) == ("inactive", None)
    assert [u.id for u in former.candidates] == [demo.FORMER.id]
    with paidup.db.session() as s:
        s.add(SfUser(id="005DUPLICATE000001", name="Rita Again", email="rita.rep@paidup.example", is_active=True))
    several = people.salesforce_user("U0REP0001", directory)
    assert several.outcome == "several" and several.sf_user_id is None
    assert {u.id for u in several.candidates} == {demo.REP.id, "005DUPLICATE000001"}


def test_an_old_cache_entry_asks_the_platform_again(paidup: Paidup) -> None:
    directory = Directory()
    later = datetime.now(UTC) + timedelta(days=2)
    PeopleService(paidup.db).salesforce_user("U0REP0002", directory)
    mapping = PeopleService(paidup.db, clock=lambda: later).salesforce_user("U0REP0002", directory)
    assert mapping.sf_user_id == demo.SELLER.id and not mapping.from_cache
    assert directory.calls == ["U0REP0002", "U0REP0002"]
    paidup.people.forget("U0REP0002")
    with paidup.db.session() as s:
        assert s.get(ChatUser, "U0REP0002") is None
