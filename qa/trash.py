"""The trash: a deleted article's file and its ``.meta.json`` sidecar, kept under ``<docs>/.trash/<doc id>/`` so a
delete can be undone (``Assistant.restore_document``, ``qa docs --restore ID``, the page's Undo button).

The folder is hidden, so the docs-folder scan (``qa.ingest.list_source_files``) never indexes it. The latest
delete of an id is kept; deleting the same id again replaces its entry.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from .errors import NotInTrash
from .files import fsync
from .ingest import META_SUFFIX

TRASH = ".trash"
RECORD = "deleted.json"


def trash_dir(docs_dir: Path) -> Path:
    return docs_dir / TRASH


def move_to_trash(docs_dir: Path, doc_id: str, file_name: str, title: str) -> Path:
    """Move ``file_name`` and its sidecar from ``docs_dir`` into the trash entry of ``doc_id``; returns the entry.

    A file already gone (deleted by hand) is simply not kept; the record still names the article.
    """
    entry = trash_dir(docs_dir) / doc_id
    if entry.exists():
        shutil.rmtree(entry)
    entry.mkdir(parents=True)
    # the record first, then the file, then its sidecar (the order of the old unlinks): a crash in between leaves
    # the file findable for a restore, and never a docs-folder file without the sidecar that names it
    (entry / RECORD).write_text(json.dumps({"doc_id": doc_id, "file": file_name, "title": title,
                                            "deleted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                                           ensure_ascii=False), encoding="utf-8")
    for name in (file_name, file_name + META_SUFFIX):
        source = docs_dir / name
        if source.exists():
            os.replace(source, entry / name)  # same file system: a rename, never a half-copied file
    fsync(entry, directory=True)
    return entry


def trashed_file(docs_dir: Path, doc_id: str) -> Path:
    """The kept source file of deleted ``doc_id`` (its sidecar, if any, lies beside it).

    Raises:
        NotInTrash: nothing of that id is in the trash.
    """
    entry = trash_dir(docs_dir) / doc_id
    try:
        record = json.loads((entry / RECORD).read_text(encoding="utf-8"))
        path = entry / record["file"]
    except (OSError, ValueError, KeyError):
        path = None
    if path is None or not path.is_file():
        kept = ", ".join(d["doc_id"] for d in list_trash(docs_dir)) or "none"
        raise NotInTrash(f"no deleted document {doc_id!r} in the trash ({trash_dir(docs_dir)}); deleted documents kept: {kept}")
    return path


def list_trash(docs_dir: Path) -> list[dict]:
    """What the trash holds: [{doc_id, file, title, deleted_at}], most recently deleted first."""
    records = []
    for record in trash_dir(docs_dir).glob(f"*/{RECORD}"):
        try:
            records.append(json.loads(record.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(records, key=lambda r: r.get("deleted_at", ""), reverse=True)


def forget(docs_dir: Path, doc_id: str) -> None:
    """Remove ``doc_id``'s trash entry (after a restore)."""
    shutil.rmtree(trash_dir(docs_dir) / doc_id, ignore_errors=True)
