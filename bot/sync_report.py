"""`paidup sync` on a terminal: a progress bar per source, then what changed and what failed."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.config import ConfigError
from bot.sync.engine import RunSummary
from bot.sync.service import SyncService

console = Console(stderr=False, highlight=False)


def run_with_progress(service: SyncService, source: str, full: bool) -> RunSummary:
    """One source's sync with a live count of records stored per entity."""
    columns = (SpinnerColumn(), TextColumn("{task.description:<30}"), BarColumn(),
               TextColumn("{task.completed:>8,.0f} records"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(entity: str, stored: int) -> None:
            if entity not in tasks:
                tasks[entity] = bar.add_task(f"{source} {entity}", total=None)
            bar.update(tasks[entity], completed=stored)

        try:
            summary = service.sync(source, full=full, progress=progress)
        except ConfigError as exc:
            summary = RunSummary(source, "full" if full else "incremental", status="failed", error=str(exc),
                                 error_kind="config")
        for task in tasks.values():
            bar.update(task, total=bar.tasks[task].completed or 1)
    return summary


def print_summary(summary: RunSummary) -> None:
    title = {"ok": "[green]✓", "partial": "[yellow]!", "failed": "[red]✗", "busy": "[yellow]…"}[summary.status]
    console.print(f"{title} {summary.source} {summary.kind} sync: {summary.status}[/] — "
                  f"{summary.created:,} created, {summary.updated:,} updated, {summary.deleted:,} deleted, "
                  f"{summary.failed:,} failed; {summary.calls:,} API calls in {summary.seconds:.1f} s")
    if summary.per_entity:
        table = Table(show_edge=False, pad_edge=False, box=None)
        for column in ("entity", "created", "updated", "deleted", "failed"):
            table.add_column(column, justify="left" if column == "entity" else "right")
        for entity, counts in summary.per_entity.items():
            table.add_row(entity, *(f"{counts[k]:,}" for k in ("created", "updated", "deleted", "failed")))
        console.print(table)
    if summary.index_seconds:
        console.print(f"  The new mirror's indexes were built once, at the end: {summary.index_seconds:.1f} s.")
    if summary.error:
        console.print(f"  [red]{summary.error}[/]")
    if summary.failed:
        console.print("  Failed records are kept and retried with backoff; `/paidup health` lists them.")
