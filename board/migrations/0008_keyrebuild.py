from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("board", "0007_submission_token")]

    operations = [
        migrations.CreateModel(
            name="KeyRebuild",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("started_at", models.DateTimeField(verbose_name="시작 일시")),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="완료 일시"),
                ),
                (
                    "last_id",
                    models.BigIntegerField(default=0, verbose_name="처리한 마지막 게시글 번호"),
                ),
                ("total", models.PositiveIntegerField(default=0, verbose_name="대상 게시글 수")),
                ("done", models.PositiveIntegerField(default=0, verbose_name="처리한 게시글 수")),
            ],
            options={
                "verbose_name": "중복 검색 키 재계산",
                "verbose_name_plural": "중복 검색 키 재계산",
                "ordering": ["-started_at", "-id"],
            },
        ),
    ]
