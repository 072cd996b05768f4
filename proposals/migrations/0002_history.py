"""Seed the 2014–2015 figures of the 2016 plan (SPEC §3) so statistics start with history."""

from django.db import migrations

HISTORY = (
    {"year": 2014, "half": 0, "total": 327, "note": "연간 합계만 남아 있음"},
    {"year": 2015, "half": 1, "total": 207, "residents": 141, "staff": 66,
     "grand": 0, "excellent": 3, "merit": 6},
    {"year": 2015, "half": 2, "total": 177, "residents": 134, "staff": 43,
     "grand": 1, "excellent": 4, "merit": 4},
)  # fmt: skip


def seed(apps, schema_editor):  # noqa: ANN001, ANN201
    model = apps.get_model("proposals", "HistoricalStatistic")
    for row in HISTORY:
        values = {k: v for k, v in row.items() if k not in ("year", "half")}
        model.objects.update_or_create(year=row["year"], half=row["half"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
