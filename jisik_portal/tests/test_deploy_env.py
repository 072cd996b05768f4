"""The production environment is one documented file every entry point reads, and production
refuses the development fallbacks (issue 12 #8, #9, #11)."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from common.redact import RedactingFormatter, redact

ROOT = Path(settings.BASE_DIR)
EXAMPLE = ROOT / "deploy" / "jisik.env.example"


def production_env_file(tmp_path: Path, **over: str) -> Path:
    """The documented file, with its CHANGE-MEs filled and its paths in a temporary folder."""
    lines = []
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "var" / "media"),
        "STATIC_ROOT": str(tmp_path / "var" / "staticfiles"),
        **over,
    }
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        name = line.split("=", 1)[0]
        if not line.startswith("#") and "=" in line and name in values:
            line = f"{name}={values.pop(name)}"
        lines.append(line)
    lines += [f"{name}={value}" for name, value in values.items()]
    path = tmp_path / "jisik.env"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str, env_file: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """A command as cron or systemd runs it: no variables but the env file's."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}
    if env_file is not None:
        base["JISIK_ENV_FILE"] = str(env_file)
    return subprocess.run(
        [sys.executable, *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.smoke
def test_check_deploy_gives_no_warning_with_the_documented_environment(tmp_path: Path) -> None:
    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_file=production_env_file(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)" in result.stdout or (
        "System check identified no issues" in result.stdout
    )
    assert "WARNING" not in result.stderr


def test_every_entry_point_reads_the_file(tmp_path: Path) -> None:
    env_file = production_env_file(tmp_path)
    shown = run(
        "manage.py", "shell", "--no-imports", "-c",
        "from django.conf import settings as s; from jisik_portal.celery import app;"
        "print(s.DATABASES['default']['NAME'], s.DATABASES['default']['ENGINE'],"
        " app.conf.broker_url, s.MEDIA_ROOT, s.TRUSTED_PROXY_COUNT, s.PRODUCTION,"
        " s.CACHES['default']['BACKEND'])",
        env_file=env_file,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [
        "jisik",
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/0",
        str(tmp_path / "var" / "media"),
        "1",
        "True",
        "common.cache.PortalRedisCache",  # CACHE_URL=rediscache://: one client per pool
    ]
    # gunicorn and the workers import the same settings module; the WSGI module starts.
    wsgi = run("-c", "import jisik_portal.wsgi", env_file=env_file)
    assert wsgi.returncode == 0, wsgi.stderr
    # What the WSGI module loaded is out of the cycle collector's reach (gc.freeze).
    frozen = run(
        "-c", "import gc, jisik_portal.wsgi; print(gc.get_freeze_count())", env_file=env_file
    )  # fmt: skip
    assert frozen.returncode == 0, frozen.stderr
    assert int(frozen.stdout) > 50_000


def test_a_variable_set_in_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    shown = run(
        "manage.py", "shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT)",
        env_file=production_env_file(tmp_path), TRUSTED_PROXY_COUNT="2",
    )  # fmt: skip
    assert shown.stdout.strip() == "2"


def test_production_without_a_database_refuses_to_run_on_sqlite(tmp_path: Path) -> None:
    env_file = production_env_file(tmp_path)
    text = "\n".join(
        line for line in env_file.read_text().splitlines() if not line.startswith("DATABASE_URL")
    )
    env_file.write_text(text + "\n")
    result = run("manage.py", "check", env_file=env_file)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PORTAL_ENV=production but these are not set: DATABASE_URL" in result.stderr


def test_cron_without_the_file_but_with_production_set_refuses_too() -> None:
    result = run("manage.py", "check", PORTAL_ENV="production")
    assert result.returncode != 0
    assert "DATABASE_URL, SECRET_KEY" in result.stderr


def test_a_named_env_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    result = run("manage.py", "check", env_file=tmp_path / "nowhere.env")
    assert result.returncode != 0 and "JISIK_ENV_FILE names no file" in result.stderr


def test_production_refuses_the_console_mail_backend(tmp_path: Path) -> None:
    env_file = production_env_file(tmp_path, EMAIL_URL="consolemail://")
    result = run("manage.py", "check", env_file=env_file)
    assert result.returncode != 0
    assert "jisik.E001" in result.stderr


def test_check_deploy_refuses_the_console_mail_backend_outside_debug() -> None:
    result = run("manage.py", "check", "--deploy", SECRET_KEY=secrets.token_urlsafe(50))
    assert "jisik.E001" in result.stderr
    assert "jisik.E001" not in run("manage.py", "check", "--deploy", DEBUG="1").stderr


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("mail to minsu.kim@example.com failed", "mail to [이메일] failed"),
        ("phone 010-1234-5678 and 01098765432", "phone [전화번호] and [전화번호]"),
        ("office 02-3396-4114", "office [전화번호]"),
        ("rrn 900101-1234567", "rrn [주민등록번호]"),
        ("receipt 2016-R-00042 at 2016-05-01", "receipt 2016-R-00042 at 2016-05-01"),
    ],
)
def test_log_lines_are_redacted(line: str, kept: str) -> None:
    assert redact(line) == kept


@pytest.mark.smoke
def test_every_configured_handler_redacts_its_lines() -> None:
    handlers = logging.getLogger().handlers
    configured = [h for h in handlers if isinstance(h.formatter, RedactingFormatter)]
    assert configured, "settings.LOGGING's console handler uses the redacting formatter"
    record = logging.LogRecord(
        "proposals",
        logging.ERROR,
        __file__,
        1,
        "resident %s (%s) not told",
        ("김민수", "010-1234-5678"),
        None,
    )
    try:
        raise ValueError("bounce from minsu@example.com")
    except ValueError:
        record.exc_info = sys.exc_info()
    out = configured[0].formatter.format(record)
    assert "010-1234-5678" not in out and "minsu@example.com" not in out
    assert "[전화번호]" in out and "[이메일]" in out
