"""The core must run where Qt is not installed: import every module with PySide6 made unimportable."""

import pkgutil
import subprocess
import sys

import annotations
from tests.conftest import ROOT

BLOCK_QT = """
import sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "gui"):
            raise ImportError(f"{name} is blocked in this test")
sys.meta_path.insert(0, BlockQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print("imported", len(sys.argv) - 1)
"""


def test_every_core_module_imports_without_qt():
    modules = [f"annotations.{m.name}" for m in pkgutil.iter_modules(annotations.__path__)]
    assert len(modules) >= 6
    result = subprocess.run([sys.executable, "-c", BLOCK_QT, *modules], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"imported {len(modules)}"
