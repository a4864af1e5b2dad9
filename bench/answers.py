"""Answer latency: "has Acme paid?" as `/paidup <name>` through the HTTP endpoint, over a big mirror.

    .venv/bin/python bench/answers.py                   # 50,000 / 200,000 / 100,000 (about a minute)
    .venv/bin/python bench/answers.py --accounts 5000 --invoices 20000 --payments 10000
    .venv/bin/python bench/answers.py --questions 400 --in-flight 40

Builds a fresh SQLite mirror (migrated with ``bot.store.migrate.upgrade``) by inserting rows
directly: N Salesforce accounts each linked to a Xero contact, invoices in GBP/USD/EUR (about a
third open), payments on the paid ones, some closed-won opportunities, and an ok whole-source
sync run for both sources so the mirror is fresh and no live refresh happens (Xero and Salesforce
point at a closed port). Then Paidup's real HTTP endpoint (``Paidup.web_app``) is served on
loopback and sent signed slash commands (``SlackRequestSigner``) with several in flight; the
answers land, through each command's response_url, at the Slack stand-in, which records them.

Questions name accounts four ways in turn: the exact name, a normalised spelling (other case,
another legal suffix), a typo (fuzzy), and an invoice number. Each question comes from its own
user, so its answer is told apart by its DM channel.

Prints p50/p95/max of: ack time (the slash command's HTTP response), answer time (from sending
the command until the answer is recorded at the stand-in), name resolution alone
(``paidup.resolver.resolve`` on the same questions, one at a time, index already built), and the
bare indexed SQL query for the same data (a direct SELECT of the account's open invoices by
contact id), with the ratio of answer time to it; the issue's goals are printed next to the
figures. The client threads and the Slack stand-in (which must be in-process to timestamp
answers as they land) live in this process; the bot runs in a child process with its own GIL
(``--same-process`` serves it here instead, as the tests do). The bot answers ``/paidup help``
once before timing, and its name index is built before it starts serving.

Two pacings run one after the other on the same bot (``--pace``): *answer*, where each asker
waits for the answer before asking again (20 questions outstanding), and *ack*, where the next
question goes as soon as the ack comes back (20 HTTP requests outstanding; the answers may pile
up behind). The bot's CPU time per question is printed too: on a shared machine it varies less
than the latencies. By Little's law the mean time per question with N in flight is at least
N x the bot's time per question, so the 100 ms / 300 ms goals at 20 in flight need ~5 ms of CPU a
question.

The bot process warms up as `paidup serve` does (``bot.chat.serve.warm_up``: name index, status
statements compiled, Babel's data loaded, then ``gc.freeze()``); the first twenty questions still
arrive at once, so the first wave's acks (~100 ms) weigh in the p95 of 200.

Measured at the default sizes, old (14b1ee4) then new, back to back, on 2 cores shared with other
people's test runs (bot CPU per question, then p50 / p95 in ms; goals ack < 100, answer < 300):

    load 4-6 (new = d732b72)      old                         new
    bot CPU a question            10.0 ms; 8.6 ms (ack pace)   6.1 ms; 5.5 ms
    answer pace: ack              30 / 545                     24 / 137
    answer pace: answer           202 / 693                    158 / 377
    ack pace: ack / answer        188 / 364; 751 / 1,089       110 / 141; 441 / 499
    load 5-6 (new = ca260d7)
    bot CPU a question            10.8 ms; 10.2 ms             7.7 ms; 5.7 ms
    answer pace: ack              33 / 134                     50 / 85
    answer pace: answer           234 / 727                    682 / 781 (36 questions/s: a stall)
    ack pace: ack / answer        243 / 303; 885 / 1,110       134 / 195; 582 / 708
    load 7 (new = ca260d7)
    bot CPU a question            17.0 ms; 14.7 ms             8.2 ms; 7.0 ms
    answer pace: ack              42 / 639                     30 / 223
    answer pace: answer           379 / 863                    237 / 800
    ack pace: ack / answer        309 / 454; 1,203 / 1,540     148 / 249; 643 / 843
    name resolution alone         2.4-4.7 / 7-13               0.3-0.9 / 0.6-9.4

A run of the new code alone at load 7: answer pace ack 25 / 145, answer 141 / 368. At 5,000
accounts (--accounts 5000 --invoices 20000 --payments 10000) the bot's CPU went from 25-33 ms to
4-7 ms a question and the *answer* pacing met both goals in some runs (ack p95 59-99 ms, answer
p95 158-194 ms) but not in others. The goals are **not met** at the default sizes on this
machine: with 20 in flight, 5-8 ms of CPU a question (the bot's share of a core under load) puts
the mean answer near 20 x that, and the client and stand-in here use another 3-5 ms a question.
In the *ack* pacing the questions arrive faster than they are answered, so answers queue.

Quiet machine (load ~1), default sizes, after the bench turned its own garbage collector off while
timing (its full collections over the stand-in's recordings stalled client and stand-in ~0.3 s and
showed up as 450 ms answers): *answer* pacing, two runs: bot CPU 7.1 ms a question; ack p50/p95
22/83 and 24/75 ms; answer p50/p95 149/185 and 178/199 ms: both goals met. *ack* pacing: ack p95
177 ms, answer p95 664 ms (more than 20 questions outstanding).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import Paidup  # noqa: E402
from bot.chat.serve import warm_up  # noqa: E402
from bot.config import Settings, load_app_config  # noqa: E402
from bot.domain.names import name_key  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.store.mirror import SfAccount, SfOpportunity, SfUser, XeroContact, XeroInvoice, XeroPayment  # noqa: E402
from bot.store.session import Database  # noqa: E402
from bot.store.state import AccountLink, SyncRun  # noqa: E402
from integrations.loopback import LoopbackServer  # noqa: E402
from integrations.slack_sandbox import DEFAULT_BOT_TOKEN, SlackRequestSigner, create_slack_sandbox  # noqa: E402
from integrations.slack_sandbox.ids import dm_channel_id  # noqa: E402
from integrations.slack_sandbox.signing import post_signed  # noqa: E402

SIGNING_SECRET = "bench0123456789abcdef0123456789ab"
NOWHERE = "http://127.0.0.1:9"  # Xero and Salesforce: never called while the mirror is fresh
SUFFIXES = ("Ltd", "Limited", "Inc", "GmbH", "LLC", "Corporation", "PLC")
OTHER_SUFFIX = {"Ltd": "limited", "Limited": "ltd.", "Inc": "inc.", "GmbH": "ltd", "LLC": "inc",
                "Corporation": "corp.", "PLC": "limited"}  # another legal suffix: only name_key matches
CURRENCIES = ("GBP", "GBP", "GBP", "USD", "EUR")
OPEN = ("AUTHORISED", "SUBMITTED")
BATCH = 10_000
GOALS = {"ack": 100.0, "answer": 300.0, "resolution": 20.0}  # ms, at p95


# --- the mirror ------------------------------------------------------------------------------


def company_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` distinct (name, suffix): two made-up words and a legal suffix, unique by name_key."""
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"

    def word() -> str:
        syllables = rng.randint(2, 3)
        return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)).capitalize() + \
            rng.choice(("", "n", "r", "x", "l"))

    names: list[tuple[str, str]] = []
    keys: set[str] = set()
    while len(names) < count:
        suffix = rng.choice(SUFFIXES)
        name = f"{word()} {word()} {suffix}"
        key = name_key(name)
        if key not in keys:
            keys.add(key)
            names.append((name, suffix))
    return names


