from decimal import Decimal

from django import template
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from org.models import display_name
from org.people import department_name

from .. import calculations as calc

register = template.Library()


@register.filter
def person(user: User | None) -> str:
    return display_name(user) if user else ""


@register.filter
def hours(value: Decimal | None) -> str:
    return calc.format_hours(value) if value is not None else "0"


@register.filter
def won(value: int | None) -> str:
    return _("%(amount)s원") % {"amount": f"{value or 0:,}"}


@register.filter
def dept(user: User) -> str:
    return department_name(user)
