"""Korean-aware similarity: pure functions, no database."""

import pytest

from board import textsim

pytestmark = pytest.mark.smoke

ISSUE_A = "주민참여예산으로 도서관 운영시간을 연장해 주세요"
ISSUE_B = "도서관 개방 시간 연장 요청드립니다(주민 참여 예산)"


def test_it_drops_particles_endings_and_spacing() -> None:
    assert textsim.normalize("주민참여예산으로") == textsim.normalize("주민 참여 예산")
    assert "으로" not in textsim.normalize(ISSUE_A).split()
    assert textsim.normalize("도서관을 연장해 주세요") == "도서관 연장"


def test_it_finds_the_issue_example_pair_to_be_duplicates() -> None:
    score = textsim.similarity(ISSUE_A, ISSUE_B)
    assert score >= textsim.DUPLICATE_THRESHOLD
    assert score > 0.6


def test_it_keeps_unrelated_proposals_apart() -> None:
    assert textsim.similarity(ISSUE_A, "구청 주차장 야간 개방을 확대해 주세요") < 0.2
    assert textsim.similarity("", ISSUE_B) == 0.0


def test_it_matches_pg_trgm_on_a_known_pair() -> None:
    # SELECT similarity('주민 참여 예산 도서관 운영 시간 연장',
    #                   '도서관 개방 시간 연장 요청 주민 참여 예산') = 0.6785714 on PostgreSQL 15.
    value = textsim.normalized_similarity(
        "주민 참여 예산 도서관 운영 시간 연장", "도서관 개방 시간 연장 요청 주민 참여 예산"
    )
    assert value == pytest.approx(0.6785714, abs=1e-6)


def test_it_makes_bigrams_that_find_two_syllable_words() -> None:
    grams = set(textsim.search_grams("도서관에서 책을 빌려요").split())
    assert set(textsim.query_grams("도서")) <= grams
    assert set(textsim.query_grams("도서관")) <= grams
    assert not set(textsim.query_grams("주차")) <= grams
    assert textsim.query_grams("책") == []
