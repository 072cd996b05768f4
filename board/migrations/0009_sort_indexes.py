from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("board", "0008_keyrebuild")]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["area", "-view_count", "-created_at"], name="board_post_area_views"
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["area", "-comment_count", "-created_at"], name="board_post_area_comments"
            ),
        ),
    ]
