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

    _check_port(host, port)
    app = create_app(config=config, trust=trust)
    print(f"pyframe serve: http://{_shown_host(host)}:{port}/ (Ctrl-C stops it)", flush=True)
    uvicorn.run(app, host=host, port=port)


def _check_port(host: str, port: int) -> None:
    """A port that is taken is a one-line error (exit 2), not uvicorn's log and exit 1."""
    import socket

    from ..errors import PyframeError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PyframeError(f"--host {host}: {exc.strerror}", field="host") from None
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PyframeError(
                f"cannot listen on {_shown_host(host)}:{port}: {exc.strerror}", field="port"
            ) from None


def _shown_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
