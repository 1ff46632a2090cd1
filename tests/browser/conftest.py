"""Playwright in the system's headless Chromium, against the live test server."""

import os

import pytest

# pytest-django refuses database access from the event loop that Playwright's sync API runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.db import connection
from playwright.sync_api import expect, sync_playwright

from cchc.org.models import Unit
from tests.factories import UserFactory
from tests.web.conftest import load_fixture_folder

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo12345"


@pytest.fixture
def browser(django_db_blocker):
    """Debian's Chromium, headless, with the flags this closed network needs."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            # The live server's threads would all share the one in-memory connection, and a
            # page's concurrent requests (queue badges, trends, tables) break it at random.
            pytest.skip(
                "browser tests need a database file: CCHC_TEST_SQLITE=var/test-browser.sqlite3 "
                "(make test sets it)"
            )
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, **options):
    """A page in a fresh context (its own cookies): one person each."""
    context = browser.new_context(
        viewport={"width": 1360, "height": 1000}, locale="vi-VN", **options
    )
    return context.new_page()


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


def person_of(fixtures_dir, folder: str, unit_code: str, username: str, role):
    """Loads a fixture folder and gives a person of `unit_code` a password."""
    load_fixture_folder(fixtures_dir / folder)
    user = UserFactory(username=username, unit=Unit.objects.get(code=unit_code), role=role)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
