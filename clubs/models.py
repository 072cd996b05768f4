"""Learning clubs 학습동아리 (CoP): a club per bureau per year, its groups 분임, members with
dated roles, meetings and attendance, monthly reports, the research report, support spending
and the incentives that follow the November review."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Bureau

from .calculations import club_period

CLUB_AREA = "club"  # the board's 학습동아리 area, where reports are posted
CLUB_SOURCE = "clubs.club"  # how a club is named as a contests entry source


class Topic(models.Model):
    """A research topic a club may pick: one of the 'Vision 2018' 10 core tasks or one of the
    district head's 106 pledges 공약사항. The plan names the lists but not their wording, so the
    seeded rows are samples (``is_sample``) until admins replace them with the office's text."""

    class Source(models.TextChoices):
        VISION_2018 = "vision2018", _("Vision 2018 창조도시 중구 10대 핵심과제")
        PLEDGE = "pledge", _("민선6기 구청장 공약사항")

    source = models.CharField(_("목록"), max_length=20, choices=Source.choices)
    number = models.PositiveSmallIntegerField(_("번호"))
    title = models.CharField(_("과제명"), max_length=200)
    is_sample = models.BooleanField(
        _("예시 문구"), default=False, help_text=_("원문이 없어 임의로 적은 예시 문구입니다.")
    )

    class Meta:
        ordering = ["source", "number"]
        verbose_name = _("동아리 과제 목록")
        verbose_name_plural = _("동아리 과제 목록")
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="clubs_topic_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.number}. {self.title}"


class Club(models.Model):
    """One bureau's club for one year, February to November, chaired by the bureau head."""

    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="clubs", verbose_name=_("국·소")
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    name = models.CharField(_("동아리명"), max_length=100)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chaired_clubs",
        verbose_name=_("회장(국·소장)"),
    )
    created_at = models.DateTimeField(_("등록 일시"))

    class Meta:
        ordering = ["-year", "bureau__order", "bureau__name"]
        verbose_name = _("학습동아리")
        verbose_name_plural = _("학습동아리")
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "year"], name="clubs_club_one_per_bureau_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="clubs_club_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def starts_on(self) -> date:
        return club_period(self.year)[0]

    @property
    def ends_on(self) -> date:
        return club_period(self.year)[1]


