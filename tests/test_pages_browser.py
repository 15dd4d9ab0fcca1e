"""The Django and Flask skeletons' pages in a real headless browser: each page at phone and
desktop width, no sideways scrolling, and no serious or critical accessibility violation found
by axe-core.

Slow: it renders each skeleton's defaults, installs them (seconds on uv's warm cache), migrates
a SQLite database and starts the development server, then signs up through the page like a
person would. Skipped with the reason when chromium, chromedriver or axe-core is missing; failed
instead when ``PYFRAME_REQUIRE_SERVICES=1`` (CI sets it). axe-core comes from npm: ``.ci/run``
installs it with ``npm install --no-save --prefix ~/.cache/pyframe-axe axe-core@4``;
``PYFRAME_AXE=path/to/axe.min.js`` names another copy. ``PYFRAME_SCREENSHOTS=DIR`` keeps the
screenshots as ``DIR/<framework>-<page>-<width>.png`` (the README's come from one run).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from . import test_web_browser
from .templates.support import BIN, TEMPLATES
from .test_web_browser import wait

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (375, 1280)
BLOCKING = ("serious", "critical")  # axe's impact levels that fail the test
browser = test_web_browser.browser  # the shared chromium fixture
EMAIL, PASSWORD = "ada@example.com", "correct horse battery staple"


@dataclass(frozen=True)
class Site:
    """Where a skeleton's pages live, what its password fields are called, how to serve it."""

    signup: str
    login: str
    items: str
    item_form: str
    password_fields: tuple[str, str]
    serve: tuple[str, ...]  # the development server, on {port}, without its reloader


SITES = {
    "django": Site(
        "/accounts/signup/",
        "/accounts/login/",
        "/items/",
        "/items/new/",
        ("password1", "password2"),
        (".venv/bin/python", "manage.py", "runserver", "127.0.0.1:{port}", "--noreload"),
    ),
    "flask": Site(
        "/auth/register",
        "/auth/login",
        "/items/",
        "/items/new",
        ("password", "confirm"),
        (".venv/bin/flask", "--app", "demo", "run", "--host", "127.0.0.1", "--port", "{port}"),
    ),
}


def _required(reason: str) -> None:
    if os.environ.get("PYFRAME_REQUIRE_SERVICES") == "1":
        pytest.fail(f"PYFRAME_REQUIRE_SERVICES=1 and the pages' browser test {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's source, to inject into each page."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    default = cache / "pyframe-axe/node_modules/axe-core/axe.min.js"
    path = Path(os.environ.get("PYFRAME_AXE") or default)
    if not path.is_file():
        _required(
            f"needs axe-core at {path}: npm install --no-save --prefix {cache / 'pyframe-axe'}"
            " axe-core@4 (or PYFRAME_AXE=path/to/axe.min.js)"
        )
    return path.read_text()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture
def site_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The skeleton's defaults rendered, installed, migrated and served; its base URL."""
    framework = request.param
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # uv from the test extras
    env["PYTHONPATH"] = str(ROOT)  # this checkout's pyframe and templates
    new = [sys.executable, "-m", "scaffold", "new", "demo", "--framework", framework, "-y"]
    _run(new, tmp_path, env)
    project = tmp_path / "demo"
    _run(["make", "install"], project, env)
    _run(["make", "migrate"], project, env)
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [part.format(port=port) for part in SITES[framework].serve],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the development server did not answer"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _at_width(browser: Any, width: int, height: int = 800) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _check_page(browser: Any, axe: str, framework: str, page: str, shots: Path) -> None:
    """At each width: no sideways scrolling, no blocking axe violation, and a screenshot."""
    browser.execute_script(axe)
    for width in WIDTHS:
        _at_width(browser, width)
        where = f"{framework} {page} at {width}px ({browser.current_url})"
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"
        dangling = browser.execute_script(
            "return [...document.querySelectorAll('[aria-describedby]')].flatMap("
            "e => e.getAttribute('aria-describedby').split(' ')).filter("
            "id => !document.getElementById(id))"
        )
        assert not dangling, f"{where}: aria-describedby names missing ids {dangling}"
        violations = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => done(r.violations), e => done([{id: String(e), impact: 'critical'}]));"
        )
        blocking = [
            f"{v['id']} ({v['impact']}): {v.get('help', '')} at "
            + ", ".join(str(node["target"]) for node in v.get("nodes", []))
            for v in violations
            if v["impact"] in BLOCKING
        ]
        assert not blocking, f"{where}:\n" + "\n".join(blocking)
        # The whole page and no more: the viewport as tall as the content.
        height = browser.execute_script(
            "return Math.ceil(document.body.getBoundingClientRect().height)"
        )
        _at_width(browser, width, int(height))
        browser.save_screenshot(str(shots / f"{framework}-{page}-{width}.png"))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.slow
