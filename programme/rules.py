"""Who may see what of the programme: the calendar is for all staff, the dashboard for the
portal admins (기획예산과 혁신평가팀)."""

import rules

from org.rules import is_authenticated, is_portal_admin

rules.add_perm("programme.view_calendar", is_authenticated)
rules.add_perm("programme.view_dashboard", is_portal_admin)
