"""Transport security: trusted proxies, allowed hosts, HTTPS, CORS and the response headers.

``/ready`` is exempt from the host check and the HTTPS redirect, so that a container health
check or a load balancer can call it over plain HTTP on any address; ``/health`` is answered
before any of this runs (``health.LivenessMiddleware``).
"""

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Flask, abort, current_app, redirect, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wrappers import Response

EXEMPT_ENDPOINTS = frozenset({"health.ready"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class TrustedProxyFix:
    """Apply ``X-Forwarded-*`` headers only when the request comes from a trusted proxy.

    ``ProxyFix`` alone believes whoever sends the headers; here the direct peer must be one
    of ``FORWARDED_ALLOW_IPS`` (``*`` trusts any), as gunicorn does for the scheme.
    """

    def __init__(self, app: WSGIApplication, trusted: Iterable[str], count: int) -> None:
        self.app = app
        self.trusted = frozenset(trusted)
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count, x_prefix=count)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if "*" in self.trusted or environ.get("REMOTE_ADDR") in self.trusted:
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Install the proxy middleware and the request/response hooks."""
    if app.config["PROXY_COUNT"] > 0:
        # Flask's way of adding WSGI middleware; mypy only sees a method being replaced.
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, app.config["FORWARDED_ALLOW_IPS"], app.config["PROXY_COUNT"]
        )
    app.before_request(check_host_and_scheme)
    app.after_request(set_security_headers)
    app.after_request(allow_cors_origins)


def host_allowed(host: str, allowed: list[str]) -> bool:
    """``ALLOWED_HOSTS`` semantics: exact names, ``.example.com`` for subdomains, ``*`` for any."""
    return "*" in allowed or (bool(allowed) and host_is_trusted(host, allowed))


def check_host_and_scheme() -> Response | None:
    """Refuse unknown Host headers (400), then send plain HTTP to HTTPS when required."""
    if request.endpoint in EXEMPT_ENDPOINTS:
        return None
    if not host_allowed(request.host, current_app.config["ALLOWED_HOSTS"]):
        abort(400, description="Unknown host.")
    if current_app.config["FORCE_HTTPS"] and not request.is_secure:
        return redirect(request.url.replace("http://", "https://", 1), code=308)
    return None


def set_security_headers(response: Response) -> Response:
    """Headers a security review expects; HSTS only in production, where HTTPS is in force."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if current_app.config["APP_ENV"] == "production":
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def allow_cors_origins(response: Response) -> Response:
    """Let the browser origins in ``CORS_ORIGINS`` call this app (no cookies; answer preflights)."""
    origin = request.headers.get("Origin")
    if origin is None or origin not in current_app.config["CORS_ORIGINS"]:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.vary.add("Origin")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
    return response
