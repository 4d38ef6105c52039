"""Browser fixtures: Playwright driving Debian's Chromium (its own browser download cannot work here).

Without Chromium the browser tests are skipped, unless ``REQUIRE_BROWSER=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator

import pytest

CHROMIUM = os.environ.get("HAOFUWU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"  # the world fixture's users' (conftest.py at the top)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if required:
            pytest.fail(f"REQUIRE_BROWSER=1 but Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright runs its own event loop in this thread; the live server's ORM calls happen in another thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page a journey opens is watched for Content-Security-Policy violations (an inline script or handler the
# policy blocked means a feature silently stopped working); a journey with one fails at teardown.
_REPORT_CSP = (
    "document.addEventListener('securitypolicyviolation', function (e) {"
    " console.error('CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')); });"
)


def _watched(context):  # type: ignore[no-untyped-def]
    context.add_init_script(_REPORT_CSP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if message.type == "error"
            and ("CSP violation" in message.text or "Content Security Policy" in message.text)
            else None
        ),
    )
    return page


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    page = _watched(context)
    yield page
    context.close()
    assert not page.csp_violations, page.csp_violations


@pytest.fixture
def phone_page(browser):  # type: ignore[no-untyped-def]
    """A phone-sized viewport (iPhone 12-ish) for resident pages."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = _watched(context)
    yield page
    context.close()
    assert not page.csp_violations, page.csp_violations


@pytest.fixture
def log_in() -> Callable[..., None]:
    """``log_in(page, base_url, username)``: one of the world's users through the login form; returns once the
    page has left it. The labels match in either language."""

    def log_in(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label(re.compile(r"^(Username|用户名)")).fill(username)
        page.get_by_label(re.compile(r"^(Password|密码)")).fill(PASSWORD)
        page.get_by_role("button", name=re.compile(r"^(Log in|登录)$")).click()
        page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))

    return log_in
