"""The org chart: bureaus 국·소, departments 부서, teams 팀 and staff profiles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

UNASSIGNED_LABEL = _("미지정")


class Bureau(models.Model):
    """A bureau 국·소 (e.g. 기획재정국, 보건소)."""

    name = models.CharField(_("국·소명"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("국·소")
        verbose_name_plural = _("국·소")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department 부서; the 15 동 주민센터 are departments too (kind=dong)."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("부서")
        DONG = "dong", _("동 주민센터")

    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="departments", verbose_name=_("국·소")
    )
    name = models.CharField(_("부서명"), max_length=50, unique=True)
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices, default=Kind.OFFICE)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        ordering = ["bureau__order", "order", "name"]
        verbose_name = _("부서")
        verbose_name_plural = _("부서")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team 팀 inside a department."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="teams", verbose_name=_("부서")
    )
    name = models.CharField(_("팀명"), max_length=50)

    class Meta:
        ordering = ["department", "name"]
        verbose_name = _("팀")
        verbose_name_plural = _("팀")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="team_unique_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.name}"


class StaffProfile(models.Model):
    """A staff member 직원. A user without a profile or department works everywhere (미지정)."""

    class Position(models.TextChoices):
        DEPUTY_HEAD = "deputy_head", _("부구청장")
        BUREAU_HEAD = "bureau_head", _("국장")
        DIVISION_HEAD = "division_head", _("과장")
        DONG_HEAD = "dong_head", _("동장")
        TEAM_LEADER = "team_leader", _("팀장")
        OFFICER = "officer", _("주무관")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("사용자"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("부서"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("팀")
    )
    position = models.CharField(
        _("직위"), max_length=20, choices=Position.choices, default=Position.OFFICER
    )
    employee_number = models.CharField(
        _("직원번호"), max_length=20, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["department", "user__last_name", "user__first_name"]
        verbose_name = _("직원 프로필")
        verbose_name_plural = _("직원 프로필")
        constraints = [
            models.CheckConstraint(
                condition=Q(employee_number__isnull=True) | ~Q(employee_number=""),
                name="staff_employee_number_not_blank",
            )
        ]

    def __str__(self) -> str:
        return f"{display_name(self.user)} ({self.department or UNASSIGNED_LABEL})"


def display_name(user: "settings.AUTH_USER_MODEL") -> str:
    """Korean names are written family name first with no space (홍길동)."""
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()
