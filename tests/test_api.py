"""The HTTP API against a real uvicorn server on 127.0.0.1 over a real index: every route and every error shape."""
from __future__ import annotations

import dataclasses
import json
import re
import socket
import time

import httpx
import pytest

from qa.records import Answer, Passage
from tests.live_server import LiveServer, copy_assistant

# Gradio's own queue code warns about pandas deprecations; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:::gradio")

ANSWER_KEYS = {f.name for f in dataclasses.fields(Answer)}
PASSAGE_KEYS = {f.name for f in dataclasses.fields(Passage)}
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)""", re.I)

ARTICLE = (
    "火星咖啡馆开业\n\n2025-11-20\n\n"
    "火星咖啡馆的招牌饮料是红色沙尘拿铁，每杯售价42元。<script>alert('xss')</script>店主说顾客大多是天文爱好者。\n"
)


@pytest.fixture(scope="module")
def api_assistant(tmp_path_factory, embedder, assistant):
    return copy_assistant(assistant, tmp_path_factory.mktemp("api"), embedder)


@pytest.fixture(scope="module")
def server(api_assistant):
    from qa.api import create_app

    with LiveServer(create_app(api_assistant)) as url:
        yield url


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server, timeout=120) as client:
        yield client


def ask(http: httpx.Client, question: str, **body: object) -> dict:
    r = http.post("/api/ask", json={"question": question, **body})
    assert r.status_code == 200, r.text
    return r.json()


def highlighted(passage: dict, doc_text: str) -> str:
    s, e = passage["highlight"]
    return doc_text[s:e]


def assert_error(r: httpx.Response, status: int, *words: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str) and body["error"]
    for w in words:
        assert w.lower() in body["error"].lower(), body
    return body


# ---- service ---------------------------------------------------------------------------------------
def test_health(http):
    body = http.get("/api/health").json()
    assert body["ok"] is True and body["documents"] == 2 and body["passages"] > 10 and body["model"]


def test_openapi_and_docs_are_served_without_cdn(http):
    spec = http.get("/openapi.json").json()
    for path in ("/api/ask", "/api/documents", "/api/documents/{doc_id}", "/api/health"):
        assert path in spec["paths"], path
    assert {"get", "post"} <= set(spec["paths"]["/api/documents"]) and {"get", "delete"} <= set(spec["paths"]["/api/documents/{doc_id}"])
    assert "400" in spec["paths"]["/api/ask"]["post"]["responses"] and "422" not in json.dumps(spec["paths"])
    assert "413" in spec["paths"]["/api/documents"]["post"]["responses"]
    docs = http.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert not EXTERNAL.search(docs.text), EXTERNAL.findall(docs.text)
    for asset in re.findall(r"""(?:src|href)="(/[^"]+)""", docs.text):
        assert http.get(asset).status_code == 200, asset


def test_ui_page_references_no_external_host(http):
    page = http.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert not EXTERNAL.search(page.text), EXTERNAL.findall(page.text)


@pytest.mark.parametrize(("accept", "locale"), [("zh-HK,zh;q=0.9", "zh-TW"), ("zh-SG", "zh-CN"), ("fr-FR", "en"), (None, "en")])
def test_ui_page_tells_gradio_the_readers_locale(http, accept, locale):
    """Gradio picks its own strings' locale from navigator.language, knowing zh-CN and zh-TW only: the page starts
    with a script that hands it the locale of the interface language our rule picks (zh-HK reads 繁體)."""
    page = http.get("/", headers={"Accept-Language": accept} if accept else {})
    assert page.status_code == 200 and int(page.headers["content-length"]) == len(page.content)
    head = page.text[page.text.index("<head>"):page.text.index("</head>")]
    assert f"Object.defineProperty(navigator, 'language', {{value: \"{locale}\"" in head
    assert head.index("navigator, 'language'") < head.index('type="module"')  # before Gradio's own code runs


# ---- asking ----------------------------------------------------------------------------------------
def test_ask_returns_answer_to_dict(http, api_assistant):
    q = "What is the memory bandwidth of the H200?"
    body = ask(http, q, k=3)
    assert set(body) == ANSWER_KEYS
    assert len(body["passages"]) == 3 and all(set(p) == PASSAGE_KEYS for p in body["passages"])
    direct = api_assistant.ask(q, k=3).to_dict()
    for key in ANSWER_KEYS - {"timings_ms"}:
        assert body[key] == direct[key], key
    top = body["passages"][0]
    doc = http.get(f"/api/documents/{top['doc_id']}").json()
    assert "4.8TB/s" in highlighted(top, doc["text"])
    assert doc["text"][top["start"] : top["end"]] == top["text"]
    assert body["timings_ms"]["total"] > 0
    scores = [p["score"] for p in body["passages"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("question", "answer", "script"),
    [("中國外交部發言人是誰？", "郭嘉昆", "traditional"), ("美国对H200出口征收多少附加费？", "25%", "simplified")],
)
def test_ask_chinese(http, question, answer, script):
    body = ask(http, question, k=2)
    assert body["language"] == "zh" and body["script"] == script and not body["abstained"]
    top = body["passages"][0]
    doc = http.get(f"/api/documents/{top['doc_id']}").json()
    assert answer in highlighted(top, doc["text"])


def test_a_refusal_claims_no_confidence(http):
    """A refusal once reported the answer's confidence as its best card's (0.92 for tomorrow's weather in
    Beijing): the cards' confidence holds only if the library answers the question."""
    body = ask(http, "What will the weather be like in Beijing tomorrow?", k=3)
    assert body["abstained"] and body["confidence"] is None and body["passages"]
    answered = ask(http, "美国对H200出口征收多少附加费？", k=2)
    assert not answered["abstained"] and answered["confidence"] == max(p["confidence"] for p in answered["passages"]) > 0.5


