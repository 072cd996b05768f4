from django import template

from programme.selectors import knowledge_day_now

register = template.Library()


@register.inclusion_tag("programme/knowledge_day_banner.html")
def knowledge_day_banner() -> dict[str, object]:
    """The 지식등록의 날 banner of the home page, only in the plan's knowledge day months."""
    return {"day": knowledge_day_now()}
