"""Korean-aware text similarity, shared by the board (duplicate posts) and proposals.

Korean glues particles and endings to words (도서관을, 연장해 주세요) and spacing is free
(주민참여예산 / 주민 참여 예산), so comparing raw strings misses paraphrases. We compare
*normalized* text instead: the nouns and roots that kiwipiepy finds, in a canonical order,
separated by single spaces. Two texts about the same idea share most of their nouns.

- :func:`normalize` turns text into that key (store it beside the text; PostgreSQL compares
  stored keys with pg_trgm and a GIN index).
- :func:`normalized_similarity` compares two keys in pure Python the way pg_trgm's
  ``similarity()`` does (the SQLite path and tests agree with PostgreSQL).
- :func:`similarity` normalizes two raw texts and compares them: 0 (nothing shared) .. 1.
- :func:`similar` is the duplicate lookup of the board and of proposals: candidates come
  from the word index ``board.SimilarityWord`` (the newest texts of each noun of the draft,
  a bounded walk), then are scored exactly with :func:`normalized_similarity`.
- :func:`search_key` / :func:`search_terms` give the lexemes of keyword search.

Example: "주민참여예산으로 도서관 운영시간을 연장해 주세요" and "도서관 개방 시간 연장
요청드립니다(주민 참여 예산)" normalize to sets sharing 주민 참여 예산 도서관 시간 연장 and
score about 0.68 (a duplicate is anything at or above :data:`DUPLICATE_THRESHOLD`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import F, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from kiwipiepy import Kiwi

# Posts scoring at least this are listed as possible duplicates (pg_trgm's default is 0.3).
DUPLICATE_THRESHOLD = 0.3
# Kiwi part-of-speech tags kept: general/proper nouns, roots, foreign words, hanja. Numbers
# (18시, 2016년) and one-letter words (구, 문, 시) are noise for "the same idea" and are dropped.
KEPT_TAGS = frozenset({"NNG", "NNP", "XR", "SL", "SH"})
# Nouns that say nothing about the idea (request phrasing); kept out of the key.
STOP_NOUNS = frozenset(
    {"요청", "건의", "제안", "부탁", "필요", "관련", "경우", "정도", "때문", "것", "수", "등", "및"}
)
# The key keeps the title's nouns, then the first distinct nouns of the body, up to this many.
# Short keys make similarity mean "the same idea" (a long post would otherwise share a few
# common nouns with everything) and keep pg_trgm's GIN lookup selective: measured at 200,000
# posts, 16-noun keys leave ~1,000 index candidates to re-check where 45-noun keys left ~50,000
# (25-185 ms against ~3 s).
MAX_KEY_NOUNS = 16
# Text beyond this is not analysed (the board limits bodies anyway); keeps normalize fast.
MAX_ANALYSED_CHARS = 20_000

M = TypeVar("M", bound=Model)

_kiwi: Kiwi | None = None
_kiwi_lock = threading.Lock()
_word_re = re.compile(r"[^\W_]+")


def _get_kiwi() -> Kiwi:
    """One Kiwi per process: loading the model takes about a second, analysing is fast."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                _kiwi = Kiwi()
    return _kiwi


def warm() -> None:
    """Load the analyser now and run it once (its first analysis builds its tables: seconds).

    gunicorn's workers call this before their first request (deploy/gunicorn.conf.py), so no
    resident or member waits for it on a first post or proposal."""
    _get_kiwi().analyze("지식나눔 창의제안 준비")


# Nouns per word (어절), kept for the words already seen: Korean text reuses few word forms
# (Zipf), so most words of a new post are looked up, not analysed. This makes normalizing a
# whole board (``manage.py board_rebuild_keys``) thousands of posts a second.
WORD_CACHE_SIZE = 200_000
_word_cache: dict[str, tuple[str, ...]] = {}


def _kept(tokens: Iterable[Any]) -> tuple[str, ...]:
    return tuple(t.form.lower() for t in tokens if t.tag in KEPT_TAGS)


