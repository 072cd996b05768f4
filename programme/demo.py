"""Demo data of the programme: the 2016 and this year's plans and the 2014-2015 figures (the
migrations seed them too; a flushed database gets them back here)."""

from datetime import datetime
from typing import TextIO

from django.utils import timezone

from .services import programme_seed_ensure


def seed(stdout: TextIO | None = None, *, now: datetime | None = None) -> None:
    programme_seed_ensure(today=timezone.localdate(now or timezone.now()))
    if stdout:
        stdout.write("programme: 연간 추진 일정(2016, 올해)과 2014~2015년 실적\n")
