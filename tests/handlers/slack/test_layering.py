"""House rule 1 for handlers/: no SQL, no HTTP client, no integration client, only Block Kit in blocks/."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

FORBIDDEN = ("sqlalchemy", "httpx", "integrations", "bot.store", "bot.sync")


def imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_handlers_import_no_sql_http_or_integration_clients() -> None:
    offenders = []
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        for module in imported_modules(ast.parse(path.read_text("utf-8"))):
            if module.split(".")[0] in FORBIDDEN or module.startswith(FORBIDDEN):
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert offenders == []


def test_handler_modules_stay_small() -> None:
    sizes = {path.relative_to(ROOT): len(path.read_text("utf-8").splitlines())
             for path in (ROOT / "handlers").rglob("*.py")}
    assert max(sizes.values()) < 300, sizes


def test_teams_imports_nothing_of_slacks_and_common_neither_chat() -> None:
    """What both chat adapters share lives in handlers/common, which belongs to neither."""
    rules = {"handlers/common/": ("handlers.slack", "handlers.teams", "slack_sdk", "slack_bolt", "microsoft_teams"),
             "handlers/teams/": ("handlers.slack",)}
    offenders = []
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        banned = next((b for prefix, b in rules.items() if where.startswith(prefix)), ())
        offenders += [f"{where}: {module}" for module in imported_modules(ast.parse(path.read_text("utf-8")))
                      if module.startswith(banned) and banned]
    assert offenders == []
