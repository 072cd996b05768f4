"""gunicorn hooks for the load test (``-c python:bench.gunicorn_hooks``): the same warm-up as
production's deploy/gunicorn.conf.py. Each worker loads the Korean analyser before it takes a
request; without it, a worker's first search loads it (~2.5 s on the bench, both cores busy)
and the search rows' p99 measured that load instead of the page (p99 1.8 s)."""


def post_worker_init(worker: object) -> None:
    from board import textsim  # here: gunicorn reads this file before Django is set up

    textsim.warm()
