"""Bulk add, the part without the index: which files a list of paths names, and what each one is to the index."""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import BadRequest
from .ingest import META_SUFFIX, SUPPORTED_SUFFIXES
from .records import UNCHANGED, AddOutcome, Document, DocumentSummary


PathArg = str | os.PathLike[str]


def expand_paths(paths: PathArg | Iterable[PathArg]) -> tuple[list[Path], list[AddOutcome]]:
    """Files named by ``paths`` (one path, or several): a file as given, a folder's supported files recursively
    (sorted, hidden files and folders and ``.meta.json`` sidecars left out).

    Returns (files, outcomes for paths that name nothing, and for a file system root, which is never a folder
    of articles). A file given by name is kept whatever its suffix, so an unsupported one is reported as skipped
    rather than silently passed over.

    Raises:
        BadRequest: ``paths`` is neither a path nor an iterable of paths (nothing was read).
    """
    files: list[Path] = []
    missing: list[AddOutcome] = []
    for raw in path_list(paths):
        path = Path(raw).expanduser()
        if path.is_dir() and path.resolve() == Path(path.resolve().anchor):
            # "/" (or C:\) would copy every text file of the machine into the docs folder
            missing.append(keyed_outcome(str(raw), "add.root"))
        elif path.is_dir():
            files.extend(_folder_files(path))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(keyed_outcome(str(raw), "add.missing"))
    return list(dict.fromkeys(files)), missing


def path_list(paths: object) -> list[PathArg]:
    """``paths`` as a list of paths. One str or PathLike is one path: iterating a string would take its first
    character, "/", for a folder to add.

    Raises:
        BadRequest: not a path or an iterable of str / PathLike (bytes included: Path reads no bytes).
    """
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    items = list(paths) if isinstance(paths, Iterable) and not isinstance(paths, (bytes, bytearray)) else [paths]
    for item in items:
        if not isinstance(item, (str, os.PathLike)) or not isinstance(os.fspath(item), str):
            raise BadRequest.keyed("add.bad_paths", value=repr(item)[:80])
    return items


def _folder_files(folder: Path) -> Iterable[Path]:
    for p in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in p.relative_to(folder).parts)
        if not hidden and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.endswith(META_SUFFIX) and p.is_file():
            yield p


def classify(doc: Document, name: str, indexed: dict[str, Document], batch: dict[str, str],
             same_bytes: dict[str, Document | DocumentSummary] | None = None) -> AddOutcome:
    """What ``doc`` (from a file stored as ``name``) is against the index and this import so far.

    ``batch`` maps document ids taken earlier in this import to their file names (two files with one name in
    different folders, or a.txt and a.md, would be one document twice). ``same_bytes`` (``by_bytes``) maps the
    files' SHA-256 to the documents indexed or taken so far: a copy under another name would be one article twice,
    each card of it "also in" the other.
    """
    if doc.doc_id in batch:
        return keyed_outcome(name, "add.batch_clash", doc.doc_id, doc_id=doc.doc_id, other=batch[doc.doc_id])
    old = indexed.get(doc.doc_id)
    twin = (same_bytes or {}).get(doc.sha256)
    if old is None and twin is not None and twin.doc_id != doc.doc_id:
        return keyed_outcome(name, "add.duplicate", doc.doc_id, name=name, path=twin.path, title=twin.title,
                             doc_id=twin.doc_id)
    if old is None:
        return AddOutcome(name, "added", doc.doc_id, title=doc.title)
    if old.path != name:
        return keyed_outcome(name, "ingest.id_clash", doc.doc_id, name=name, doc_id=doc.doc_id, path=old.path)
    if old == doc:
        return AddOutcome(name, "skipped", doc.doc_id, UNCHANGED, doc.title, reason_key="add.unchanged")
    return AddOutcome(name, "replaced", doc.doc_id, title=doc.title)


def by_bytes(documents: Iterable[Document | DocumentSummary]) -> dict[str, Document | DocumentSummary]:
    """``documents`` by their file's SHA-256 (``classify``'s ``same_bytes``). Summaries will do, and from a store's
    view they are what to pass (``StoreView.document_summaries``): a Milvus view's documents fetch their texts."""
    return {d.sha256: d for d in documents if d.sha256}


def keyed_outcome(file: str, key: str, document: str | None = None, /, **params: str) -> AddOutcome:
    """A file (of document id ``document``) skipped for the reason catalogue message ``key`` says (English in
    ``reason``). Positional only: the message's own parameters may be called ``path`` or ``key``."""
    from .messages import t

    return AddOutcome(file, "skipped", document, t(key, "en", **params), reason_key=key, reason_params=dict(params))