def analyse_words(words: Iterable[str]) -> None:
    """Analyse the words not yet cached in one Kiwi batch (faster than one by one)."""
    todo = list(dict.fromkeys(w for w in words if w not in _word_cache))
    if not todo:
        return
    if len(_word_cache) + len(todo) > WORD_CACHE_SIZE:
        _word_cache.clear()
    for word, tokens in zip(todo, _get_kiwi().tokenize(todo), strict=True):
        _word_cache[word] = _kept(tokens)


def word_nouns(word: str) -> tuple[str, ...]:
    """The kept morphemes (nouns, roots, Latin words, hanja) of one word, lower-cased."""
    found = _word_cache.get(word)
    if found is None:
        found = _kept(_get_kiwi().tokenize(word))
        if len(_word_cache) >= WORD_CACHE_SIZE:
            _word_cache.clear()
        _word_cache[word] = found
    return found


def words_of(text: str) -> list[str]:
    """The words (어절, split on spaces) of ``text``, NFC, within the analysed length."""
    return unicodedata.normalize("NFC", text or "")[:MAX_ANALYSED_CHARS].split()


def nouns(text: str) -> list[str]:
    """The content words of ``text`` in order of appearance, lower-cased, without repeats.
    Each word (어절) is analysed on its own: particles and endings attach inside a word, so
    this finds what a whole-text analysis finds, and a word seen before costs nothing."""
    seen: dict[str, None] = {}
    for word in words_of(text):
        for form in word_nouns(word):
            if len(form) > 1 and form not in STOP_NOUNS:
                seen[form] = None
    return list(seen)


@lru_cache(maxsize=2048)
def normalize(text: str) -> str:
    """The comparison key of ``text``: its first distinct nouns and roots (particles, endings
    and spacing removed), sorted, joined by spaces. Word order does not matter for the key."""
    return " ".join(sorted(nouns(text)[:MAX_KEY_NOUNS]))


def normalize_post(title: str, body: str) -> str:
    """The key of a post: the title's nouns plus the first nouns of the body. (Posts also
    keep ``normalize(title)`` alone, so a paraphrased title is found whatever the bodies.)"""
    words = list(dict.fromkeys(nouns(title) + nouns(body)))
    return " ".join(sorted(words[:MAX_KEY_NOUNS]))


