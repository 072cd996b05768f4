"""Factories and small builders for contests tests; other apps' tests may use them."""

import tempfile
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from contests.models import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    MemberKind,
    MemberRole,
    Stage,
)
from contests.services import (
    QuotaSpec,
    StageSpec,
    committee_for_kind,
    committee_member_add,
    round_create,
)
from org.models import Department
from org.roles import Role
from org.tests.factories import staff_user

TERM_START = date(2016, 1, 1)

ROLE_FOR_KIND = {
    CommitteeKind.WORKING_PANEL: Role.WORKING_PANEL,
    CommitteeKind.PROMOTION_BOARD: Role.PROMOTION_BOARD,
    CommitteeKind.REVIEW_COMMITTEE: Role.REVIEW_COMMITTEE,
}


def member(
    committee: Committee,
    *,
    department: Department | None = None,
    role: str = MemberRole.MEMBER,
    kind: str = MemberKind.EX_OFFICIO,
    term_start: date = TERM_START,
    term_end: date | None = None,
    user: AbstractBaseUser | None = None,
    **user_kw: object,
) -> CommitteeMember:
    """A staff user seated on ``committee`` (with the committee's role group)."""
    user = user or staff_user(
        department=department,
        roles=[ROLE_FOR_KIND[CommitteeKind(committee.kind)], Role.STAFF],
        **user_kw,
    )
    return committee_member_add(
        committee=committee,
        user=user,
        role=role,
        kind=kind,
        term_start=term_start,
        term_end=term_end,
    )


def single_stage_round(
    *,
    kind: str = "half_year_proposals",
    committee_kind: str = CommitteeKind.WORKING_PANEL,
    quotas: tuple[tuple[str, int, int], ...] = (("grand", 1, 300_000), ("excellent", 1, 200_000)),
    criteria: tuple[tuple[str, int, int], ...] = (("창의성", 60, 10), ("실시가능성", 40, 10)),
    year: int = 2016,
    title: str = "2016 상반기 제안 심사",
    **kw: object,
):
    """A one-stage round (the final stage) with a small rubric and quotas."""
    return round_create(
        kind=kind,
        year=year,
        title=title,
        stages=[StageSpec("심사", committee_kind)],
        quotas=[QuotaSpec(g, n, p) for g, n, p in quotas],
        criteria=criteria,
        **kw,
    )


def committee(kind: str = CommitteeKind.WORKING_PANEL) -> Committee:
    return committee_for_kind(kind)


def scores_download(client: Client, stage: Stage) -> bytes:
    """The stage's scores.xlsx as a person gets it: the request leads to the background
    download's page, which says it is ready (built eagerly in tests), then to the file."""
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp()):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.get(reverse("contests:stage_scores_export", args=[stage.pk]))
        assert response.status_code == 302, response.status_code
        page = client.get(response["Location"])
        assert "자료가 준비되었습니다" in page.content.decode()
        download = page.context["download"]
        file = client.get(reverse("downloads:file", args=[download.pk]))
        assert file.status_code == 200
        assert file["Content-Disposition"].endswith(f'scores-stage-{stage.pk}.xlsx"')
        return b"".join(file.streaming_content)
