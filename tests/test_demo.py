"""`paidup demo` as a person runs it: the installed entry point, a fresh process with none of the
developer's environment, the README's walkthrough script; the transcript carries the figures the
demo data implies, and the README's copy of it is what the demo shows today."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.demo.chat import DemoChat
from bot.demo.world import demo_world
from integrations import demo_data as demo
from integrations.slack_sandbox.client import ChatError
from integrations.slack_sandbox.render import as_plain_text
from tests.conftest import ON_POSTGRES, ROOT

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the demo always runs on its own SQLite file, whatever "
                                "DATABASE_URL says: the SQLite pass covers it")
PAIDUP = Path(sys.executable).with_name("paidup")
SCRIPT = ROOT / "docs" / "demo.script"
SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}
OPEN = ("AUTHORISED",)


def money(amount: Decimal, currency: str) -> str:
    return f"{SYMBOLS[currency]}{amount:,.2f} {currency}"


def per_currency(amounts: dict[str, Decimal]) -> str:
    """"£4,800.00 GBP + $10,310.00 USD": currencies by code, as the cards show them."""
    return " + ".join(money(amounts[c], c) for c in sorted(amounts) if amounts[c])


def amount_due(invoice: demo.DemoInvoice) -> Decimal:
    return demo.invoice_totals(invoice)[2] - sum((p.amount for p in invoice.payments), Decimal(0))


def owed(contacts: Iterable[str], *, overdue: bool) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in demo.INVOICES:
        if invoice.contact in contacts and invoice.status in OPEN and (invoice.due_in_days < 0 or not overdue):
            totals[invoice.currency] += amount_due(invoice)
    return dict(totals)


def invoice(number: str) -> demo.DemoInvoice:
    return next(i for i in demo.INVOICES if i.number == number)


def clean_env() -> dict[str, str]:
    """The environment without anything that configures Paidup: the demo must need none of it."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("PAIDUP_", "SLACK_", "XERO_", "SALESFORCE_")) and k != "DATABASE_URL"}


