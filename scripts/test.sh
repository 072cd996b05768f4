#!/usr/bin/env bash
# The whole suite on PostgreSQL, then a smoke pass on the embedded SQLite default.
# REQUIRE_POSTGRES=1 (set by CI) turns an unreachable PostgreSQL into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/jisik}

bash scripts/ensure-services.sh
pg_up() { "$BIN/python" - "$PG_URL" <<'PY' 2>/dev/null
import sys, environ, psycopg2
cfg = environ.Env.db_url_config(sys.argv[1])
try:
    psycopg2.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                     password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}

start=$(date +%s)
if pg_up; then
    echo "== Full suite on PostgreSQL ($PG_URL)"
    DATABASE_URL=$PG_URL "$BIN/pytest" "$@"
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is not reachable at $PG_URL and REQUIRE_POSTGRES=1." >&2
    exit 1
else
    echo "== PostgreSQL not reachable: full suite on SQLite; PostgreSQL-only tests are skipped"
    env -u DATABASE_URL "$BIN/pytest" "$@"
fi
echo "== Smoke pass on the embedded SQLite default"
env -u DATABASE_URL VAR_DIR="$(mktemp -d)" "$BIN/pytest" -m smoke -q -p no:cacheprovider
echo "== make test took $(( $(date +%s) - start )) s"
