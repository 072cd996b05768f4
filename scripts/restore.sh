#!/bin/bash
# Restore a backup made by scripts/backup.sh into the configured database and MEDIA_ROOT
# (the same environment file as every entry point). Stop gunicorn, the worker and beat
# first. The database's tables are replaced; MEDIA_ROOT must be empty or missing (move the
# old one aside), so nothing is overwritten by accident. docs/backup.md; `make restore`.
#   scripts/restore.sh BACKUP_FOLDER --yes
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
SRC=${1:?usage: scripts/restore.sh BACKUP_FOLDER --yes}
[ "${2:-}" = "--yes" ] || { echo "restore.sh replaces the database: add --yes" >&2; exit 2; }

(cd "$SRC" && sha256sum --check --quiet SHA256SUMS) || { echo "restore.sh: checksums differ" >&2; exit 1; }

eval "$("$PYTHON" manage.py shell --no-imports -c '
import shlex
from django.conf import settings as s
db = s.DATABASES["default"]
values = {
    "ENGINE": db["ENGINE"].rsplit(".", 1)[-1], "DB_NAME": str(db["NAME"]),
    "DB_USER": db.get("USER") or "", "DB_PASSWORD": db.get("PASSWORD") or "",
    "DB_HOST": db.get("HOST") or "", "DB_PORT": str(db.get("PORT") or ""),
    "MEDIA": str(s.MEDIA_ROOT),
}
for k, v in values.items():
    print(f"{k}={shlex.quote(v)}")
')"

if [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ]; then
  echo "restore.sh: $MEDIA is not empty; move it aside first" >&2; exit 1
fi

case "$ENGINE" in
  postgresql)
    [ -f "$SRC/database.pgdump" ] || { echo "restore.sh: no database.pgdump in $SRC" >&2; exit 1; }
    PGPASSWORD="$DB_PASSWORD" pg_restore --clean --if-exists --no-owner --no-privileges \
      --single-transaction --exit-on-error \
      ${DB_HOST:+--host="$DB_HOST"} ${DB_PORT:+--port="$DB_PORT"} ${DB_USER:+--username="$DB_USER"} \
      --dbname="$DB_NAME" "$SRC/database.pgdump"
    ;;
  sqlite3)
    [ -f "$SRC/database.sqlite3" ] || { echo "restore.sh: no database.sqlite3 in $SRC" >&2; exit 1; }
    mkdir -p "$(dirname "$DB_NAME")"
    rm -f "$DB_NAME" "$DB_NAME-wal" "$DB_NAME-shm"
    cp "$SRC/database.sqlite3" "$DB_NAME"
    ;;
  *)
    echo "restore.sh: unknown database engine $ENGINE" >&2; exit 1 ;;
esac

mkdir -p "$MEDIA"
tar --extract --gzip --file="$SRC/media.tar.gz" --directory="$MEDIA"
(cd "$MEDIA" && sha256sum --check --quiet "$(cd "$SRC" && pwd)/MEDIA.SHA256SUMS")
echo "restored $SRC"
