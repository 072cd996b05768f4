"""gunicorn for 지식나눔: ``gunicorn -c deploy/gunicorn.conf.py`` (``make run-prod``).

Threaded workers (gthread): a client that sends its request slowly holds one thread, not a
whole worker, so a few slow clients leave the others served. In production nginx
(deploy/nginx.conf) buffers every request and response in front, so gunicorn only ever
sees whole requests; this is the second line. The settings come from the environment file
(jisik_portal/settings.py reads it); the sizes below from the same variables.
"""

import os

wsgi_app = "jisik_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker that answers nothing for `timeout` seconds is restarted; idle keep-alive
# connections are closed after `keepalive` seconds (nginx keeps its own to the clients).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Bound what one request may send before the application sees it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Recycle workers now and then, so a slow leak cannot grow without end.
max_requests = 2000
max_requests_jitter = 200

# Only nginx on this machine may say the request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# The access log has the path but never the query string: a search for a resident's name or
# phone number must not land in the log.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
# gunicorn's control socket (gunicornc) is not used; off, so two servers never share one.
control_socket_disable = True
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker: object) -> None:
    """Each worker loads what its first request would otherwise wait for (the Korean analyser,
    about 1–10 s; the task queue's connection): jisik_portal.warmup."""
    # Imported here: gunicorn reads this file before Django is set up.
    from jisik_portal.warmup import web_worker_warm  # noqa: PLC0415

    web_worker_warm()
