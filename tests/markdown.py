"""Fenced code blocks of Markdown files, for tests that run what the docs show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_CONTINUATION = re.compile(r"[ \t]*\\\n[ \t]*")


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """One fenced block: its language, its ``key=value`` options and its text."""

    language: str
    options: dict[str, str]
    text: str
    line: int
    """Line number of the opening fence, from 1."""


def code_blocks(path: Path) -> list[CodeBlock]:
    """Return every fenced code block of a Markdown file, in order.

    The info string ``python file=shop.py`` gives language ``python`` and
    option ``file``. GitHub renders such a block as Python and ignores the rest.
    """
    source = path.read_text(encoding="utf-8")
    blocks: list[CodeBlock] = []
    for match in _FENCE.finditer(source):
        words = match.group(1).split()
        language = words[0] if words else ""
        options = dict(word.split("=", 1) for word in words if "=" in word)
        line = source.count("\n", 0, match.start()) + 1
        blocks.append(CodeBlock(language, options, match.group(2), line))
    return blocks


def console_commands(path: Path) -> list[str]:
    """Return the commands of every ``console`` block, one per line, comments removed."""
    commands: list[str] = []
    for block in code_blocks(path):
        if block.language != "console":
            continue
        # A backslash at the end of a line continues the command, and the
        # next line's indentation only separates arguments.
        for line in _CONTINUATION.sub(" ", block.text).splitlines():
            command = line.split(" #", 1)[0].strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands
