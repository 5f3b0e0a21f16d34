"""Keeping personal data out of a model's vocabulary: rare proper nouns are pruned at training, and an audit lists
saved terms that could still be personal data (names, e-mail addresses, numbers)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?:;\"'“‘(\[]\s*$")


def rare_proper_nouns(texts: list[str], max_documents: int) -> set[str]:
    """Lower-cased words that are almost always capitalised inside a sentence (names of people, firms, places) and
    appear in fewer than ``max_documents`` paragraphs: too rare to be a topic word, and possibly someone's name."""
    capitalised, total, documents = Counter(), Counter(), Counter()
    for text in texts:
        seen = set()
        for match in _WORD.finditer(text):
            word = match.group()
            lower = word.lower()
            seen.add(lower)
            if match.start() == 0 or _SENTENCE_END.search(text[max(0, match.start() - 3): match.start()]):
                continue  # the first word of a sentence says nothing
            total[lower] += 1
            capitalised[lower] += word[0].isupper()
        documents.update(seen)
    return {w for w, n in total.items() if capitalised[w] >= 0.9 * n and documents[w] < max_documents}


def prune_vocabulary(fitted, banned: set[str]) -> None:
    """Drop from a fitted scikit-learn TfidfVectorizer every term that contains a banned word."""
    import numpy as np

    kept = sorted((index, term) for term, index in fitted.vocabulary_.items()
                  if not any(word in banned for word in term.split(" ")))
    idf = fitted.idf_
    fitted.vocabulary_ = {term: new for new, (_, term) in enumerate(kept)}
    fitted.idf_ = np.asarray([idf[old] for old, _ in kept])


@lru_cache(maxsize=1)
def common_names() -> frozenset[str]:
    path = Path(__file__).parent / "resources" / "names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_DIGITS = re.compile(r"\d")


def audit_vocabulary(terms: list[str]) -> dict[str, list[str]]:
    """Terms that could be personal data, by kind: e-mail addresses, numbers (IDs, phone numbers), and common
    given names or surnames."""
    names = common_names()
    return {
        "email_addresses": [t for t in terms if _EMAIL.search(t)],
        "numbers": [t for t in terms if _DIGITS.search(t)],
        "personal_names": [t for t in terms if any(word in names for word in t.split(" "))],
    }
