from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("board", "0010_search_vector")]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(fields=["-created_at", "-id"], name="board_post_recent"),
        ),
    ]
