"""Who may see and manage 창의왕 points (django-rules)."""

import rules

from org.rules import is_authenticated, is_portal_admin

# Every member of staff sees their own points and the leaderboard (it is meant to motivate).
rules.add_perm("scoring.view_leaderboard", is_authenticated)
rules.add_perm("scoring.view_own_score", is_authenticated)
# The Excel export lists everyone's points: admins only.
rules.add_perm("scoring.export_ranking", is_portal_admin)
# Running, recomputing, replacing and confirming a round; recomputing a year's points.
rules.add_perm("scoring.manage_rounds", is_portal_admin)
