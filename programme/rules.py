"""Who may see what of the programme: the calendar is for all staff, the dashboard and the
plan's editing (in Django admin) for the portal admins (기획예산과 혁신평가팀)."""

import rules

from org.rules import is_authenticated, is_portal_admin

rules.add_perm("programme.view_calendar", is_authenticated)
rules.add_perm("programme.view_dashboard", is_portal_admin)
rules.add_perm("programme.change_plan", is_portal_admin)
