"""HTTP API: FastAPI routes beside the Gradio page, each one call to Assistant, errors as one JSON shape.

    POST   /api/ask                 {question, k?, target_script?, date_from?, date_to?, sources?, doc_ids?} → Answer.to_dict()
    GET    /api/documents           → [{doc_id, title, date, script, language, path, passages, characters}]
    POST   /api/documents           multipart field ``file`` → 201 {ok, document, outcome, message}; 200 when the same
                                     article is already indexed under that name (outcome "unchanged": nothing re-indexed)
    GET    /api/documents/{doc_id}  → the document's text and metadata
    DELETE /api/documents/{doc_id}  → {ok, deleted}   (the file goes to the trash)
    GET    /api/trash               → deleted documents that can be restored
    POST   /api/trash/{trash_id}/restore → {ok, restored}   (trash_id: an entry's trash_id, or the doc id for its latest)
    GET    /api/health              → {ok, documents, passages, model, index_created_at, skipped}

Every error is ``{"ok": false, "error": message, "status": code}`` with that HTTP status, in English unless the
request's ``Accept-Language`` asks for 简体 or 繁體 (``qa.messages``); a wrong method is 405 with ``Allow``.
Writes need ``Authorization: Bearer <admin_token>`` when one is set, reads the read token (``qa.access``).
OpenAPI at /docs and /openapi.json, served without any CDN.
"""
import asyncio
import dataclasses
import json
import re
from functools import partial
from pathlib import PurePath
from urllib.parse import unquote
from typing import TYPE_CHECKING, Any

from .errors import error_body  # the one error shape, shared with `qa ... --json`

if TYPE_CHECKING:
    from fastapi import FastAPI

    from .assistant import Assistant

UPLOAD_PATH = "/api/documents"
MULTIPART_SLACK = 64 * 1024  # room for the multipart boundary and part headers around the file itself
_FILENAME = re.compile(rb"filename\*=(?:UTF-8|utf-8)''([^;\r\n]{1,1024})|filename=\"([^\"\r\n]{1,1024})\"")


def upload_name(head: bytes) -> str:
    """The file name a multipart body's first part header gives (``filename*=UTF-8''...`` or ``filename="..."``),
    or "" when the bytes read so far hold none."""
    m = _FILENAME.search(head[:16384])
    if m is None:
        return ""
    raw = unquote(m.group(1).decode("latin-1"), "utf-8", "replace") if m.group(1) else m.group(2).decode("utf-8", "replace")
    return PurePath(raw.replace("\\", "/")).name


PAGE_UPLOAD_FACTOR = 20  # what the page's uploader takes (Gradio's max_file_size), in max_upload_bytes