class ClubTopic(models.Model):
    """One of a club's two topics: picked from a list, or written freely (work improvement,
    budget saving, revenue, resident convenience)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="topics")
    slot = models.PositiveSmallIntegerField(_("순번"))
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("목록 과제")
    )
    free_text = models.CharField(_("자유 과제"), max_length=200, blank=True)

    class Meta:
        ordering = ["club", "slot"]
        verbose_name = _("동아리 과제")
        verbose_name_plural = _("동아리 과제")
        constraints = [
            models.UniqueConstraint(fields=["club", "slot"], name="clubs_topic_one_per_slot"),
            models.CheckConstraint(condition=Q(slot__in=[1, 2]), name="clubs_topic_two_slots"),
            # exactly one of: a listed topic, or free text
            models.CheckConstraint(
                condition=Q(topic__isnull=False, free_text="")
                | Q(topic__isnull=True) & ~Q(free_text=""),
                name="clubs_topic_listed_xor_free",
            ),
        ]

    def __str__(self) -> str:
        return self.topic.title if self.topic is not None else self.free_text


class StudyGroup(models.Model):
    """A group 분임 of about ten members inside a club."""

    club = models.ForeignKey(
        Club, on_delete=models.CASCADE, related_name="groups", verbose_name=_("동아리")
    )
    name = models.CharField(_("분임명"), max_length=50)
    order = models.PositiveSmallIntegerField(_("순서"), default=1)

    class Meta:
        ordering = ["club", "order", "name"]
        verbose_name = _("분임")
        verbose_name_plural = _("분임")
        constraints = [
            models.UniqueConstraint(fields=["club", "name"], name="clubs_group_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.club.name} {self.name}"


class Membership(models.Model):
    """A person's membership of a group, with the role held from ``start_date`` to
    ``end_date`` (inclusive; open while empty). A role change or a move (승진·전보) ends the row
    and, if the person stays, opens a new one, so the history is kept."""

    class Role(models.TextChoices):
        LEADER = "leader", _("분임장")
        SECRETARY = "secretary", _("총무")
        MEMBER = "member", _("회원")

    class EndReason(models.TextChoices):
        PROMOTION = "promotion", _("승진")
        TRANSFER = "transfer", _("전보")
        ROLE_CHANGE = "role_change", _("역할 변경")
        LEFT = "left", _("탈퇴")
        OTHER = "other", _("기타")

    # The club is kept beside the group so the database can hold "one open membership per
    # person per club" (a person sits in one group of a club at a time).
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("분임")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="club_memberships",
        verbose_name=_("직원"),
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("시작일"))
    end_date = models.DateField(_("종료일"), null=True, blank=True)
    end_reason = models.CharField(
        _("종료 사유"), max_length=20, choices=EndReason.choices, blank=True
    )

    class Meta:
        ordering = ["group", "start_date", "id"]
        verbose_name = _("분임 회원")
        verbose_name_plural = _("분임 회원")
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(role="leader", end_date__isnull=True),
                name="clubs_one_current_leader_per_group",
                violation_error_message=_("한 분임에는 분임장을 한 명만 둘 수 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(role="secretary", end_date__isnull=True),
                name="clubs_one_current_secretary_per_group",
                violation_error_message=_("한 분임에는 총무를 한 명만 둘 수 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["club", "user"],
                condition=Q(end_date__isnull=True),
                name="clubs_one_current_membership_per_club",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="clubs_membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | Q(end_date__isnull=False) & ~Q(end_reason=""),
                name="clubs_membership_end_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["user", "start_date"], name="clubs_member_user_start")]

    def __str__(self) -> str:
        return f"{self.group} {self.user} ({self.get_role_display()})"

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Meeting(models.Model):
    """A group's meeting: monthly regular, extra, field trip or discussion. Each attendee is
    credited the meeting's hours as learning hours 상시학습, up to the half-year cap."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("월례 정기모임")
        EXTRA = "extra", _("수시모임")
        FIELD_TRIP = "field_trip", _("현장견학")
        DISCUSSION = "discussion", _("토론")

    group = models.ForeignKey(
        StudyGroup, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("분임")
    )
    held_on = models.DateField(_("모임 날짜"))
    place = models.CharField(_("장소"), max_length=100)
    kind = models.CharField(_("모임 종류"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("학습 시간"), max_digits=3, decimal_places=1)
    minutes = models.TextField(_("회의록"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("기록한 사람"),
    )
    recorded_at = models.DateTimeField(_("기록 일시"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Attendance",
        related_name="club_meetings",
        verbose_name=_("참석자"),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("모임")
        verbose_name_plural = _("모임")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0"), hours__lte=Decimal("8")),
                name="clubs_meeting_hours_range",
            )
        ]
        indexes = [models.Index(fields=["group", "held_on"], name="clubs_meeting_group_date")]

    def __str__(self) -> str:
        return f"{self.group} {self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class Attendance(models.Model):
    """One person present at one meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="club_attendances"
    )
    # Denormalised from the meeting so learning hours per person and half-year are one
    # indexed scan (the HR export runs over every member of every club).
    held_on = models.DateField(_("모임 날짜"))
    hours = models.DecimalField(_("학습 시간"), max_digits=3, decimal_places=1)

    class Meta:
        verbose_name = _("출석")
        verbose_name_plural = _("출석")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="clubs_attend_once")
        ]
        indexes = [
            models.Index(fields=["user", "held_on"], name="clubs_attend_user_date"),
            # The dashboard's people and hours of a year, from the index alone (PostgreSQL).
            models.Index(fields=["held_on"], include=["hours"], name="clubs_attend_date_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.user}"


class MissingReportFlag(models.Model):
    """Remembers that a group's missing monthly report was flagged, so flagging is done once."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="missing_flags")
    month = models.DateField(_("보고 월"))
    flagged_at = models.DateTimeField(_("알림 일시"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("월별 보고 미제출 알림")
        verbose_name_plural = _("월별 보고 미제출 알림")
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="clubs_flag_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="clubs_flag_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.month:%Y-%m}"


class SupportExpense(models.Model):
    """Support spending for a club's research: advisory fees 자문수당, books 도서구입."""

    class Category(models.TextChoices):
        ADVISORY_FEE = "advisory_fee", _("자문수당")
        BOOKS = "books", _("도서구입")
        OTHER = "other", _("기타 운영지원")

    club = models.ForeignKey(
        Club, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("동아리")
    )
    spent_on = models.DateField(_("지출일"))
    category = models.CharField(_("항목"), max_length=20, choices=Category.choices)
    amount = models.PositiveIntegerField(_("금액(원)"))
    description = models.CharField(_("내용"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("기록 일시"))

    class Meta:
        ordering = ["club", "spent_on", "id"]
        verbose_name = _("운영지원 지출")
        verbose_name_plural = _("운영지원 지출")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="clubs_expense_positive")
        ]

    def __str__(self) -> str:
        return _("%(club)s %(category)s %(amount)s원") % {
            "club": self.club,
            "category": self.get_category_display(),
            "amount": f"{self.amount:,}",
        }


class Incentive(models.Model):
    """An incentive after the November review, recorded for HR 총무과:
    the chair's 2 top contributors per group of a 최우수/우수 club get special leave and a
    transfer preference; every member of the 최우수 club is recommended for the study trip."""

    class Kind(models.TextChoices):
        TOP_CONTRIBUTOR = (
            "top_contributor",
            _("활동 최고 기여자 (특별휴가 1일, 전보 희망부서 추천)"),
        )
        OVERSEAS_TRIP = "overseas_trip", _("해외선진문화체험연수 대상 추천")

    club = models.ForeignKey(
        Club, on_delete=models.PROTECT, related_name="incentives", verbose_name=_("동아리")
    )
    group = models.ForeignKey(
        StudyGroup, on_delete=models.PROTECT, related_name="incentives", verbose_name=_("분임")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="club_incentives",
        verbose_name=_("직원"),
    )
    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices)
    grade = models.CharField(_("동아리 등급"), max_length=20)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField(_("추천 일시"))

    class Meta:
        ordering = ["club", "group", "kind", "id"]
        verbose_name = _("우수 동아리 인센티브")
        verbose_name_plural = _("우수 동아리 인센티브")
        constraints = [
            models.UniqueConstraint(
                fields=["club", "user", "kind"], name="clubs_incentive_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.club} {self.user} {self.get_kind_display()}"


class MonthlyReport(models.Model):
    """A group's monthly activity report 월별 활동보고서: a club-area board post filed by the
    group's 총무, with that month's meetings and attendance. Its approval (the post's) gives the
    author 10 points through the board."""

    group = models.ForeignKey(
        StudyGroup, on_delete=models.PROTECT, related_name="reports", verbose_name=_("분임")
    )
    month = models.DateField(_("보고 월"))
    post = models.OneToOneField(
        "board.Post",
        on_delete=models.PROTECT,
        related_name="club_report",
        verbose_name=_("게시글"),
    )
    meeting_count = models.PositiveSmallIntegerField(_("모임 횟수"))
    attendance_count = models.PositiveIntegerField(_("연인원 출석"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("제출 일시"))

    class Meta:
        ordering = ["group", "month"]
        verbose_name = _("월별 활동보고서")
        verbose_name_plural = _("월별 활동보고서")
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="clubs_report_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="clubs_report_month_first_day"),
        ]

    def __str__(self) -> str:
        return _("%(group)s %(month)s 활동보고") % {
            "group": self.group,
            "month": f"{self.month:%Y-%m}",
        }


class ResearchReport(models.Model):
    """The club's research performance report 연구성과 보고서, filed in the second half and
    reviewed in November; also a club-area board post."""

    club = models.OneToOneField(
        Club, on_delete=models.PROTECT, related_name="research_report", verbose_name=_("동아리")
    )
    post = models.OneToOneField(
        "board.Post",
        on_delete=models.PROTECT,
        related_name="club_research_report",
        verbose_name=_("게시글"),
    )
    summary = models.TextField(_("요약"), max_length=1000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("제출 일시"))

    class Meta:
        verbose_name = _("연구성과 보고서")
        verbose_name_plural = _("연구성과 보고서")

    def __str__(self) -> str:
        return _("%(club)s 연구성과 보고서") % {"club": self.club}


class ClubReview(models.Model):
    """The November review of a year's clubs: a contests round of kind club_review with one
    entry per club (실무평가단 recommends → 창의구정추진단 selects)."""

    year = models.PositiveSmallIntegerField(_("연도"), unique=True)
    round = models.OneToOneField(
        "contests.Round", on_delete=models.PROTECT, related_name="+", verbose_name=_("심사 회차")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("개시 일시"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("학습동아리 성과 심사")
        verbose_name_plural = _("학습동아리 성과 심사")

    def __str__(self) -> str:
        return _("%(year)d년 학습동아리 성과 심사") % {"year": self.year}
