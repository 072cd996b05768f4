"""Every write of the contests app, by sub-domain. Other apps call ``round_create``,
``entry_create``, ``prize_record`` and ``rounds_open_due`` (``from contests import services``);
the review pages and the admin call the rest. Each refuses with ``common.errors.ServiceError``
(a Korean message and a code) and stores nothing when the input is wrong."""

from ..calculations import QuotaSpec, StageSpec
from .awards import AWARD_SOURCE, awards_confirm
from .budget import budget_set, prize_record
from .committees import committee_for_kind, committee_member_add
from .entries import CASE_FILE_KINDS, CASE_SOURCE, case_replace, case_submit, entry_create
from .rounds import round_create, round_quotas_set
from .sheets import recusal_declare, score_sheet_save
from .stages import (
    results_compute,
    rounds_open_due,
    stage_advance,
    stage_close,
    stage_open,
    stage_reopen,
)

__all__ = [
    "AWARD_SOURCE",
    "CASE_FILE_KINDS",
    "CASE_SOURCE",
    "QuotaSpec",
    "StageSpec",
    "awards_confirm",
    "budget_set",
    "case_replace",
    "case_submit",
    "committee_for_kind",
    "committee_member_add",
    "entry_create",
    "prize_record",
    "recusal_declare",
    "results_compute",
    "round_create",
    "round_quotas_set",
    "rounds_open_due",
    "score_sheet_save",
    "stage_advance",
    "stage_close",
    "stage_open",
    "stage_reopen",
]
