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
- :func:`search_grams` / :func:`query_grams` give the character bigrams used by keyword
  search, so that two-syllable words such as 도서 are found through an index.

Example: "주민참여예산으로 도서관 운영시간을 연장해 주세요" and "도서관 개방 시간 연장
요청드립니다(주민 참여 예산)" normalize to sets sharing 주민 참여 예산 도서관 시간 연장 and
score about 0.68 (a duplicate is anything at or above :data:`DUPLICATE_THRESHOLD`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

_kiwi: Kiwi | None = None
_kiwi_lock = threading.Lock()
_word_re = re.compile(r"[^\W_]+")


def _get_kiwi() -> Kiwi:
    """One Kiwi per process: loading the model takes about a second, analysing is fast."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def nouns(text: str) -> list[str]:
    """The content words of ``text`` in order of appearance, lower-cased, without repeats."""
    text = unicodedata.normalize("NFC", text or "")[:MAX_ANALYSED_CHARS]
    if not text.strip():
        return []
    seen: dict[str, None] = {}
    for token in _get_kiwi().tokenize(text):
        if token.tag in KEPT_TAGS:
            form = token.form.lower()
            if len(form) > 1 and form not in STOP_NOUNS and form not in seen:
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


def search_grams(*texts: str) -> str:
    """Distinct lower-cased character bigrams of every word in ``texts``, space separated
    (one-letter words are kept whole). Indexed with a GIN full-text index on PostgreSQL, a
    query's bigrams find every post containing it, even a two-syllable word like 도서."""
    grams: dict[str, None] = {}
    for text in texts:
        for word in _word_re.findall(unicodedata.normalize("NFC", text or "").lower()):
            if len(word) == 1:
                grams[word] = None
            for i in range(len(word) - 1):
                grams[word[i : i + 2]] = None
    return " ".join(grams)


def normalize_term(term: str) -> str:
    """A search term as the bigram keys see it: NFC, lower-cased."""
    return unicodedata.normalize("NFC", term).lower()


def query_grams(term: str) -> list[str]:
    """The bigrams a post must contain to contain ``term`` (empty for a one-letter term)."""
    grams: dict[str, None] = {}
    for word in _word_re.findall(unicodedata.normalize("NFC", term).lower()):
        for i in range(len(word) - 1):
            grams[word[i : i + 2]] = None
    return list(grams)
