"""Start the web UI and HTTP API: python app.py [--host 127.0.0.1] [--port 7860] [--docs DIR] [--index DIR]."""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--docs", help="folder of source articles (default docs_src/)")
    parser.add_argument("--index", help="index folder (default index/)")
    parser.add_argument("--model", help="embedding model folder (default: bundled multilingual-e5-small)")
    args = parser.parse_args()

    import uvicorn

    from qa.api import create_app
    from qa.assistant import Assistant
    from qa.settings import Settings

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: binding {args.host} makes the page, uploads and deletes reachable from other machines (no login)")
    assistant = Assistant.open(Settings.load(docs_dir=args.docs, index_dir=args.index, model=args.model))
    warm_s = assistant.warm_up()  # so the first visitor's question does not pay ~1 s of one-time loading
    print(f"News QA: {len(assistant.data.documents)} documents, {len(assistant.data.chunks)} passages, "
          f"warmed up in {warm_s} s — http://{args.host}:{args.port}/")
    uvicorn.run(create_app(assistant), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
