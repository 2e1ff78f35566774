"""HTTP API: FastAPI routes beside the Gradio page, each one call to Assistant, errors as one JSON shape."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from .assistant import Assistant


def create_app(assistant: Assistant, *, with_ui: bool = True) -> FastAPI:
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel, Field

    from .errors import QAError

    app = FastAPI(title="News QA", description="Multilingual question answering over news articles with citations.")

    class AskRequest(BaseModel):
        question: str = Field(..., description="question in English, 简体 or 繁體")
        k: int = Field(5, ge=1, le=50)
        target_script: str | None = Field(None, description="'simplified' or 'traditional': also return passages converted")

    @app.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError) -> JSONResponse:
        return JSONResponse({"ok": False, "error": str(exc), "status": exc.status}, status_code=exc.status)

    @app.post("/api/ask")
    def ask(req: AskRequest) -> dict:
        return assistant.ask(req.question, k=req.k, target_script=req.target_script).to_dict()

    @app.get("/api/health")
    def health() -> dict:
        return assistant.health()

    @app.get("/api/documents")
    def documents() -> list[dict]:
        return assistant.documents()

    if with_ui:
        import gradio as gr

        from .ui import CSS, build_ui

        app = gr.mount_gradio_app(app, build_ui(assistant), path="/", css=CSS)
    return app
