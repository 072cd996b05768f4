"""factory_boy factories for the board. Posts are made through the services where the
ledger matters; ``PostFactory`` writes rows directly for bulk list/query-count tests."""

import factory
from django.utils import timezone

from board import textsim
from board.content import html_to_text, render_body
from board.models import Area, Post, PostStatus
from org.tests.factories import UserFactory


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    area = Area.WORKSHARING
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"업무 개선 사례 {n}")
    body = factory.Sequence(lambda n: f"민원 처리 절차를 간소화한 {n}번째 사례입니다.")
    body_html = factory.LazyAttribute(lambda p: render_body(p.body))
    body_text = factory.LazyAttribute(lambda p: html_to_text(p.body_html))
    normalized = factory.LazyAttribute(lambda p: textsim.normalize_post(p.title, p.body_text))
    title_key = factory.LazyAttribute(lambda p: textsim.normalize(p.title))
    search_grams = factory.LazyAttribute(lambda p: textsim.search_grams(p.title, p.body_text))
    status = PostStatus.APPROVED
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyAttribute(lambda p: p.created_at)
    submitted_at = factory.LazyAttribute(lambda p: p.created_at)
