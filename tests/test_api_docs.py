"""``make docs``: the pdoc API reference builds from the docstrings without warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_docs_builds_without_warnings(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["make", "--no-print-directory", "docs", f"API_DOCS={tmp_path}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # pdoc reports problems such as unparsable docstrings as "Warn: ..." lines.
    assert "Warn" not in result.stderr
    assert (tmp_path / "index.html").is_file()
    for module in ("testing", "diagram", "manifests", "validation", "output", "pytest_plugin"):
        assert (tmp_path / "constructs_lib" / f"{module}.html").is_file()
    page = (tmp_path / "constructs_lib.html").read_text(encoding="utf-8")
    assert "StatelessApp" in page
    assert "ExposedService" in page
