"""What a web worker loads before its first request (gunicorn's ``post_worker_init``, in
production's deploy/gunicorn.conf.py and in the load test's bench.gunicorn_hooks): otherwise
the first request that needs it pays, inside a user's wait.

- The Korean analyser of the search and the duplicate check (``board.textsim``): 1–10 s.
- The task queue's connection and result backend (Celery): the first job a worker handed over
  took 212 ms on the bench (connection, transport, backend), the next ones about 1 ms (the
  backend is kept per thread: a threaded worker's other threads build their own once). A
  broker that cannot be reached is logged here and the worker starts anyway: the view then
  records its job in-process, as when the broker goes away later (board.services).
"""

import logging

from celery import Celery, current_app

from board import textsim  # this module is imported once Django is set up (gunicorn's hook)

logger = logging.getLogger(__name__)


def web_worker_warm(app: Celery | None = None) -> None:
    textsim.warm()
    app = app or current_app
    if app.conf.task_always_eager:
        return  # no broker: jobs run in the request
    try:
        app.backend  # noqa: B018 - built on first use: the result backend's client
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=1)
    except Exception:  # the first job will try again, and fall back to running in-process
        logger.warning("task queue unreachable at worker start", exc_info=True)