class UploadLimit:
    """ASGI middleware: refuse an upload bigger than the limit before reading it (Content-Length), or as soon as
    the bytes received pass the limit (chunked uploads), with a 413 JSON error.

    ``max_file_bytes``: the largest file accepted (setting max_upload_bytes), what the refusal tells the user; the
    request may be ``MULTIPART_SLACK`` bigger, and a file within that slack is measured by ``add_document``."""

    def __init__(self, app: Any, max_file_bytes: int) -> None:
        self.app = app
        self.max_file_bytes = max_file_bytes
        self.limit = max_file_bytes + MULTIPART_SLACK

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != UPLOAD_PATH:
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            # Name the file from its part header, the body's first bytes (asking for them sends a client that
            # waits, Expect: 100-continue as curl does, its "100 Continue"); one that sends nothing within seconds
            # is answered without the name. Only those bytes are read, never the body.
            head = await _upload_head(receive, 16384, seconds=5.0)
            await self._too_large(scope, send, name=upload_name(head))
            return
        # No (or a small) Content-Length: read the body here, counting, so a lying or chunked client is cut off too.
        chunks, size, more, head = [], 0, True, b""
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            head += chunk[:max(0, 16384 - len(head))]  # where the file name is, however the body was cut
            if size > self.limit:
                await self._too_large(scope, send, name=upload_name(head))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: dict, send: Any, *, name: str = "") -> None:
        """413 naming the file (when its part header was read), the largest file accepted and what to do. Not the
        request's size: that is the file plus multipart framing, which the user never sees."""
        from .messages import megabytes, pick_language, t

        lang = pick_language(dict(scope["headers"]).get(b"accept-language", b"").decode("latin-1"))
        message = t("http.too_large", lang, name=name or t("http.too_large.unnamed", lang),
                    mb=megabytes(self.max_file_bytes), limit=f"{self.max_file_bytes:,}")
        # written as FastAPI writes every other error (compact), so clients see one shape
        payload = json.dumps(error_body(message, 413), ensure_ascii=False, separators=(",", ":")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


async def _upload_head(receive: Any, limit: int, *, seconds: float) -> bytes:
    """The request body's first bytes, up to the file name's part header or about ``limit`` bytes, as they arrive
    within ``seconds`` (the server hands the body over in pieces of any size)."""
    head = b""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while len(head) < limit and not _FILENAME.search(head):
        try:
            message = await asyncio.wait_for(receive(), timeout=max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            break
        head += message.get("body", b"")
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    return head


# pydantic's error types a client can make, each a catalogue entry (its own English "Field required" inside a
# Chinese frame read half translated); any other type keeps pydantic's words
_FIELD_PROBLEMS = {"missing": "http.field.missing", "extra_forbidden": "http.field.extra",
                   "greater_than_equal": "http.field.at_least", "less_than_equal": "http.field.at_most",
                   "int_parsing": "http.field.int", "int_type": "http.field.int", "int_from_float": "http.field.int",
                   "string_type": "http.field.text", "list_type": "http.field.list", "json_invalid": "http.field.json",
                   "model_attributes_type": "http.field.object", "model_type": "http.field.object",
                   "dict_type": "http.field.object"}


def field_problem(err: dict, lang: str, fields: str) -> str:
    """One request validation error (pydantic's dict) as a sentence in the reader's language."""
    from .messages import t

    field = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")) or "request"
    ctx = err.get("ctx") or {}
    key = _FIELD_PROBLEMS.get(str(err.get("type")))
    if key is None:
        return f"{field}: {err.get('msg', 'invalid')}"
    value = json.dumps(err.get("input"), ensure_ascii=False, default=str)
    return t(key, lang, field=field, fields=fields or "—", value=value[:60] + ("…" if len(value) > 60 else ""),
             limit=ctx.get("ge", ctx.get("le", "")), detail=ctx.get("error", "parse error"))


def create_app(assistant: "Assistant", *, with_ui: bool = True) -> "FastAPI":
    from fastapi import File, Request, UploadFile
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from fastapi_offline import FastAPIOffline
    from pydantic import BaseModel, ConfigDict, Field, field_validator
    from pydantic_core import PydanticCustomError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from starlette.routing import Match

    from .access import check_request
    from .errors import BadRequest, QAError
    from .messages import error_message, pick_language, t

    app = FastAPIOffline(
        title="News QA · 新闻问答",
        description="Multilingual (English / 简体 / 繁體) question answering over news articles, with cited passages.",
        version="1",
        swagger_ui_parameters={"validatorUrl": None},
    )
    max_bytes = assistant.settings.max_upload_bytes
    app.add_middleware(UploadLimit, max_file_bytes=max_bytes)

    def reader(request: Request) -> str:
        """The language of error messages: English unless Accept-Language asks for Chinese."""
        return pick_language(request.headers.get("accept-language"))

    @app.middleware("http")  # added after UploadLimit, so it runs first: a refused upload is never read
    async def access(request: Request, call_next: Any) -> Any:
        settings = assistant.settings
        try:
            check_request(request.method, request.url.path, request.headers.get("authorization"),
                          settings.admin_token, settings.read_token)
        except QAError as exc:
            headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
            return JSONResponse(error_body(error_message(exc, reader(request)), exc.status), status_code=exc.status,
                                headers=headers)
        return await call_next(request)

    class AskRequest(BaseModel):
        # a misspelt filter ("date_form") was ignored and the answer came back unfiltered, with 200
        model_config = ConfigDict(extra="forbid")

        question: str = Field(..., description="question in English, 简体 or 繁體", examples=["What is the memory bandwidth of the H200?"])
        k: int | None = Field(None, ge=1, le=assistant.settings.max_k, description=f"passages to return (default {assistant.settings.k})")
        target_script: str | None = Field(
            None, description="'simplified', 'traditional' (Taiwan's characters) or 'hongkong': also return each passage "
                              "converted (text_converted; its highlight at highlight_converted)"
        )
        date_from: str | None = Field(None, description="cite only articles dated on or after this day, YYYY-MM-DD "
                                      "(undated articles are left out under any date bound)", examples=["2025-12-01"])
        date_to: str | None = Field(None, description="cite only articles dated on or before this day, YYYY-MM-DD")
        sources: list[str] | None = Field(None, description="cite only articles from these sources (publisher or site)")
        doc_ids: list[str] | None = Field(None, description="cite only these documents (ids as in GET /api/documents)")

        @field_validator("k", mode="before")
        @classmethod
        def _k_not_a_truth_value(cls, v: object) -> object:
            # JSON true, "3" and 2.0 are no count (pydantic's lax mode took them as 1, 3 and 2, where the Python API
            # refuses them): a count is a JSON integer
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                raise PydanticCustomError("int_type", "Input should be a valid integer")
            return v

    class ErrorBody(BaseModel):
        ok: bool = Field(False)
        error: str = Field(..., description="what was wrong and how to fix it")
        status: int = Field(..., description="the HTTP status, repeated")

    def errors(*codes: int) -> dict:
        return {code: {"model": ErrorBody} for code in codes}

    # ---- errors: one JSON shape everywhere under /api ---------------------------------------------
    @app.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError) -> JSONResponse:
        return JSONResponse(error_body(error_message(exc, reader(request)), exc.status), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = reader(request)
        content_type = request.headers.get("content-type", "")
        if request.url.path == "/api/ask" and "json" not in content_type.lower():
            message = t("http.invalid", lang, detail=t("http.not_json", lang, content_type=content_type or "-"))
            return JSONResponse(error_body(message, 400), status_code=400)
        fields = ", ".join(AskRequest.model_fields) if request.url.path == "/api/ask" else ""
        problems = [field_problem(err, lang, fields) for err in exc.errors()]
        message = t("http.invalid", lang, detail=("; " if lang == "en" else "；").join(problems))
        return JSONResponse(error_body(message, 400), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = str(exc.detail)
        if exc.status_code == 400 and detail == "There was an error parsing the body":  # FastAPI's words for it
            detail = t("http.invalid", reader(request), detail=t("http.unreadable", reader(request)))
        return JSONResponse(error_body(detail, exc.status_code), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        message = t("http.internal", reader(request), detail=f"{type(exc).__name__}: {exc}")
        return JSONResponse(error_body(message, 500), status_code=500)

    # ---- routes ---------------------------------------------------------------------------------
    @app.post("/api/ask", tags=["ask"], summary="Answer a question with cited passages", responses=errors(400))
    def ask(req: AskRequest) -> dict:
        return assistant.ask(req.question, k=req.k, target_script=req.target_script, date_from=req.date_from,
                             date_to=req.date_to, sources=req.sources, doc_ids=req.doc_ids).to_dict()

    @app.get("/api/health", tags=["service"], summary="Index and model status")
    def health() -> dict:
        return assistant.health()

    @app.get("/api/documents", tags=["documents"], summary="List indexed articles")
    def documents() -> list[dict]:
        return assistant.documents()

    unchanged_response = {"description": "The same article is already indexed under this file name: nothing was "
                                          "written or re-indexed (outcome \"unchanged\")"}

    @app.post("/api/documents", tags=["documents"], status_code=201, summary="Upload an article (.pdf, .docx, .html, .md, .txt)",
              responses={200: unchanged_response, **errors(400, 413, 415)})
    async def upload(request: Request, file: UploadFile = File(..., description=".pdf (with a text layer), .docx, saved web page .html/.htm, .md/.markdown, .txt (UTF-8, GB18030, Big5 or UTF-16)")) -> Any:  # noqa: B008
        parts = len((await request.form()).getlist("file"))  # the form FastAPI parsed for ``file``, not read again
        if parts > 1:
            raise BadRequest.keyed("upload.one_file", count=parts)
        data = await file.read(max_bytes + 1)  # one byte over is enough for add_document to refuse it
        # with the spooled upload's real size: the refusal names it, not the bytes read
        outcome = await _in_thread(partial(assistant.add_upload, size=file.size), file.filename or "", data)
        # outcome and message as the page's line for the file says them (added / replaced / unchanged)
        kind = "unchanged" if outcome.unchanged else outcome.status
        message = t(_OUTCOME_MESSAGES[kind], reader(request), title=outcome.title or "", doc_id=outcome.doc_id or "")
        body = {"ok": True, "document": _summary(assistant, outcome.doc_id or ""), "outcome": kind, "message": message}
        # 201 says something was created; a file already indexed as it is created nothing
        return JSONResponse(body, status_code=200) if outcome.unchanged else body

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One article: text and metadata", responses=errors(404))
    def document(doc_id: str) -> dict:
        doc = assistant.document(doc_id)
        return {**dataclasses.asdict(doc), "passages": _summary(assistant, doc_id)["passages"]}

    @app.delete("/api/documents/{doc_id}", tags=["documents"], summary="Remove an article from the index", responses=errors(404))
    def delete(doc_id: str) -> dict:
        doc = assistant.delete_document(doc_id)
        return {"ok": True, "deleted": {"doc_id": doc.doc_id, "title": doc.title, "path": doc.path}}

    @app.get("/api/trash", tags=["documents"], summary="Deleted articles that can be restored")
    def trash() -> list[dict]:
        return assistant.trash()

    @app.post("/api/trash/{doc_id}/restore", tags=["documents"], summary="Undo a delete: the article and its metadata come back",
              responses=errors(400, 404))
    async def restore(doc_id: str) -> dict:
        doc = await _in_thread(assistant.restore_document, doc_id)
        return {"ok": True, "restored": _summary(assistant, doc.doc_id)}

    @app.api_route("/api/{rest:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
                   include_in_schema=False)
    def unknown(rest: str, request: Request) -> JSONResponse:
        """No route for this path and method: 405 with Allow when the path exists for other methods, else 404."""
        allowed: set[str] = set()
        for route in app.router.routes:
            if route is not unknown_route and route.matches(request.scope)[0] == Match.PARTIAL:
                allowed |= set(getattr(route, "methods", None) or ())
        lang = reader(request)
        if allowed:
            allow = ", ".join(sorted(allowed))
            message = t("http.method_not_allowed", lang, method=request.method, path=request.url.path, allowed=allow)
            return JSONResponse(error_body(message, 405), status_code=405, headers={"Allow": allow})
        return JSONResponse(error_body(t("http.no_route", lang, path=request.url.path), 404), status_code=404)

    unknown_route = app.router.routes[-1]

    generate_openapi = app.openapi

    def openapi() -> dict:
        """FastAPI's schema, less the 422 responses it documents by default: validation errors here are 400."""
        if app.openapi_schema is None:
            schema = generate_openapi()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    if with_ui:
        import gradio as gr

        from .access import same
        from .ui import CSS, PAGE_HEAD, PAGE_JS, GradioLocale, build_ui, gradio_i18n

        def page_login(user: str, password: str) -> bool:
            """With a read token set, the page asks for it (as the password) before showing anything."""
            tokens = [tok for tok in (assistant.settings.read_token, assistant.settings.admin_token) if tok]
            return any(same(password, tok) for tok in tokens)

        # Gradio's own limit sits well above ours: at ours, it refused a file a little too large in the browser,
        # in an English toast ("4.8 Mb"), and dropped the whole batch with it; the page's upload refuses each file
        # over max_upload_bytes by name, in the reader's language, and adds the rest. The footer links to the API
        # docs only: Gradio's settings panel is English whatever the locale (its theme, app install and screen
        # recording texts are not in its translations) and its own language choice disagreed with the page's
        app = gr.mount_gradio_app(
            app, build_ui(assistant), path="/", css=CSS, js=PAGE_JS, head=PAGE_HEAD, server_name="127.0.0.1",
            max_file_size=PAGE_UPLOAD_FACTOR * max_bytes, footer_links=["api"],
            auth=page_login if assistant.settings.read_token else None,
            auth_message="Enter the read token as the password · 请输入读取令牌作为密码 · 請輸入讀取權杖作為密碼",
            i18n=gradio_i18n(),
        )
        app.add_middleware(GradioLocale, path="/")  # Gradio's own strings in the reader's language, login page too
    return app


_OUTCOME_MESSAGES = {"added": "status.added", "replaced": "status.replaced", "unchanged": "status.unchanged"}


def _summary(assistant: "Assistant", doc_id: str) -> dict:
    for d in assistant.documents():
        if d["doc_id"] == doc_id:
            return d
    return {"doc_id": doc_id, "passages": 0}


async def _in_thread(fn: Any, *args: Any) -> Any:
    """Run a blocking Assistant call off the event loop (indexing takes seconds)."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)
