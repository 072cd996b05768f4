"""One submission, one record: a double click or a replayed POST stores one thing.

The form carries a one-time token (``OnceTokenField``, a hidden UUID made when the form is
first shown); the model keeps it under a unique constraint
(``submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)``);
the service creates through ``create_once``: two identical POSTs released together race to the
same unique index, one wins, the other gets the winner's row back. A plain "same text in the
last 60 s" SELECT cannot do this: both requests see nothing and both insert.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


def new_token() -> uuid.UUID:
    return uuid.uuid4()


class OnceTokenField(forms.UUIDField):
    """A hidden one-time token; a fresh one is made each time the unbound form is shown."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", new_token)
        super().__init__(**kwargs)  # type: ignore[arg-type]


def create_once(model: type[M], token: uuid.UUID | None, create: Callable[[], M]) -> tuple[M, bool]:
    """``(obj, created)``: the row this token already made, or the one ``create`` makes now.

    ``create`` must save the row with ``submission_token=token``. Without a token (an import,
    a test, an older form) it simply creates. Must run inside the caller's transaction.
    """
    if token is None:
        return create(), True
    existing = model._default_manager.filter(submission_token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: the loser's IntegrityError stays contained
            return create(), True
    except IntegrityError:
        winner = model._default_manager.filter(submission_token=token).first()
        if winner is None:
            raise
        return winner, False
