"""The engine is pure numerics: importing it must not pull in Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import twoway.matching.engine as engine

ENGINE_DIR = Path(engine.__file__).parent


def test_engine_imports_without_django() -> None:
    # A fresh interpreter: this test process has Django loaded already.
    code = (
        "import sys, twoway.matching.engine; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework'}); "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


def test_engine_modules_import_only_numerics() -> None:
    allowed = {
        "__future__",
        "collections",
        "concurrent",  # the scan's two threads (standard library)
        "dataclasses",
        "enum",
        "math",
        "time",
        "typing",
        "numpy",
    }
    allowed |= {"scipy", "twoway"}
    for path in ENGINE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
                if name.startswith("twoway."):
                    assert name.startswith(("twoway.matching.engine", "twoway.people.reporting"))