@pytest.fixture(scope="module")
def transcript(tmp_path_factory: pytest.TempPathFactory) -> str:
    """docs/demo.script through the installed `paidup` (what `scripts/dev demo --script` runs), in an
    empty directory: no app.yml, no .env, no credentials."""
    workdir = tmp_path_factory.mktemp("demo")
    result = subprocess.run([str(PAIDUP), "demo", "--script", str(SCRIPT)], cwd=workdir, env=clean_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_the_demo_starts_syncs_and_serves_over_loopback(transcript: str) -> None:
    assert "Paidup demo: the whole bot in this process, on 127.0.0.1, with no credentials." in transcript
    assert re.search(r"Paidup +http://127\.0\.0\.1:\d+/slack/events", transcript)
    assert "✓ salesforce full sync: ok" in transcript and "✓ xero full sync: ok" in transcript
    linked_invoices = sum(1 for i in demo.INVOICES)
    assert re.search(rf"xero invoices .* {linked_invoices} records", transcript)


def test_status_in_two_currencies(transcript: str) -> None:
    acme = transcript.split("rita.rep › /paidup acme corporation\n", 1)[1]
    assert acme.startswith("Paidup · DM · only visible to you\n  Acme Corporation\n")
    assert f"  Amount due: {per_currency(owed(['acme'], overdue=False))}\n" in acme
    assert f"  Overdue: {per_currency(owed(['acme'], overdue=True))}\n" in acme
    for number in ("INV-0003", "INV-0002"):
        due = invoice(number)
        assert (f"  • {number}: {money(amount_due(due), due.currency)} due "
                in acme) and f"{-due.due_in_days} days overdue\n" in acme
    part_payment = invoice("INV-0002").payments[0]
    assert f"  Last payment: {money(part_payment.amount, 'USD')} on " in acme
    buttons = acme.split("  From Xero, as of just now.", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"\[1\] Create invoice: Acme Corporation - Expansion 2027 [\s\S]*\[\d\] Share in channel", buttons)


def test_an_ambiguous_name_gets_buttons_and_a_click_answers(transcript: str) -> None:
    assert re.search(r"rita\.rep › /paidup acme\nPaidup · DM · only visible to you\n"
                     r"  Several accounts match acme\. Which one do you mean\?\n"
                     r"  \[\d+\] Acme Corporation   \[\d+\] Acme Logistics GmbH\n", transcript)
    clicked = transcript.split("rita.rep › click Acme Logistics GmbH\n", 1)[1]
    assert clicked.startswith("Paidup · DM · only visible to you · updated\n  Acme Logistics GmbH\n")
    logistics = invoice("INV-0010")
    assert f"  Overdue: {money(amount_due(logistics), 'EUR')}\n" in clicked
    assert f"{-logistics.due_in_days} days overdue" in clicked and "  Owner: Sam Seller\n" in clicked


def test_a_direct_message_an_invoice_number_and_a_name_that_fits_nothing(transcript: str) -> None:
    globex = transcript.split("rita.rep › has globex paid?\n", 1)[1]
    assert globex.startswith("Paidup · DM\n  Globex, Inc.\n")  # a DM answer, in the conversation
    assert f"  Overdue: {money(amount_due(invoice('INV-0043')), 'USD')}\n" in globex
    paid = invoice("INV-0042")
    assert "INV-0042: paid in full on " in globex and f"({money(paid.payments[0].amount, 'USD')})" in globex
    assert "I couldn't find an account, Xero contact or invoice number matching wonka industries." in transcript


def step(transcript: str, line: str) -> str:
    """What the demo showed after ``line`` (up to the next prompt or comment)."""
    after = transcript.split(f" › {line}\n", 1)[1]
    return re.split(r"\n(?:\S+ › |# )", after, maxsplit=1)[0]


def overdue_totals(contacts: Iterable[str] | None = None) -> tuple[int, str]:
    overdue = [i for i in demo.INVOICES if i.status in OPEN and i.due_in_days < 0
               and (contacts is None or i.contact in contacts)]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for item in overdue:
        totals[item.currency] += amount_due(item)
    return len(overdue), per_currency(totals)


def test_an_invoice_through_the_modal_approved_by_finance(transcript: str) -> None:
    deal = demo.OPPORTUNITIES[0]
    assert deal.name == "Acme Corporation - Expansion 2027"
    subtotal = sum((demo.line_amount(line) for line in deal.lines), Decimal(0))
    total = money(subtotal * (1 + demo.TAX_RATE["OUTPUT"] / 100), deal.currency)
    number = f"INV-{max(int(i.number.split('-')[1]) for i in demo.INVOICES) + 1:04d}"  # Xero's next number
    form = step(transcript, "click Create invoice")
    assert "╭─ Invoice a deal" in form and deal.name in form and "submit: Submit for approval" in form
    for line in deal.lines:
        assert f"quantity: {line.quantity:f}" in form
    submitted = step(transcript, "submit")
    assert f"✅ {number} is a DRAFT in Xero for Acme Corporation: {total}." in submitted
    assert "Paidup · #finance\n  Invoice draft for approval" in submitted and "Reference: PO-2027-EXP" in submitted
    approved = step(transcript, "click Approve")
    assert approved.startswith("Paidup · #finance · updated\n  Invoice approved\n")
    assert "Approved by @Fiona Finance" in approved and f"Xero: {number} (AUTHORISED)" in approved
    assert "(a message for Rita Rep: `as rep` to read it)" in approved
    told = step(transcript, "as rep")
    assert f"✅ Your invoice {number} for Acme Corporation ({total})" in told and "approved by @Fiona Finance" in told


def test_the_overdue_digest_and_a_payment_notice(transcript: str) -> None:
    digest = step(transcript, "run overdue")
    count, totals = overdue_totals()
    assert "Paidup · #receivables\n  Overdue invoices · " in digest
    assert f"  {count} overdue invoices: {totals}\n" in digest
    ritas = overdue_totals(["acme", "globex", "obrien"])  # Rita's accounts that have a linked Xero contact
    assert "Paidup · DM\n  Your overdue invoices (Rita Rep)" in digest
    assert f"  {ritas[0]} overdue invoices: {ritas[1]}\n" in digest
    assert "(a message for Sam Seller: `as seller` to read it)" in digest
    paid = step(transcript, "pay INV-0043")
    notice = f"💰 Globex, Inc. paid INV-0043: {money(amount_due(invoice('INV-0043')), 'USD')} — fully paid"
    assert f"Paidup · DM\n  {notice}" in paid and f"Paidup · #receivables\n  {notice}" in paid


def test_the_app_home_after_all_that(transcript: str) -> None:
    home = step(transcript, "home")
    assert "Paidup for Rita Rep" in home
    count, totals = overdue_totals(["acme", "obrien"])  # Globex paid its overdue invoice in the script
    assert f"{count} overdue: {totals}" in home
    uninvoiced = [o for o in demo.OPPORTUNITIES if o.owner == demo.REP and o.is_won and o.invoice_number is None]
    for deal in uninvoiced:
        listed = f"• {deal.name} ({demo.SF_ACCOUNT[deal.account].name}): {money(deal.amount, deal.currency)}"
        assert (listed in home) == (deal.name != "Acme Corporation - Expansion 2027"), deal.name  # invoiced above


def test_the_readme_walkthrough_is_what_the_demo_shows(transcript: str) -> None:
    """The README's transcript, generated by this script, matches today's run (dates and times aside)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- demo-transcript:start -->", 1)[1].split("<!-- demo-transcript:end -->", 1)[0]
    shown = block.split("```text\n", 1)[1].rsplit("```", 1)[0]
    first = SCRIPT.read_text(encoding="utf-8").splitlines()[0]
    run = first + transcript.split(first, 1)[1]

    def undated(text: str) -> list[str]:
        text = re.sub(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", "DATE", text)
        text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}\b", "DAY", text)
        return [line.rstrip() for line in text.strip().splitlines()]

    assert undated(shown) == undated(run), "the README's walkthrough is stale: python -m bot.demo.walkthrough"


def test_a_line_that_cannot_run_fails_the_script_and_the_database_is_kept(tmp_path: Path) -> None:
    """Through click in-process (the subprocess above proves the entry point), with --db."""
    script = tmp_path / "broken.script"
    script.write_text("/paidup acme\nclick 9\n/paidup globex\n", encoding="utf-8")
    database = tmp_path / "keep" / "demo.db"
    database.parent.mkdir()
    deployment = {"DATABASE_URL": "postgresql://nowhere.invalid/x", "PAIDUP_CONFIG": str(tmp_path / "missing.yml"),
                  "SALESFORCE_USERNAME": "someone@example.com", "SALESFORCE_PRIVATE_KEY_FILE": str(tmp_path / "no.key"),
                  "SLACK_APP_TOKEN": "xapp-1-real", "XERO_TENANT_ID": "not-the-demo-tenant"}
    result = CliRunner().invoke(cli, ["demo", "--db", str(database), "--script", str(script)],
                                env={**clean_env(), **deployment})  # a real deployment's environment is ignored
    assert result.exit_code == 1, result.output
    assert "rita.rep › click 9\n✗ there is no [9] on screen\nThe script stopped at line 2.\n" in result.output
    assert "/paidup globex" not in result.output
    with sqlite3.connect(database) as db:
        assert db.execute("select count(*) from xero_invoices").fetchone()[0] == len(demo.INVOICES)
    assert (tmp_path / "keep" / "demo.log").is_file()
    assert oct((tmp_path / "keep" / "demo.secrets.json").stat().st_mode & 0o777) == "0o600"
    again = tmp_path / "again.script"
    again.write_text("/paidup globex\n", encoding="utf-8")
    rerun = CliRunner().invoke(cli, ["demo", "--db", str(database), "--script", str(again)], env=clean_env())
    assert rerun.exit_code == 0, rerun.output  # the kept database's encrypted tokens are readable again
    assert "✓ salesforce incremental sync: ok" in rerun.output and "✓ xero incremental sync: ok" in rerun.output
    assert "Globex, Inc." in rerun.output


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoChat]:
    """The demo's world in this process, synced, with its chat (what `paidup demo` runs after start-up)."""
    with demo_world(tmp_path_factory.mktemp("world")) as world:
        assert all(world.paidup.sync.sync(source).status == "ok" for source in ("salesforce", "xero"))
        world.paidup.webhook_worker.start()
        yield DemoChat(world)


def said(chat: DemoChat, line: str) -> str:
    return as_plain_text(chat.run(line).shown, width=100)


def test_a_part_payment_is_noticed_with_what_remains(chat: DemoChat) -> None:
    """Sam Seller's customer pays part of an invoice: #receivables hears it; Sam's DM waits for him."""
    owed = amount_due(invoice("INV-0090"))
    shown = said(chat, "pay INV-0090 1,000")
    assert f"Xero recorded a payment of 1,000.00 USD on INV-0090 (authorised, {owed - 1000:,.2f} still due)" in shown
    notice = f"Hooli paid INV-0090: {money(Decimal(1000), 'USD')} — {money(owed - 1000, 'USD')} remains"
    assert notice in shown.split("Paidup · #receivables\n", 1)[1].split("\n")[0]
    assert "(a message for Sam Seller: `as seller` to read it)" in shown


def test_chat_lines_that_cannot_be_done_say_why(chat: DemoChat) -> None:
    for line, why in (("pay INV-9999", "Xero has no invoice INV-9999"),
                      ("pay INV-0042", "INV-0042 has nothing left to pay (it is PAID)"),
                      ("pay INV-0050 -5", "a payment must be more than zero"),
                      ("pay INV-0050 lots", "'lots' is not an amount"),
                      ("run everything", "no job 'everything'; the jobs are: overdue, payments, failed-sync"),
                      ("as nobody", "no one called 'nobody' here"),
                      ("submit", "no modal is open"),
                      ("click 999", "there is no [999] on screen"),
                      ("click Fly away", "no button 'Fly away' on screen"),
                      ("/remind me", "/remind is not a valid command here")):
        with pytest.raises(ChatError, match=re.escape(why)):
            chat.run(line)


def test_help_say_and_quit(chat: DemoChat) -> None:
    shown = said(chat, "help")
    for part in ("Talk to Paidup", "click <label>", "set <label> = <value>", "as finance", "pay INV-0043 [amount]"):
        assert part in shown
    answer = said(chat, "say /paidup help")  # a DM, not the command: the bot reads it as words
    assert answer.startswith("Paidup · DM\n")
    assert chat.run("quit").stop and chat.prompt == "rita.rep › "


def test_health_help_and_my_overdue_list(chat: DemoChat) -> None:
    health = said(chat, "/paidup health")
    assert health.startswith("Paidup · DM · only visible to you\n  Paidup health\n")
    assert "✅ Xero: last good sync just now; 0 open failures" in health and "✅ Salesforce: last good sync" in health
    assert "What Paidup answers" in said(chat, "/paidup help")
    mine = said(chat, "/paidup overdue mine")
    count, totals = overdue_totals(["acme", "globex", "obrien"])
    assert "Overdue for Rita Rep" in mine and f"Rita Rep: {count} overdue, {totals}" in mine
