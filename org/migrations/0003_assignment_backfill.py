"""Every existing profile gets its current posting as history 'since before the history began'."""

from django.db import migrations


def backfill(apps, schema_editor):
    StaffProfile = apps.get_model("org", "StaffProfile")
    Assignment = apps.get_model("org", "Assignment")
    have = set(Assignment.objects.values_list("user_id", flat=True))
    Assignment.objects.bulk_create(
        Assignment(user_id=p.user_id, department_id=p.department_id, team_id=p.team_id)
        for p in StaffProfile.objects.exclude(user_id__in=have).only(
            "user_id", "department_id", "team_id"
        )
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0002_staff_import_history")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
