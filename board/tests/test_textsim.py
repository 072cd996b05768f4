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


def test_its_search_key_finds_two_syllable_words_and_compounds() -> None:
    key = textsim.search_key("도서관에서 책을 빌려요", "회의자료를 공유합니다")
    title, anywhere = textsim.split_key(key)
    assert all(textsim.term_matches(t, title) for t in textsim.search_terms("도서"))
    assert all(textsim.term_matches(t, title) for t in textsim.search_terms("도서관을"))
    assert not all(textsim.term_matches(t, anywhere) for t in textsim.search_terms("주차"))
    assert all(textsim.term_matches(t, anywhere) for t in textsim.search_terms("회의 자료"))
    assert not all(textsim.term_matches(t, title) for t in textsim.search_terms("회의자료"))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("도서관을 연장", "구립 도서관 운영 시간 연장"),
        ("불법주차를 단속하는", "골목 불법 주차 단속 강화"),
        ("회의자료를", "회의 자료 공유 방법"),
        ("스쿨존에", "스쿨존 안전 표지판"),
        ("폐건전지를", "폐건전지 수거함 설치"),
        ("주민참여예산", "주민 참여 예산 사업"),
        ("LED", "LED 가로등 교체"),
    ],
)
def test_the_words_a_person_means_are_found_whatever_the_particles(query, text) -> None:
    _title, anywhere = textsim.split_key(textsim.search_key(text, ""))
    terms = textsim.search_terms(query)
    assert terms and all(textsim.term_matches(t, anywhere) for t in terms)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "주민참여예산으로 도서관 운영시간을 연장해 주세요",
            "회의자료를 공유합니다. LED 조명 요청",
        ),
        ("", "본문만 있는 글"),
        ("제목만", ""),
        ("요청 건의 제안 부탁", "도서관 도서관을 도서관에서 " * 20),
    ],
)
def test_post_keys_are_the_three_keys_computed_one_by_one(title: str, body: str) -> None:
    assert textsim.post_keys(title, body) == (
        textsim.normalize_post(title, body),
        textsim.normalize(title),
        textsim.search_key(title, body),
    )
