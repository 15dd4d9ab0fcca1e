"""Attempt limits on the account forms (core/throttle.py): AUTH_RATE_LIMIT attempts per
client address and per account, then 429 with Retry-After and the form again."""

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD
from .models import User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-Strong-passw0rd"


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def log_in(client: Client, email: str, password: str, address: str = "127.0.0.1") -> Any:
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def assert_refused(response: Any) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many attempts" in response.content.decode()


def test_the_sixth_log_in_in_a_minute_is_refused_even_with_the_right_password(
    client: Client, user: User
) -> None:
    for _ in range(5):
        assert log_in(client, user.email, "wrong").status_code == 200

    response = log_in(client, user.email, PASSWORD)

    assert_refused(response)
    assert "<form" in response.content.decode()
    assert not is_signed_in(client)


def test_one_account_is_limited_across_addresses(client: Client, user: User) -> None:
    for n in range(5):
        log_in(client, user.email.upper(), "wrong", address=f"10.0.0.{n}")

    assert_refused(log_in(client, user.email, PASSWORD, address="10.0.1.1"))


def test_one_address_is_limited_across_accounts(client: Client, user: User) -> None:
    for n in range(5):
        log_in(client, f"someone{n}@example.org", "wrong")

    assert_refused(log_in(client, user.email, PASSWORD))
    assert log_in(client, user.email, PASSWORD, address="10.0.0.9").status_code == 302


def test_behind_a_trusted_proxy_each_forwarded_client_counts_alone(
    client: Client, user: User, settings: Any
) -> None:
    settings.FORWARDED_ALLOW_IPS = ["10.9.9.9"]
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": f"someone{n}@example.org", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7",
        )

    def via_proxy(client_address: str) -> Any:
        return client.post(
            reverse("login"),
            {"username": user.email},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    assert_refused(via_proxy("203.0.113.7"))
    assert via_proxy("203.0.113.8").status_code == 200
    assert log_in(client, user.email, PASSWORD, address="10.9.9.9").status_code == 302


def test_an_untrusted_peer_cannot_pick_its_address(client: Client, user: User) -> None:
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": f"someone{n}@example.org", "password": "wrong"},
            REMOTE_ADDR="198.51.100.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )

    assert_refused(log_in(client, user.email, PASSWORD, address="198.51.100.1"))


def test_the_limit_lifts_when_the_window_closes(
    client: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(6):
        log_in(client, user.email, "wrong")
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)  # the cache's clock too

    assert log_in(client, user.email, PASSWORD).status_code == 302


def test_a_successful_log_in_clears_the_account_counter_only(
    client: Client, user: User, settings: Any
) -> None:
    settings.AUTH_RATE_LIMIT = "2/minute"
    log_in(client, user.email, "wrong", address="10.0.0.1")
    assert log_in(client, user.email, PASSWORD, address="10.0.0.1").status_code == 302

    # The account starts afresh (a third attempt on it passes); the address keeps its count.
    assert log_in(Client(), user.email, PASSWORD, address="10.0.0.2").status_code == 302
    assert_refused(log_in(Client(), user.email, PASSWORD, address="10.0.0.1"))


def test_sign_up_is_limited(client: Client) -> None:
    for n in range(5):
        client.post(reverse("signup"), {"email": f"new{n}@example.org", "password1": "x"})

    response = client.post(
        reverse("signup"),
        {"email": "late@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert_refused(response)
    assert not User.objects.filter(email="late@example.org").exists()


def test_password_reset_requests_are_limited(client: Client, user: User) -> None:
    for _ in range(5):
        assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302

    assert_refused(client.post(reverse("password_reset"), {"email": user.email}))
    assert len(mail.outbox) == 5


def test_password_reset_confirmations_are_limited(client: Client, user: User) -> None:
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/\S+)", str(mail.outbox[0].body))
    assert link is not None
    form_url = client.get(link.group(1))["Location"]
    for _ in range(5):
        mismatched = {"new_password1": NEW_PASSWORD, "new_password2": "other"}
        assert client.post(form_url, mismatched).status_code == 200

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert_refused(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("login", {}),
        ("login", {"username": "a\x00b@example.org", "password": "x"}),
        ("login", {"username": "x" * 10_000, "password": "y" * 10_000}),
        ("signup", {"email": "not an address", "password1": "x", "password2": "y"}),
        ("signup", {"email": "a\x00b@example.org"}),
        ("password_reset", {"email": "not an address"}),
        ("password_reset", {}),
    ],
)
def test_bad_input_is_a_form_error(client: Client, name: str, data: dict[str, str]) -> None:
    response = client.post(reverse(name), data)

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize(
    ("uidb64", "token"), [("garbage", "set-password"), ("MQ", "bad-token"), ("AAAA", "x")]
)
def test_a_garbage_reset_link_is_an_invalid_link_page(
    client: Client, uidb64: str, token: str
) -> None:
    url = reverse("password_reset_confirm", args=[uidb64, token])

    for response in (client.get(url), client.post(url, {"new_password1": "x"})):
        assert response.status_code == 200
        assert 'name="new_password1"' not in response.content.decode()
