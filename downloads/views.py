from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from org.files import protected_download

from . import selectors
from .models import DownloadStatus


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of one's download; the page refreshes itself until the file is ready
    (a meta refresh, so it works without JavaScript), then shows the link."""
    download = get_object_or_404(selectors.downloads_of(cast(User, request.user)), pk=pk)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {
                "status": download.status,
                "percent": download.percent,
                "done": download.done,
                "total": download.total,
            }  # fmt: skip
        )
    return render(request, "downloads/detail.html", {"download": download})


@login_required
@require_GET
def file(request: HttpRequest, pk: int) -> FileResponse:
    download = get_object_or_404(selectors.downloads_of(cast(User, request.user)), pk=pk)
    if download.status != DownloadStatus.READY or not download.file:
        raise Http404
    return protected_download(
        download.file.open("rb"), filename=download.filename, content_type=download.content_type
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    downloads = list(selectors.downloads_of(cast(User, request.user))[:20])
    return render(request, "downloads/index.html", {"downloads": downloads})
