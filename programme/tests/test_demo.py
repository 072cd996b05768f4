"""The demo data (``manage.py seed_demo``, run by ``make run``) never lies in the future,
whatever day it runs (issue 13 #8), and its people are fictional."""

import csv
from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from contests.models import Committee, Entry
from org.demo import demo_names
from proposals.models import Proposal

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")

# Dates that are a schedule, not something that happened: the day a round or a term ends, the
# day a resident's personal data is to be erased (개인정보 보유기간).
SCHEDULE_FIELDS = {"ends_on", "closes_on", "term_end", "retain_until"}
PROJECT_APPS = {
    "org", "board", "scoring", "contests", "notifications", "downloads", "proposals", "clubs",
    "programme",
}  # fmt: skip


def _date_fields() -> Iterator[tuple[type[models.Model], models.Field]]:
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and field.name not in SCHEDULE_FIELDS:
                yield model, field


def _in_the_future(now: datetime) -> list[str]:
    today = timezone.localdate(now)
    found = []
    for model, field in _date_fields():
        limit: date | datetime = now if isinstance(field, models.DateTimeField) else today
        later = model._default_manager.filter(**{f"{field.name}__gt": limit})
        if later.exists():
            first = later.order_by(f"-{field.name}").values_list(field.name, flat=True)[0]
            found.append(f"{model._meta.label}.{field.name}: {first} ({later.count()} rows)")
    return found


def _seed_at(now: datetime) -> str:
    """``seed_demo`` as ``make run`` runs it on the day ``now`` (the machine's clock too: a
    service that takes the time itself sees the same day)."""
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=now):
        call_command("seed_demo", "--quiet-logins", f"--now={now.isoformat()}", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "now",
    [
        datetime(2027, 1, 1, 0, 5, tzinfo=SEOUL),  # New Year's night: last year is all past
        datetime(2026, 6, 1, 0, 5, tzinfo=SEOUL),  # a month's first minutes
    ],
    ids=["jan-1st", "month-1st"],
)
def test_nothing_the_demo_writes_is_after_now(now: datetime) -> None:
    _seed_at(now)
    assert _in_the_future(now) == []


# Current and recent Korean public figures whose names a demo person must not carry: Seoul's
# mayors, Jung-gu's mayors, presidents and their spouses, prime ministers, ministers, party
# leaders (a reasonable list, not a complete one).
PUBLIC_FIGURES = {
    # 서울특별시장 (incl. acting)
    "오세훈", "박원순", "서정협", "이명박", "고건", "조순", "최병렬", "이해원",
    # 서울 중구청장
    "김길성", "서양호", "최창식", "정동일", "성낙합", "김동일",
    # 대통령 and spouses
    "이재명", "윤석열", "문재인", "박근혜", "노무현", "김대중", "김영삼", "노태우", "전두환",
    "김혜경", "김건희", "김정숙", "권양숙", "이희호", "김윤옥",
    # 국무총리
    "김민석", "한덕수", "김부겸", "정세균", "이낙연", "황교안", "정홍원", "김황식", "정운찬",
    "최상목", "추경호",
    # ministers (행정안전부, 법무부, 외교부, 국방부, 기획재정부, 교육부 …) and party leaders
    "윤호중", "이상민", "진영", "전해철", "한동훈", "조국", "추미애", "박범계",
    "정성호", "조현", "조태열", "박진", "정의용", "강경화", "안규백", "김용현", "신원식",
    "이종섭", "구윤철", "홍남기", "이주호", "유은혜", "정은경", "조규홍", "안철수", "이준석",
    "정청래", "김문수", "홍준표", "유승민", "심상정", "우원식", "김진표", "박병석", "장동혁",
    "송언석", "권영세", "권성동", "박찬대", "이해찬", "김기현", "주호영", "나경원",
}  # fmt: skip
STAFF_FILE = Path(__file__).resolve().parents[2] / "org" / "demo_data" / "staff.csv"


def _staff_file_names() -> list[str]:
    with STAFF_FILE.open(encoding="utf-8-sig", newline="") as data:
        return [row["성명"] for row in csv.DictReader(data)]


def test_the_names_are_fictional_and_none_is_a_public_figure() -> None:
    generated = ["".join(n) for n in demo_names()]
    assert len(set(generated)) == len(generated)  # distinct by construction
    assert not PUBLIC_FIGURES & set(generated)
    names = _staff_file_names()
    assert len(names) > 100 and not PUBLIC_FIGURES & set(names)
    people = [n for n in names if n != "관리자"]  # the admin account's placeholder
    assert len(set(people)) == len(people), "two demo staff share a name"
    assert set(people) <= set(generated), "a staff file name that is not a demo name"
    # The old file's mayor is gone.
    assert "오세훈" not in STAFF_FILE.read_text(encoding="utf-8-sig")


NOW = datetime(2026, 12, 3, 9, 0, tzinfo=SEOUL)  # before the 6th: last month's report is due


def _home(client: Client, username: str) -> str:
    with mock.patch("django.utils.timezone.now", return_value=NOW):  # the session's clock too
        client.force_login(User.objects.get(username=username))
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(body: str, testid: str) -> str:
    assert f'data-testid="{testid}"' in body, testid
    return body.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]


def test_each_role_finds_its_day_in_the_demo_and_its_people_are_fictional(
    client: Client,
) -> None:
    _seed_at(NOW)
    # Every demo person: no public figure, and no two in one committee with the same name.
    people = {f"{u.last_name}{u.first_name}" for u in User.objects.all()}
    residents = set(Proposal.objects.values_list("proposer_name", flat=True))
    residents |= set(Entry.objects.exclude(owner_name="").values_list("owner_name", flat=True))
    assert not PUBLIC_FIGURES & (people | residents)
    for committee in Committee.objects.all():
        # One person may hold two seats (a renewed term): people, not seats, count.
        seated = {
            m.user_id: f"{m.user.last_name}{m.user.first_name}"
            for m in committee.members.select_related("user")
        }
        names = list(seated.values())
        assert len(names) == len(set(names)), f"{committee}: {names}"
        assert len(names) >= 7

    # staff1: this month's comment and view points against the caps, the quarter's rank, a
    # report waiting for approval; as 기획재정국 1분임's 총무 the November report due.
    body = _home(client, "staff1")
    assert "/ 40" in _section(body, "home-comment-points").split("</dd>")[0]
    assert "/ 20" in _section(body, "home-view-points").split("</dd>")[0]
    assert "2026년 4분기" in _section(body, "home-today")
    assert int(_section(body, "home-waiting-count").split(">", 1)[1].split("<", 1)[0]) >= 1
    reports = _section(body, "home-reports")
    assert "기획재정국" in reports and "11월 보고서 (12월 5일까지)" in reports
    latest = _section(body, "home-latest")
    assert "아직 승인된 글이 없습니다." not in latest  # every area has approved knowledge
    rounds = _section(body, "home-rounds")
    assert "2026년 11월 맞춤형 테마제안" in rounds and "하반기 제안 심사" in rounds

    # innov (portal admin): the approval queue and the overdue proposals.
    admin = _section(_home(client, "innov"), "home-admin")
    queue = admin.split('data-testid="home-queue-count">', 1)[1].split("<", 1)[0]
    assert int(queue) >= 1
    assert 'data-testid="home-overdue-count"' in admin

    # panel01 (실무평가단): the open review stage with its deadline.
    reviews = _section(_home(client, "panel01"), "home-reviews")
    assert "하반기 제안 심사" in reviews and "까지" in reviews
