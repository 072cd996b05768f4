"""The PostgreSQL database must treat Hangul as letters, or pg_trgm sees nothing."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_test_database_is_utf8_with_a_utf8_ctype() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database "
            "WHERE datname = current_database()"
        )
        encoding, ctype = cursor.fetchone()
    assert encoding == "UTF8"
    assert "utf" in ctype.lower().replace("-", "")


def test_trigram_similarity_of_korean_phrases_is_above_zero() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT similarity(%s, %s), similarity(%s, %s)",
            ["도서관 운영시간 연장", "도서관 개방 시간 연장", "도서관", "주차장"],
        )
        related, unrelated = cursor.fetchone()
    assert related > 0
    assert related > unrelated
