import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD, UserFactory
from .models import User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-Strong-passw0rd"


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("page", ["home", "login", "signup", "password_reset"])
def test_every_page_shows_the_site_title(client: Client, page: str) -> None:
    """The account pages too, where Django's views put the host in `site_name`."""
    text = client.get(reverse(page)).content.decode()

    assert re.search(rf"<title>[^<]+ · {settings.SITE_TITLE}</title>", text)
    assert f'class="brand" href="/">{settings.SITE_TITLE}</a>' in text


def test_signup_creates_the_user_and_signs_them_in(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {"email": "Ann@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("items:list")
    user = get_user_model().objects.get()
    assert user.email == "ann@example.org"
    assert user.check_password(PASSWORD)
    assert is_signed_in(client)


def test_signup_rejects_an_email_already_taken_in_another_case(client: Client, user: User) -> None:
    response = client.post(
        reverse("signup"),
        {"email": user.email.upper(), "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_signup_rejects_mismatched_passwords(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {"email": "bob@example.org", "password1": PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_login_with_the_right_password_in_any_case_of_email(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("items:list")
    assert is_signed_in(client)


def test_login_with_a_wrong_password_is_refused(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.email, "password": "wrong"})

    assert response.status_code == 200
    assert "correct e-mail address and password" in response.content.decode()
    assert not is_signed_in(client)


def test_logout_ends_the_session(user_client: Client) -> None:
    response = user_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not is_signed_in(user_client)


def test_logout_ends_the_session_on_the_server(user_client: Client) -> None:
    """A copy of the session cookie taken before log-out opens nothing after it."""
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = user_client.cookies[settings.SESSION_COOKIE_NAME]
    assert stolen.get(reverse("items:list")).status_code == 200

    user_client.post(reverse("logout"))

    assert stolen.get(reverse("items:list")).status_code == 302


@pytest.mark.parametrize("name", ["items:list", "items:create", "profile", "password_change"])
def test_pages_behind_login_redirect_anonymous_visitors(client: Client, name: str) -> None:
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_profile_shows_who_is_signed_in(user_client: Client, user: User) -> None:
    response = user_client.get(reverse("profile"))

    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_password_change(user_client: Client, user: User) -> None:
    response = user_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_ends_every_other_session(client: Client, user: User) -> None:
    other = Client()
    assert client.login(username=user.email, password=PASSWORD)
    assert other.login(username=user.email, password=PASSWORD)

    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert client.get(reverse("items:list")).status_code == 200
    assert other.get(reverse("items:list")).status_code == 302


def test_password_reset_by_email(client: Client, user: User) -> None:
    client.post(reverse("password_reset"), {"email": user.email})

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", str(mail.outbox[0].body))
    assert link is not None
    # Django swaps the token for a session and redirects to the form.
    form_url = client.get(link.group(1))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_sends_nothing_for_an_unknown_email(client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_create_user_requires_an_email() -> None:
    with pytest.raises(ValueError, match="e-mail"):
        get_user_model().objects.create_user(email="", password=PASSWORD)


def test_create_superuser_is_staff_and_superuser() -> None:
    admin = get_user_model().objects.create_superuser("Root@Example.org", PASSWORD)

    assert (admin.email, admin.is_staff, admin.is_superuser) == ("root@example.org", True, True)
    assert str(admin) == "root@example.org"


def test_create_superuser_refuses_is_staff_false() -> None:
    with pytest.raises(ValueError, match="is_staff"):
        get_user_model().objects.create_superuser("a@example.org", PASSWORD, is_staff=False)


def test_factory_users_can_log_in(client: Client) -> None:
    user = UserFactory.create()

    assert client.login(username=user.email, password=PASSWORD)
