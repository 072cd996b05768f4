"""The org chart: bureaus 국·소, departments 부서, teams 팀 and staff profiles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
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


class EmploymentStatus(models.TextChoices):
    """재직 상태 as the HR system writes it; only 재직 may sign in."""

    ACTIVE = "active", _("재직")
    LEAVE = "leave", _("휴직")
    RETIRED = "retired", _("퇴직")


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
    grade = models.CharField(_("직급"), max_length=30, blank=True)
    employment_status = models.CharField(
        _("재직 상태"),
        max_length=10,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    # An account an admin created (or gave a password) must choose its own at first login.
    must_change_password = models.BooleanField(_("첫 로그인 때 비밀번호 변경"), default=False)

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


class Assignment(models.Model):
    """One span of a person's posting 발령: department and team from ``started_at`` to ``ended_at``.

    ``started_at`` empty: since before the history began; ``ended_at`` empty: the current one.
    Past posts, points and seats read the department of their time from here
    (``org.selectors.department_at``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("사용자"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("부서"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("팀"),
    )
    started_at = models.DateTimeField(_("시작"), null=True, blank=True)
    ended_at = models.DateTimeField(_("종료"), null=True, blank=True)

    class Meta:
        ordering = ["user", "started_at"]
        verbose_name = _("발령 이력")
        verbose_name_plural = _("발령 이력")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_current_per_user",
                violation_error_message=_("현재 발령은 한 사람에 하나뿐입니다."),
            ),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True)
                | Q(ended_at__isnull=True)
                | Q(ended_at__gt=F("started_at")),
                name="assignment_ends_after_start",
                violation_error_message=_("발령 종료는 시작보다 뒤여야 합니다."),
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="assignment_user_ended")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.department or UNASSIGNED_LABEL}"


class StaffImportRun(models.Model):
    """One import of the HR system's staff file 인사 자료 가져오기: who, what, and what it did."""

    class Status(models.TextChoices):
        RUNNING = "running", _("진행 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    started_at = models.DateTimeField(_("시작"))
    finished_at = models.DateTimeField(_("끝"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("실행한 사람"),
    )
    filename = models.CharField(_("파일 이름"), max_length=255)
    sha256 = models.CharField(_("파일 SHA-256"), max_length=64)
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    total = models.PositiveIntegerField(_("전체 줄"), default=0)
    processed = models.PositiveIntegerField(_("처리한 줄"), default=0)
    created = models.PositiveIntegerField(_("새로 만듦"), default=0)
    changed = models.PositiveIntegerField(_("바뀜"), default=0)
    deactivated = models.PositiveIntegerField(_("사용 중지"), default=0)
    skipped = models.PositiveIntegerField(_("건너뛴 줄"), default=0)
    message = models.TextField(_("메시지"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("인사 자료 가져오기 기록")
        verbose_name_plural = _("인사 자료 가져오기 기록")

    def __str__(self) -> str:
        return f"{self.filename} ({self.started_at:%Y-%m-%d %H:%M})"


def display_name(user: AbstractUser) -> str:
    """Korean names are written family name first with no space (홍길동)."""
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()
