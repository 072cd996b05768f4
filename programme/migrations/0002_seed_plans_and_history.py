"""The 2016 plan's schedule table (SPEC §6) for 2016 and the current year 2026, and the
2014-2015 proposal figures of SPEC §3. Data frozen here, as a migration should be."""

from django.db import migrations

ALL_YEAR = list(range(1, 13))
ACTIVITIES = [
    ("plan", "{year} 창의구정 추진계획", [1]),
    ("board", "지식통합게시판 『지식나눔』 구축", [2]),
    ("clubs", "학습동아리 구성 및 운영", list(range(2, 13))),
    ("knowledge_day", "지식등록의 날 운영", [3, 6, 9]),
    ("theme_proposals", "맞춤형 테마제안 운영", [4, 10]),
    ("best_practice_contest", "창의행정우수사례 경진대회", [9]),
    ("policy_contest", "구민정책제안 공모 및 콘테스트", [8, 9, 10]),
    ("club_review", "학습동아리 연구성과 심사", [11]),
    ("review_committee", "구민창안심사위원회", [5, 11]),
    ("proposals", "구민 및 직원 제안 모집", ALL_YEAR),
    ("benchmarking", "언론보도 벤치마킹", ALL_YEAR),
]
HISTORY = [
    (2014, 0, "proposals", 327),
    (2015, 0, "proposals", 384),
    (2015, 1, "proposals", 207),
    (2015, 1, "proposals_resident", 141),
    (2015, 1, "proposals_staff", 66),
    (2015, 1, "award_excellent", 3),
    (2015, 1, "award_encouragement", 6),
    (2015, 2, "proposals", 177),
    (2015, 2, "proposals_resident", 134),
    (2015, 2, "proposals_staff", 43),
    (2015, 2, "award_grand", 1),
    (2015, 2, "award_excellent", 4),
    (2015, 2, "award_encouragement", 4),
]
SOURCE = "2016 창의구정 추진계획 (2015년 실적)"


def seed(apps, schema_editor):
    PlanYear = apps.get_model("programme", "PlanYear")
    PlanActivity = apps.get_model("programme", "PlanActivity")
    HistoricalFigure = apps.get_model("programme", "HistoricalFigure")
    for year, budget in [(2016, 31_945), (2026, None)]:
        plan, created = PlanYear.objects.get_or_create(
            year=year,
            defaults={"title": f"{year} 창의구정 추진계획", "budget_thousand_won": budget},
        )
        if created:
            PlanActivity.objects.bulk_create(
                PlanActivity(
                    plan=plan, code=code, name=name.format(year=year), months=months, order=i
                )
                for i, (code, name, months) in enumerate(ACTIVITIES, start=1)
            )
    for year, half, metric, value in HISTORY:
        HistoricalFigure.objects.get_or_create(
            year=year, half=half, metric=metric, defaults={"value": value, "source": SOURCE}
        )


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_programme")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
