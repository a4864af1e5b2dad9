"""Account resolution over the synced demo mirror: invoice numbers, exact, normalised, prefix,
words and fuzzy; ambiguity, not found, hostile text."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import Paidup
from bot.services.resolution import AccountResolver, build_name_index
from bot.sync.linking import link_explicitly
from integrations import demo_data as demo

ACCOUNT, CONTACT = demo.SF_ACCOUNT, demo.XERO_CONTACT


def names(resolution: object) -> list[str]:
    return [c.name for c in resolution.candidates]


ONE_CLEAR = [
    ("Acme Corporation", "exact", "acme"),
    ("acme corporation", "exact", "acme"),
    ("Acme Corp", "normalised", "acme"),
    ("Globex", "normalised", "globex"),
    ("globex inc", "exact", "globex"),  # the Xero contact's name
    ("Globex Incorporated", "normalised", "globex"),
    ("Globex, Inc.", "exact", "globex"),
    ("Initech", "normalised", "initech"),
    ("Initech Software", "exact", "initech"),  # the Xero name finds the linked account
    ("muller", "normalised", "muller"),
    ("MÜLLER", "normalised", "muller"),
    ("O'Brien and Sons", "normalised", "obrien"),
    ("logistics", "words", "acme-logistics"),
    ("Globx", "fuzzy", "globex"),
    ("Stark Industries", "exact", "stark"),
]
HOSTILE = ["x' OR Name != '", "'; DROP TABLE sf_accounts; --", "a" * 5_000, "🚀💸🔥", "שלום עולם", "مرحبا",
           "\u202eemca", "%", "_", "\\", "\x00", "Acme%", "' OR 1=1 --"]


def test_one_clear_salesforce_account(paidup: Paidup) -> None:
    # one synced world for the whole table (a world takes a second to build)
    for query, method, expected in ONE_CLEAR:
        resolution = paidup.resolver.resolve(query)
        assert (query, resolution.outcome, resolution.method) == (query, "one", method)
        assert resolution.account.sf_account_id == ACCOUNT[expected].id, query


def test_linked_pairs_are_one_candidate_with_all_their_contacts(paidup: Paidup) -> None:
    hooli = paidup.resolver.resolve("Hooli").account
    assert hooli.key == f"sf:{ACCOUNT['hooli'].id}" and hooli.owner_id == demo.SELLER.id
    assert set(hooli.xero_contact_ids) == {CONTACT["hooli"].id, CONTACT["hooli-inc"].id}
    assert paidup.resolver.resolve("Hooli Inc").account == hooli
    acme = paidup.resolver.resolve("Acme Corporation").account
    assert acme.xero_contact_ids == (CONTACT["acme"].id,)


def test_a_contact_without_an_account_is_its_own_candidate(paidup: Paidup) -> None:
    wayne = paidup.resolver.resolve("wayne")
    assert (wayne.outcome, wayne.method) == ("one", "prefix")
    assert wayne.account.sf_account_id is None and wayne.account.xero_contact_ids == (CONTACT["wayne"].id,)
    assert wayne.account.key == f"xero:{CONTACT['wayne'].id}"


def test_acme_alone_is_ambiguous(paidup: Paidup) -> None:
    for query in ("acme", "Acme", "ACME"):
        resolution = paidup.resolver.resolve(query)
        assert resolution.outcome == "several" and resolution.account is None
        assert names(resolution) == ["Acme Corporation", "Acme Logistics GmbH"]
    picked = paidup.resolver.by_key(paidup.resolver.resolve("acme").candidates[1].key)
    assert picked.sf_account_id == ACCOUNT["acme-logistics"].id


def test_nothing_found_gives_the_closest_names(paidup: Paidup) -> None:
    resolution = paidup.resolver.resolve("Hoolix Industries Worldwide")
    assert resolution.outcome == "none" and not resolution.candidates
    assert "Stark Industries" in resolution.closest and len(resolution.closest) <= 3
    assert paidup.resolver.resolve("Zzyzx").outcome == "none"


def test_invoice_numbers_resolve_directly_and_win_over_the_name(paidup: Paidup) -> None:
    for number in ("INV-0042", "inv-0042", " Inv-0042 "):
        resolution = paidup.resolver.resolve("Acme", invoice_number=number)
        assert (resolution.outcome, resolution.method) == ("one", "invoice")
        assert resolution.account.sf_account_id == ACCOUNT["globex"].id
        assert resolution.invoice_id == demo.INVOICES[7].id
    unassigned = paidup.resolver.resolve("", invoice_number="INV-0100").account
    assert unassigned.xero_contact_ids == (CONTACT["wayne"].id,)
    unknown = paidup.resolver.resolve("Globex", invoice_number="INV-9999")
    assert (unknown.method, unknown.account.sf_account_id) == ("normalised", ACCOUNT["globex"].id)
    assert paidup.resolver.resolve("", invoice_number="INV-9999").outcome == "none"


def test_hostile_text_is_just_a_name(paidup: Paidup) -> None:
    for query in HOSTILE:
        resolution = paidup.resolver.resolve(query, invoice_number=query[:50])
        assert resolution.outcome in ("one", "several", "none"), query
        assert resolution.method != "invoice" and len(resolution.candidates) <= 5, query
    assert paidup.resolver.resolve("Globex").outcome == "one"  # the tables are still there


def test_the_index_follows_links_made_after_it_was_built(paidup: Paidup) -> None:
    resolver = paidup.resolver
    assert resolver.resolve("Umbrella Corp").account.xero_contact_ids == ()
    assert resolver.resolve("Umbrela Corporation").account.sf_account_id is None
    with paidup.db.session() as s:
        link_explicitly(s, ACCOUNT["umbrella"].id, CONTACT["umbrella"].id, "U0REP0001", datetime.now(UTC))
    merged = resolver.resolve("Umbrela Corporation").account
    assert merged.sf_account_id == ACCOUNT["umbrella"].id and merged.xero_contact_ids == (CONTACT["umbrella"].id,)
    assert resolver.resolve("Umbrella Corp").account == merged


def test_a_fresh_resolver_builds_its_index_on_first_use(paidup: Paidup) -> None:
    resolver = AccountResolver(paidup.db)
    assert resolver.resolve("Globex").account.sf_account_id == ACCOUNT["globex"].id
    resolver.refresh()
    assert resolver.by_key("sf:nope") is None
    assert resolver.for_contact(CONTACT["globex"].id).sf_account_id == ACCOUNT["globex"].id


def test_a_big_index_is_rebuilt_in_the_background_while_the_old_one_answers(paidup: Paidup) -> None:
    resolver = AccountResolver(paidup.db, background_above=0)
    assert resolver.resolve("Umbrela Corporation").account.sf_account_id is None
    with paidup.db.session() as s:
        link_explicitly(s, ACCOUNT["umbrella"].id, CONTACT["umbrella"].id, "U0REP0001", datetime.now(UTC))
    resolver.resolve("Umbrela Corporation")  # answers from the old index, starts the rebuild
    resolver.wait_for_rebuild()
    assert resolver.resolve("Umbrela Corporation").account.sf_account_id == ACCOUNT["umbrella"].id


def test_a_sync_that_changed_nothing_keeps_the_index(paidup: Paidup) -> None:
    builds: list[int] = []
    resolver = AccountResolver(paidup.db, build_index=lambda s: builds.append(1) or build_name_index(s))
    resolver.resolve("Globex")
    paidup.sync.sync("xero")  # incremental, nothing changed
    resolver.resolve("Globex")
    assert len(builds) == 1
