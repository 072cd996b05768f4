"""The club page's tables and forms as written by clubs_tags in one pass (issue 14) give what
the template loops gave: the same tags, attributes and text, escaped the same way."""

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from clubs import selectors, services
from clubs.forms import ExpenseForm, MembershipAddForm
from clubs.models import Membership
from clubs.templatetags import clubs_tags
from org.tests.factories import portal_admin

from .factories import ClubFactory, MembershipFactory, StudyGroupFactory, group_with_members

pytestmark = pytest.mark.django_db

# The loops of club_detail.html before clubs_tags wrote its rows in one pass, kept here as the
# reference the tags must agree with.
REFERENCE = """{% load i18n clubs_tags %}
{% translate "월" as month_word %}{% translate "한도" as cap_word %}
{% translate "역할 변경" as role_word %}{% translate "활동 종료" as end_word %}
{% pk_url "clubs:membership_role" as role_url %}{% pk_url "clubs:membership_end" as end_url %}
{% pk_url "clubs:meeting_detail" as meeting_url %}{% pk_url "board:post_detail" as post_url %}
{% for group in club.groups.all %}<tbody>
    {% for m in group.memberships.all %}
        <tr {% if m.end_date %}class="text-muted"{% endif %}>
            <td>{{ m.user|person }}</td>
            <td>{{ m.user|dept }}</td>
            <td>{{ m|shown:"role" }}</td>
            <td>
                {{ m.start_date|date:"Y.m.d" }} ~ {{ m.end_date|date:"Y.m.d" }}
                {% if m.end_reason %}({{ m|shown:"end_reason" }}){% endif %}
            </td>
            {% if can_members %}
                <td>
                    {% if not m.end_date %}
                        <a href="{{ role_url|with_pk:m.pk }}">{{ role_word }}<span class="visually-hidden"> {{ m.user|person }}</span></a>
                        ·
                        <a href="{{ end_url|with_pk:m.pk }}">{{ end_word }}<span class="visually-hidden"> {{ m.user|person }}</span></a>
                    {% endif %}
                </td>
            {% endif %}
        </tr>
    {% empty %}
        <tr><td colspan="5">{% translate "회원이 없습니다." %}</td></tr>
    {% endfor %}
</tbody>{% endfor %}
<tbody>
    {% for meeting in meetings %}
        <tr>
            <td><a href="{{ meeting_url|with_pk:meeting.pk }}">{{ meeting.held_on|date:"Y.m.d" }}</a></td>
            <td>{{ meeting.group.name }}</td>
            <td>{{ meeting|shown:"kind" }}</td>
            <td>{{ meeting.place }}</td>
            <td class="text-end">{{ meeting.hours|hours }}</td>
            <td class="text-end">{{ meeting.attendee_count }}</td>
        </tr>
    {% empty %}
        <tr><td colspan="6">{% translate "기록된 모임이 없습니다." %}</td></tr>
    {% endfor %}
</tbody>
<thead><tr>
    <th scope="col">{% translate "분임" %}</th>
    {% for cell in grid.0.1 %}<th scope="col">{{ cell.month|date:"n" }}{{ month_word }}</th>{% endfor %}
</tr></thead>
<tbody>
    {% for group, cells in grid %}
        <tr>
            <th scope="row">{{ group.name }}</th>
            {% for cell in cells %}
                <td>
                    {% if cell.report %}
                        <a href="{{ post_url|with_pk:cell.report.post_id }}">{{ cell.status_label }}<span class="visually-hidden"> {{ group.name }} {{ cell.month|date:"n" }}{{ month_word }}</span></a>
                    {% elif cell.overdue %}
                        <span class="text-danger">{{ cell.status_label }}</span>
                    {% else %}
                        {{ cell.status_label }}
                    {% endif %}
                </td>
            {% endfor %}
        </tr>
    {% endfor %}
</tbody>
<tbody>
    {% for row in hours %}
        <tr>
            <th scope="row">{{ row.user|person }}</th>
            <td>{{ row.group.name }}</td>
            <td class="text-end">{{ row.first_half.attended|hours }}</td>
            <td class="text-end">
                {{ row.first_half.credited|hours }}
                {% if row.first_half.over_cap %}<span class="badge text-bg-warning">{{ cap_word }}</span>{% endif %}
            </td>
            <td class="text-end">{{ row.second_half.attended|hours }}</td>
            <td class="text-end">
                {{ row.second_half.credited|hours }}
                {% if row.second_half.over_cap %}<span class="badge text-bg-warning">{{ cap_word }}</span>{% endif %}
            </td>
        </tr>
    {% empty %}
        <tr><td colspan="6">{% translate "회원이 없습니다." %}</td></tr>
    {% endfor %}
</tbody>
<tbody>
    {% for e in expenses %}
        <tr>
            <td>{{ e.spent_on|date:"Y.m.d" }}</td>
            <td>{{ e|shown:"category" }}</td>
            <td>{{ e.description }}</td>
            <td class="text-end">{{ e.amount|won }}</td>
        </tr>
    {% empty %}
        <tr><td colspan="4">{% translate "지출 기록이 없습니다." %}</td></tr>
    {% endfor %}
</tbody>
"""


