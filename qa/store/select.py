"""Which store a setting names: ``local`` (FAISS + files in index_dir), a Milvus Lite folder, or a Milvus server URI."""
from __future__ import annotations

from pathlib import Path

from ..errors import BadSetting
from ..settings import Settings, is_local_store
from . import Store
from .snapshot import VectorParams

SERVER_SCHEMES = ("http://", "https://", "tcp://", "grpc://")




def open_store(settings: Settings, uri: str | None = None) -> Store:
    """The store named by ``uri`` (default: setting ``store``).

    Raises:
        BadSetting: a URI that is neither ``local``, a folder path ending in .db nor ``http(s)://host:port``.
        StoreUnavailable: Milvus cannot be reached or refused the token.
    Example: ``open_store(Settings.load(store="index/milvus.db"))``
    """
    uri = (settings.store if uri is None else uri).strip()
    params = VectorParams(settings.vector_backend, settings.vector_approx_threshold)
    if is_local_store(uri):
        from .local import LocalStore

        return LocalStore(settings.index_dir, params)
    if "://" in uri and not uri.startswith(SERVER_SCHEMES):
        raise BadSetting(f"setting store (QA_STORE / --store) must be local, a Milvus Lite folder path or "
                         f"http(s)://host:port, got {uri!r}")
    from .milvus import MilvusStore

    if not uri.startswith(SERVER_SCHEMES):
        if not uri.endswith(".db"):  # Milvus Lite's own rule; its error blamed the connection
            raise BadSetting(f"setting store (QA_STORE / --store): a Milvus Lite store is a folder whose name ends in "
                             f".db, e.g. index/milvus.db; got {uri!r} (write {uri.rstrip('/')}.db)")
        uri = str(Path(uri).expanduser().resolve())
    return MilvusStore(uri, token=settings.milvus_token, prefix=settings.milvus_prefix,
                       index_type=settings.vector_backend, approx_threshold=settings.vector_approx_threshold,
                       lock_dir=settings.cache_dir / "locks", cache_rows=settings.milvus_cache_rows,
                       cache_chars=settings.milvus_cache_chars, cleanup_delay_s=settings.milvus_cleanup_delay)