@pytest.mark.parametrize(("target", "phrase", "nvidia"), [("traditional", "附加費", "英偉達"), ("hongkong", "附加費", "英偉達")])
def test_ask_target_script_takes_the_pages_choices_and_keeps_the_highlight_exact(http, target, phrase, nvidia):
    """target_script takes the page's script choices: each place's characters, the article's words (英伟达 stays
    英偉達, not Taiwan's 輝達), and highlight_converted holds exactly the converted answering sentence."""
    from qa.text.script import convert_pieces

    body = ask(http, "美国对H200出口征收多少附加费？", k=2, target_script=target)
    top = body["passages"][0]
    doc = http.get(f"/api/documents/{top['doc_id']}").json()
    s, e = top["highlight_converted"]
    assert top["text_converted"][s:e] == convert_pieces([highlighted(top, doc["text"])], target)[0]
    assert phrase in top["text_converted"][s:e] and "25%" in top["text_converted"][s:e]
    assert nvidia in top["text_converted"] and "輝達" not in top["text_converted"]
    for p in body["passages"]:
        assert p["text_converted"] and (p["highlight"] is None) == (p["highlight_converted"] is None)
    plain = ask(http, "美国对H200出口征收多少附加费？", k=1)["passages"]
    assert all(p["text_converted"] is None and p["highlight_converted"] is None for p in plain)


def test_ask_bad_target_script_lists_the_valid_ones(http):
    body = assert_error(http.post("/api/ask", json={"question": "H200", "target_script": "taiwan"}), 400)
    assert "simplified, traditional, hongkong" in body["error"] and "'taiwan'" in body["error"]


def test_ask_default_k(http, api_assistant):
    assert len(ask(http, "H200")["passages"]) == api_assistant.settings.k


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"question": ""}, ["question"]),
        ({"question": "   \n\t "}, ["question"]),
        ({"question": "？？！！"}, ["question"]),
        ({}, ["question", "required"]),
        ({"question": "H200", "k": 0}, ["k"]),
        ({"question": "H200", "k": 51}, ["k"]),
        ({"question": "H200", "k": "many"}, ["k"]),
        ({"question": "H200", "k": "3"}, ["k"]),  # taken as 3 here while the Python API refused it
        ({"question": "H200", "k": 2.0}, ["k"]),
        ({"question": 42}, ["question"]),
        ({"question": "H200", "target_script": "klingon"}, ["target_script"]),
        ({"question": "H200", "date_from": "2025-13-01"}, ["date_from", "YYYY-MM-DD", "2025-13-01"]),
        ({"question": "H200", "date_to": "last week"}, ["date_to", "YYYY-MM-DD"]),
        ({"question": "H200", "date_from": "2025-12-31", "date_to": "2025-01-01"}, ["after date_to"]),
        ({"question": "H200", "sources": "Euronews"}, ["sources"]),
    ],
)
def test_ask_bad_requests_are_400(http, body, words):
    assert_error(http.post("/api/ask", json=body), 400, *words)


