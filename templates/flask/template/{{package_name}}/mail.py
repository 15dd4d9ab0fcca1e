"""Sending e-mail: SMTP in production, the log in development, a list in memory in tests.

The settings are Django's names, shared by every pyframe skeleton: ``EMAIL_HOST``,
``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` and
``DEFAULT_FROM_EMAIL``. Tests read what was sent from ``outbox(app)``.
"""

import smtplib
from email.message import EmailMessage

from flask import Flask, current_app

SMTP_TIMEOUT = 10


def outbox(app: Flask) -> list[EmailMessage]:
    """The messages sent so far by an app with ``APP_ENV=test``."""
    sent: list[EmailMessage] = app.extensions.setdefault("outbox", [])
    return sent


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message to ``to`` the way ``APP_ENV`` says."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["DEFAULT_FROM_EMAIL"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if config["APP_ENV"] == "test":
        current_app.extensions.setdefault("outbox", []).append(message)
    elif config["APP_ENV"] == "development":
        current_app.logger.info("E-mail (not sent in development):\n%s", message)
    else:
        smtp_send(message)


def smtp_send(message: EmailMessage) -> None:
    """Hand ``message`` to the SMTP server, with STARTTLS and a login when configured."""
    config = current_app.config
    with smtplib.SMTP(config["EMAIL_HOST"], config["EMAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if config["EMAIL_USE_TLS"]:
            smtp.starttls()
        if config["EMAIL_HOST_USER"]:
            smtp.login(config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"])
        smtp.send_message(message)
