"""Liveness and readiness probes for load balancers and container health checks."""

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> dict[str, str]:
    """The process is up; touches nothing else, so it stays cheap and never flaps."""
    return {"status": "ok"}


@bp.get("/ready")
def ready() -> tuple[dict[str, str], int]:
    """Ready to serve when the database answers ``SELECT 1``; 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("Readiness check failed: the database did not answer")
        return {"status": "unavailable", "reason": "database unavailable"}, 503
    return {"status": "ok"}, 200
