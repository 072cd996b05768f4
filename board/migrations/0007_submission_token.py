"""One-time submission tokens (common.once): a double submit of the write or comment form
stores one row, enforced by a unique index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("board", "0006_title_key")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="submission_token",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="comment",
            name="submission_token",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
    ]