def test_ask_filters_by_date_source_and_document(http):
    dated = ask(http, "英伟达H200出口需要什么条件？", k=4, date_from="2025-12-01", date_to="2025-12-31")
    assert dated["passages"] and {p["date"] for p in dated["passages"]} == {"2025-12-10"}  # the undated article is out
    assert dated["filters"] == {"date_from": "2025-12-01", "date_to": "2025-12-31", "sources": [], "doc_ids": []}
    assert dated["undated_left_out"] == 1  # the undated Euronews article: counted, not silently gone
    # said in the question's language, as the message is, whatever the client's Accept-Language (qa ask prints it)
    assert dated["notices"] == ["因设定日期而未参与检索的无日期文章：1 篇（不设日期再问即可包括它们）。"]
    english = ask(http, "What does the H200 need to be exported?", k=2, date_from="2025-12-01")
    assert english["notices"] == ["Articles without a date left out by the date filter: 1 (ask without dates to include them)."]
    euronews = ask(http, "英伟达H200出口需要什么条件？", k=4, sources=["Euronews"])
    assert euronews["undated_left_out"] == 0 and euronews["notices"] == []  # no date bound
    assert len(euronews["passages"]) == 4 and {p["source"] for p in euronews["passages"]} == {"Euronews"}
    one = ask(http, "H200", k=3, doc_ids=["h200-conditional-release-25pct.zh-hant"])
    assert {p["doc_id"] for p in one["passages"]} == {"h200-conditional-release-25pct.zh-hant"}
    none = ask(http, "H200", date_from="2030-01-01")
    assert none["no_match"] and none["passages"] == [] and "No document matches the filters" in none["message"]


def test_bad_date_reads_in_the_readers_language(http):
    r = http.post("/api/ask", json={"question": "H200", "date_from": "2025-02-30"}, headers={"Accept-Language": "zh-TW"})
    assert "必須是 YYYY-MM-DD" in assert_error(r, 400)["error"]


@pytest.mark.parametrize(("name", "data", "hant", "hans"), [
    ("empty.txt", b"", "empty.txt：檔案裡沒有文字", "empty.txt：文件里没有文字"),
    ("binary.txt", b"\x00\x01\x02" * 50, "看起來是二進位檔案", "看起来是二进制文件"),
    ("notes.xyz", b"text", "不支援的檔案類型", "不支持的文件类型"),
])
def test_upload_refusals_read_wholly_in_the_readers_language(http, name, data, hant, hans):
    """They read "無法讀取這個檔案（empty.txt: the file holds no text）。": a Chinese frame around the English reason."""
    for accept, expected in (("zh-TW", hant), ("zh-CN", hans)):
        said = http.post("/api/documents", files={"file": (name, data, "text/plain")},
                         headers={"Accept-Language": accept}).json()["error"]
        assert expected in said and not re.search(r"[a-z]{4,} [a-z]{3,}", said.replace(name, "")), said
    english = http.post("/api/documents", files={"file": (name, data, "text/plain")}).json()["error"]
    assert english.startswith(name) and not re.search(r"[\u4e00-\u9fff]", english)


def test_a_misspelt_field_is_refused_naming_the_fields(http):
    """{"date_form": ...} (a typo of date_from) came back 200 with filters null: the whole library searched."""
    said = assert_error(http.post("/api/ask", json={"question": "H200", "date_form": "2030-01-01"}), 400,
                        "date_form", "unknown field", "date_from")["error"]
    assert "question, k, target_script" in said