def trigrams(normalized: str) -> set[str]:
    """The trigram set pg_trgm builds: each word padded with two spaces before, one after."""
    grams: set[str] = set()
    for word in _word_re.findall(normalized.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def normalized_similarity(a: str, b: str) -> float:
    """pg_trgm ``similarity()`` of two normalized keys, in pure Python: shared trigrams over
    all trigrams (0..1)."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def similarity(a: str, b: str) -> float:
    """How alike two raw Korean texts are, 0..1, ignoring particles, endings and spacing."""
    return normalized_similarity(normalize(a), normalize(b))


# --- keyword search ------------------------------------------------------------------------
#
# A post's search key holds its *lexemes*: the nouns, roots and Latin words of every word
# (어절), and for a word of several nouns also their spacing-free compound (회의자료를 →
# 회의, 자료, 회의자료). The title's lexemes come first, then `` | ``, then the body's, so the
# title can rank above the body. PostgreSQL indexes the key as a 'simple' tsvector (GIN);
# a query word matches a post when its compound does, or every one of its nouns does, a
# two-letter-or-longer noun as a prefix (도서 finds 도서관), a one-letter noun exactly.

SEARCH_SEPARATOR = " | "
MAX_QUERY_WORDS = 8
_lexeme_re = re.compile(r"[^\W_]+")


def _lexemes_of_word(word: str) -> tuple[str, ...]:
    return tuple(f for f in word_nouns(word) if _lexeme_re.fullmatch(f))


def lexemes(text: str) -> list[str]:
    """The search lexemes of ``text`` in order, without repeats (see above)."""
    found: dict[str, None] = {}
    for word in words_of(text):
        parts = _lexemes_of_word(word)
        for part in parts:
            found[part] = None
        if len(parts) > 1:
            found["".join(parts)] = None
    return list(found)


def search_key(title: str, body: str) -> str:
    """The stored search key of a post: title lexemes `` | `` body lexemes."""
    return f"{' '.join(lexemes(title))}{SEARCH_SEPARATOR}{' '.join(lexemes(body))}"


def search_grams(title: str, body: str) -> str:
    """The value of ``Post.search_grams`` (the column keeps its name): :func:`search_key`."""
    return search_key(title, body)


# Per word: (its content nouns as :func:`nouns` keeps them, its search lexemes as
# :func:`lexemes` adds them), so that computing a post's three keys looks each word up once.
_word_keys: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _keys_of_word(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = _word_keys.get(word)
    if found is None:
        kept = word_nouns(word)
        content = tuple(f for f in kept if len(f) > 1 and f not in STOP_NOUNS)
        parts = tuple(f for f in kept if _lexeme_re.fullmatch(f))
        found = (content, parts + (("".join(parts),) if len(parts) > 1 else ()))
        if len(_word_keys) >= WORD_CACHE_SIZE:
            _word_keys.clear()
        _word_keys[word] = found
    return found


def post_keys(title: str, body: str) -> tuple[str, str, str]:
    """A post's three stored keys at once: (``normalize_post(title, body)``,
    ``normalize(title)``, ``search_key(title, body)``), each word looked up once (the key
    rebuild of a whole board spends its Python time here)."""
    title_nouns: dict[str, None] = {}
    title_lexemes: dict[str, None] = {}
    for word in words_of(title):
        content, lexemes_ = _keys_of_word(word)
        title_nouns.update(dict.fromkeys(content))
        title_lexemes.update(dict.fromkeys(lexemes_))
    body_nouns: dict[str, None] = {}
    body_lexemes: dict[str, None] = {}
    for word in words_of(body):
        content, lexemes_ = _keys_of_word(word)
        body_nouns.update(dict.fromkeys(content))
        body_lexemes.update(dict.fromkeys(lexemes_))
    title_list = list(title_nouns)
    both = list(dict.fromkeys(title_list + list(body_nouns)))
    return (
        " ".join(sorted(both[:MAX_KEY_NOUNS])),
        " ".join(sorted(title_list[:MAX_KEY_NOUNS])),
        f"{' '.join(title_lexemes)}{SEARCH_SEPARATOR}{' '.join(body_lexemes)}",
    )


def search_terms(query: str) -> list[tuple[str, ...]]:
    """The words a person means in a query, each as its nouns: particles and endings gone
    (도서관을 연장 → (도서관,), (연장,)); a word with no noun (주세요) means nothing; a query
    of such words only is searched as typed."""
    terms: dict[tuple[str, ...], None] = {}
    words = words_of(query)[:MAX_QUERY_WORDS]
    for word in words:
        parts = _lexemes_of_word(word)
        if parts:
            terms[parts] = None
    if not terms:
        for word in words:
            plain = tuple(_lexeme_re.findall(word.lower()))
            if plain:
                terms[plain] = None
    return list(terms)


def _part_matches(part: str, lexemes_: set[str]) -> bool:
    if len(part) < 2:
        return part in lexemes_
    return any(lexeme.startswith(part) for lexeme in lexemes_)


def term_matches(term: tuple[str, ...], lexemes_: set[str]) -> bool:
    """Whether a post with these lexemes contains the meant word ``term`` (as tsquery does)."""
    if len(term) > 1 and _part_matches("".join(term), lexemes_):
        return True
    return all(_part_matches(part, lexemes_) for part in term)


def split_key(key: str) -> tuple[set[str], set[str]]:
    """(title lexemes, all lexemes) of a stored search key."""
    title, _sep, body = key.partition(SEARCH_SEPARATOR.strip())
    title_set = set(title.split())
    return title_set, title_set | set(body.split())


def _part_query(part: str) -> str:
    return f"'{part}':*" if len(part) >= 2 else f"'{part}'"


def term_query(term: tuple[str, ...]) -> str:
    """The tsquery (raw, 'simple') of one meant word; lexemes are letters and digits only."""
    every = " & ".join(_part_query(p) for p in term)
    if len(term) > 1:
        return f"({_part_query(''.join(term))} | ({every}))"
    return every


def any_term_query(terms: list[tuple[str, ...]]) -> str:
    return " | ".join(f"({term_query(t)})" for t in terms)


def highlight_pattern(terms: list[tuple[str, ...]]) -> re.Pattern[str] | None:
    """A case-insensitive pattern of the query's nouns (longest first) to mark in a text."""
    parts = sorted({p for t in terms for p in (*t, "".join(t))}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile("|".join(re.escape(p) for p in parts), re.IGNORECASE)


# --- the duplicate lookup (board posts and proposals) ---------------------------------------
#
# ``board.SimilarityWord`` holds one row per noun of each stored key, kept by PostgreSQL
# triggers (board migration 0013). A lookup walks, for each noun of the draft's key, the
# newest ``SIMILAR_WORD_WALK`` texts holding it (an index-only scan of board_simword_walk with
# the LIMIT inside), keeps the ``SIMILAR_CANDIDATES`` sharing the most nouns, and scores those
# exactly. Its cost depends on the draft (at most 16 nouns), not on the size of the board: a
# rare noun finds every text that has it; a noun in a third of the board only its newest.

SIMILAR_WORD_WALK = 400
SIMILAR_CANDIDATES = 150
# The SQLite path (no triggers) compares in Python against this many recent texts.
SQLITE_SIMILAR_SCAN = 20_000

_SIMILAR_SQL = """
SELECT c.object_id
FROM unnest(%(words)s::text[]) AS w(word)
CROSS JOIN unnest(%(scopes)s::text[]) AS s(scope)
CROSS JOIN unnest(%(untils)s::timestamptz[]) AS u(until)
CROSS JOIN LATERAL (
    SELECT k.object_id FROM board_similarityword k
    WHERE k.source = %(source)s AND k.scope = s.scope AND k.word = w.word
      AND k.at <= COALESCE(u.until, 'infinity'::timestamptz)
    ORDER BY k.at DESC
    LIMIT %(walk)s
) c
GROUP BY c.object_id
ORDER BY count(DISTINCT w.word) DESC, c.object_id DESC
LIMIT %(candidates)s
"""
# The same walk as a subquery of the scoring statement (positional parameters, in this order).
_SIMILAR_SUBQUERY = re.sub(r"%\((\w+)\)s", "%s", _SIMILAR_SQL)
_SIMILAR_ORDER = ("words", "scopes", "untils", "source", "walk", "candidates")


def _similar_params(
    *,
    source: str,
    key: str,
    scopes: Sequence[str],
    untils: Sequence[datetime | None],
    walk: int | None = None,
    candidates: int | None = None,
) -> dict[str, Any]:
    return {
        "words": sorted(set(key.split())),
        "scopes": list(scopes),
        "untils": list(untils),
        "source": source,
        "walk": walk or SIMILAR_WORD_WALK,
        "candidates": candidates or SIMILAR_CANDIDATES,
    }


def similar_ids(
    *,
    source: str,
    key: str,
    scopes: Sequence[str] = ("",),
    untils: Sequence[datetime | None] = (None,),
    walk: int | None = None,
    candidates: int | None = None,
) -> list[int]:
    """Ids of the ``source`` texts sharing the most nouns with ``key`` (PostgreSQL): each
    noun walks each of ``scopes`` newest first, from each of ``untils`` (None: from now)."""
    params = _similar_params(
        source=source, key=key, scopes=scopes, untils=untils, walk=walk, candidates=candidates
    )
    if not params["words"]:
        return []
    with connection.cursor() as cur:
        cur.execute(_SIMILAR_SQL, params)
        return [row[0] for row in cur.fetchall()]


def similar(
    qs: QuerySet[M],
    *,
    source: str,
    keys: Mapping[str, str],
    at_field: str,
    scopes: Sequence[str] = ("",),
    untils: Sequence[datetime | None] = (None,),
    threshold: float = DUPLICATE_THRESHOLD,
    limit: int = 10,
    earliest_first: bool = False,
) -> list[tuple[M, float]]:
    """The texts of ``qs`` most similar to a draft, with their similarity (0..1), best first,
    at least ``threshold``; ties go to the newest (``earliest_first``: the earliest).

    ``keys`` maps stored key fields to the draft's keys (e.g. ``{"normalized": …,
    "title_key": …}``); a text's similarity is the best of those comparisons. The first key
    finds the candidates (its nouns walk the word index), ``qs`` says which may be shown.
    PostgreSQL: the walk of :func:`similar_ids` and the scoring in one statement
    (:func:`_similar_in_sql`); SQLite: the ``SQLITE_SIMILAR_SCAN`` newest of ``qs``."""
    items = [(field, value) for field, value in keys.items() if value]
    if not items:
        return []
    if connection.vendor == "postgresql":
        return _similar_in_sql(
            qs,
            source=source,
            items=items,
            at_field=at_field,
            scopes=scopes,
            untils=untils,
            threshold=threshold,
            limit=limit,
            earliest_first=earliest_first,
        )
    objects = list(qs.order_by(f"-{at_field}")[:SQLITE_SIMILAR_SCAN])
    scored: list[tuple[M, float]] = []
    for obj in objects:
        value = max(normalized_similarity(v, getattr(obj, f) or "") for f, v in items)
        if value >= threshold:
            scored.append((obj, value))
    sign = 1 if earliest_first else -1

    def order(item: tuple[M, float]) -> tuple[float, float, int]:
        obj, value = item
        at = getattr(obj, at_field)
        return (-value, sign * at.timestamp() if at else 0.0, sign * (obj.pk or 0))

    scored.sort(key=order)
    return scored[:limit]


def _similar_in_sql(
    qs: QuerySet[M],
    *,
    source: str,
    items: list[tuple[str, str]],
    at_field: str,
    scopes: Sequence[str],
    untils: Sequence[datetime | None],
    threshold: float,
    limit: int,
    earliest_first: bool,
) -> list[tuple[M, float]]:
    """PostgreSQL: ONE statement walks the word index (the candidates), scores them with
    pg_trgm's ``similarity()`` (what :func:`normalized_similarity` computes, in C) and returns
    only the ``limit`` best rows. Scoring the 150 candidates in Python, each loaded as a model
    with its author and department, cost ~70 % of a lookup (cProfile, 50,000-post bench)."""
    params = _similar_params(source=source, key=items[0][1], scopes=scopes, untils=untils)
    if not params["words"]:
        return []
    walk = RawSQL(_SIMILAR_SUBQUERY, [params[name] for name in _SIMILAR_ORDER])  # noqa: S611
    scores = [TrigramSimilarity(field, value) for field, value in items]
    score = scores[0] if len(scores) == 1 else Greatest(*scores)
    at = F(at_field).asc() if earliest_first else F(at_field).desc()
    pk = F("pk").asc() if earliest_first else F("pk").desc()
    rows = (
        qs.filter(pk__in=walk)
        .annotate(_similarity=score)
        .filter(_similarity__gte=threshold)
        .order_by(F("_similarity").desc(), at, pk)[:limit]
    )
    return [(obj, float(getattr(obj, "_similarity"))) for obj in rows]  # noqa: B009
