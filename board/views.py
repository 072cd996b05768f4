"""Board pages (being built)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def _soon(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "coming_soon.html", {"title": "지식나눔"})


area_list = post_detail = post_edit = post_review = comment_add = comment_edit = _soon
comment_remove = attachment_download = similar_posts = post_create = review_queue = _soon
