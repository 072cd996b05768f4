"""Who may do what with proposals (django-rules). Every "who may" of the app is here; views
ask through ``common.access``, so superusers follow these rules too."""

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from org.rules import is_authenticated, is_portal_admin, is_working_panel
from org.selectors import department_of

from .calculations import TRANSITIONS
from .models import BENCHMARK_NEXT, BenchmarkCase, Proposal, ProposerKind

UserLike = AbstractBaseUser | AnonymousUser

# 총무과 (HR) receives the 성과포인트 list (SPEC: "총무과 (HR) export").
HR_DEPARTMENT_NAME = "총무과"


@rules.predicate
def is_proposal_author(user: UserLike, proposal: Proposal | None) -> bool:
    return (
        isinstance(proposal, Proposal)
        and user.is_authenticated
        and proposal.author_id is not None
        and proposal.author_id == user.pk
    )


@rules.predicate
def is_staff_proposal(user: UserLike, proposal: Proposal | None) -> bool:
    return isinstance(proposal, Proposal) and proposal.kind == ProposerKind.STAFF


@rules.predicate
def proposal_has_next_step(user: UserLike, proposal: Proposal | None) -> bool:
    """The lifecycle table leaves a step from the proposal's state (불채택, 실시 are final)."""
    return isinstance(proposal, Proposal) and bool(TRANSITIONS.get(proposal.status))


@rules.predicate
def proposal_not_in_evaluation(user: UserLike, proposal: Proposal | None) -> bool:
    return isinstance(proposal, Proposal) and proposal.evaluation_id is None


@rules.predicate
def is_in_case_department(user: UserLike, case: BenchmarkCase | None) -> bool:
    if not isinstance(case, BenchmarkCase):
        return False
    dept = department_of(user)
    return dept is not None and dept.pk == case.department_id


@rules.predicate
def case_has_next_state(user: UserLike, case: BenchmarkCase | None) -> bool:
    return isinstance(case, BenchmarkCase) and bool(BENCHMARK_NEXT.get(case.state))


@rules.predicate
def has_department(user: UserLike) -> bool:
    return department_of(user) is not None


@rules.predicate
def is_hr_staff(user: UserLike) -> bool:
    """A member of 총무과, who receives the incentive lists."""
    dept = department_of(user)
    return dept is not None and dept.name == HR_DEPARTMENT_NAME


rules.add_perm("proposals.view_index", is_authenticated)
rules.add_perm("proposals.write_proposal", is_authenticated)
# Staff at the 구청 and 주민센터 desks register mail, visit and 국민신문고 proposals.
rules.add_perm("proposals.register_on_behalf", is_authenticated)
rules.add_perm("proposals.manage_proposals", is_portal_admin)
rules.add_perm("proposals.view_proposal", is_portal_admin | is_proposal_author | is_working_panel)
# One step along the lifecycle table, by an admin, while a step is left.
rules.add_perm("proposals.change_status", is_portal_admin & proposal_has_next_step)
# Linking a duplicate: before the proposal goes to an evaluation (one idea is awarded once).
rules.add_perm("proposals.link_proposal", is_portal_admin & proposal_not_in_evaluation)
# Residents' full names and contacts: admins only, each view logged.
rules.add_perm("proposals.view_personal_data", is_portal_admin)
# A staff proposal's file is the author's; a resident's is personal data.
rules.add_perm(
    "proposals.view_attachment",
    (is_portal_admin | is_proposal_author | is_working_panel) & is_staff_proposal | is_portal_admin,
)
rules.add_perm("proposals.manage_themes", is_portal_admin)
rules.add_perm("proposals.post_theme_task", is_portal_admin | has_department)
rules.add_perm("proposals.register_benchmark", is_authenticated)
rules.add_perm("proposals.view_benchmark", is_authenticated)
rules.add_perm("proposals.review_benchmark", is_portal_admin | is_in_case_department)
rules.add_perm(
    "proposals.advance_benchmark",
    (is_portal_admin | is_in_case_department) & case_has_next_state,
)
rules.add_perm("proposals.view_statistics", is_authenticated)
rules.add_perm("proposals.manage_evaluation", is_portal_admin)
# The 성과포인트 list: made by the programme admins, received by 총무과.
rules.add_perm("proposals.export_performance", is_portal_admin | is_hr_staff)
