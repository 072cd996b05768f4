"""Writes of the programme: the year plan, the knowledge day announcement, the seed data.
The scheduled jobs and their log are ``programme.jobs`` (above this module: jobs → services)."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from board.models import Area
from notifications.services import notification_send_many
from org.roles import Role
from proposals import services as proposals_services

from .models import PlanActivity, PlanYear
from .plan_data import BUDGET_2016_THOUSAND_WON, STANDARD_ACTIVITIES


@transaction.atomic
def plan_year_ensure(*, year: int) -> tuple[PlanYear, bool]:
    """This year's plan, created when missing: a copy of the latest earlier year's activities
    (admins keep the plan as they changed it), or the standard table of SPEC §6."""
    plan, created = PlanYear.objects.get_or_create(
        year=year, defaults={"title": f"{year} 창의구정 추진계획"}
    )
    if not created:
        return plan, False
    previous = (
        PlanYear.objects.filter(year__lt=year)
        .order_by("-year")
        .prefetch_related("activities")
        .first()
    )
    if previous and previous.activities.all():
        rows = [
            PlanActivity(
                plan=plan,
                code=a.code,
                name=a.name.replace(str(previous.year), str(year)),
                months=list(a.months),
                note=a.note,
                order=a.order,
            )
            for a in previous.activities.all()
        ]
    else:
        rows = [
            PlanActivity(plan=plan, code=code, name=name.format(year=year), months=months, order=i)
            for i, (code, name, months) in enumerate(STANDARD_ACTIVITIES, start=1)
        ]
    PlanActivity.objects.bulk_create(rows)
    return plan, True


def knowledge_day_announce(*, day: date, at: datetime | None = None) -> int:
    """Tell every active staff member that this month is a 지식등록의 날 month (in the portal,
    no mail to a thousand people). Returns how many were told."""
    staff = get_user_model().objects.filter(is_active=True, groups__name=Role.STAFF).distinct()
    url = reverse("board:area_list", args=[Area.WORKSHARING])
    title = _("%(month)d월은 지식등록의 날입니다. 업무 지식을 지식나눔에 등록해 주세요.") % {
        "month": day.month
    }
    return notification_send_many(
        recipients=staff, verb="programme.knowledge_day", title=title, url=url, at=at
    )


@transaction.atomic
def programme_seed_ensure(*, today: date | None = None) -> None:
    """The 2016 plan, this year's plan and the 2014-2015 figures (kept by the proposals app),
    when missing (the migrations seed them; the demo and tests that flush the database call
    this). Idempotent."""
    plan_2016, _created = plan_year_ensure(year=2016)
    if plan_2016.budget_thousand_won is None:
        plan_2016.budget_thousand_won = BUDGET_2016_THOUSAND_WON
        plan_2016.save(update_fields=["budget_thousand_won"])
    plan_year_ensure(year=(today or timezone.localdate()).year)
    proposals_services.history_seed()
