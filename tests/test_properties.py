"""Property-based tests: arbitrary text and bytes never raise anything but the project's own error types, and the
fast features equal scikit-learn's for any text."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.errors import ModelError, ReaderError
from classifier.paragraphs import fingerprint, split_paragraphs
from classifier.readers import Document, Problem, ReaderOptions, read_source

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.text(
    alphabet=st.sampled_from(list("ab \n\r\t\x00.é£")), max_size=200)


@SETTINGS
@given(TEXT)
def test_paragraphs_are_stripped_non_empty_and_keep_every_visible_character(text):
    paragraphs = split_paragraphs(text)
    for paragraph in paragraphs:
        assert paragraph and paragraph == paragraph.strip()
        assert not re.search(r"\n[ \t\f\v]*\n", paragraph)
    visible = lambda s: re.sub(r"\s", "", s.replace("\x00", ""))  # noqa: E731
    assert visible("".join(paragraphs)) == visible(text)


@SETTINGS
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Z", "Cc"]), min_size=1,
                        max_size=12), min_size=1, max_size=12),
       st.lists(st.sampled_from([" ", "  ", "\n", "\t ", " \n  "]), min_size=12, max_size=12))
def test_fingerprints_ignore_case_and_spacing(words, gaps):
    plain = " ".join(words)
    respaced = "".join(word + gap for word, gap in zip(words, gaps)).strip()
    assert fingerprint(plain) == fingerprint(respaced.casefold()) == fingerprint(respaced)


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.md", "a.jsonl", "a.csv", "a.html", "a.warc", "a.warc.gz"]))
def test_readers_turn_any_bytes_into_documents_problems_or_a_reader_error(data, name):
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / name
        path.write_bytes(data)
        try:
            items = list(read_source(str(path), ReaderOptions()))
        except ReaderError:
            return
        assert all(isinstance(item, (Document, Problem)) for item in items)
        for item in items:
            if isinstance(item, Document):
                assert all(isinstance(p, str) and p for p in item.paragraphs)
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(st.binary(max_size=2000) | st.text(max_size=500).map(str.encode) | st.dictionaries(
    st.sampled_from(["format_version", "labels", "thresholds", "checksums", "features", "metadata_sha256"]),
    st.none() | st.integers() | st.text(max_size=10) | st.lists(st.text(max_size=8), max_size=4)
    | st.dictionaries(st.text(max_size=8), st.floats(allow_nan=True) | st.text(max_size=8), max_size=4),
).map(lambda d: __import__("json").dumps(d).encode()))
def test_the_metadata_loader_raises_only_model_errors(data):
    from classifier.store import load_model

    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "metadata.json").write_bytes(data)
        try:
            load_model(folder)
        except ModelError:
            return
        raise AssertionError("arbitrary metadata loaded as a model")
    finally:
        shutil.rmtree(folder)


_FITTED = {}


def _fitted_pair():
    if not _FITTED:
        from classifier.features import FeatureSettings, Vectorizer, sklearn_vectorizer

        corpus = ["the court ruled on the data", "jobs were cut at the plant", "the budget grants money",
                  "café naïve résumé über straße", "data data court jobs budget", "the plant and the court"]
        fitted = sklearn_vectorizer(FeatureSettings(min_df=1, max_df=1.0))
        fitted.fit(corpus)
        _FITTED["pair"] = (fitted, Vectorizer.from_sklearn(fitted, FeatureSettings(min_df=1, max_df=1.0)))
    return _FITTED["pair"]


WORDS = st.lists(st.sampled_from(["the", "court", "ruled", "data", "jobs", "cut", "plant", "budget", "café", "ÜBER",
                                  "straße", "a", "I", "x1", "99", "Data.", "court,", "\x7f", "\u212a", "\n", "\t"]),
                 max_size=40).map(" ".join)


@SETTINGS
@given(st.lists(WORDS | TEXT, min_size=1, max_size=8))
def test_fast_features_equal_sklearn_for_any_text(texts):
    fitted, fast = _fitted_pair()
    expected, got = fitted.transform(texts), fast.transform(texts)
    assert expected.shape == got.shape
    assert np.abs((expected - got).toarray()).max(initial=0.0) <= 1e-12
