import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.store import Store  # noqa: E402

SEEDS = ROOT / "seeds"


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "work.db"


@pytest.fixture
def store(db_path):
    with Store(db_path) as s:
        yield s


def run_cli(*argv: str) -> int:
    from main import main

    return main([str(a) for a in argv])