def insert_batches(connection, table, rows) -> None:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            connection.execute(insert(table), batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)


class Mirror:
    """What the questions are about: per account, its name, contact id and one invoice number."""

    def __init__(self, db: Database, accounts: int, invoices: int, payments: int, opportunities: int,
                 seed: int) -> None:
        rng = random.Random(seed)
        now = datetime.now(UTC)
        today = now.date()
        self.names = company_names(accounts, rng)
        self.contact_ids = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(accounts)]
        account_ids = [f"001B{n:014d}" for n in range(accounts)]
        owners = [f"005B{n:014d}" for n in range(50)]
        invoice_contact = [n % accounts if n < accounts else rng.randrange(accounts) for n in range(invoices)]
        self.invoice_number_of: dict[int, str] = {}
        paid: list[tuple[str, date, Decimal, str]] = []
        started = time.perf_counter()
        with db.engine.begin() as c:
            insert_batches(c, SfUser.__table__, (
                {"id": owner, "name": f"Rep {n}", "email": f"rep{n}@bench.example", "system_modstamp": now}
                for n, owner in enumerate(owners)))
            insert_batches(c, SfAccount.__table__, (
                {"id": account_ids[n], "name": name, "name_key": name_key(name), "owner_id": owners[n % len(owners)],
                 "billing_country": "United Kingdom", "system_modstamp": now}
                for n, (name, _) in enumerate(self.names)))
            insert_batches(c, XeroContact.__table__, (
                {"id": self.contact_ids[n], "name": name, "name_key": name_key(name), "is_customer": True,
                 "default_currency": "GBP", "contact_number": f"C{n:07d}", "updated_at_xero": now}
                for n, (name, _) in enumerate(self.names)))
            insert_batches(c, AccountLink.__table__, (
                {"sf_account_id": account_ids[n], "xero_contact_id": self.contact_ids[n], "method": "id_field"}
                for n in range(accounts)))

            def invoice_rows():
                for n in range(invoices):
                    contact = invoice_contact[n]
                    number = f"INV-{n + 1:07d}"
                    self.invoice_number_of.setdefault(contact, number)
                    invoice_date = today - timedelta(days=rng.randrange(5, 400))
                    due = invoice_date + timedelta(days=30)
                    total = Decimal(rng.randrange(10_000, 2_000_000)) / 100
                    roll = rng.random()
                    status = "AUTHORISED" if roll < 0.33 else "PAID" if roll < 0.95 else "VOIDED"
                    partly = status == "AUTHORISED" and rng.random() < 0.15
                    amount_paid = (total / 2).quantize(Decimal("0.01")) if partly else total if status == "PAID" \
                        else Decimal(0)
                    invoice_id = str(uuid.UUID(int=rng.getrandbits(128)))
                    currency = rng.choice(CURRENCIES)
                    if amount_paid:
                        paid.append((invoice_id, due - timedelta(days=rng.randrange(-20, 20)), amount_paid, currency))
                    yield {"id": invoice_id, "number": number, "contact_id": self.contact_ids[contact],
                           "status": status, "date": invoice_date, "due_date": due, "currency": currency,
                           "currency_rate": Decimal(1), "line_amount_types": "Exclusive",
                           "sub_total": total, "total_tax": Decimal(0), "total": total,
                           "amount_due": total - amount_paid if status == "AUTHORISED" else Decimal(0),
                           "amount_paid": amount_paid, "fully_paid_on": due if status == "PAID" else None,
                           "sent_to_contact": True, "updated_at_xero": now,
                           "online_url": f"https://in.xero.com/bench{n}"}

            insert_batches(c, XeroInvoice.__table__, invoice_rows())
            rng.shuffle(paid)
            made = 0

            def payment_rows():
                nonlocal made
                while made < payments and paid:
                    invoice_id, paid_on, amount, currency = paid[made % len(paid)]
                    split = 1 if made < len(paid) else 2  # more payments than paid invoices: instalments
                    made += 1
                    yield {"id": str(uuid.UUID(int=rng.getrandbits(128))), "invoice_id": invoice_id, "date": paid_on,
                           "amount": (amount / split).quantize(Decimal("0.01")), "currency": currency,
                           "status": "AUTHORISED", "payment_type": "ACCRECPAYMENT", "updated_at_xero": now}

            insert_batches(c, XeroPayment.__table__, payment_rows())
            self.payments = made
            insert_batches(c, SfOpportunity.__table__, (
                {"id": f"006B{n:014d}", "name": f"Deal {n}", "account_id": account_ids[n % accounts],
                 "owner_id": owners[n % len(owners)], "stage": "Closed Won" if n % 3 == 0 else "Negotiation",
                 "is_closed": n % 3 == 0, "is_won": n % 3 == 0, "close_date": today - timedelta(days=n % 90),
                 "amount": Decimal(rng.randrange(1_000, 50_000)), "currency": "GBP", "system_modstamp": now,
                 "xero_invoice_number": f"INV-{n + 1:07d}" if n % 2 == 0 else None}
                for n in range(opportunities)))
            for source in ("xero", "salesforce"):
                c.execute(insert(SyncRun.__table__).values(
                    source=source, kind="full", started_at=now - timedelta(seconds=30), finished_at=now, status="ok",
                    created=accounts, updated=0, deleted=0, failed=0, calls=0))
        self.seconds = time.perf_counter() - started


