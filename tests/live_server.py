"""A real uvicorn server (API + Gradio page) on 127.0.0.1 and a free port, in a background thread, for the tests."""
from __future__ import annotations

import socket
import threading
import time

import httpx


class LiveServer:
    """``with LiveServer(app) as url: ...`` serves ``app`` until the block ends."""

    def __init__(self, app, startup_timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))  # the OS picks a free port; uvicorn serves on this very socket (no race)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.startup_timeout = startup_timeout

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.server.started:
                try:
                    if httpx.get(self.url + "/api/health", timeout=10).status_code == 200:
                        return self.url
                except httpx.HTTPError:
                    pass
            if not self.thread.is_alive():
                raise RuntimeError("the test server stopped while starting; see the log above")
            time.sleep(0.2)
        raise TimeoutError(f"the test server did not start within {self.startup_timeout} s")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


def copy_assistant(template, tmp, embedder):  # type: ignore[no-untyped-def]
    """A fresh Assistant (own docs and index folders under ``tmp``) that starts from ``template``'s built index,
    so a test module that adds and deletes documents does not pay for embedding the articles again."""
    import shutil

    from qa.assistant import Assistant

    shutil.copytree(template.settings.docs_dir, tmp / "docs")
    shutil.copytree(template.settings.index_dir, tmp / "index", ignore=shutil.ignore_patterns(".lock"))
    settings = template.settings.replace(docs_dir=tmp / "docs", index_dir=tmp / "index")
    return Assistant.open(settings, encoder=embedder)
