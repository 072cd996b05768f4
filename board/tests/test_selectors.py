"""Reads: duplicate lookup and Korean keyword search, on SQLite and on PostgreSQL's indexes."""

import pytest
from django.db import connection

from board import selectors, services, textsim
from board.models import Post, SimilarityWord
from board.tests.factories import PostFactory
from org.tests.factories import portal_admin, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

ISSUE_A = "주민참여예산으로 도서관 운영시간을 연장해 주세요"
ISSUE_B = "도서관 개방 시간 연장 요청드립니다(주민 참여 예산)"


@pytest.fixture
def corpus():
    PostFactory(area="proposal", title=ISSUE_A, body="주말과 야간에 도서관을 더 열어 주세요.")
    PostFactory(
        area="proposal", title="구청 주차장 야간 개방", body="주차난 해소를 위해 개방합시다."
    )
    PostFactory(area="proposal", title="민원서류 무인발급기 확대", body="동 주민센터마다 설치")
    PostFactory(area="docs", title="도서관 운영 지침", body="구립 도서관 운영시간 안내")


def test_the_issue_example_is_found_as_a_duplicate(corpus) -> None:
    found = selectors.duplicate_candidates(title=ISSUE_B, body="", area="proposal")
    assert [p.title for p in found][:1] == [ISSUE_A]
    assert 0.3 <= found[0].similarity <= 1
    assert all(p.area == "proposal" for p in found)


def test_a_paraphrased_title_is_found_whatever_the_bodies() -> None:
    PostFactory(
        area="proposal",
        title="구청 부설주차장 야간·주말 주민 개방",
        body="업무시간 외에 비어 있는 주차 공간을 유료로 운영하면 세외수입이 늘고, "
        "인근 골목의 불법 주차 단속 민원도 줄어들 것으로 기대합니다. 관리 인력은 "
        "무인 정산기로 대신하고 보안 카메라를 설치합니다.",
    )
    found = selectors.duplicate_candidates(
        title="구청 주차장을 밤에 주민에게 개방해 주세요", body="", area="proposal"
    )
    assert [p.title for p in found] == ["구청 부설주차장 야간·주말 주민 개방"]


def test_candidates_come_most_similar_first_and_exclude_the_post_itself(corpus) -> None:
    original = Post.objects.get(title=ISSUE_A)
    found = selectors.duplicate_candidates(
        title=original.title, body=original.body_text, exclude=original
    )
    assert original not in found
    scores = [p.similarity for p in found]
    assert scores == sorted(scores, reverse=True)


def test_the_write_page_only_sees_posts_visible_to_the_writer(corpus) -> None:
    other = staff_user()
    hidden = services.post_submit(author=other, area="proposal", title=ISSUE_A, body="비공개 대기")
    writer = staff_user()
    found = selectors.duplicate_candidates(title=ISSUE_B, body="", area="proposal", user=writer)
    assert hidden not in found
    assert hidden in selectors.duplicate_candidates(title=ISSUE_B, body="", area="proposal")


def test_search_finds_two_syllable_korean_words_and_every_term(corpus) -> None:
    titles = {p.title for p in selectors.search(Post.objects.all(), "도서")}
    assert titles == {ISSUE_A, "도서관 운영 지침"}
    assert {p.title for p in selectors.search(Post.objects.all(), "도서 지침")} == {
        "도서관 운영 지침"
    }
    assert {p.title for p in selectors.search(Post.objects.all(), "주차")} == {
        "구청 주차장 야간 개방"
    }
    assert {p.title for p in selectors.search(Post.objects.all(), "무인발급")} == {
        "민원서류 무인발급기 확대"
    }
    assert not selectors.search(Post.objects.all(), "도서실").exists()


def test_the_review_queue_lists_submitted_posts_oldest_first() -> None:
    author, admin = staff_user(), portal_admin()
    first = services.post_submit(author=author, area="docs", title="첫째", body="b")
    second = services.post_submit(author=author, area="docs", title="둘째", body="b")
    services.post_approve(
        post=services.post_submit(author=author, area="docs", title="셋째", body="b"),
        reviewer=admin,
    )
    assert list(selectors.review_queue()) == [first, second]


