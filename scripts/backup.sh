#!/bin/bash
# Back up 지식나눔: the database (pg_dump, or SQLite's online backup) and every upload
# (MEDIA_ROOT) into one dated folder under BACKUP_DIR, with SHA256SUMS; drop folders older
# than BACKUP_KEEP_DAYS. Reads the same environment file as every entry point
# (jisik_portal/settings.py), so cron needs no variables. docs/backup.md; `make backup`.
#   scripts/backup.sh [BACKUP_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

# The settings as the portal sees them, as shell variables.
eval "$("$PYTHON" manage.py shell --no-imports -c '
import shlex
from django.conf import settings as s
db = s.DATABASES["default"]
values = {
    "ENGINE": db["ENGINE"].rsplit(".", 1)[-1], "DB_NAME": str(db["NAME"]),
    "DB_USER": db.get("USER") or "", "DB_PASSWORD": db.get("PASSWORD") or "",
    "DB_HOST": db.get("HOST") or "", "DB_PORT": str(db.get("PORT") or ""),
    "MEDIA": str(s.MEDIA_ROOT), "VAR": str(s.VAR_DIR),
}
for k, v in values.items():
    print(f"{k}={shlex.quote(v)}")
')"

BACKUP_DIR=${1:-${BACKUP_DIR:-$VAR/backups}}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-30}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT="$BACKUP_DIR/jisik-$STAMP"
mkdir -p "$OUT"
umask 077

case "$ENGINE" in
  postgresql)
    PGPASSWORD="$DB_PASSWORD" pg_dump --format=custom --no-owner --no-privileges \
      ${DB_HOST:+--host="$DB_HOST"} ${DB_PORT:+--port="$DB_PORT"} ${DB_USER:+--username="$DB_USER"} \
      --file="$OUT/database.pgdump" "$DB_NAME"
    ;;
  sqlite3)
    # SQLite's online backup: a consistent copy while the portal runs (WAL mode).
    "$PYTHON" -c 'import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst); dst.close(); src.close()' "$DB_NAME" "$OUT/database.sqlite3"
    ;;
  *)
    echo "backup.sh: unknown database engine $ENGINE" >&2; exit 1 ;;
esac

mkdir -p "$MEDIA"
# Uploads, with a list of every file's checksum taken at the same time.
(cd "$MEDIA" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$OUT/MEDIA.SHA256SUMS"
tar --create --gzip --file="$OUT/media.tar.gz" --directory="$MEDIA" .
(cd "$OUT" && sha256sum database.* media.tar.gz MEDIA.SHA256SUMS > SHA256SUMS)

# Old backups go; this one is kept whatever its age.
find "$BACKUP_DIR" -maxdepth 1 -type d -name 'jisik-*' -mtime +"$KEEP_DAYS" ! -path "$OUT" \
  -exec rm -rf {} +
echo "$OUT"
