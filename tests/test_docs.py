"""docs/: every construct page runs its examples and lists every prop, and the
committed comic diagrams match the chart."""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cdk8s
import pytest

import constructs_lib
from charts.comic import ComicChart
from charts.environments import ROOT, Environment, dev, prod
from constructs_lib.diagram import build_graph, render_mermaid, render_svg
from constructs_lib.testing import synth_manifests
from tests.markdown import code_blocks

PAGES = ROOT / "docs" / "constructs"
DIAGRAMS = ROOT / "docs" / "diagrams"
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


@pytest.mark.filterwarnings("ignore::constructs_lib.SecretInManifestWarning")
@pytest.mark.parametrize("environment_name", ["dev", "prod"])
def test_comic_diagram_is_current(
    environment_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/diagrams/<environment>-comic.* must match the chart: run `make diagrams`."""
    # Secret values never reach the diagram, but dev needs some to synthesize:
    # take the placeholders, whatever .env or the environment contain.
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    for name in list(os.environ):
        if name.startswith("COMIC_"):
            monkeypatch.delenv(name)
    environment: Environment = dev(tmp_path) if environment_name == "dev" else prod()
    chart = ComicChart(
        cdk8s.Testing.app(), "comic", environment.comic, namespace=environment.namespace
    )
    graph = build_graph(synth_manifests(chart))
    # `make diagrams` titles each diagram with its path under dist/, without .k8s.yaml.
    title = f"{environment.name}/comic"
    svg = (DIAGRAMS / f"{environment.name}-comic.svg").read_text(encoding="utf-8")
    mermaid = (DIAGRAMS / f"{environment.name}-comic.mmd").read_text(encoding="utf-8")
    assert svg == render_svg(graph, title=title)
    assert mermaid == render_mermaid(graph, title=title)
