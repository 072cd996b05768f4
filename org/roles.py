"""Roles are Django groups with plain Korean names, so admins recognise them in Django admin."""

from enum import StrEnum


class Role(StrEnum):
    PORTAL_ADMIN = "지식나눔 관리자"  # 기획예산과 혁신평가팀
    WORKING_PANEL = "실무평가단"
    PROMOTION_BOARD = "창의구정추진단"
    REVIEW_COMMITTEE = "구민창안심사위원회"
    STAFF = "직원"


ALL_ROLES: tuple[Role, ...] = tuple(Role)
