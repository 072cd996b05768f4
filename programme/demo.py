"""Demo data of the programme: the plans and history come with the migrations; the demo
makes sure this year has a plan too (the demo may be loaded in a later year)."""

from typing import TextIO

from django.utils import timezone

from .services import plan_year_ensure


def seed(stdout: TextIO | None = None) -> None:
    plan, created = plan_year_ensure(year=timezone.localdate().year)
    if stdout and created:
        stdout.write(f"programme: {plan.year}년 추진 일정을 만들었습니다.\n")