@pytest.mark.parametrize(("body", "hant"), [
    ({}, "question：必須提供"),
    ({"question": "H200", "k": 0}, "k：至少為 1，收到 0"),
    ({"question": "H200", "k": 51}, "k：最多為 50，收到 51"),
    ({"question": "H200", "k": "many"}, "k：必須是整數，收到 \"many\""),
    ({"question": "H200", "sources": "Euronews"}, "sources：必須是清單"),
    ({"question": "H200", "date_form": "2030-01-01"}, "date_form：未知欄位"),
    ({"question": "H200", "k": True}, "k：必須是整數，收到 true"),  # was taken as k = 1
    ([], "請求本文必須是 JSON 物件"),  # was pydantic's English
])
def test_field_problems_read_wholly_in_the_readers_language(http, body, hant):
    """They read "請求無效：question: Field required": pydantic's English inside a Chinese frame."""
    said = assert_error(http.post("/api/ask", json=body, headers={"Accept-Language": "zh-TW"}), 400)["error"]
    assert hant in said and not re.search(r"[A-Za-z]{4,} [a-z]{3,}", said), said
    two = assert_error(http.post("/api/ask", json={"k": 0}, headers={"Accept-Language": "zh-TW"}), 400)["error"]
    assert "；" in two and "; " not in two, two  # two problems, joined as Chinese text joins them


def test_ask_malformed_json_is_400(http):
    r = http.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert_error(r, 400, "JSON")


# ---- documents -------------------------------------------------------------------------------------
def test_list_and_get_documents(http):
    docs = http.get("/api/documents").json()
    assert len(docs) == 2
    assert {"doc_id", "title", "date", "script", "language", "path", "passages", "characters"} <= set(docs[0])
    assert {d["script"] for d in docs} == {"simplified", "traditional"}
    one = http.get(f"/api/documents/{docs[0]['doc_id']}").json()
    assert one["title"] == docs[0]["title"] and len(one["text"]) == docs[0]["characters"] and one["passages"] == docs[0]["passages"]


def test_unknown_document_is_404(http):
    assert_error(http.get("/api/documents/no-such-doc"), 404, "no-such-doc")
    assert_error(http.delete("/api/documents/no-such-doc"), 404, "no-such-doc")


def test_unknown_api_route_is_404_json(http):
    assert_error(http.get("/api/nothing-here"), 404)


def test_upload_ask_get_delete(http):
    r = http.post("/api/documents", files={"file": ("mars-cafe.txt", ARTICLE.encode(), "text/plain")})
    assert r.status_code == 201, r.text
    doc = r.json()["document"]
    assert doc["doc_id"] == "mars-cafe" and doc["title"] == "火星咖啡馆开业" and doc["passages"] >= 1
    assert "mars-cafe" in {d["doc_id"] for d in http.get("/api/documents").json()}
    stored = http.get("/api/documents/mars-cafe").json()
    assert "<script>alert('xss')</script>" in stored["text"]  # stored and returned as text, unchanged

    body = ask(http, "火星咖啡馆的招牌饮料是什么？", k=3)
    top = body["passages"][0]
    assert top["doc_id"] == "mars-cafe" and "红色沙尘拿铁" in highlighted(top, stored["text"])

    r = http.delete("/api/documents/mars-cafe")
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["deleted"]["doc_id"] == "mars-cafe"
    assert "mars-cafe" not in {d["doc_id"] for d in http.get("/api/documents").json()}
    assert all(p["doc_id"] != "mars-cafe" for p in ask(http, "火星咖啡馆的招牌饮料是什么？", k=5)["passages"])
    assert_error(http.get("/api/documents/mars-cafe"), 404)


