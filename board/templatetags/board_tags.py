import re

from django import template
from django.contrib.auth.models import AbstractUser
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from org.models import display_name

register = template.Library()

# A search result's excerpt: this many characters around the first match.
EXCERPT_CHARS = 120


@register.filter
def person(user: AbstractUser | None) -> str:
    """A user's Korean display name (family name first), or the username."""
    return display_name(user) if user is not None else ""


@register.filter
def highlight(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """``text`` escaped, with the search's words in ``<mark>``: every piece of user text is
    escaped first, only the marks are ours."""
    text = text or ""
    if pattern is None:
        return conditional_escape(text)
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(conditional_escape(text[last : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group(0)))
        last = match.end()
    pieces.append(conditional_escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped


@register.filter
def excerpt(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """A highlighted excerpt of ``text`` around its first match (or its start)."""
    text = text or ""
    match = pattern.search(text) if pattern is not None else None
    start = max(0, match.start() - EXCERPT_CHARS // 3) if match else 0
    piece = text[start : start + EXCERPT_CHARS]
    prefix = "…" if start else ""
    suffix = "…" if start + EXCERPT_CHARS < len(text) else ""
    return mark_safe(f"{prefix}{highlight(piece, pattern)}{suffix}")  # noqa: S308 - escaped
