"""Deployed safely (issue 14 item 6) and HTTP semantics (issue 16 item 7), against a real uvicorn server on
127.0.0.1 over a real index: writes need the admin token, reads the read token, wrong methods get 405 + Allow,
errors follow Accept-Language, and a delete can be undone (the file and its sidecar come back from the trash)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, copy_assistant

pytestmark = pytest.mark.filterwarnings("ignore:::gradio")

ROOT = Path(__file__).resolve().parent.parent
ADMIN, READ = "admin-secret-9f2c", "reader-secret-41ab"
ARTICLE = "火星咖啡馆开业\n\n2025-11-20\n\n火星咖啡馆的招牌饮料是红色沙尘拿铁，每杯售价42元。\n"
META = {"title": "火星咖啡館隆重開業", "source": "火星日報"}


@pytest.fixture(scope="module")
def guarded(assistant, embedder, tmp_path_factory):
    """An assistant whose server needs both tokens, with one extra article (and its sidecar) to delete."""
    a = copy_assistant(assistant, tmp_path_factory.mktemp("access"), embedder)
    inbox = tmp_path_factory.mktemp("inbox")
    (inbox / "mars-cafe.txt").write_text(ARTICLE, encoding="utf-8")
    (inbox / "mars-cafe.txt.meta.json").write_text(json.dumps(META, ensure_ascii=False), encoding="utf-8")
    assert a.add_paths([inbox / "mars-cafe.txt"]).counts()["added"] == 1
    a.settings = a.settings.replace(admin_token=ADMIN, read_token=READ)
    return a


@pytest.fixture(scope="module")
def url(guarded):
    from qa.api import create_app

    with LiveServer(create_app(guarded, with_ui=False)) as u:
        yield u


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def error(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status
    return body["error"]


def doc_ids(url: str) -> set[str]:
    return {d["doc_id"] for d in httpx.get(url + "/api/documents", headers=auth(READ), timeout=60).json()}


def test_reads_need_the_read_token_and_health_stays_open(url):
    assert httpx.get(url + "/api/health", timeout=60).status_code == 200  # probes need no token
    assert "QA_READ_TOKEN" in error(httpx.get(url + "/api/documents", timeout=60), 401)
    assert httpx.get(url + "/api/documents", timeout=60).headers["www-authenticate"] == "Bearer"
    error(httpx.post(url + "/api/ask", json={"question": "H200"}, headers=auth("guess"), timeout=60), 403)
    for token in (READ, ADMIN):  # the admin token reads too
        r = httpx.post(url + "/api/ask", json={"question": "火星咖啡馆的招牌饮料是什么？", "k": 1}, headers=auth(token), timeout=120)
        assert r.status_code == 200 and r.json()["passages"][0]["doc_id"] == "mars-cafe"


@pytest.mark.parametrize("token", [None, READ, "wrong"])
def test_writes_without_the_admin_token_are_refused_and_change_nothing(url, guarded, token):
    status = 401 if token is None else 403
    headers = auth(token) if token else {}
    before = doc_ids(url)
    files = {"file": ("intruder.txt", "入侵者的文章。\n".encode(), "text/plain")}
    message = error(httpx.post(url + "/api/documents", files=files, headers=headers, timeout=60), status)
    assert "admin token" in message.lower()
    error(httpx.delete(url + "/api/documents/mars-cafe", headers=headers, timeout=60), status)
    error(httpx.post(url + "/api/trash/mars-cafe/restore", headers=headers, timeout=60), status)
    assert doc_ids(url) == before and "mars-cafe" in before
    assert not (guarded.settings.docs_dir / "intruder.txt").exists()
    assert (guarded.settings.docs_dir / "mars-cafe.txt.meta.json").exists()


def test_errors_follow_accept_language(url):
    zh_tw = {"Accept-Language": "zh-TW,zh;q=0.9", **auth(READ)}
    assert error(httpx.delete(url + "/api/documents/mars-cafe", headers={"Accept-Language": "zh-TW"}, timeout=60), 401) \
        .startswith("寫入需要管理權杖")
    assert error(httpx.post(url + "/api/ask", json={"question": "？"}, headers=zh_tw, timeout=60), 400) \
        == "問題是空的，或者沒有字母、數字或漢字；請輸入一個問題。"
    assert error(httpx.get(url + "/api/documents/nope", headers={"Accept-Language": "zh-CN", **auth(READ)}, timeout=60), 404) \
        == "没有 ID 为“nope”的文档；用 GET /api/documents 或 `qa docs` 查看所有文档"  # whole, no English inside
    assert error(httpx.post(url + "/api/ask", json={"question": "？"}, headers=auth(READ), timeout=60), 400) \
        .startswith("the question is empty")  # English unless asked


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("GET", "/api/ask", "POST"), ("PUT", "/api/documents", "GET, POST"), ("POST", "/api/health", "GET"),
    ("PATCH", "/api/documents/mars-cafe", "DELETE, GET"), ("GET", "/api/trash/mars-cafe/restore", "POST"),
    ("OPTIONS", "/api/ask", "POST"), ("TRACE", "/api/health", "GET"),  # were a bare {"detail": "Not Found"}
])
def test_wrong_method_is_405_with_allow(url, method, path, allow):
    r = httpx.request(method, url + path, headers=auth(ADMIN), timeout=60)
    assert "is not allowed" in error(r, 405) and r.headers["allow"] == allow
    assert error(httpx.get(url + "/api/nowhere", headers=auth(READ), timeout=60), 404).startswith("no API route")


def test_delete_goes_to_the_trash_and_restore_brings_back_file_and_metadata(url, guarded):
    docs = guarded.settings.docs_dir
    r = httpx.delete(url + "/api/documents/mars-cafe", headers=auth(ADMIN), timeout=120)
    assert r.status_code == 200 and r.json()["deleted"]["title"] == META["title"]
    assert "mars-cafe" not in doc_ids(url) and not (docs / "mars-cafe.txt").exists()
    trash = httpx.get(url + "/api/trash", headers=auth(READ), timeout=60).json()
    assert [(d["doc_id"], d["title"]) for d in trash] == [("mars-cafe", META["title"])]
    entry = docs / ".trash" / trash[0]["trash_id"]  # mars-cafe@<when>: the name it keeps
    assert entry.name.startswith("mars-cafe@") and (entry / "mars-cafe.txt.meta.json").exists()  # the sidecar travels with it

    r = httpx.post(url + "/api/trash/mars-cafe/restore", headers=auth(ADMIN), timeout=120)
    assert r.status_code == 200, r.text
    assert r.json()["restored"]["title"] == META["title"] and r.json()["restored"]["source"] == META["source"]
    assert (docs / "mars-cafe.txt.meta.json").exists() and not entry.exists()
    top = httpx.post(url + "/api/ask", json={"question": "火星咖啡馆的招牌饮料是什么？", "k": 1}, headers=auth(READ), timeout=120)
    assert top.json()["passages"][0]["title"] == META["title"]
    assert "no deleted document" in error(httpx.post(url + "/api/trash/mars-cafe/restore", headers=auth(ADMIN), timeout=60), 404)


def test_cli_trash_and_restore(guarded, monkeypatch, capsys):
    """`qa docs --trash` lists a delete, `qa docs --restore ID` undoes it (the rule of the page's Undo), and a
    second restore is an error message with exit status 2, not a traceback. The command runs on this module's
    assistant (opening another would load the model again: seconds of CI for no other code)."""
    import qa.cli

    monkeypatch.setattr(qa.cli, "_open", lambda args: guarded)
    guarded.delete_document("mars-cafe")
    assert qa.cli.main(["docs", "--trash"]) == 0 and re.search(rf"^mars-cafe@\d{{8}}T\d{{6}}Z\t{META['title']}\tdeleted ",
                                                             capsys.readouterr().out, re.M)
    assert qa.cli.main(["docs", "--restore", "mars-cafe", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["restored"]["title"] == META["title"]
    assert guarded.document("mars-cafe").title == META["title"]
    assert qa.cli.main(["docs", "--restore", "mars-cafe"]) == 2
    assert "no deleted document 'mars-cafe'" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::"])
def test_server_refuses_a_non_loopback_address_without_an_admin_token(host, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QA_ADMIN_TOKEN",)}
    r = subprocess.run([sys.executable, str(ROOT / "app.py"), "--host", host, "--port", "9", "--index", str(tmp_path)],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 1 and f"refusing to listen on {host}" in r.stderr and "QA_ADMIN_TOKEN" in r.stderr
    assert "--insecure" in r.stderr and not any(tmp_path.iterdir())  # nothing was built or written


def test_access_rules():
    from qa.access import bearer, check_listen, is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.8.0.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org") and not is_loopback("10.0.0.1")
    check_listen("0.0.0.0", "token")  # with an admin token
    check_listen("0.0.0.0", "", insecure=True)  # told so
    assert bearer("Bearer abc") == "abc" and bearer("bearer  abc ") == "abc" and bearer("Basic abc") is None and bearer(None) is None


def test_a_port_in_use_is_refused_before_anything_loads():
    # app.py binds first: it had loaded the index and printed a URL another process serves, then failed in uvicorn
    from qa.access import listen_socket
    from qa.errors import BadSetting

    held = listen_socket("127.0.0.1", 0)
    held.listen()
    try:
        with pytest.raises(BadSetting, match=r"in use; .* --port"):
            listen_socket("127.0.0.1", held.getsockname()[1])
    finally:
        held.close()
    local = listen_socket("localhost", 0)
    assert local.getsockname()[0] == "127.0.0.1"  # as uvicorn bound "localhost"
    local.close()
