"""Who may do what with proposals (django-rules)."""

import rules

from org.rules import is_authenticated, is_portal_admin, is_working_panel
from org.selectors import department_of


@rules.predicate
def is_proposal_author(user: object, proposal: object) -> bool:
    return proposal is not None and getattr(proposal, "author_id", None) == getattr(user, "pk", 0)


@rules.predicate
def is_in_case_department(user: object, case: object) -> bool:
    if case is None:
        return False
    dept = department_of(user)
    return dept is not None and dept.pk == case.department_id


@rules.predicate
def has_department(user: object) -> bool:
    return department_of(user) is not None


rules.add_perm("proposals.view_index", is_authenticated)
rules.add_perm("proposals.write_proposal", is_authenticated)
# Staff at the 구청 and 주민센터 desks register mail, visit and 국민신문고 proposals.
rules.add_perm("proposals.register_on_behalf", is_authenticated)
rules.add_perm("proposals.manage_proposals", is_portal_admin)
rules.add_perm("proposals.view_proposal", is_portal_admin | is_proposal_author | is_working_panel)
# Residents' full names and contacts: admins only, each view logged.
rules.add_perm("proposals.view_personal_data", is_portal_admin)
rules.add_perm("proposals.manage_themes", is_portal_admin)
rules.add_perm("proposals.post_theme_task", is_portal_admin | has_department)
rules.add_perm("proposals.register_benchmark", is_authenticated)
rules.add_perm("proposals.review_benchmark", is_portal_admin | is_in_case_department)
rules.add_perm("proposals.view_statistics", is_authenticated)
rules.add_perm("proposals.manage_evaluation", is_portal_admin)
