import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.store import Store  # noqa: E402

SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def own_config_dir(tmp_path, monkeypatch):
    """No test reads or writes the real user's remembered curator name."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


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


@pytest.fixture(scope="session")
def preannotated_template(tmp_path_factory) -> Path:
    """The seeds imported and pre-annotated with the real model, once per test session."""
    from annotations.ingest import import_paths
    from annotations.preannotate import Annotator, preannotate
    from annotations.settings import load_settings

    path = tmp_path_factory.mktemp("template") / "seeds.db"
    with Store(path) as store:
        import_paths(store, [SEEDS])
        preannotate(store, Annotator.from_settings(load_settings(path), store))
    return path


@pytest.fixture
def seeded_db(preannotated_template, tmp_path) -> Path:
    """A fresh copy of the pre-annotated seeds for one test."""
    import shutil

    path = tmp_path / "seeded.db"
    shutil.copy(preannotated_template, path)
    return path
