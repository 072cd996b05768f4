from decimal import Decimal

from django import template

from org.models import display_name

from .. import calculations as calc

register = template.Library()


@register.filter
def person(user: object) -> str:
    return display_name(user) if user else ""


@register.filter
def hours(value: Decimal | None) -> str:
    return calc.format_hours(value) if value is not None else "0"


@register.filter
def won(value: int | None) -> str:
    return f"{value or 0:,}원"


@register.filter
def dept(user: object) -> str:
    profile = getattr(user, "staff_profile", None)
    department = getattr(profile, "department", None)
    return str(department) if department else "미지정"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key, "")
