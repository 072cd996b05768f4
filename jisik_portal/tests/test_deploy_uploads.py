"""A zip bomb at the public form (issue 12 #1), with the production settings this suite runs
(DEBUG off, ATOMIC_REQUESTS, the real upload handlers) on PostgreSQL in CI."""

import resource
import time
import tracemalloc

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from org.tests.test_files_zipbomb import hwpx_bomb
from proposals.forms import FORM_STARTED_SALT
from proposals.models import Proposal

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024


def _form(attachment: SimpleUploadedFile) -> dict:
    return {
        "proposer_name": "김민수",
        "phone": "010-1234-5678",
        "email": "",
        "dong": "신당동",
        "title": "골목길 가로등 밝기 개선",
        "content": "신당동 골목길이 어둡습니다. 가로등을 LED로 바꿔 주세요.",
        "expected_effect": "밤길 안전",
        "consent": "on",
        "consent_version": "2016-1",
        "website": "",
        "started": signing.dumps(time.time() - 30, salt=FORM_STARTED_SALT),
        "attachment": attachment,
    }


def test_a_one_megabyte_zip_bomb_at_the_public_form_costs_little(client: Client) -> None:
    bomb = hwpx_bomb()
    assert len(bomb) <= 1024 * 1024 + 64 * 1024
    client.get("/propose/")  # warm the URLconf, templates and connection

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    response = client.post("/propose/", _form(SimpleUploadedFile("제안서.hwpx", bomb)))
    elapsed = time.perf_counter() - started
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before

    tracemalloc.start()
    try:
        client.post("/propose/", _form(SimpleUploadedFile("제안서.hwpx", bomb)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    print(
        f"\nzip bomb at /propose/ on {connection.vendor}: {elapsed:.3f} s, "
        f"peak Python allocations {peak / MiB:.1f} MiB, max RSS growth {rss_growth / MiB:.1f} MiB"
    )
    assert response.status_code == 200
    assert "압축을 풀면 지나치게 커지는" in response.content.decode()
    assert not Proposal.objects.exists()
    assert elapsed < 3
    assert peak < 64 * MiB
    assert rss_growth < 64 * MiB
