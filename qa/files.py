"""Crash-safe file writes: temporary file, then one atomic rename; fsync where a later step relies on it."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, write: Callable[[BinaryIO], object], *, durable: bool = False) -> None:
    """Write ``path`` through ``write(fh)`` into a temporary file beside it, then rename it into place.

    Readers (other processes too) see the old file, or none, or the whole new one, never half a file. With
    ``durable``, the data and the rename are flushed to disk before returning (for commit points).
    The temporary name carries the process id, so two processes writing one cache file do not collide.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync(path.parent, directory=True)


def cache_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a cache file atomically; a read-only checkout still works, it just computes again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, write)
    except OSError:
        pass


def fsync(path: Path, *, directory: bool = False) -> None:
    """Flush a file's (or a folder's entries') data to disk, so a rename that follows survives a crash."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
