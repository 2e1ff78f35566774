"""The trash: a deleted article's file and its ``.meta.json`` sidecar, kept under ``<docs>/.trash/<doc id>/`` so a
delete can be undone (``Assistant.restore_document``, ``qa docs --restore ID``, the page's Undo button). A version
replaced by a new upload of the same name is kept the same way (``reason`` "replaced"), so a replace loses nothing.

The folder is hidden, so the docs-folder scan (``qa.ingest.list_source_files``) never indexes it. Each entry is
named ``<doc id>@<when it was deleted>`` from the start, its ``trash_id``, and keeps that name: a restore takes it,
or the doc id for that id's latest entry. (The latest entry was once named by the bare doc id and renamed when a
later delete came: the id a user had read in the listing then restored another version.)
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


def move_to_trash(docs_dir: Path, doc_id: str, file_name: str, title: str, *, replaced: bool = False) -> Path:
    """Move ``file_name`` and its sidecar from ``docs_dir`` into the trash entry of ``doc_id``; returns the entry.
    ``replaced``: copy them instead (a new upload is about to take the name), recorded as reason "replaced".

    A file already gone (deleted by hand) is simply not kept; the record still names the article.
    """
    now = time.time_ns()  # orders deletes within one second; deleted_at is what people read
    deleted_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now / 1e9))
    bare = trash_dir(docs_dir) / doc_id
    if bare.is_dir():  # a trash from before stable names: its entry named by the bare id takes its stamped name
        os.replace(bare, _unused(trash_dir(docs_dir), f"{doc_id}@{_compact(_deleted_at(bare))}"))
    entry = _unused(trash_dir(docs_dir), f"{doc_id}@{_compact(deleted_at)}")
    entry.mkdir(parents=True)
    # the record first, then the file, then its sidecar (the order of the old unlinks): a crash in between leaves
    # the file findable for a restore, and never a docs-folder file without the sidecar that names it
    (entry / RECORD).write_text(json.dumps({"doc_id": doc_id, "file": file_name, "title": title,
                                            "deleted_at": deleted_at,
                                            "deleted_ns": now, "reason": "replaced" if replaced else "deleted"},
                                           ensure_ascii=False), encoding="utf-8")
    for name in (file_name, file_name + META_SUFFIX):
        source = docs_dir / name
        if not source.exists():
            continue
        if replaced:  # the docs folder keeps its file until the new version is renamed over it
            (entry / name).write_bytes(source.read_bytes())
            fsync(entry / name)
        else:
            os.replace(source, entry / name)  # same file system: a rename, never a half-copied file
    fsync(entry, directory=True)
    return entry


def _deleted_at(entry: Path) -> str:
    try:
        return str(json.loads((entry / RECORD).read_text(encoding="utf-8"))["deleted_at"])
    except (OSError, ValueError, KeyError):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(entry.stat().st_mtime))


def _compact(deleted_at: str) -> str:
    """A deleted_at stamp as a name part (2026-12-03T12:01:02Z -> 20261203T120102Z)."""
    return deleted_at.replace("-", "").replace(":", "")


def _unused(folder: Path, name: str) -> Path:
    path, n = folder / name, 1
    while path.exists():  # two deletes of one id within a second
        n += 1
        path = folder / f"{name}-{n}"
    return path


def trashed_file(docs_dir: Path, trash_id: str) -> tuple[str, Path]:
    """(document id, kept source file) of the trash entry ``trash_id``: an entry's ``trash_id``, or a document id
    for that id's latest entry. The sidecar, if any, lies beside the file; the entry is the file's folder.

    Raises:
        NotInTrash: no such entry.
    """
    try:
        # not text (None from a caller): nothing of that id, as delete_document(None) answers
        if not isinstance(trash_id, str) or "/" in trash_id or "\\" in trash_id or trash_id.startswith("."):
            raise ValueError(trash_id)
        entry = trash_dir(docs_dir) / next((d["trash_id"] for d in list_trash(docs_dir) if d["doc_id"] == trash_id),
                                           trash_id)
        record = json.loads((entry / RECORD).read_text(encoding="utf-8"))
        path, doc_id = entry / record["file"], str(record["doc_id"])
    except (OSError, ValueError, KeyError):
        path, doc_id = None, trash_id
    if path is None or not path.is_file():
        kept = ", ".join(d["trash_id"] for d in list_trash(docs_dir)) or "—"  # no English word in a Chinese message
        raise NotInTrash.keyed("trash.not_found", trash_id=trash_id, kept=kept)
    return doc_id, path


def list_trash(docs_dir: Path) -> list[dict]:
    """What the trash holds: [{doc_id, trash_id, file, title, deleted_at, reason}], most recently deleted first;
    ``trash_id`` is what a restore takes (or the doc id, for its latest entry); ``reason``: "deleted", or "replaced"
    (the version a new upload of the same name replaced)."""
    records = []
    for record in trash_dir(docs_dir).glob(f"*/{RECORD}"):
        try:
            records.append({"reason": "deleted", **json.loads(record.read_text(encoding="utf-8")),
                            "trash_id": record.parent.name})
        except (OSError, ValueError):
            continue
    # by the nanosecond stamp; entries from before it had only seconds, and within one an id's latest entry
    # (then named by the bare id) comes before the earlier ones it displaced
    records.sort(key=lambda r: (r.get("deleted_at", ""), r.get("deleted_ns", 0), r["trash_id"] == r.get("doc_id")),
                 reverse=True)
    return [{key: value for key, value in r.items() if key != "deleted_ns"} for r in records]


def forget(docs_dir: Path, trash_id: str) -> None:
    """Remove the trash entry ``trash_id`` (after a restore)."""
    shutil.rmtree(trash_dir(docs_dir) / trash_id, ignore_errors=True)