def test_uploading_an_article_already_indexed_is_200_unchanged(http, api_assistant):
    """The same file again was answered 201 Created (and re-embedded, the store committing a new generation), as if
    something new had been added; `qa add` and the page call it unchanged."""
    file = {"file": ("mars-cafe-again.txt", ARTICLE.encode(), "text/plain")}
    first = http.post("/api/documents", files=file)
    assert first.status_code == 201, first.text
    stored = api_assistant.settings.docs_dir / "mars-cafe-again.txt"
    generation, inode = api_assistant.view.manifest["generation"], stored.stat().st_ino
    try:
        again = http.post("/api/documents", files=file)
        assert again.status_code == 200, again.text
        body = again.json()
        assert body["ok"] is True and body["document"] == first.json()["document"]  # the same id, the same summary
        assert first.json()["outcome"] == "added" and first.json()["message"] == "Added: 火星咖啡馆开业 (mars-cafe-again)"
        assert body["outcome"] == "unchanged" and body["message"] == "Unchanged: 火星咖啡馆开业 (mars-cafe-again)"
        assert api_assistant.view.manifest["generation"] == generation  # nothing re-indexed
        assert stored.stat().st_ino == inode  # nor the file written again
        zh = http.post("/api/documents", files=file, headers={"Accept-Language": "zh-TW"})
        assert zh.status_code == 200 and zh.json()["message"] == "未變更：火星咖啡馆开业（mars-cafe-again）"
        # a changed version under that name is a replace, and is said so
        changed = http.post("/api/documents", files={"file": ("mars-cafe-again.txt", ARTICLE.replace("42", "45").encode(), "text/plain")})
        assert changed.status_code == 201 and changed.json()["outcome"] == "replaced", changed.text
        assert api_assistant.view.manifest["generation"] != generation
    finally:
        assert http.delete("/api/documents/mars-cafe-again").status_code == 200


def test_upload_unsupported_type_is_415(http):
    assert_error(http.post("/api/documents", files={"file": ("report.doc", b"\xd0\xcf\x11\xe0", "application/msword")}), 415, "unsupported")
    assert_error(http.post("/api/documents", files={"file": ("report.pdf", b"%PDF-1.4 ...", "application/pdf")}), 415, "not a readable PDF")
    assert_error(http.post("/api/documents", files={"file": ("blob.txt", b"\x00\x01\x02binary", "text/plain")}), 415)
    assert len(http.get("/api/documents").json()) == 2


def test_upload_without_file_is_400(http):
    assert_error(http.post("/api/documents", data={"nothing": "here"}), 400, "file")


def test_upload_over_limit_is_413(http, api_assistant):
    limit = api_assistant.settings.max_upload_bytes
    # just over the limit: the body is read and the file measured
    r = http.post("/api/documents", files={"file": ("big.txt", b"a" * (limit + 10), "text/plain")})
    assert_error(r, 413, f"{limit + 10:,} bytes is over the limit")  # its real size, not the bytes read
    # far over: refused by Content-Length before the body is read
    r = http.post("/api/documents", files={"file": ("huge.txt", b"a" * (limit + 200_000), "text/plain")})
    assert_error(r, 413, "huge.txt is too large")
    assert len(http.get("/api/documents").json()) == 2


def too_large(name: str, limit: int) -> str:
    return (f"{name} is too large: the largest file accepted is {limit / 1e6:g} MB ({limit:,} bytes). Split it into "
            "smaller files and upload each, or ask the server's administrator to raise the limit (setting max_upload_bytes)")


@pytest.mark.parametrize("accept", [None, "zh-TW"])
def test_a_refused_upload_tells_the_largest_file_accepted_not_the_request_size(http, api_assistant, accept):
    """Refused by its Content-Length, an upload was told "the upload of 5,200,169 bytes is over the limit": the
    multipart request's size, a number the user never chose (their file was 5,200,000 bytes)."""
    limit = api_assistant.settings.max_upload_bytes
    name = "huge.txt" if accept is None else "大檔案.txt"
    r = http.post("/api/documents", files={"file": (name, b"a" * (limit + 200_000), "text/plain")},
                  headers={"Accept-Language": accept} if accept else {})
    error = assert_error(r, 413)["error"]
    sent = int(r.request.headers["content-length"])
    assert f"{sent:,}" not in error and str(sent) not in error and "upload of" not in error
    if accept is None:
        assert error == too_large(name, limit)
    else:
        assert error == (f"大檔案.txt：檔案太大，可接受的最大檔案為 {limit / 1e6:g} MB（{limit:,} 位元組）。"
                         "請分割成較小的檔案分別上傳，或請伺服器管理員調高上限（設定 max_upload_bytes）")


