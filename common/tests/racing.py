"""A helper for tests of writes that race on a row nobody has yet (PostgreSQL): the first
transaction creates it and stays open on another thread while the second runs here; the
first commits half a second later, so the second's insert waits on the unique index, then
finds the row."""

import threading
from collections.abc import Callable

from django.db import connections, transaction


def second_while_first_is_open(first: Callable[[], object], second: Callable[[], object]) -> None:
    """Run ``first`` in a transaction on another thread and hold it open, run ``second`` in a
    transaction here meanwhile, let the first commit 0.5 s into the second. Fails the test
    with whatever the first raised."""
    created = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def run_first() -> None:
        try:
            with transaction.atomic():
                first()  # done, not yet committed
                created.set()
                release.wait(10)
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)
            created.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run_first)
    thread.start()
    assert created.wait(10)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    try:
        with transaction.atomic():
            second()
    finally:
        thread.join(10)
        timer.cancel()
    assert errors == []
