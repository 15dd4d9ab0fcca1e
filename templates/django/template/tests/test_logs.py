"""Request ids and log lines: X-Request-ID in and out, JSON lines, one access line a request."""

import copy
import io
import json
import logging
import logging.config
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from django.conf import settings
from django.test import Client


@contextmanager
def console_output(log_format: str) -> Iterator[io.StringIO]:
    """settings.LOGGING, with the console handler in ``log_format`` writing to a string."""
    stream = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"] |= {"formatter": log_format, "stream": stream}
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        logging.config.dictConfig(settings.LOGGING)


JsonLines = Callable[[], list[dict[str, object]]]


@pytest.fixture
def json_lines() -> Iterator[JsonLines]:
    """What the console handler writes with LOG_FORMAT=json, parsed line by line."""
    with console_output("json") as stream:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


def access_lines(lines: list[dict[str, object]]) -> list[dict[str, object]]:
    return [line for line in lines if line["logger"] == f"{settings.PACKAGE}.access"]


def test_a_request_without_an_id_gets_a_new_one(client: Client) -> None:
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_sane_caller_id_is_reused(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="edge-7f3a.Z_9")

    assert response["X-Request-ID"] == "edge-7f3a.Z_9"


@pytest.mark.parametrize(
    "header", ["", "two words", "x" * 129, "id\ninjected line", '"quoted"', "ünïcode"]
)
def test_an_insane_caller_id_is_replaced(client: Client, header: str) -> None:
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=header)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_json_lines_carry_the_fields_and_the_request_id(json_lines: JsonLines) -> None:
    response = Client().get("/no-such-page/", HTTP_X_REQUEST_ID="req-1")

    lines = json_lines()
    assert response.status_code == 404
    assert lines, "nothing was logged"
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)
        assert line["request_id"] == "req-1"
        assert datetime.fromisoformat(str(line["time"])).utcoffset() is not None
    warning = next(line for line in lines if line["logger"] == "django.request")
    assert (warning["level"], warning["message"]) == ("WARNING", "Not Found: /no-such-page/")


def test_a_line_outside_a_request_has_no_id_and_keeps_the_exception(
    json_lines: JsonLines,
) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("probe").exception("it failed", extra={"order": 42})

    [line] = json_lines()
    assert line["request_id"] == "-"
    assert line["order"] == 42
    assert "ValueError: boom" in str(line["exception"])


@pytest.mark.django_db
def test_one_access_line_per_request(json_lines: JsonLines, user_client: Client) -> None:
    response = user_client.get("/items/?page=1")

    [line] = access_lines(json_lines())
    assert re.fullmatch(r"GET /items/ 200 \d+\.\dms", str(line["message"]))
    assert (line["method"], line["path"], line["status"]) == ("GET", "/items/", 200)
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == response["X-Request-ID"]


def test_health_checks_write_no_access_line(json_lines: JsonLines, client: Client) -> None:
    client.get("/health")

    assert access_lines(json_lines()) == []


def test_the_text_format_names_the_request_id(client: Client) -> None:
    with console_output("text") as stream:
        client.get("/accounts/login/", HTTP_X_REQUEST_ID="req-2")

    access = f"INFO [{settings.PACKAGE}.access] [req-2] GET /accounts/login/ 200 "
    assert access in stream.getvalue()
