"""The department a month's points were earned in, and the month's approval count: the
department view of the leaderboard groups by them. Existing months take the person's current
department (the only one known) and their count from the ledger."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):  # noqa: ANN001, ANN201
    UserMonth = apps.get_model("scoring", "UserMonth")
    StaffProfile = apps.get_model("org", "StaffProfile")
    Activity = apps.get_model("scoring", "Activity")
    UserMonth.objects.update(
        department_id=Subquery(
            StaffProfile.objects.filter(user_id=OuterRef("user_id")).values("department_id")[:1]
        ),
        approvals=Coalesce(
            Subquery(
                Activity.objects.filter(
                    user_id=OuterRef("user_id"),
                    month=OuterRef("month"),
                    kind="approval",
                    voided_at__isnull=True,
                )
                .values("user_id")
                .annotate(n=Count("id"))
                .values("n")[:1]
            ),
            0,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("scoring", "0003_once_per_live_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="usermonth",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="org.department",
                verbose_name="부서(당시)",
            ),
        ),
        migrations.AddField(
            model_name="usermonth",
            name="approvals",
            field=models.IntegerField(default=0, verbose_name="승인 건수"),
        ),
        migrations.AddIndex(
            model_name="usermonth",
            index=models.Index(fields=["month", "department"], name="scoring_um_month_dept"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
