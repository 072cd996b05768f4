"""The background build of a download (a Celery task; eager when there is no broker).

Below the services: it only runs the registered builder and stores its file, so services can
enqueue it without a cycle. A second run of a finished download changes nothing.
"""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import Download, DownloadStatus

log = logging.getLogger(__name__)


def _progress(download_id: int) -> registry.Progress:
    last = {"done": -1}

    def report(done: int, total: int) -> None:
        # Written at most ~100 times a build, not per row.
        step = max(1, total // 100)
        if done != total and done - last["done"] < step:
            return
        last["done"] = done
        Download.objects.filter(pk=download_id).update(done=min(done, total), total=total)

    return report


@shared_task(name="downloads.build")
def download_build(download_id: int) -> str:
    with transaction.atomic():
        download = Download.objects.select_for_update().filter(pk=download_id).first()
        if download is None or download.status != DownloadStatus.QUEUED:
            return download.status if download else "missing"
        download.status = DownloadStatus.RUNNING
        download.save(update_fields=["status"])
    kind = registry.get(download.kind)
    try:
        if kind is None:
            raise LookupError(download.kind)
        filename, content = kind.build(download.params, _progress(download.pk))
    except Exception:
        log.exception("download %s (%s) failed", download.pk, download.kind)
        Download.objects.filter(pk=download.pk).update(
            status=DownloadStatus.FAILED,
            error=_("자료를 만드는 중 오류가 났습니다. 잠시 뒤 다시 요청해 주세요."),
            finished_at=timezone.now(),
        )
        return DownloadStatus.FAILED
    download.refresh_from_db()
    download.file.save(filename, ContentFile(content), save=False)
    download.filename = filename
    download.content_type = kind.content_type
    download.status = DownloadStatus.READY
    download.done = download.total
    download.finished_at = timezone.now()
    download.save(
        update_fields=["file", "filename", "content_type", "status", "done", "finished_at"]
    )
    return DownloadStatus.READY
