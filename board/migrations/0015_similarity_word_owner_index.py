"""The word index's owner index led by object_id (the triggers' DELETE), so a duplicate
lookup can only walk board_simword_walk, whatever the statistics say."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0014_search_statistics"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="similarityword",
            name="board_simword_object",
        ),
        migrations.AddIndex(
            model_name="similarityword",
            index=models.Index(fields=["object_id", "source"], name="board_simword_owner"),
        ),
    ]
