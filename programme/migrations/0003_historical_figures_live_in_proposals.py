"""The 2014–2015 figures live once, in the proposals app's ``HistoricalStatistic`` (seeded by
its own migration with the same SPEC §3 numbers); the programme's copy goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programme", "0002_seed_plans_and_history")]
    operations = [migrations.DeleteModel(name="HistoricalFigure")]