# --- the questions ---------------------------------------------------------------------------


def typo(word: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped, inside the word (a typo people make)."""
    at = rng.randrange(1, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


def questions(mirror: Mirror, count: int, seed: int) -> list[tuple[str, str, int]]:
    """(kind, text after /paidup, account index): exact, normalised, typo, invoice number in turn."""
    rng = random.Random(seed + 1)
    asked: list[tuple[str, str, int]] = []
    for n in range(count):
        account = rng.randrange(len(mirror.names))
        name, suffix = mirror.names[account]
        kind = ("exact", "normalised", "fuzzy", "invoice")[n % 4]
        if kind == "exact":
            said = name
        elif kind == "normalised":
            said = name.removesuffix(suffix).upper() + OTHER_SUFFIX[suffix]
        elif kind == "fuzzy":
            first, second, _ = name.split(" ")
            said = f"{typo(first, rng)} {second}".lower()
        else:
            said = mirror.invoice_number_of[account]
        asked.append((kind, said, account))
    return asked


# --- figures ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def line(label: str, values_ms: list[float], goal: str = "") -> str:
    figures = (f"p50 {percentile(values_ms, 50):8.2f}  p95 {percentile(values_ms, 95):8.2f}  "
               f"max {max(values_ms):8.2f} ms")
    return f"  {label:<28}{figures}{'   ' + goal if goal else ''}"


def verdict(p95: float, goal_ms: float) -> str:
    return f"goal p95 < {goal_ms:.0f} ms: {'met' if p95 < goal_ms else 'MISSED'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--opportunities", type=int, default=50_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--in-flight", type=int, default=20)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--same-process", action="store_true",
                        help="serve the bot in this process, sharing the GIL with the client and the stand-in")
    parser.add_argument("--pace", nargs="+", choices=tuple(PACES), default=list(PACES),
                        help="answer: an asker waits for the answer before the next question; ack: only for the "
                             "ack (both by default, one after the other, on the same bot)")
    parser.add_argument("--app-yml", type=Path, default=ROOT / "app.yml")
    parser.add_argument("--serve-bot", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--slack-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bot:
        serve_bot(args.serve_bot, args.slack_url, args.app_yml)
        return

    with tempfile.TemporaryDirectory(prefix="paidup-bench-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'mirror.db'}")
        upgrade(db)
        print(f"building the mirror: {args.accounts:,} accounts (each linked to a Xero contact), "
              f"{args.invoices:,} invoices, {args.payments:,} payments, {args.opportunities:,} opportunities",
              flush=True)
        mirror = Mirror(db, args.accounts, args.invoices, args.payments, args.opportunities, args.seed)
        with db.engine.connect() as c:
            open_count = c.execute(text("SELECT count(*) FROM xero_invoices WHERE status = 'AUTHORISED'")).scalar()
            c.execute(text("ANALYZE"))
        print(f"  inserted in {mirror.seconds:.1f} s ({mirror.payments:,} payments, {open_count:,} open invoices)",
              flush=True)
        run(db, mirror, args)
        db.engine.dispose()


def bench_settings(slack_url: str, database_url: str) -> Settings:
    return Settings(_env_file=None, SLACK_BOT_TOKEN=DEFAULT_BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                    SLACK_API_URL=slack_url + "/api/", DATABASE_URL=database_url,
                    XERO_API_URL=NOWHERE, XERO_IDENTITY_URL=NOWHERE, SALESFORCE_LOGIN_URL=NOWHERE)


def serve_bot(database_url: str, slack_url: str, app_yml: Path) -> None:
    """Child process: Paidup's HTTP endpoint over the mirror; print its URL; stop on "quit"."""
    db = Database(database_url)
    paidup = Paidup(bench_settings(slack_url, database_url), load_app_config(app_yml), db=db)
    warm_up(paidup)  # as `paidup serve` does: the name index, the status statements, Babel's data
    with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
        print(json.dumps({"url": server.url}), flush=True)
        for command in sys.stdin:
            if command.strip() == "quit":
                break


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def bot_endpoint(paidup: Paidup, slack_url: str, same_process: bool, app_yml: Path) -> Iterator[tuple[str, int]]:
    """The bot's base URL and pid: in a child process (so the client's threads don't share its GIL), or here."""
    if same_process:
        warm_up(paidup)
        with LoopbackServer(paidup.web_app(slack=paidup.slack_endpoint())) as server:
            yield server.url, os.getpid()
        return
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve-bot", paidup.db.url,
                              "--slack-url", slack_url, "--app-yml", str(app_yml)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield json.loads(child.stdout.readline())["url"], child.pid
    finally:
        child.communicate("quit\n", timeout=30)


PACES = {
    "answer": "each of the {n} askers waits for the answer before asking again ({n} questions outstanding)",
    "ack": "the next question goes as soon as an ack comes back ({n} HTTP requests outstanding; answers may queue)",
}


class Landings:
    """When each DM channel's first response_url answer reached the stand-in (and its text)."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.text: dict[str, str] = {}
        self.events: dict[str, threading.Event] = {}
        self.lock = threading.Lock()

    def expect(self, channel: str) -> threading.Event:
        with self.lock:
            return self.events.setdefault(channel, threading.Event())

    def on_change(self, change) -> None:
        message = change.message
        if change.kind == "message_posted" and message is not None and message.via == "response_url":
            at = time.perf_counter()
            with self.lock:
                if message.channel not in self.at:
                    self.at[message.channel], self.text[message.channel] = at, message.text
                event = self.events.setdefault(message.channel, threading.Event())
            event.set()


def without_gc_pauses(measure: Callable[[], dict]) -> dict:
    """Runs ``measure`` with this process's garbage collector off, as ``timeit`` does: the client and the
    stand-in live here, and a full collection over everything the stand-in has recorded stalled them
    ~0.3 s at a time, which landed in the bot's ack and answer figures though the bot was not paused."""
    gc.collect()
    gc.disable()
    try:
        return measure()
    finally:
        gc.enable()


def ask_all(events_url: str, signer: SlackRequestSigner, asked: list[tuple[str, str, int]], landings: Landings,
            args: argparse.Namespace, pace: str, first_user: int, bot_pid: int) -> dict:
    """Send every question with ``args.in_flight`` askers; the figures of one pacing."""
    users = [f"U{first_user + n:08d}" for n in range(len(asked))]
    sent: dict[str, float] = {}
    acks: list[tuple[int, float]] = []
    with httpx.Client(limits=httpx.Limits(max_connections=args.in_flight)) as client:

        def ask(n: int) -> None:
            channel = dm_channel_id(users[n])
            landed = landings.expect(channel)
            request = signer.slash_command(users[n], asked[n][1])
            start = time.perf_counter()
            sent[channel] = start
            response = post_signed(events_url, request, client=client)
            acks.append((response.status_code, (time.perf_counter() - start) * 1000))
            if pace == "answer":
                landed.wait(30)

        wall, cpu, bot_cpu = time.perf_counter(), time.process_time(), cpu_seconds(bot_pid)
        with ThreadPoolExecutor(args.in_flight) as pool:
            list(pool.map(ask, range(len(asked))))
        deadline = time.monotonic() + 30
        while any(channel not in landings.at for channel in sent) and time.monotonic() < deadline:
            time.sleep(0.01)
        wall, cpu, bot_cpu = (time.perf_counter() - wall, time.process_time() - cpu,
                              cpu_seconds(bot_pid) - bot_cpu)
    answer_ms = {channel: (landings.at[channel] - start) * 1000 for channel, start in sent.items()
                 if channel in landings.at}
    by_kind = {kind: [answer_ms[dm_channel_id(users[n])] for n, (k, _, _) in enumerate(asked)
                      if k == kind and dm_channel_id(users[n]) in answer_ms]
               for kind in ("exact", "normalised", "fuzzy", "invoice")}
    cards = sum(1 for channel in sent if not landings.text.get(channel, "No ").startswith(("Paidup help", "No ")))
    in_order = [answer_ms[dm_channel_id(user)] for user in users if dm_channel_id(user) in answer_ms]
    return {"wall": wall, "cpu": cpu, "bot_cpu": bot_cpu, "acks": acks, "answers": list(answer_ms.values()),
            "by_kind": by_kind, "cards": cards, "first_wave": in_order[:args.in_flight],
            "after_first_wave": in_order[args.in_flight:]}


def print_pacing(pace: str, figures: dict, count: int, args: argparse.Namespace, bare_ms: list[float],
                 same_process: bool) -> None:
    ack_ms = [ms for _, ms in figures["acks"]]
    answer_ms = figures["answers"]
    statuses = Counter(status for status, _ in figures["acks"])
    wall = figures["wall"]
    print(f"\n{count} status questions, {args.in_flight} in flight: {PACES[pace].format(n=args.in_flight)}")
    client = "" if same_process else f"; this process (client + stand-in) {figures['cpu']:.2f} s"
    print(f"  {wall:.2f} s ({count / wall:.0f} questions/s); the bot used {figures['bot_cpu']:.2f} s CPU "
          f"({figures['bot_cpu'] / count * 1000:.1f} ms a question){client}")
    print(f"  acks: {dict(statuses)}; answers landed at the stand-in: {len(answer_ms)}/{count} "
          f"({figures['cards']} status cards)")
    print(line("ack (HTTP response)", ack_ms, verdict(percentile(ack_ms, 95), GOALS["ack"])))
    if answer_ms:
        print(line("answer (at response_url)", answer_ms, verdict(percentile(answer_ms, 95), GOALS["answer"])))
        if figures["first_wave"] and figures["after_first_wave"]:  # the opening burst: every asker at once
            print(line(f"  the first {len(figures['first_wave'])} (a burst)", figures["first_wave"]))
            print(line("  every later one", figures["after_first_wave"]))
        for kind, values in figures["by_kind"].items():
            if values:
                print(line(f"  answer, {kind} names", values))
        print(f"  answer / bare SELECT: p50 {percentile(answer_ms, 50) / percentile(bare_ms, 50):.0f}x, "
              f"p95 {percentile(answer_ms, 95) / percentile(bare_ms, 95):.0f}x")


def run(db: Database, mirror: Mirror, args: argparse.Namespace) -> None:
    state, slack_app = create_slack_sandbox()
    landings = Landings()
    state.subscribe(landings.on_change)
    asked = questions(mirror, args.questions, args.seed)
    with LoopbackServer(slack_app) as slack_server:
        paidup = Paidup(bench_settings(slack_server.url, db.url), load_app_config(args.app_yml), db=db)
        started = time.perf_counter()
        paidup.resolver.refresh()
        print(f"  name index built in {time.perf_counter() - started:.2f} s (once per changed mirror)", flush=True)

        resolution_ms: list[float] = []
        outcomes: Counter[str] = Counter()
        for kind, said, account in asked:
            number = said if kind == "invoice" else None
            started = time.perf_counter()
            found = paidup.resolver.resolve("" if number else said, number)
            resolution_ms.append((time.perf_counter() - started) * 1000)
            right = found.account is not None and mirror.contact_ids[account] in found.account.xero_contact_ids
            outcomes[f"{kind}:{found.method if right else 'wrong/' + found.outcome}"] += 1

        bare_ms: list[float] = []
        with db.engine.connect() as c:
            bare = text("SELECT id, number, due_date, currency, amount_due FROM xero_invoices "
                        "WHERE contact_id = :contact AND status IN ('AUTHORISED', 'SUBMITTED') ORDER BY due_date")
            plan = " / ".join(str(row[-1]) for row in c.execute(text("EXPLAIN QUERY PLAN " + bare.text),
                                                                 {"contact": mirror.contact_ids[0]}))
            for _, _, account in asked:
                started = time.perf_counter()
                c.execute(bare, {"contact": mirror.contact_ids[account]}).all()
                bare_ms.append((time.perf_counter() - started) * 1000)

        signer = SlackRequestSigner(SIGNING_SECRET, sandbox_url=slack_server.url)
        results: dict[str, dict] = {}
        with bot_endpoint(paidup, slack_server.url, args.same_process, args.app_yml) as (bot_url, bot_pid):
            events_url = bot_url + "/slack/events"
            warm = post_signed(events_url, signer.slash_command("U0REP0001", "help"))
            if warm.status_code != 200:
                raise SystemExit(f"the bot did not answer /paidup help: HTTP {warm.status_code} {warm.text[:200]}")
            for n, pace in enumerate(args.pace):
                results[pace] = without_gc_pauses(
                    lambda p=pace, n=n: ask_all(events_url, signer, asked, landings, args, p, 1 + n * len(asked),
                                                bot_pid))
        paidup.resolver.wait_for_rebuild()

    print(f"\n  resolved to the asked account: {dict(sorted(outcomes.items()))}")
    print(line("name resolution alone", resolution_ms, verdict(percentile(resolution_ms, 95), GOALS["resolution"])))
    print(line("bare indexed SELECT", bare_ms))
    print(f"    plan: {plan}")
    for pace, figures in results.items():
        print_pacing(pace, figures, len(asked), args, bare_ms, args.same_process)
    print("\n  (an answer also resolves the name, reads payments, credit notes, opportunities and freshness, "
          "renders Block Kit and makes two HTTP trips)")


if __name__ == "__main__":
    main()
