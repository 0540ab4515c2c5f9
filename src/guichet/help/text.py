"""Text normalisation for search: accent folding, tokens, stop words, stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN, STOPWORDS_FRENCH

STEMMER_LANGUAGES = {"en": "english", "fr": "french", "ro": "romanian", "nl": "dutch"}
WORD = re.compile(r"[a-z0-9]+")

_ROMANIAN_STOPWORDS = ["a", "acea", "aceasta", "aceea", "acel", "acest", "acesta", "acestea", "acestei", "acestui", "ai", "al", "ale", "am", "ar", "as", "asa", "asta", "au", "ca", "care", "ce", "cel", "cea", "cei", "cele", "cum", "cu", "da", "daca", "dar", "de", "din", "dintr", "dintre", "e", "ea", "ei", "el", "este", "eu", "fi", "fie", "fost", "i", "il", "in", "intr", "intre", "isi", "la", "le", "lor", "lui", "m", "ma", "mai", "mea", "mele", "meu", "mi", "mie", "mine", "mod", "ne", "ni", "nici", "noi", "nu", "o", "ori", "ori", "pe", "pentru", "prin", "sa", "sau", "se", "si", "sunt", "suntem", "sa", "sub", "tu", "un", "una", "unei", "unui", "unor", "va", "voi", "vor", "cand", "cine", "ceva", "cat", "cate", "eu", "noastra", "nostru", "vostru", "acum", "aici", "unde"]
# Question words and pronouns Flemish customers type that Snowball's Dutch list lacks.
_DUTCH_EXTRA = ["jullie", "kunt", "mag", "mogen", "moeten", "onze", "waar", "waarom", "wanneer", "we", "welk", "welke", "wij"]
_FRENCH_EXTRA = ["a", "au", "aux", "ce", "ces", "est", "et", "je", "j", "l", "la", "le", "les", "leur", "ma", "mes", "mon", "ne", "nous", "on", "ou", "par", "pas", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta", "un", "une", "vos", "votre", "vous", "y"]


def fold(text: str) -> str:
    """Lowercase without accents: ș → s, é → e, œ → oe."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of every supported language, folded (a query's language is unknown)."""
    lists = [STOPWORDS_EN, STOPWORDS_FRENCH, STOPWORDS_DUTCH, _ROMANIAN_STOPWORDS, _FRENCH_EXTRA, _DUTCH_EXTRA]
    return frozenset(fold(word) for group in lists for word in group)


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_LANGUAGES.get(language, "english"))


def stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


def stems_any_language(word: str) -> set[str]:
    """The word's stem under every language's rules (for queries in an unknown language)."""
    return {stem(word, language) for language in ("en", "fr", "ro", "nl")}
