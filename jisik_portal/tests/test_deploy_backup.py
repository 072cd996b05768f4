"""Backups (issue 12 #19): a restore drill. scripts/backup.sh, then scripts/restore.sh into
a fresh database and an empty media folder; every table's rows and every file must come back.
"""

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from org.tests.factories import staff_user

ROOT = Path(settings.BASE_DIR)


def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def uploads(media: Path) -> None:
    (media / "board" / "2016").mkdir(parents=True)
    (media / "board" / "2016" / "업무매뉴얼.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(50_000))
    (media / "proposals" / "2016").mkdir(parents=True)
    (media / "proposals" / "2016" / "a1b2c3.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + os.urandom(999)
    )
    (media / "빈 폴더의 파일 이름 공백.txt").write_text("회현동")


def url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def snapshot(dsn: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and a checksum of all its rows."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [t for (t,) in cur.fetchall()]
        out = {}
        for table in tables:
            cur.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM \"{table}\" t"  # noqa: S608
            )
            out[table] = cur.fetchone()
    conn.close()
    return out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgres_backup_restores_every_row_and_every_file(tmp_path: Path) -> None:
    for i in range(5):
        staff_user(username=f"drill{i}", last_name="김", first_name=f"민수{i}")
    media = tmp_path / "media"
    uploads(media)
    source = url(connection.settings_dict["NAME"])
    made = run("backup.sh", str(tmp_path / "backups"), DATABASE_URL=source, MEDIA_ROOT=str(media))
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in folder.iterdir()} == {
        "database.pgdump", "media.tar.gz", "MEDIA.SHA256SUMS", "SHA256SUMS",
    }  # fmt: skip

    target_name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        cur.execute(f'CREATE DATABASE "{target_name}"')
    try:
        restored = tmp_path / "restored-media"
        done = run(
            "restore.sh", str(folder), "--yes",
            DATABASE_URL=url(target_name), MEDIA_ROOT=str(restored),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        before, after = snapshot(source), snapshot(url(target_name))
        assert len(before) > 40 and before == after
        assert before["auth_user"][0] >= 5
        assert files(restored) == files(media) and len(files(media)) == 3
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        admin.close()


@pytest.mark.smoke
def test_a_sqlite_backup_restores_every_row_and_every_file(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    db = sqlite3.connect(var / "jisik.sqlite3")
    db.execute("PRAGMA journal_mode=wal")
    db.execute("CREATE TABLE proposal (id INTEGER PRIMARY KEY, title TEXT)")
    db.executemany("INSERT INTO proposal (title) VALUES (?)", [(f"제안 {i}",) for i in range(300)])
    db.commit()  # the connection stays open, as a running portal's would
    media = var / "media"
    uploads(media)
    made = run("backup.sh", SECRET_KEY="x" * 50, VAR_DIR=str(var))
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])

    other = tmp_path / "other"
    done = run("restore.sh", str(folder), "--yes", SECRET_KEY="x" * 50, VAR_DIR=str(other))
    assert done.returncode == 0, done.stderr
    copy = sqlite3.connect(other / "jisik.sqlite3")
    assert copy.execute("SELECT count(*), group_concat(title) FROM proposal").fetchone() == (
        db.execute("SELECT count(*), group_concat(title) FROM proposal").fetchone()
    )
    assert files(other / "media") == files(media)
    db.close()


def test_restore_refuses_without_yes_and_over_existing_uploads(tmp_path: Path) -> None:
    assert run("restore.sh", str(tmp_path)).returncode == 2
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    sqlite3.connect(var / "jisik.sqlite3").close()
    made = run("backup.sh", SECRET_KEY="x" * 50, VAR_DIR=str(var))
    folder = Path(made.stdout.strip().splitlines()[-1])
    (var / "media" / "new.txt").write_text("새 파일")
    refused = run("restore.sh", str(folder), "--yes", SECRET_KEY="x" * 50, VAR_DIR=str(var))
    assert refused.returncode == 1 and "not empty" in refused.stderr
    (folder / "media.tar.gz").write_bytes(b"tampered")
    assert (
        "checksums differ"
        in run("restore.sh", str(folder), "--yes", VAR_DIR=str(tmp_path / "x")).stderr
    )


def test_make_clean_keeps_the_uploads() -> None:
    clean = (ROOT / "Makefile").read_text().split("\nclean:")[1].split("\n\n")[0]
    assert "var/staticfiles" in clean
    assert " var " not in clean + " " and not clean.rstrip().endswith(" var")
