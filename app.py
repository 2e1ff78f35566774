"""Start the web UI and HTTP API: python app.py [--host 127.0.0.1] [--port 7860] [--docs DIR] [--index DIR] [--insecure].

Beyond loopback (--host 0.0.0.0) it needs an admin token for writes (QA_ADMIN_TOKEN) or --insecure."""
from __future__ import annotations

import argparse

from qa.process import apply_defaults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--docs", help="folder of source articles (default docs_src/)")
    parser.add_argument("--index", help="index folder (default index/)")
    parser.add_argument("--model", help="embedding model folder (default: bundled multilingual-e5-small)")
    parser.add_argument("--store", help="local (default), a Milvus Lite folder or http(s)://host:port shared by several app processes (env QA_STORE)")
    parser.add_argument("--insecure", action="store_true",
                        help="serve beyond loopback without an admin token (only behind another layer that guards writes)")
    parser.add_argument("--setting", nargs=2, action="append", metavar=("NAME", "VALUE"), help="override a setting (see `qa settings`)")
    args = parser.parse_args()
    apply_defaults()  # before gradio, torch or faiss load: offline hubs, no analytics, passive OpenMP waits

    from qa.access import check_listen, is_loopback, listen_socket
    from qa.errors import QAError
    from qa.settings import Settings, parse_pairs

    try:  # settings and the address first (bound now): a refusal comes before seconds of loading the model
        settings = Settings.load(docs_dir=args.docs, index_dir=args.index, model=args.model, store=args.store,
                                 **parse_pairs(args.setting))
        check_listen(args.host, settings.admin_token, insecure=args.insecure)
        sock = listen_socket(args.host, args.port)
    except QAError as e:
        raise SystemExit(f"error: {e}") from None
    if not is_loopback(args.host) and not settings.admin_token:
        print(f"warning: --insecure: anyone who can reach {args.host} can upload and delete articles")

    import uvicorn

    from qa.api import create_app
    from qa.assistant import Assistant

    try:
        assistant = Assistant.open(settings)
    except QAError as e:
        raise SystemExit(f"error: {e}") from None
    warm_s = assistant.warm_up()  # so the first visitor's question does not pay ~1 s of one-time loading
    print(f"News QA: {len(assistant.view.documents)} documents, {len(assistant.view.chunks)} passages, "
          f"warmed up in {warm_s} s — http://{args.host}:{args.port}/")
    uvicorn.Server(uvicorn.Config(create_app(assistant), log_level="warning")).run(sockets=[sock])


if __name__ == "__main__":
    main()
