"""The topic lists a club picks from (SPEC §4): 'Vision 2018 창조도시 중구 10대 핵심과제' and a
sample of the district head's 106 pledges 민선6기 구청장 공약사항.

The plan names both lists but its text does not give their items, so every title here is
sample wording (is_sample=True) written to fit the plan's themes; admins replace them with
the office's own text in Django admin (the numbers stay stable)."""

from django.db import migrations

from clubs.topic_lists import PLEDGES, VISION_2018


def seed(apps: object, schema_editor: object) -> None:
    Topic = apps.get_model("clubs", "Topic")  # type: ignore[attr-defined]
    for source, titles in (("vision2018", VISION_2018), ("pledge", PLEDGES)):
        for number, title in enumerate(titles, start=1):
            Topic.objects.get_or_create(
                source=source, number=number, defaults={"title": title, "is_sample": True}
            )


class Migration(migrations.Migration):
    dependencies = [("clubs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
