"""The one definition of the text features, used by training (scikit-learn) and by prediction (numpy only).

Training fits scikit-learn's ``TfidfVectorizer`` built by :func:`sklearn_vectorizer`. Prediction uses
:class:`Vectorizer`, which holds the fitted vocabulary and idf weights as plain data and computes exactly the same
rows (the tests check this to 1e-12) without scikit-learn's per-n-gram string building.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from itertools import chain

import numpy as np
from scipy import sparse

#: Words of two or more letters; digits are left out, so ID numbers and years never become features.
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"
_TOKEN_RE = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class FeatureSettings:
    """How paragraphs become TF-IDF rows."""

    ngram_max: int = 2
    min_df: int = 2
    max_df: float = 0.6
    sublinear_tf: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "FeatureSettings":
        return cls(**{name: values[name] for name in cls.__dataclass_fields__ if name in values})


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens, exactly as the vectorizer sees them."""
    return _TOKEN_RE.findall(text.lower())


def sklearn_vectorizer(settings: FeatureSettings):
    """An unfitted scikit-learn TfidfVectorizer with these settings."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        lowercase=True,
        token_pattern=TOKEN_PATTERN,
        ngram_range=(1, settings.ngram_max),
        min_df=settings.min_df,
        max_df=settings.max_df,
        sublinear_tf=settings.sublinear_tf,
        norm="l2",
        smooth_idf=True,
        dtype=np.float64,
    )


class Vectorizer:
    """TF-IDF rows from a fitted vocabulary and idf, computed with numpy.

    Each word of the vocabulary gets a small integer; an n-gram is then a number built from its words' integers,
    looked up in a sorted array, so a whole batch is counted with a few vectorised operations.
    """

    def __init__(self, terms: list[str], idf: np.ndarray, settings: FeatureSettings):
        if len(terms) != len(idf):
            raise ValueError("terms and idf differ in length")
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.settings = settings
        self._word_ids: dict[str, int] = {}
        for term in self.terms:
            for word in term.split(" "):
                self._word_ids.setdefault(word, len(self._word_ids))
        n_words = max(len(self._word_ids), 1)
        if n_words ** settings.ngram_max >= 2**62:
            raise ValueError("vocabulary too large for this n-gram range")
        self._n_words = n_words
        self._unigram_feature = np.full(n_words, -1, dtype=np.int64)
        grams: dict[int, list[tuple[int, int]]] = {}
        for index, term in enumerate(self.terms):
            words = term.split(" ")
            if len(words) == 1:
                self._unigram_feature[self._word_ids[words[0]]] = index
            else:
                key = 0
                for word in words:
                    key = key * n_words + self._word_ids[word]
                grams.setdefault(len(words), []).append((key, index))
        self._gram_tables = {}
        for n, pairs in grams.items():
            pairs.sort()
            self._gram_tables[n] = (
                np.array([key for key, _ in pairs], dtype=np.int64),
                np.array([index for _, index in pairs], dtype=np.int64),
            )

    @classmethod
    def from_sklearn(cls, fitted, settings: FeatureSettings) -> "Vectorizer":
        """Copy the vocabulary and idf out of a fitted scikit-learn TfidfVectorizer."""
        terms = [None] * len(fitted.vocabulary_)
        for term, index in fitted.vocabulary_.items():
            terms[index] = term
        return cls(terms, fitted.idf_, settings)

    @property
    def n_features(self) -> int:
        return len(self.terms)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """TF-IDF rows (l2-normalised) for ``texts``, one row per text."""
        n_docs = len(texts)
        get = self._word_ids.get
        id_lists = [[get(token, -1) for token in _TOKEN_RE.findall(text.lower())] for text in texts]
        lengths = np.fromiter(map(len, id_lists), dtype=np.int64, count=n_docs)
        ids = np.fromiter(chain.from_iterable(id_lists), dtype=np.int64, count=int(lengths.sum()))
        doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        rows, cols = self._unigrams(ids, doc_of)
        row_parts, col_parts = [rows], [cols]
        for n, (keys, features) in self._gram_tables.items():
            rows, cols = self._ngrams(ids, doc_of, n, keys, features)
            row_parts.append(rows)
            col_parts.append(cols)
        rows = np.concatenate(row_parts)
        cols = np.concatenate(col_parts)
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n_docs, self.n_features)
        )
        counts.sum_duplicates()
        counts.sort_indices()
        return self._weigh(counts)

    def _unigrams(self, ids, doc_of):
        known = ids >= 0
        features = self._unigram_feature[ids[known]]
        present = features >= 0
        return doc_of[known][present], features[present]

    def _ngrams(self, ids, doc_of, n, keys, features):
        span = len(ids) - n + 1
        if span <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        key = ids[:span].copy()
        valid = key >= 0
        for offset in range(1, n):
            following = ids[offset : offset + span]
            valid &= (following >= 0) & (doc_of[offset : offset + span] == doc_of[:span])
            key = key * self._n_words + following
        key = key[valid]
        position = np.searchsorted(keys, key)
        position[position == len(keys)] = 0
        found = keys[position] == key if len(keys) else np.zeros(len(key), dtype=bool)
        return doc_of[:span][valid][found], features[position[found]]

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        if self.settings.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=counts.data**2, minlength=counts.shape[0]))
        norms[norms == 0.0] = 1.0
        counts.data /= norms[row_of]
        return counts
