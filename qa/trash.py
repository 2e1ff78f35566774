"""The trash: a deleted article's file and its ``.meta.json`` sidecar, kept under ``<docs>/.trash/<doc id>/`` so a
delete can be undone (``Assistant.restore_document``, ``qa docs --restore ID``, the page's Undo button). A version
replaced by a new upload of the same name is kept the same way (``reason`` "replaced"), so a replace loses nothing.

The folder is hidden, so the docs-folder scan (``qa.ingest.list_source_files``) never indexes it. Deleting an id
again (a later upload of the same name) keeps the earlier entry too, as ``<doc id>@<when it was deleted>``: a
restore of the id brings back the latest; an earlier one is restored by its ``trash_id``.
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
    entry = trash_dir(docs_dir) / doc_id
    if entry.exists():  # an earlier delete of this id: kept under its own name, never overwritten
        os.replace(entry, _unused(trash_dir(docs_dir), f"{doc_id}@{_stamp(entry)}"))
    entry.mkdir(parents=True)
    # the record first, then the file, then its sidecar (the order of the old unlinks): a crash in between leaves
    # the file findable for a restore, and never a docs-folder file without the sidecar that names it
    now = time.time_ns()  # orders deletes within one second; deleted_at is what people read
    (entry / RECORD).write_text(json.dumps({"doc_id": doc_id, "file": file_name, "title": title,
                                            "deleted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now / 1e9)),
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


def set_aside(docs_dir: Path, trash_id: str) -> str:
    """Give the entry ``trash_id`` a name of its own (``<doc id>@<when it was deleted>``) if it is the one named
    by its document id, so a new entry of that id does not displace it; returns its trash_id (new or not)."""
    entry = trash_dir(docs_dir) / trash_id
    doc_id, _ = trashed_file(docs_dir, trash_id)
    if trash_id != doc_id:
        return trash_id
    aside = _unused(trash_dir(docs_dir), f"{doc_id}@{_stamp(entry)}")
    os.replace(entry, aside)
    fsync(trash_dir(docs_dir), directory=True)
    return aside.name


def _stamp(entry: Path) -> str:
    """When ``entry`` was deleted, as a name part (20261203T120102Z)."""
    try:
        when = json.loads((entry / RECORD).read_text(encoding="utf-8"))["deleted_at"]
    except (OSError, ValueError, KeyError):
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(entry.stat().st_mtime))
    return when.replace("-", "").replace(":", "")


def _unused(folder: Path, name: str) -> Path:
    path, n = folder / name, 1
    while path.exists():  # two deletes of one id within a second
        n += 1
        path = folder / f"{name}-{n}"
    return path


def trashed_file(docs_dir: Path, trash_id: str) -> tuple[str, Path]:
    """(document id, kept source file) of the trash entry ``trash_id``: a deleted document's id (its latest
    delete) or an earlier entry's ``trash_id``. The sidecar, if any, lies beside the file.

    Raises:
        NotInTrash: no such entry.
    """
    try:
        # not text (None from a caller): nothing of that id, as delete_document(None) answers
        if not isinstance(trash_id, str) or "/" in trash_id or "\\" in trash_id or trash_id.startswith("."):
            raise ValueError(trash_id)
        entry = trash_dir(docs_dir) / trash_id
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
    ``trash_id`` is what a restore takes (the doc id for its latest delete); ``reason``: "deleted", or "replaced"
    (the version a new upload of the same name replaced)."""
    records = []
    for record in trash_dir(docs_dir).glob(f"*/{RECORD}"):
        try:
            records.append({"reason": "deleted", **json.loads(record.read_text(encoding="utf-8")),
                            "trash_id": record.parent.name})
        except (OSError, ValueError):
            continue
    # by the nanosecond stamp; entries from before it had only seconds, and within one an id's latest entry
    # (named by the id) comes before the earlier ones it displaced
    records.sort(key=lambda r: (r.get("deleted_at", ""), r.get("deleted_ns", 0), r["trash_id"] == r.get("doc_id")),
                 reverse=True)
    return [{key: value for key, value in r.items() if key != "deleted_ns"} for r in records]


def forget(docs_dir: Path, trash_id: str) -> None:
    """Remove the trash entry ``trash_id`` (after a restore)."""
    shutil.rmtree(trash_dir(docs_dir) / trash_id, ignore_errors=True)
