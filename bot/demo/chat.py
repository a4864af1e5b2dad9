"""The demo's terminal chat: lines a person types (or a script holds) turned into what they mean.

Slack things (typing, clicking, forms, the Home tab, switching person) go to the Slack client
in ``integrations.slack_sandbox.client``; the rest is the demo's own: running an alert job as
`paidup alerts run` would, and making the Xero sandbox record a payment (its webhook goes to
the bot like Xero's would).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from bot.demo import jobs
from bot.demo.world import DemoWorld
from integrations import demo_data as demo
from integrations.slack_sandbox.client import ChatError, Settle, SlackPerson

PEOPLE = {"rep": demo.REP.slack_id, "seller": demo.SELLER.slack_id, "finance": demo.FINANCE.slack_id}
AFTER_PAYMENT = Settle(first=6.0, quiet=0.8, limit=30.0)  # webhook → fetch → event → notice takes a moment
AFTER_JOB = Settle(first=2.0, quiet=0.6, limit=60.0)

HELP = (
    ("Talk to Paidup", None),
    ("/paidup acme", "a slash command, sent exactly as Slack sends it (try /paidup help)"),
    ("has globex paid?", "anything else is a direct message to the bot"),
    ("say <text>", "a direct message, even if it looks like a command below"),
    ("@paidup has acme paid?", "a mention of the bot in #general"),
    ("Use what the bot shows (usable things have numbers in brackets)", None),
    ("click 3", "press button [3]"),
    ("click <label>", "press the newest button with that label (or the start of it)"),
    ("pick 4 <choice>", "choose in menu [4]: the choice's text, its start, or its position"),
    ("set 5 = <value>", "fill field [5] of a form: text, a number, a date YYYY-MM-DD, a choice"),
    ("set <label> = <value>", "fill the form's field with that label (or the start of it)"),
    ("submit / close / show", "submit, close, or show again the form (modal) that is open"),
    ("home", "open the App Home tab"),
    ("(Enter)", "show anything new: a late answer, an alert"),
    ("Be someone else", None),
    ("as rep / as seller", "Rita Rep or Sam Seller, sales reps"),
    ("as finance", "Fiona Finance, who approves invoices"),
    ("Make things happen", None),
    ("run overdue", "run an alert job now, as `paidup alerts run` does (also: payments, failed-sync)"),
    ("pay INV-0043 [amount]", "Xero records a payment (in full unless an amount) and sends its webhook"),
    ("Leave", None),
    ("quit", "or Ctrl-D"),
)


def help_table() -> Group:
    """The help, one heading and a two-column table per section."""
    parts: list[RenderableType] = []
    table: Table | None = None
    for what, meaning in HELP:
        if meaning is None:
            parts.append(Text(what, style="bold"))
            table = Table.grid(padding=(0, 2))
            table.add_column(no_wrap=True, style="bold cyan", min_width=24)
            table.add_column()
            parts.append(table)
        elif table is not None:
            table.add_row(Text("  " + what), Text(meaning))
    return Group(*parts)


@dataclass
class LineResult:
    shown: list[RenderableType]
    stop: bool = False


class DemoChat:
    """Runs one line at a time; a line that can't be done raises ``ChatError``."""

    def __init__(self, world: DemoWorld, person: SlackPerson | None = None) -> None:
        self.world = world
        self.person = person or SlackPerson(world.slack, world.signer, world.events_url, demo.REP.slack_id,
                                            command=world.paidup.config.slack.command, aliases=PEOPLE,
                                            activity=world.activity)
        self._commands: list[tuple[re.Pattern[str], Callable[..., list[RenderableType]]]] = [
            (re.compile(r"^(?:help|\?)$", re.I), lambda: [help_table()]),
            (re.compile(r"^as\s+(.+)$", re.I), self.person.switch_to),
            (re.compile(r"^home$", re.I), self.person.home),
            (re.compile(r"^click\s+(\d+)(?:\s+(.+))?$", re.I), lambda n, option: self.person.click(int(n), option)),
            (re.compile(r"^click\s+(.+)$", re.I), self.person.click_label),
            (re.compile(r"^(?:pick|choose)\s+(\d+)\s+(.+)$", re.I), lambda n, c: self.person.pick(int(n), c)),
            (re.compile(r"^set\s+(\d+)\s*(?:=\s*)?(.+)$", re.I), lambda n, v: self.person.set(int(n), v.strip())),
            (re.compile(r"^(?:set|pick)\s+(.+?)\s*=\s*(.+)$", re.I), self.person.set_field),
            (re.compile(r"^submit$", re.I), self.person.submit),
            (re.compile(r"^(?:close|cancel)$", re.I), self.person.close_modal),
            (re.compile(r"^show$", re.I), self.person.show_modal),
            (re.compile(r"^run\s+(\S+)$", re.I), self.run_job),
            (re.compile(r"^pay\s+(\S+)(?:\s+(\S+))?$", re.I), self.pay),
            (re.compile(r"^say\s+(.+)$", re.I), self.person.direct_message),
            (re.compile(r"^@paidup\s+(.+)$", re.I), self.person.mention),
        ]

    @property
    def prompt(self) -> str:
        return f"{self.person.user.name} › "

    def run(self, line: str) -> LineResult:
        text = line.strip()
        if not text:
            return LineResult(self.person.refresh())
        if text.lower() in ("quit", "exit", "q"):
            return LineResult([], stop=True)
        for pattern, action in self._commands:
            match = pattern.match(text)
            if match:
                return LineResult(action(*match.groups()))
        return LineResult(self.person.say(text))

    def run_job(self, name: str) -> list[RenderableType]:
        outcome = jobs.run(self.world.paidup, name.lower())
        return [Text(outcome, style="dim"), *self.person.wait_for_output(AFTER_JOB)]

    def pay(self, invoice: str, amount: str | None) -> list[RenderableType]:
        if amount is not None:
            try:
                if Decimal(amount.replace(",", "")) <= 0:
                    raise ChatError("a payment must be more than zero")
            except InvalidOperation:
                raise ChatError(f"{amount!r} is not an amount") from None
        number = invoice.upper()
        try:
            before = self.world.xero.invoice(number)
        except KeyError:
            raise ChatError(f"Xero has no invoice {invoice}") from None
        if Decimal(str(before["AmountDue"])) <= 0:
            raise ChatError(f"{number} has nothing left to pay (it is {before['Status']})")
        try:
            payment = self.world.xero.record_payment(number, amount.replace(",", "") if amount else None)
        except Exception as exc:  # noqa: BLE001 - the sandbox refuses as Xero would (e.g. more than is due)
            raise ChatError(f"Xero refused the payment: {exc}") from None
        status = self.world.xero.webhooks.deliveries[-1][0] if self.world.xero.webhooks.deliveries else 0
        after = self.world.xero.invoice(number)
        paid = Text(f"Xero recorded a payment of {Decimal(str(payment['Amount'])):,.2f} {before['CurrencyCode']} "
                    f"on {number} ({after['Status'].lower()}, {Decimal(str(after['AmountDue'])):,.2f} still due) "
                    f"and sent its webhook to Paidup (HTTP {status}).", style="dim")
        return [paid, *self.person.wait_for_output(AFTER_PAYMENT)]


def print_shown(console: Console, shown: list[RenderableType]) -> None:
    """Print what the bot showed; off a terminal (a transcript) without Rich's trailing padding."""
    for item in shown:
        if console.is_terminal:
            console.print(item)
            continue
        with console.capture() as captured:
            console.print(item)
        console.file.write("\n".join(line.rstrip() for line in captured.get().split("\n")))
