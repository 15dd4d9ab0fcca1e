from typing import NoReturn

import pytest
from django.db import OperationalError, connection
from django.test import Client


def test_health_answers_without_touching_the_database(client: Client) -> None:
    """No django_db mark: pytest-django fails the test if the view opens a connection."""
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_skips_host_validation(client: Client) -> None:
    """A load balancer or container probe may use any Host header."""
    response = client.get("/health", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


@pytest.mark.django_db
def test_ready_when_the_database_answers(client: Client) -> None:
    response = client.get("/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_reports_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_cursor(*args: object, **kwargs: object) -> NoReturn:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/ready")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database unavailable"}


@pytest.mark.django_db
def test_other_paths_go_through_the_normal_stack(client: Client) -> None:
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
