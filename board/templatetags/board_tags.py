from django import template

from org.models import display_name

register = template.Library()


@register.filter
def person(user: object) -> str:
    """A user's Korean display name (family name first), or the username."""
    return display_name(user) if user is not None else ""