@pytest.mark.parametrize("site_url", list(SITES), indirect=True)
def test_pages_read_well_at_phone_and_desktop_width(browser, axe, site_url, request, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    framework = request.node.callspec.params["site_url"]
    site = SITES[framework]
    shots = Path(os.environ.get("PYFRAME_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    find = browser.find_element

    def fill(values: dict[str, str]) -> None:
        for name, value in values.items():
            field = find(By.NAME, name)
            field.clear()
            field.send_keys(value)
        find(By.CSS_SELECTOR, "main form button[type=submit]").click()

    def check(page: str) -> None:
        _check_page(browser, axe, framework, page, shots)

    browser.delete_all_cookies()
    browser.get(site_url + "/")
    check("home")
    browser.get(site_url + site.login)
    nav = find(By.CSS_SELECTOR, "header nav").text
    assert "demo" in nav and "Log in" in nav and "Sign up" in nav, nav
    check("login")

    # A sign-up whose passwords differ: the error follows the field and describes it.
    browser.get(site_url + site.signup)
    first, second = site.password_fields
    error_id = f"{find(By.NAME, second).get_attribute('id')}_error"
    fill({"email": EMAIL, first: PASSWORD, second: PASSWORD + "!"})
    error = wait(browser, lambda: find(By.ID, error_id), "the sign-up page with its error")
    assert error.is_displayed() and error.text, "the error is shown"
    repeat = find(By.NAME, second)
    assert repeat.get_attribute("aria-invalid") == "true"
    assert error_id in (repeat.get_attribute("aria-describedby") or "").split()
    assert error.value_of_css_property("color") != repeat.value_of_css_property("color")
    check("signup")

    fill({"email": EMAIL, first: PASSWORD, second: PASSWORD})
    wait(browser, lambda: "Log out" in find(By.CSS_SELECTOR, "header nav").text, "signed in")
    assert f"Signed in as {EMAIL}" in find(By.CSS_SELECTOR, "header nav").text

    browser.get(site_url + site.item_form)
    check("item-form")
    fill({"title": "Buy oat milk", "description": "Two cartons,\nunsweetened."})
    wait(browser, lambda: find(By.TAG_NAME, "h1").text == "Buy oat milk", "the new item's page")
    browser.get(site_url + site.items)
    assert "Buy oat milk" in find(By.TAG_NAME, "main").text
    check("items")
    # On a page without autofocus, the first Tab shows the skip link inside a focus ring.
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to the content"
    assert focused.value_of_css_property("outline-style") != "none"
    assert focused.rect["y"] >= 0


@pytest.mark.fast
def test_both_skeletons_ship_the_same_stylesheet():
    django = TEMPLATES / "django/template/{{package_name}}/static/style.css"
    flask = TEMPLATES / "flask/template/{{package_name}}/{% if flavour == 'web' %}static{% endif %}"
    assert django.read_bytes() == (flask / "style.css").read_bytes()


@pytest.mark.fast
def test_django_pages_render_their_forms_through_the_shared_markup():
    """``{{ form }}`` would bring back Django's default markup (help before errors, ``:``)."""
    pages = TEMPLATES / "django/template/{{package_name}}/templates"
    with_forms = [p for p in pages.rglob("*.html") if "{% csrf_token %}" in p.read_text()]
    assert len(with_forms) >= 6
    for page in with_forms:
        text = page.read_text()
        assert not re.search(r"\{\{ *form(\.as_\w+)? *\}\}", text), page.name
        if "_form.html" not in text:  # a form without fields: log out, delete
            assert "form." not in text and "{{ form" not in text, page.name