@pytest.mark.postgres
def test_postgres_agrees_with_the_python_similarity(corpus) -> None:
    full, title = textsim.normalize_post(ISSUE_B, "주말 운영"), textsim.normalize(ISSUE_B)
    found = selectors.duplicate_candidates(title=ISSUE_B, body="주말 운영")
    assert found
    for post in found:
        expected = max(
            textsim.normalized_similarity(full, post.normalized),
            textsim.normalized_similarity(title, post.title_key),
        )
        assert post.similarity == pytest.approx(expected, abs=1e-5)


@pytest.mark.postgres
def test_postgres_uses_the_indexes(corpus) -> None:
    key = textsim.normalize_post(ISSUE_B, "")
    search_sql, search_params = (
        selectors.search(Post.objects.all(), "도서").values("pk").query.sql_with_params()
    )
    similar_params = {
        "words": key.split(), "scopes": ["proposal"], "untils": [None],
        "source": selectors.SIMILARITY_SOURCE, "walk": 400, "candidates": 150,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE board_similarityword")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + textsim._SIMILAR_SQL, similar_params)
        similar_plan = "\n".join(row[0] for row in cursor.fetchall())
        # A plain index walk (board_post_recent) would also avoid the seq scan on a tiny
        # table: ask for bitmap scans, the way GIN indexes are read.
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + search_sql, search_params)
        search_plan = "\n".join(row[0] for row in cursor.fetchall())
    # The duplicate lookup walks each noun's newest posts in the word index, LIMIT inside.
    assert "board_simword_walk" in similar_plan
    assert "Limit" in similar_plan
    assert "board_post_grams_fts" in search_plan


@pytest.mark.postgres
def test_the_word_index_follows_every_write(corpus) -> None:
    """The database keeps board.SimilarityWord: insert, key change, area change, delete."""
    post = PostFactory(title="야간 주차장 개방", body="주말 주차장 운영")

    def words() -> set[tuple[str, str]]:
        rows = SimilarityWord.objects.filter(source="board.post", object_id=post.pk)
        return set(rows.values_list("scope", "word"))

    assert words() == {(post.area, w) for w in post.normalized.split()}
    Post.objects.filter(pk=post.pk).update(normalized="도서관 연장", area="docs")
    assert words() == {("docs", "도서관"), ("docs", "연장")}
    Post.objects.filter(pk=post.pk).update(view_count=5)  # not a key: nothing rewritten
    assert words() == {("docs", "도서관"), ("docs", "연장")}
    Post.objects.filter(pk=post.pk).delete()
    assert words() == set()


def test_two_letter_search_is_exact_and_ignores_case() -> None:
    PostFactory(title="AI 도입 사례", body="민원 챗봇")
    PostFactory(title="도 서 목록", body="a i 시스템")
    PostFactory(title="서도 지역", body="i am")
    assert {p.title for p in selectors.search(Post.objects.all(), "ai")} == {"AI 도입 사례"}
    assert not selectors.search(Post.objects.all(), "도서").exists()
    assert {p.title for p in selectors.search(Post.objects.all(), "서도")} == {"서도 지역"}


@pytest.mark.postgres
def test_the_lookup_walks_only_the_newest_posts_of_each_noun_yet_finds_a_rare_one(
    monkeypatch,
) -> None:
    """The walk is bounded per noun (its cost does not grow with the board): an old post
    sharing only common nouns with the draft falls out of it, one sharing a rare noun doesn't."""
    monkeypatch.setattr(textsim, "SIMILAR_WORD_WALK", 3)
    old_common = PostFactory(area="docs", title="주차장 야간 개방 안내", body="주차장")
    old_rare = PostFactory(area="docs", title="키오스크 주차장 야간 개방", body="키오스크")
    for i in range(4):  # newer posts with the common nouns only
        PostFactory(area="docs", title=f"주차장 야간 개방 {i}차 공지", body="주차장 야간")
    found = selectors.duplicate_candidates(title="키오스크 주차장 야간 개방", body="", area="docs")
    assert old_rare in found
    assert old_common not in found
