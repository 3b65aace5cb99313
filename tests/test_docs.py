"""docs/constructs/: every construct page runs its examples and lists every prop."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import constructs_lib
from tests.markdown import code_blocks

PAGES = Path(__file__).resolve().parent.parent / "docs" / "constructs"
CONSTRUCT_PAGES = sorted(page for page in PAGES.glob("*.md") if page.name != "TEMPLATE.md")
CONSTRUCTS = {
    name
    for name in constructs_lib.__all__
    if inspect.isclass(getattr(constructs_lib, name))
    and "Produces:" in (getattr(constructs_lib, name).__doc__ or "")
}
"""Public constructs: the exported classes whose docstring lists the objects they produce."""


def construct_of(page: Path) -> str:
    """Return the construct a page documents: the text of its first heading."""
    heading = page.read_text(encoding="utf-8").splitlines()[0]
    return heading.removeprefix("# ").strip()


def test_every_construct_has_a_page() -> None:
    documented = {construct_of(page) for page in CONSTRUCT_PAGES}
    assert CONSTRUCTS - documented == set()


@pytest.mark.parametrize("page", CONSTRUCT_PAGES, ids=lambda page: page.stem)
def test_page_lists_every_prop(page: Path) -> None:
    construct = getattr(constructs_lib, construct_of(page))
    parameters = inspect.signature(construct.__init__).parameters
    props = [
        name
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    text = page.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(\w+)` \|", text, re.MULTILINE))
    assert props, construct
    assert set(props) - listed == set()


@pytest.mark.parametrize("page", CONSTRUCT_PAGES, ids=lambda page: page.stem)
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    examples = [block for block in code_blocks(page) if block.language == "python"]
    assert examples
    for index, block in enumerate(examples):
        script = tmp_path / f"example_{index}.py"
        # Later examples continue the first one, as a reader would type them.
        script.write_text(examples[0].text + "\n" + block.text if index else block.text)
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, f"{page.name} line {block.line}:\n{result.stderr}"
