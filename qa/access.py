"""Who may read and who may write: the bearer-token rules of the HTTP API and the page, and the refusal to serve
beyond loopback without an admin token. One copy, used by ``qa.api``, ``qa.ui`` and ``app.py``.

* ``admin_token`` set: upload, delete, restore (and build) need ``Authorization: Bearer <admin_token>``.
* ``read_token`` set: asking and reading documents need the read token (the admin token also reads).
* ``/api/health``, ``/docs`` and ``/openapi.json`` stay open (probes and documentation).
"""
from __future__ import annotations

import errno
import hmac
import ipaddress
import socket

from .errors import BadSetting, Forbidden, Unauthorized
from .messages import t

OPEN_PATHS = ("/api/health",)
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
READ_ONLY_POSTS = ("/api/ask",)  # POST that only reads


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name or 0.0.0.0: other machines may reach it


def check_listen(host: str, admin_token: str, *, insecure: bool = False) -> None:
    """Refuse to serve on an address other machines can reach unless writes need a token (or ``insecure``).

    Raises:
        BadSetting: ``host`` is not loopback, no admin token is set and ``insecure`` is False.
    """
    if admin_token or insecure or is_loopback(host):
        return
    raise BadSetting(
        f"refusing to listen on {host}: anyone who can reach it could upload and delete articles. Set an admin "
        "token (QA_ADMIN_TOKEN=<a long random string>, sent by writers as 'Authorization: Bearer <token>'), "
        "listen on 127.0.0.1, or pass --insecure if another layer guards the server"
    )


def listen_socket(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound before the model loads: a port in use is said at once, not after the
    index is loaded and a URL is printed that another process serves.

    Raises:
        BadSetting: the address cannot be bound (in use, not this machine's, no permission).
    """
    try:  # as uvicorn binds a host: IPv6 when it has a colon, so "localhost" is 127.0.0.1 as before
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as e:
        hint = "; if another server uses that port, stop it or choose another with --port" if e.errno == errno.EADDRINUSE else ""
        raise BadSetting(f"cannot listen on {host}:{port}: {e.strerror or e}{hint}") from None
    return sock


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def same(given: str | None, expected: str) -> bool:
    """Constant-time comparison: the time taken does not tell how much of a guess was right."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def check_write(token: str | None, admin_token: str) -> None:
    """Raises Unauthorized (no token) or Forbidden (wrong token) when writing needs ``admin_token``."""
    if not admin_token:
        return
    if not token:
        raise _error(Unauthorized, "admin.missing")
    if not same(token, admin_token):
        raise _error(Forbidden, "admin.wrong")


def check_read(token: str | None, read_token: str, admin_token: str) -> None:
    """Raises Unauthorized / Forbidden when reading needs ``read_token`` (the admin token reads too)."""
    if not read_token:
        return
    if not token:
        raise _error(Unauthorized, "read.missing")
    if not (same(token, read_token) or (admin_token and same(token, admin_token))):
        raise _error(Forbidden, "read.wrong")


def check_request(method: str, path: str, authorization: str | None, admin_token: str, read_token: str) -> None:
    """The rule for one request to ``/api/...``: writes need the admin token, reads the read token (if set)."""
    path = path.rstrip("/") or "/"
    if not path.startswith("/api/") or path in OPEN_PATHS:
        return
    token = bearer(authorization)
    if method.upper() in WRITE_METHODS and path not in READ_ONLY_POSTS:
        check_write(token, admin_token)
    else:
        check_read(token, read_token, admin_token)


def _error(cls: type[Unauthorized] | type[Forbidden], key: str) -> Unauthorized | Forbidden:
    """The error in English, remembering its catalogue key so a Chinese reader gets the whole message translated."""
    error = cls(t(key, "en"))
    error.message_key = key  # type: ignore[attr-defined]
    return error
