from collections.abc import Mapping
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.errors import ServiceError
from downloads import registry, services
from downloads.models import Download, DownloadStatus
from downloads.worker import download_build
from org.tests.factories import UserFactory

BUILT: list[Mapping[str, Any]] = []


@registry.register("tests.rows", label="시험 자료", perm="org.view_portal", content_type="text/csv")
def _rows(params: Mapping[str, Any], progress: registry.Progress) -> tuple[str, bytes]:
    BUILT.append(params)
    total = int(params.get("n", 3))
    for i in range(total):
        progress(i + 1, total)
    return "시험.csv", ("\n".join(str(i) for i in range(total))).encode()


@registry.register("tests.broken", label="고장", perm="org.view_portal", content_type="text/csv")
def _broken(params: Mapping[str, Any], progress: registry.Progress) -> tuple[str, bytes]:
    raise RuntimeError("boom")


@registry.register("tests.admins", label="관리자용", perm="org.manage_portal", content_type="x/y")
def _admins(params: Mapping[str, Any], progress: registry.Progress) -> tuple[str, bytes]:
    return "a", b"a"


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_it_builds_after_commit_and_serves_the_file(
    client: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    download = services.download_request(user=user, kind="tests.rows", params={"n": 250})
    download.refresh_from_db()
    # Eager Celery without a broker: built once the request's transaction committed.
    assert download.status == DownloadStatus.READY
    assert (download.done, download.total, download.percent) == (250, 250, 100)
    client.force_login(user)
    page = client.get(reverse("downloads:detail", args=[download.pk]))
    assert "자료가 준비되었습니다" in page.content.decode()
    response = client.get(reverse("downloads:file", args=[download.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"0\n1\n")


@pytest.mark.django_db
def test_a_pending_request_is_reused_not_built_twice(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.download_request(user=user, kind="tests.rows", params={"n": 2})
        second = services.download_request(user=user, kind="tests.rows", params={"n": 2})
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert Download.objects.count() == 1


@pytest.mark.django_db
def test_running_the_build_again_changes_nothing(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    download = Download.objects.create(
        requested_by=user, kind="tests.rows", label="x", params={"n": 1}, params_key="{}",
        created_at="2026-12-01T00:00:00+09:00",
    )  # fmt: skip
    BUILT.clear()
    assert download_build(download.pk) == DownloadStatus.READY
    assert download_build(download.pk) == DownloadStatus.READY
    assert len(BUILT) == 1


@pytest.mark.django_db
def test_a_failed_build_says_so_in_korean(client: Any) -> None:
    user = UserFactory()
    download = services.download_request(user=user, kind="tests.broken")
    download_build(download.pk)
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED
    client.force_login(user)
    page = client.get(reverse("downloads:detail", args=[download.pk])).content.decode()
    assert "오류가 났습니다" in page


@pytest.mark.django_db
def test_nobody_sees_another_persons_download(client: Any) -> None:
    owner, other = UserFactory(), UserFactory()
    download = services.download_request(user=owner, kind="tests.rows")
    client.force_login(other)
    assert client.get(reverse("downloads:detail", args=[download.pk])).status_code == 404
    assert client.get(reverse("downloads:file", args=[download.pk])).status_code == 404


@pytest.mark.django_db
def test_it_refuses_without_the_kinds_permission() -> None:
    with pytest.raises(ServiceError) as exc:
        services.download_request(user=UserFactory(), kind="tests.admins")
    assert exc.value.code == "forbidden"
    with pytest.raises(ServiceError):
        services.download_request(user=UserFactory(), kind="nope")


@pytest.mark.django_db
def test_the_database_holds_one_pending_build_per_request() -> None:
    user = UserFactory()
    fields = {"requested_by": user, "kind": "tests.rows", "label": "x", "params_key": "{}",
              "created_at": "2026-12-01T00:00:00+09:00"}  # fmt: skip
    Download.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Download.objects.create(**fields)
    Download.objects.update(status=DownloadStatus.READY)
    Download.objects.create(**fields)  # a finished one doesn't block a new request
    assert Download.objects.count() == 2
