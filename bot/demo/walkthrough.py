"""The README's demo walkthrough is a real run of docs/demo.script; this rewrites it.

    .venv/bin/python -m bot.demo.walkthrough     # after a change to what the bot shows

runs the script as `paidup demo --script docs/demo.script` does and replaces the transcript
between the README's ``demo-transcript`` markers (``tests/test_demo.py`` checks they agree).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rich.console import Console

from bot.demo import SCRIPT_WIDTH, run_demo

ROOT = Path(__file__).resolve().parents[2]
START, END = "<!-- demo-transcript:start -->\n", "<!-- demo-transcript:end -->"


def transcript(script: Path) -> str:
    """The chat part of a scripted run (from the script's first line on), lines right-trimmed."""
    lines = script.read_text(encoding="utf-8").splitlines()
    out = io.StringIO()
    status = run_demo(None, lines, console=Console(file=out, width=SCRIPT_WIDTH, highlight=False, color_system=None))
    if status != 0:
        raise SystemExit(f"{script} failed:\n{out.getvalue()[-2000:]}")
    text = out.getvalue()
    chat = lines[0] + text.split(lines[0], 1)[1]
    return "\n".join(line.rstrip() for line in chat.strip().splitlines())


def main() -> None:
    readme = ROOT / "README.md"
    head, rest = readme.read_text(encoding="utf-8").split(START, 1)
    _, tail = rest.split(END, 1)
    block = f"```text\n{transcript(ROOT / 'docs' / 'demo.script')}\n```\n"
    readme.write_text(head + START + block + END + tail, encoding="utf-8")
    print(f"{readme}: the demo walkthrough is rewritten from docs/demo.script", file=sys.stderr)


if __name__ == "__main__":
    main()