class _Tokens(HTMLParser):
    """Tags with their attributes, and text with runs of white space as one space: what a
    browser shows and a screen reader reads, whatever the indentation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[object, ...]] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text:
            self.tokens.append(("text", text))
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.tokens.append(("start", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        self.tokens.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def _tokens(html: str) -> list[tuple[object, ...]]:
    parser = _Tokens()
    parser.feed(html)
    parser._flush()
    return parser.tokens


def _tables(html: str) -> list[tuple[object, ...]]:
    """Every table body of the page, and the report grid's header."""
    grid = html[html.index('data-testid="report-grid"') :]
    parts = re.findall(r"<tbody>.*?</tbody>", html, re.S)
    return _tokens("".join(parts) + re.search(r"<thead>.*?</thead>", grid, re.S)[0])


def _reference_tables(context: dict[str, object]) -> list[tuple[object, ...]]:
    html = Template(REFERENCE).render(Context(context))
    head = re.search(r"<thead>.*?</thead>", html, re.S)[0]
    return _tokens("".join(re.findall(r"<tbody>.*?</tbody>", html, re.S)) + head)


def test_the_page_tables_agree_with_the_template_loops() -> None:
    club = ClubFactory()
    group, leader, secretary, plain = group_with_members(club=club, members=2)
    odd = StudyGroupFactory(club=club, name='<b>"분임" & 이웃</b>')
    MembershipFactory(group=odd, role=Membership.Role.LEADER)
    StudyGroupFactory(club=club, name="빈 분임", order=9)  # no members: the empty row
    services.membership_end(
        membership=plain[0], end_date=date(2026, 5, 1), reason=Membership.EndReason.TRANSFER
    )
    ids = [leader.user_id, secretary.user_id]
    for month in range(3, 6):  # 3 × 8 hours in the first half: over the 12-hour cap
        services.meeting_record(
            group=group, recorded_by=secretary.user, held_on=date(2026, month, 2),
            place="회의실 <3층>", kind="regular", hours=Decimal("8"), minutes="토론",
            attendee_ids=ids,
        )  # fmt: skip
    services.meeting_record(
        group=group, recorded_by=secretary.user, held_on=date(2026, 9, 2), place="도서관",
        kind="extra", hours=Decimal("1.5"), minutes="토론", attendee_ids=[leader.user_id],
    )  # fmt: skip
    services.monthly_report_submit(
        group=group, month=date(2026, 3, 1), filed_by=secretary.user, title="3월", body="토론"
    )
    services.expense_record(
        club=club, spent_on=date(2026, 3, 1), category="books", amount=12_500,
        description="도서 <구입> & 배송", recorded_by=portal_admin(),
    )  # fmt: skip
    client = Client()
    client.force_login(portal_admin())
    response = client.get(reverse("clubs:club_detail", args=[club.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    context = {k: response.context[k] for k in ("club", "meetings", "grid", "hours", "expenses")}
    context["can_members"] = response.context["can_members"]
    page, reference = _tables(html), _reference_tables(context)
    assert page == reference
    # and the data reached every kind of row (so the comparison compares something)
    text = " ".join(str(t[-1]) for t in page if t[0] == "text")
    for shown in ("전보", "한도", "미제출", "12,500원", "1.5", "역할 변경", "회원이 없습니다."):
        assert shown in text
    assert "&lt;b&gt;&quot;분임&quot; &amp; 이웃&lt;/b&gt;" in html
    assert ("start", "tr", (("class", "text-muted"),)) in page


def test_an_unbound_form_is_rendered_once_and_its_choices_and_errors_still_show() -> None:
    club = ClubFactory()
    group, *_ = group_with_members(club=club, members=0)
    groups = [group]
    fresh = clubs_tags.render_to_string(
        "clubs/_form_fields_plain.html", {"form": MembershipAddForm(club=club, groups=groups)}
    )
    first = clubs_tags.plain_fields(MembershipAddForm(club=club, groups=groups))
    assert first == fresh
    assert clubs_tags.plain_fields(MembershipAddForm(club=club, groups=groups)) is first
    # another group is another key: the new option shows
    other = StudyGroupFactory(club=club, name="새 분임")
    again = clubs_tags.plain_fields(MembershipAddForm(club=club, groups=[group, other]))
    assert "새 분임" in again
    assert "새 분임" not in first
    # a bound form is rendered each time, with its errors
    bound = ExpenseForm({"spent_on": "", "category": "books", "amount": "0", "description": ""})
    assert not bound.is_valid()
    shown = clubs_tags.plain_fields(bound)
    assert "is-invalid" in shown
    assert "is-invalid" not in clubs_tags.plain_fields(ExpenseForm())
    # a label set on one instance is part of the key too
    relabelled = ExpenseForm()
    relabelled.fields["amount"].label = "바뀐 금액"
    assert "바뀐 금액" in clubs_tags.plain_fields(relabelled)


def test_the_hours_sql_counts_each_half_year_to_its_edges_in_any_club() -> None:
    """The page's hours (a correlated SUM written as SQL) at the half-years' edges, counting a
    person's attendance in another club and not the year before."""
    club = ClubFactory()
    group, leader, secretary, _plain = group_with_members(club=club, members=0)
    last_year = ClubFactory(year=2025)
    old_group, *_ = group_with_members(club=last_year, members=0)
    MembershipFactory(group=old_group, user=leader.user)
    edges = ((date(2026, 2, 1), "1"), (date(2026, 6, 30), "2"), (date(2026, 7, 1), "3"))
    for on, hours in (*edges, (date(2026, 11, 30), "0.5")):
        services.meeting_record(
            group=group, recorded_by=secretary.user, held_on=on, place="회의실",
            kind="regular", hours=Decimal(hours), minutes="토론", attendee_ids=[leader.user_id],
        )  # fmt: skip
    services.meeting_record(
        group=old_group, recorded_by=leader.user, held_on=date(2025, 11, 30), place="회의실",
        kind="regular", hours=Decimal("4"), minutes="토론", attendee_ids=[leader.user_id],
    )  # fmt: skip
    page = selectors.club_page(club_id=club.pk)
    row = next(r for r in page.hours if r.user.pk == leader.user_id)
    assert (row.first_half.attended, row.second_half.attended) == (Decimal("3"), Decimal("3.5"))
    plain = {r.user.pk: r for r in selectors.learning_hours_for_club(club=club)}
    assert {r.user.pk: (r.first_half, r.second_half) for r in page.hours} == {
        pk: (r.first_half, r.second_half) for pk, r in plain.items()
    }