def test_upload_content_length_checked_before_body(server, api_assistant):
    """A client announcing a huge body gets 413 at once, without sending it."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(
            b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 900000000\r\n\r\n"
        )
        t0 = time.monotonic()
        reply = b""
        while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
    assert body["status"] == 413 and body["error"] == too_large("This file", api_assistant.settings.max_upload_bytes), body
    assert time.monotonic() - t0 < 10


def test_a_client_that_waits_for_continue_is_told_which_file(server, api_assistant):
    """curl sends `Expect: 100-continue` with a large body and waits: it got the refusal without the file name."""
    limit = api_assistant.settings.max_upload_bytes
    host, port = server.removeprefix("http://").split(":")
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="scan-60mb.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                  b"Expect: 100-continue\r\nContent-Length: 60000000\r\n\r\n")
        assert s.recv(65536).startswith(b"HTTP/1.1 100")  # go on: the server asks for the first bytes only
        s.sendall(head + b"%PDF-1.7 " + b"0" * 4096)
        reply = b""
        while not reply.rstrip().endswith(b"}"):
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert json.loads(reply.split(b"\r\n\r\n", 1)[1])["error"] == too_large("scan-60mb.pdf", limit), reply


def test_chunked_upload_over_limit_is_413(http, api_assistant):
    limit = api_assistant.settings.max_upload_bytes

    def body():
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="c.txt"\r\nContent-Type: text/plain\r\n\r\n'
        for _ in range(limit // 65536 + 4):
            yield b"a" * 65536
        yield b"\r\n--b--\r\n"

    r = http.post("/api/documents", content=body(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.json()["error"] == too_large("c.txt", limit) and assert_error(r, 413)


# ---- the Gradio endpoints, through gradio_client -----------------------------------------------------
def test_gradio_client_ask_and_documents(server, capfd):
    from gradio_client import Client

    client = Client(server + "/", verbose=False)
    body = client.predict(question="中國外交部發言人是誰？", k=2, target_script="simplified", api_name="/ask")
    assert set(body) == ANSWER_KEYS and body["language"] == "zh" and len(body["passages"]) == 2
    assert body["passages"][0]["text_converted"] and "郭嘉昆" in body["passages"][0]["text"]
    docs = client.predict(api_name="/documents")
    assert len(docs) == 2 and {"doc_id", "title", "passages"} <= set(docs[0])
    with pytest.raises(Exception, match="question"):
        client.predict(question="  ", api_name="/ask")
    filtered = client.predict(question="英伟达H200出口需要什么条件？", k=3, target_script="", date_from="2025-12-01",
                              date_to="", sources=[], doc_ids=[], api_name="/ask")
    assert filtered["passages"] and {p["date"] for p in filtered["passages"]} == {"2025-12-10"}
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        client.predict(question="H200", date_from="12/01/2025", api_name="/ask")
    assert "Traceback" not in capfd.readouterr().err  # a caller's mistake is said to the caller, not logged as a crash


def test_a_json_body_sent_as_text_is_told_the_header_not_shown_its_bytes(http):
    # a browser fetch sends text/plain by default: the error showed the body as Python bytes, b'{"question"...}'
    r = http.post("/api/ask", content=b'{"question": "H200"}', headers={"Content-Type": "text/plain"})
    body = assert_error(r, 400, "Content-Type: application/json", "text/plain")
    assert "b'" not in body["error"]
    zh = http.post("/api/ask", content=b'{"question": "H200"}', headers={"Accept-Language": "zh-TW"})
    assert "請以 JSON 傳送請求本文" in assert_error(zh, 400)["error"]
    # a body that is not UTF-8 got FastAPI's English "There was an error parsing the body" whatever was asked
    latin1 = '{"question": "caf\xe9"}'.encode("latin-1")
    unreadable = http.post("/api/ask", content=latin1, headers={"Content-Type": "application/json", "Accept-Language": "zh-TW"})
    assert "UTF-8" in assert_error(unreadable, 400)["error"] and "無法讀取" in unreadable.json()["error"]


def test_an_upload_of_two_files_is_refused_whole(http):
    # the first of two parts named "file" was dropped without a word and the second indexed
    files = [("file", ("first.txt", "First article\n\nAlpha Beta Gamma wrote this one.\n".encode(), "text/plain")),
             ("file", ("second.txt", "Second article\n\nDelta Epsilon wrote this one.\n".encode(), "text/plain"))]
    assert_error(http.post("/api/documents", files=files), 400, "one file per request", "2")
    listed = {d["doc_id"] for d in http.get("/api/documents").json()}
    assert not {"first", "second"} & listed
