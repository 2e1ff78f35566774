"""Shared fixtures: the real bundled model and a real index over a copy of the two articles."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs_src"


@pytest.fixture(scope="session")
def embedder():
    from qa.encoder import load_encoder
    from qa.settings import Settings

    return load_encoder(Settings.load())


@pytest.fixture(scope="session")
def articles():
    from qa.ingest import list_source_files, load_document

    return [load_document(p, max_bytes=5_000_000) for p in list_source_files(DOCS)]


def make_assistant(tmp: Path, embedder, docs: Path = DOCS):  # type: ignore[no-untyped-def]
    """A fresh Assistant over a copy of ``docs`` with its own index folder."""
    from qa.assistant import Assistant
    from qa.settings import Settings

    shutil.copytree(docs, tmp / "docs", dirs_exist_ok=True)
    settings = Settings.load(docs_dir=str(tmp / "docs"), index_dir=str(tmp / "index"))
    return Assistant.open(settings, encoder=embedder)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, embedder):
    return make_assistant(tmp_path_factory.mktemp("qa"), embedder)
