"""Copy a store into another without re-embedding: `qa migrate --from local --to URI`."""
from __future__ import annotations

from ..records import EncodedDocument
from . import Store
from .snapshot import Snapshot


def encoded_documents(view: Snapshot) -> list[EncodedDocument]:
    """Every document of a local snapshot with its stored passages, vectors, sentence vectors and latent terms."""
    out = []
    for doc_id, doc in view.documents.items():
        rows = view.chunk_rows(doc_id)
        chunks = [view.chunks[r] for r in rows]
        spans = list(dict.fromkeys(s for c in chunks for s in c.sentences))
        sent = view.sentence_vectors[[view.sentence_rows[(doc_id, s, e)] for s, e in spans]]
        latent = view.latent[rows] if view.latent.shape[1] else None
        out.append(EncodedDocument(doc, chunks, view.vectors[rows], spans, sent, latent))
    return out


def migrate(source: Store, target: Store) -> dict:
    """Replace ``target``'s contents with ``source``'s current version (local snapshots only, for now).

    Returns counts. Raises IndexNotFound when ``source`` holds nothing.
    """
    view = source.load()
    if not isinstance(view, Snapshot):
        raise NotImplementedError("qa migrate copies from the local store; rebuild other stores with `qa build --store`")
    manifest = {k: v for k, v in view.manifest.items()
                if k not in ("documents", "generation", "format_version", "vector_backend", "n_chunks", "n_sentences")}
    encoded = encoded_documents(view)
    with target.writing():
        target.overwrite = True  # type: ignore[attr-defined]  # migrating means replacing
        new = target.create(manifest, encoded)
    return {"documents": len(new.documents), "passages": len(new.chunks)}
