"""HSTS, the HTTPS redirect and the Content-Security-Policy (issue 12 #11).

The policy allows the portal's own files only; the vendored JavaScript and CSS must work
under it, so a browser test loads the pages with each kind of script enforcing it.
"""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from org.roles import Role
from org.tests.factories import TEST_PASSWORD, staff_user

ROOT = Path(django_settings.BASE_DIR)
TEMPLATES = sorted(
    p
    for p in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in p.parts and "var" not in p.parts
)


def _policy(settings: object) -> dict:
    enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    return enforced or settings.CONTENT_SECURITY_POLICY_REPORT_ONLY


def _enforce(settings: object) -> None:
    settings.CONTENT_SECURITY_POLICY = _policy(settings)
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None


@pytest.mark.smoke
def test_no_template_has_an_inline_script_a_handler_or_a_javascript_url() -> None:
    assert len(TEMPLATES) > 50
    offenders = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{path}: inline {tag}")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text or "<style" in text:
            offenders.append(f"{path}: inline handler, style element or javascript: URL")
    assert offenders == []


@pytest.mark.django_db
def test_every_page_carries_the_policy(client: Client, settings: object) -> None:
    _enforce(settings)
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_the_policy_can_be_report_only(client: Client, settings: object) -> None:
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = _policy(settings)
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


@pytest.mark.django_db
def test_https_is_forced_and_remembered(settings: object) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = Client().get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # The health check from the machine itself stays on plain HTTP.
    assert Client().get("/healthz").status_code != 301


WATCH_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
    (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_vendored_scripts_and_styles_work_under_the_policy(
    page: object, login: Callable, settings: object
) -> None:
    _enforce(settings)
    page.add_init_script(WATCH_CSP)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    violations: list[str] = []

    def seen() -> None:
        violations.extend(page.evaluate("() => window.__csp || []"))

    staff_user(username="staff1", roles=[Role.STAFF])
    page.goto("/accounts/login/")
    toggle = page.locator("[data-toggle-password]")
    toggle.click()  # portal.js, an external script
    assert page.locator("#id_password").get_attribute("type") == "text"
    seen()
    login("staff1", TEST_PASSWORD)
    assert "script-src 'self'" in page.request.get("/").headers["content-security-policy"]
    # Bootstrap's bundle and stylesheet are in force.
    assert page.evaluate("() => typeof bootstrap") == "object"
    assert page.evaluate("() => getComputedStyle(document.body).margin") == "0px"
    seen()
    page.goto("/board/worksharing/write/")  # board/similar.js
    seen()
    page.goto("/propose/")  # the public layout: KRDS ui-script.js
    assert page.evaluate("() => document.styleSheets.length") >= 2
    seen()

    refused = [m for m in console if "Content Security Policy" in m]
    assert violations == [] and refused == []
