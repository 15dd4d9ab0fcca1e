"""``pyframe serve``: the interview, the recommendation and the skeletons in a browser, and the
same over HTTP for scripts (``curl -o svc.zip .../starter.zip?name=svc&framework=fastapi``).

An optional extra (``pip install 'pyframe-cli[web]'``): Starlette for the routes, uvicorn to
serve them. Nothing here is imported by ``pyframe new`` or ``pyframe --help``.

* ``params``: the flat query parameters, read into what ``pyframe new`` would be told;
* ``service``: the server's configuration, the templates it offers, and the checks (the core's);
* ``build``: one render as ``pyframe new`` does it, in a scratch folder, and the archives;
* ``renderer``: renders in a bounded pool of processes, shared and remembered;
* ``page``: the HTML page, its fragments, the JSON shapes and the text ``curl`` gets;
* ``app``: the routes, and errors worded for whoever asked.
"""

from __future__ import annotations

from pathlib import Path


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    trust: bool = False,
    config: Path | None = None,
) -> None:
    """Run the server until interrupted (uvicorn, one process; renders in a process pool)."""
    import uvicorn

    from .app import create_app

    app = create_app(config=config, trust=trust)
    print(f"pyframe serve: http://{_shown_host(host)}:{port}/ (Ctrl-C stops it)", flush=True)
    uvicorn.run(app, host=host, port=port)


def _shown_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
