"""`paidup demo`: the whole bot in one process with no credentials and no network, and a terminal
Slack to talk to it.

``run_demo`` starts the world (``world.py``: sandboxes, Slack stand-in, Paidup's HTTP endpoint),
runs the first sync with the CLI's progress bars, then reads chat lines (``chat.py``) from the
terminal, or from a script, printing what the bot showed after each.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.text import Text

from bot.chat.serve import background_work
from bot.config import ConfigError
from bot.demo.chat import DemoChat, print_shown
from bot.demo.world import DemoWorld, demo_world
from bot.sync_report import print_summary, run_with_progress
from integrations.slack_sandbox.client import ChatError

log = logging.getLogger(__name__)
EXIT_OK, EXIT_LINE_FAILED, EXIT_NOT_STARTED = 0, 1, 2
SCRIPT_WIDTH = 100  # a transcript is laid out the same wherever it runs


def run_demo(database: Path | None, script: Iterable[str] | None, *, verbose: bool = False,
             console: Console | None = None) -> int:
    """Start everything, sync, then chat (interactively, or through ``script``'s lines); an exit code."""
    console = console or Console(highlight=False, width=None if script is None else SCRIPT_WIDTH)
    with tempfile.TemporaryDirectory(prefix="paidup-demo-") as tmp:
        try:
            with demo_world(Path(tmp), database, verbose=verbose) as world:
                announce(console, world)
                if not first_sync(console, world):
                    return EXIT_NOT_STARTED
                chat = DemoChat(world)
                try:
                    if script is not None:
                        world.paidup.webhook_worker.start()
                        return run_script(console, chat, script)
                    with background_work(world.paidup):
                        return run_interactive(console, chat)
                finally:
                    chat.person.close()
        except ConfigError as exc:
            console.print(Text(f"The demo could not start: {exc}", style="red"))
            return EXIT_NOT_STARTED


def announce(console: Console, world: DemoWorld) -> None:
    console.print("[bold]Paidup demo[/]: the whole bot in this process, on 127.0.0.1, with no credentials.")
    kept = world.database.parent != world.workdir
    rows = [
        ("database", f"{world.database} (SQLite{'' if kept else ', removed at exit'})"),
        ("Xero", f"sandbox {world.xero.base_url} — Paidup Demo Ltd"),
        ("Salesforce", "sandbox " + str(world.paidup.settings.salesforce_login_url)),
        ("Slack", f"Web API stand-in {world.slack_url}"),
        ("Paidup", f"{world.events_url} (Bolt over HTTP, as `paidup serve --http`)"),
        ("logs", str(world.log_file)),
    ]
    for name, value in rows:
        console.print(f"  {name:<11}{value}", style="dim")


def first_sync(console: Console, world: DemoWorld) -> bool:
    """Salesforce, then Xero, as `paidup sync` does, with its progress bars and summary."""
    ok = True
    for source in ("salesforce", "xero"):
        summary = run_with_progress(world.paidup.sync, source, False)
        print_summary(summary)
        ok = ok and summary.status in ("ok", "partial")
    if not ok:
        console.print(Text(f"The first sync failed; the log is in {world.log_file}.", style="red"))
    return ok


def run_script(console: Console, chat: DemoChat, lines: Iterable[str]) -> int:
    """Each line echoed after its prompt, then what the bot showed; stops at the first line that fails."""
    after_comment = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            if not after_comment:
                console.print()
            console.print(Text(line.strip(), style="italic dim"))
            after_comment = True
            continue
        if not after_comment:
            console.print()
        after_comment = False
        console.print(Text(chat.prompt + line.strip(), style="bold cyan"))
        try:
            result = chat.run(line)
        except Exception as exc:  # a ChatError, or a bug: either way this line failed
            if not isinstance(exc, ChatError):
                log.exception("demo.line_failed")
            console.print(Text(f"✗ {exc}", style="bold red"))
            console.print(Text(f"The script stopped at line {number}.", style="red"))
            return EXIT_LINE_FAILED
        print_shown(console, result.shown)
        if result.stop:
            break
    return EXIT_OK


def run_interactive(console: Console, chat: DemoChat) -> int:
    console.print()
    console.print(Text.assemble(
        ("You are Rita Rep, a sales rep, in the demo Slack workspace. ", "bold"),
        "Try ", ("/paidup acme", "bold cyan"), ", ", ("has globex paid?", "bold cyan"), " or ",
        ("home", "bold cyan"), "; ", ("help", "bold cyan"), " lists everything, ", ("quit", "bold cyan"),
        " leaves. Alerts that arrive while you type show when you press Enter."))
    with readline_history():
        while True:
            try:
                line = console.input(Text(chat.prompt, style="bold cyan"))
            except (EOFError, KeyboardInterrupt):
                console.print()
                return EXIT_OK
            try:
                result = chat.run(line)
            except ChatError as exc:
                console.print(Text(f"✗ {exc}", style="bold red"))
                continue
            except KeyboardInterrupt:
                console.print(Text("(stopped waiting; Enter shows what arrives later)", style="dim"))
                continue
            except Exception as exc:
                log.exception("demo.line_failed")
                console.print(Text(f"✗ that failed ({exc.__class__.__name__}: {exc}); see the log", style="bold red"))
                continue
            print_shown(console, result.shown)
            if result.stop:
                return EXIT_OK


@contextmanager
def readline_history() -> Iterator[None]:
    """Arrow keys and history at the prompt where the platform has readline (input() uses it)."""
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 - importing it is what enables line editing for input()
    yield
