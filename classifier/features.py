"""The one definition of the text features, used by training (scikit-learn) and by prediction (numpy only).

Training fits scikit-learn's ``TfidfVectorizer`` built by :func:`sklearn_vectorizer`. Prediction uses
:class:`Vectorizer`, which holds the fitted vocabulary and idf weights as plain data and computes exactly the same
rows (the tests check this to 1e-12) without scikit-learn's per-n-gram string building.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from itertools import chain, repeat

import numpy as np
from scipy import sparse

#: Runs of two or more letters; digits and punctuation split words and are left out, so ID numbers and years never
#: become features.
TOKEN_PATTERN = r"(?u)[^\W\d_]{2,}"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
# For ASCII text the same tokens come from one bytes.translate and split over a whole batch: every byte but a-z
# becomes a space, and a separator token (two DEL bytes, kept by the table) marks where each text ends.
_ASCII_LETTERS = bytes(c if 97 <= c <= 122 or c == 127 else 32 for c in range(256))
_SEPARATOR = b"\x7f\x7f"
_SINGLE_LETTER_ID, _BOUNDARY_ID = -2, -3  # ids below -1 are not tokens: single letters and text boundaries


@dataclass(frozen=True)
class FeatureSettings:
    """How paragraphs become TF-IDF rows."""

    ngram_max: int = 2
    min_df: int = 2
    max_df: float = 0.6
    sublinear_tf: bool = True
    lexicon_weight: float = 0.0

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


class _PhraseTable:
    """Finds fixed word sequences (vocabulary terms or lexicon phrases) in a batch of token ids.

    A phrase of n words is the number ``((w1 * W) + w2) * W + ...`` built from its words' integers (W words in all);
    the batch's n-grams are built the same way and looked up in a sorted array, all with vectorised numpy.
    """

    def __init__(self, phrases: list[str], word_ids: dict[str, int]):
        self.n_words = max(len(word_ids), 1)
        self.unigram = np.full(self.n_words, -1, dtype=np.int64)
        grams: dict[int, list[tuple[int, int]]] = {}
        for index, phrase in enumerate(phrases):
            words = phrase.split(" ")
            if len(words) == 1:
                self.unigram[word_ids[words[0]]] = index
            else:
                if self.n_words ** len(words) >= 2**62:
                    raise ValueError("vocabulary too large for phrases this long")
                key = 0
                for word in words:
                    key = key * self.n_words + word_ids[word]
                grams.setdefault(len(words), []).append((key, index))
        self.grams = {}
        for n, pairs in sorted(grams.items()):
            pairs.sort()
            self.grams[n] = (np.array([k for k, _ in pairs], dtype=np.int64), np.array([i for _, i in pairs], dtype=np.int64))
        # Words that begin some phrase of two or more words: other positions need no look-up.
        self.starts = np.zeros(self.n_words, dtype=bool)
        for phrase in phrases:
            words = phrase.split(" ")
            if len(words) > 1:
                self.starts[word_ids[words[0]]] = True

    def find(self, ids: np.ndarray, doc_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, phrase index) for every occurrence of every phrase."""
        known = ids >= 0
        found = self.unigram[ids[known]]
        present = found >= 0
        rows, phrases = [doc_of[known][present]], [found[present]]
        if self.grams:
            candidates = np.flatnonzero(known)
            candidates = candidates[self.starts[ids[candidates]]]
        for n, (keys, indices) in self.grams.items():
            start = candidates[candidates <= len(ids) - n]
            key = ids[start]
            valid = np.ones(len(start), dtype=bool)
            for offset in range(1, n):
                following = ids[start + offset]
                valid &= (following >= 0) & (doc_of[start + offset] == doc_of[start])
                key = key * self.n_words + following
            key, start = key[valid], start[valid]
            position = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = keys[position] == key
            rows.append(doc_of[start[hit]])
            phrases.append(indices[position[hit]])
        return np.concatenate(rows), np.concatenate(phrases)


