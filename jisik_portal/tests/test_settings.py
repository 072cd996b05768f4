import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.smoke


def _import_wsgi(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import jisik_portal.wsgi"],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_web_server_refuses_the_development_key_when_debug_is_off() -> None:
    result = _import_wsgi()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_web_server_starts_with_a_real_key() -> None:
    assert _import_wsgi(SECRET_KEY="a-real-secret-for-this-test-only").returncode == 0


def test_korean_language_and_seoul_time() -> None:
    assert settings.LANGUAGE_CODE == "ko-kr"
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.USE_TZ is True
