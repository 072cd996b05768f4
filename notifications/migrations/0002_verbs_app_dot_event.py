"""Stored verbs renamed to ``<app>.<event>`` (issue 11): the admin's filter and the tests tell
kinds apart by them, so old rows follow the new names."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

RENAMED = {
    "board.approved": "board.post_approved",
    "board.rejected": "board.post_rejected",
    "board.duplicate": "board.post_duplicate",
    "board.commented": "board.comment_added",
    "post_approved": "board.post_approved",
    "scoring_winner": "scoring.prize_confirmed",
    "proposal_status": "proposals.stage_changed",
    "knowledge_day": "programme.knowledge_day",
    "심사 시작": "contests.stage_opened",  # was stored translated
}


def _rename(apps: StateApps, pairs: dict[str, str]) -> None:
    Notification = apps.get_model("notifications", "Notification")
    for old, new in pairs.items():
        Notification.objects.filter(verb=old).update(verb=new)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _rename(apps, RENAMED)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # post_approved and board.approved both became board.post_approved: back to the board's.
    _rename(apps, {new: old for old, new in RENAMED.items() if old != "post_approved"})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications")]

    operations = [migrations.RunPython(forwards, backwards)]
