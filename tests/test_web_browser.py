"""``pyframe serve`` in a real headless browser (Debian's chromium and chromedriver, Selenium):
one walk through the page, as a person would take it.

Skipped with the reason when chromium or chromedriver is missing; failed instead when
``PYFRAME_REQUIRE_SERVICES=1`` (CI sets it). ``PYFRAME_SCREENSHOTS=DIR`` saves the page as
``DIR/serve.png`` (the README's ``docs/screenshots/serve.png``).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scaffold.answers import parse_data
from scaffold.config import Config
from scaffold.core import choose, create
from scaffold.matrix import Needs

from .test_web import Server, in_zip, on_disk, running_server

CHROMIUM = ("chromium", "/usr/bin/chromium")
DRIVER = ("chromedriver", "/usr/bin/chromedriver")


def _found(names: tuple[str, ...]) -> str | None:
    return next((p for p in (shutil.which(n) or n for n in names) if Path(p).is_file()), None)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium, driver = _found(CHROMIUM), _found(DRIVER)
    missing = [
        name for name, path in (("chromium", chromium), ("chromedriver", driver)) if not path
    ]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        reason = f"needs {', '.join(missing)}: apt-get install -y chromium chromium-driver"
        if os.environ.get("PYFRAME_REQUIRE_SERVICES") == "1":
            pytest.fail(f"PYFRAME_REQUIRE_SERVICES=1 and the browser test {reason}")
        pytest.skip(reason)
    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,2200",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=str(driver)))
    chrome.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    chrome.downloads = downloads
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("serve")) as running:
        yield running


def wait(browser: Any, condition: Callable[[], Any], what: str, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = condition()
        except Exception as exc:  # the element is being replaced by a fragment
            last = exc
        if last and not isinstance(last, Exception):
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def test_a_walk_through_the_page(browser, server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    find = browser.find_element

    def winner() -> str:
        return str(find(By.ID, "winner").text)

    def choose_value(element_id: str, value: str) -> None:
        Select(find(By.ID, element_id)).select_by_value(value)

    browser.get(server.url + "/?name=shop")
    assert find(By.ID, "f-name").get_attribute("value") == "shop"

    # 1-2. The needs, and the recommendation following them.
    choose_value("f-kind", "cms")
    find(By.ID, "f-need-admin").click()
    wait(
        browser,
        lambda: winner() == "django" and "admin" in find(By.CSS_SELECTOR, ".reasons").text,
        "django for a CMS with an admin, and why",
    )
    choose_value("f-kind", "realtime")
    find(By.ID, "f-need-admin").click()
    find(By.ID, "f-need-websockets").click()
    wait(browser, lambda: winner() == "fastapi", "fastapi for a realtime app with websockets")
    wait(
        browser,
        lambda: find(By.CSS_SELECTOR, "#questions [data-template=fastapi]"),
        "FastAPI's questions",
    )
    wait(browser, lambda: find(By.ID, "f-websockets").is_selected(), "websockets suggested")

    # 3. The template's own form: when:, the template's validators beside the field.
    choose_value("f-framework", "flask")
    wait(browser, lambda: find(By.CSS_SELECTOR, "#questions [data-template=flask]"), "Flask's form")
    assert find(By.CSS_SELECTOR, "[data-field=admin]").is_displayed()  # flavour is web
    choose_value("f-flavour", "api")  # admin's when: "{{ flavour == 'web' }}"
    wait(browser, lambda: not find(By.CSS_SELECTOR, "[data-field=admin]").is_displayed(), "hid")
    choose_value("f-flavour", "web")
    wait(browser, lambda: find(By.CSS_SELECTOR, "[data-field=admin]").is_displayed(), "admin")
    choose_value("f-admin", "flask-admin")
    email = find(By.ID, "f-author_email")
    email.clear()
    email.send_keys("nope")
    error = wait(
        browser,
        lambda: find(By.ID, "e-author_email").is_displayed() and find(By.ID, "e-author_email"),
        "the e-mail's error",
    )
    assert error.text.startswith("Enter an e-mail address")
    assert "e-author_email" in (email.get_attribute("aria-describedby") or "").split()
    assert email.get_attribute("aria-invalid") == "true"
    email.clear()
    email.send_keys("ops@shop.example")
    wait(browser, lambda: not find(By.ID, "e-author_email").is_displayed(), "the error gone")

    # 4. Explore: the tree, and a file's rendered content.
    find(By.ID, "explore").click()
    wait(browser, lambda: find(By.CSS_SELECTOR, "a.file[data-path='pyproject.toml']"), "files")
    find(By.CSS_SELECTOR, "a.file[data-path='pyproject.toml']").click()
    preview = wait(
        browser,
        lambda: (
            "[project]" in find(By.CSS_SELECTOR, "#file-view pre").text
            and find(By.CSS_SELECTOR, "#file-view pre").text
        ),
        "pyproject.toml's content",
    )
    assert 'name = "shop"' in preview
    screenshots = os.environ.get("PYFRAME_SCREENSHOTS")
    if screenshots:
        Path(screenshots).mkdir(parents=True, exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, int(height) + 40)  # the whole page, from the top
        browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(str(Path(screenshots) / "serve.png"))
        browser.set_window_size(1280, 2200)

    # 5. Share: the link restores every answer in a fresh page.
    link = wait(
        browser,
        lambda: (
            "ops%40shop.example" in (find(By.ID, "share-link").get_attribute("value") or "")
            and find(By.ID, "share-link").get_attribute("value")
        ),
        "the share link",
    )
    browser.get("about:blank")
    browser.get(link)
    assert find(By.ID, "f-name").get_attribute("value") == "shop"
    assert Select(find(By.ID, "f-kind")).first_selected_option.get_attribute("value") == "realtime"
    assert find(By.ID, "f-need-websockets").is_selected()
    assert not find(By.ID, "f-need-admin").is_selected()
    assert Select(find(By.ID, "f-framework")).first_selected_option.text == "flask"
    assert Select(find(By.ID, "f-flavour")).first_selected_option.text == "web"
    assert Select(find(By.ID, "f-admin")).first_selected_option.text == "flask-admin"
    assert find(By.ID, "f-author_email").get_attribute("value") == "ops@shop.example"

    # 6. Generate: the download is what pyframe new writes for the same answers.
    find(By.ID, "generate").click()
    downloaded = browser.downloads / "shop.zip"
    wait(browser, downloaded.is_file, "shop.zip downloaded", seconds=120)
    settings = Config()
    needs = Needs(kind="realtime", needs=frozenset({"websockets"}))
    output = tmp_path / "shop"
    create(
        choose(needs, settings, framework="flask"),
        "shop",
        settings,
        output=output,
        data=parse_data(["flavour=web", "admin=flask-admin", "author_email=ops@shop.example"]),
    )
    archived = in_zip(downloaded.read_bytes(), "shop")
    assert archived == on_disk(output)
    assert archived["pyproject.toml"][1].decode().rstrip() == preview.rstrip()  # .text trims
