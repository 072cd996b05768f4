"""gunicorn hooks for the load test (``-c python:bench.gunicorn_hooks``): the same warm-up as
production's deploy/gunicorn.conf.py (jisik_portal.warmup). Without it a worker's first search
loaded the Korean analyser (~2.5 s on the bench, both cores busy) and the search rows' p99
measured that load instead of the page (p99 1.8 s); its first post view opened the task
queue's connection (~200 ms)."""


def post_worker_init(worker: object) -> None:
    from jisik_portal.warmup import web_worker_warm  # here: read before Django is set up

    web_worker_warm()
