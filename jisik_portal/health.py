"""``/healthz``: whether the database, the cache and the broker answer (for the load
balancer and monitoring). 200 when all are reachable, 503 otherwise. No login, no details
beyond the kind of error."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app

logger = logging.getLogger(__name__)
BROKER_TIMEOUT = 2  # seconds: a health check must answer quickly even when Redis is gone


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not keep a value")
    return "ok"


def check_broker() -> str:
    if app.conf.task_always_eager:
        return "eager"  # no broker configured: tasks run in-process
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:
            logger.warning("healthz: %s unreachable: %r", name, exc)
            report[name] = f"error: {type(exc).__name__}"
    healthy = all(v in ("ok", "eager") for v in report.values())
    body = {"status": "ok" if healthy else "error", **report}
    return JsonResponse(body, status=200 if healthy else 503)