class Vectorizer:
    """Feature rows computed with numpy: the TF-IDF columns of a fitted vocabulary, then one lexicon column per group.

    The TF-IDF columns equal scikit-learn's ``TfidfVectorizer.transform``. A lexicon column counts the paragraph's
    occurrences of that group's phrases, as ``lexicon_weight * log(1 + count)``: domain knowledge that reaches
    phrases the training data never used.
    """

    def __init__(self, terms: list[str], idf: np.ndarray, settings: FeatureSettings,
                 lexicon: dict[str, list[str]] | None = None):
        if len(terms) != len(idf):
            raise ValueError("terms and idf differ in length")
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.settings = settings
        self.lexicon = {group: list(phrases) for group, phrases in (lexicon or {}).items()}
        phrases = [" ".join(tokenize(p)) for group in self.lexicon for p in self.lexicon[group]]
        if any(not p for p in phrases):
            raise ValueError("a lexicon phrase has no word the tokenizer keeps")
        self._word_ids: dict[str, int] = {}
        for term in self.terms + phrases:
            for word in term.split(" "):
                self._word_ids.setdefault(word, len(self._word_ids))
        self._ascii_word_ids = {word.encode("ascii"): i for word, i in self._word_ids.items() if word.isascii()}
        self._ascii_word_ids[_SEPARATOR] = _BOUNDARY_ID
        self._ascii_word_ids.update((bytes([letter]), _SINGLE_LETTER_ID) for letter in range(97, 123))
        self._terms = _PhraseTable(self.terms, self._word_ids)
        self._phrases = _PhraseTable(phrases, self._word_ids) if phrases else None
        self._phrase_group = np.array(
            [g for g, group in enumerate(self.lexicon) for _ in self.lexicon[group]], dtype=np.int64
        )

    @classmethod
    def from_sklearn(cls, fitted, settings: FeatureSettings, lexicon: dict[str, list[str]] | None = None):
        """Copy the vocabulary and idf out of a fitted scikit-learn TfidfVectorizer."""
        terms = [None] * len(fitted.vocabulary_)
        for term, index in fitted.vocabulary_.items():
            terms[index] = term
        return cls(terms, fitted.idf_, settings, lexicon)

    @property
    def n_features(self) -> int:
        return len(self.terms) + len(self.lexicon)

    @property
    def feature_names(self) -> list[str]:
        return self.terms + [f"lexicon:{group}" for group in self.lexicon]

    def _token_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Word ids of every token of every text (-1 for words outside the vocabulary), and the text of each token.

        Each text's tokens are contiguous; the texts themselves may come in any order.
        """
        lowered = [text.lower() for text in texts]
        fast = [i for i, text in enumerate(lowered) if text.isascii() and "\x7f" not in text]
        slow = sorted(set(range(len(texts))) - set(fast)) if len(fast) < len(texts) else []
        parts_ids, parts_docs = [], []
        if fast:
            joined = (b" " + _SEPARATOR + b" ").join(lowered[i].encode("ascii") for i in fast)
            words = joined.translate(_ASCII_LETTERS).split()
            ids = np.fromiter(map(self._ascii_word_ids.get, words, repeat(-1)), dtype=np.int64, count=len(words))
            boundary = ids == _BOUNDARY_ID
            position = np.cumsum(boundary)
            token = ids > _SINGLE_LETTER_ID
            parts_ids.append(ids[token])
            parts_docs.append(np.asarray(fast, dtype=np.int64)[position[token]])
        if slow:
            get = self._word_ids.get
            id_lists = [[get(token, -1) for token in _TOKEN_RE.findall(lowered[i])] for i in slow]
            lengths = np.fromiter(map(len, id_lists), dtype=np.int64, count=len(slow))
            parts_ids.append(np.fromiter(chain.from_iterable(id_lists), dtype=np.int64, count=int(lengths.sum())))
            parts_docs.append(np.repeat(np.asarray(slow, dtype=np.int64), lengths))
        if not parts_ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(parts_ids), np.concatenate(parts_docs)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Feature rows for ``texts``, one row per text."""
        ids, doc_of = self._token_ids(texts)
        rows, cols = self._terms.find(ids, doc_of)
        counts = _count_matrix(rows, cols, (len(texts), len(self.terms)))
        tfidf = self._weigh(counts)
        if not self.lexicon:
            return tfidf
        rows, phrases = self._phrases.find(ids, doc_of)
        hits = _count_matrix(rows, self._phrase_group[phrases], (len(texts), len(self.lexicon)))
        hits.data = self.settings.lexicon_weight * np.log1p(hits.data)
        return sparse.hstack([tfidf, hits], format="csr")

    def lexicon_matches(self, text: str) -> dict[str, list[str]]:
        """The lexicon phrases found in ``text``, per group."""
        if not self.lexicon:
            return {}
        ids, doc_of = self._token_ids([text])
        _, phrases = self._phrases.find(ids, doc_of)
        flat = [(group, phrase) for group in self.lexicon for phrase in self.lexicon[group]]
        matches: dict[str, list[str]] = {}
        for index in sorted(set(phrases.tolist())):
            group, phrase = flat[index]
            matches.setdefault(group, []).append(phrase)
        return matches

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


def _count_matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    counts = sparse.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=shape)
    counts.sum_duplicates()
    counts.sort_indices()
    return counts
