"""Ask for an export to be built in the background; reuse the one already on its way."""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.access import allowed
from common.errors import ServiceError

from . import registry
from .models import Download, DownloadStatus
from .worker import download_build


def _key(params: Mapping[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, ensure_ascii=False)[:500]


def download_request(
    *,
    user: User,
    kind: str,
    params: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> Download:
    """The download of ``kind`` with ``params`` for ``user``: a pending one is reused (a double
    click builds once); a new one is queued and built after the commit."""
    spec = registry.get(kind)
    if spec is None:
        raise ServiceError(_("알 수 없는 내려받기 종류입니다."), code="unknown_kind")
    if not allowed(user, spec.perm):
        raise ServiceError(_("이 자료를 내려받을 권한이 없습니다."), code="forbidden")
    params = dict(params or {})
    key = _key(params)
    pending = Download.objects.filter(
        requested_by=user,
        kind=kind,
        params_key=key,
        status__in=[DownloadStatus.QUEUED, DownloadStatus.RUNNING],
    ).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            download = Download.objects.create(
                requested_by=user,
                kind=kind,
                label=str(spec.label),
                params=params,
                params_key=key,
                created_at=at or timezone.now(),
            )
    except IntegrityError:  # the other click won the race
        return Download.objects.get(
            requested_by=user,
            kind=kind,
            params_key=key,
            status__in=[DownloadStatus.QUEUED, DownloadStatus.RUNNING],
        )
    transaction.on_commit(lambda: download_build.delay(download.pk))
    return download
