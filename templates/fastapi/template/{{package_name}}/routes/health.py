"""Readiness for load balancers and orchestrators, exempt from the host check.

Liveness (``GET /health``) is answered by ``LivenessMiddleware`` before routing.
"""

import asyncio
import logging

from fastapi import APIRouter, Response, status
from sqlalchemy.exc import SQLAlchemyError

from .. import crud
from ..deps import SessionDep
from ..schemas import ReadyStatus

#: A probe must answer before the prober gives up (typically 5 s), even if the database hangs.
READY_TIMEOUT_SECONDS = 3

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get(
    "/ready",
    response_model_exclude_none=True,
    responses={503: {"model": ReadyStatus, "description": "The database does not answer"}},
)
async def ready(session: SessionDep, response: Response) -> ReadyStatus:
    """Readiness: the database answers `SELECT 1`."""
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            await crud.ping(session)
    except (SQLAlchemyError, OSError, TimeoutError):
        logger.warning("Readiness check failed: the database does not answer", exc_info=True)
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyStatus(status="unavailable", reason="database unavailable")
    return ReadyStatus(status="ok")
