"""Model directories: a code payload is refused without running, and altered or foreign models get one clear line."""

import json
import os
import pickle

import numpy as np

from conftest import cli
from classifier.store import metadata_digest, sha256_file

TEXT = "The council will cut 300 jobs to balance its budget."


class Payload:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _rewrite_checksums(model_dir):
    """What an attacker who knows the format would do: make every checksum match the altered files."""
    metadata = json.loads((model_dir / "metadata.json").read_text())
    for name in metadata["checksums"]:
        metadata["checksums"][name] = sha256_file(model_dir / name)
    metadata["metadata_sha256"] = metadata_digest(metadata)
    (model_dir / "metadata.json").write_text(json.dumps(metadata))


def test_a_pickled_payload_in_the_weights_is_refused_without_running(model_copy, tmp_path):
    marker = tmp_path / "payload-ran"
    with np.load(model_copy / "weights.npz") as arrays:
        contents = dict(arrays)
    contents["coef"] = np.array([Payload(marker)], dtype=object)
    with open(model_copy / "weights.npz", "wb") as handle:
        np.savez(handle, **contents)
    _rewrite_checksums(model_copy)  # an attacker can recompute checksums: the loader must still refuse
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "weights.npz" in result.stderr
    assert not marker.exists()


def test_a_pickle_file_beside_the_model_is_never_loaded(model_copy, tmp_path):
    marker = tmp_path / "payload-ran"
    (model_copy / "model.pkl").write_bytes(pickle.dumps(Payload(marker)))
    (model_copy / "model.joblib").write_bytes(pickle.dumps(Payload(marker)))
    assert cli("predict", "--model", model_copy, TEXT).exit_code == 0
    assert not marker.exists()


def test_an_altered_weights_file_fails_its_checksum(model_copy):
    with np.load(model_copy / "weights.npz") as arrays:
        contents = dict(arrays)
    contents["coef"] = contents["coef"] * 2
    with open(model_copy / "weights.npz", "wb") as handle:
        np.savez(handle, **contents)
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 1 and "checksum" in result.stderr


def test_a_model_of_another_format_says_to_retrain(model_copy):
    metadata = json.loads((model_copy / "metadata.json").read_text())
    metadata["format_version"] = 99
    (model_copy / "metadata.json").write_text(json.dumps(metadata))
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 1
    assert "format 99" in result.stderr and "classifier train" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_and_broken_model_files(model_copy):
    (model_copy / "vocabulary.json").unlink()
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 1 and "vocabulary.json is missing" in result.stderr
    (model_copy / "metadata.json").write_text("{not json")
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 1 and "not valid JSON" in result.stderr


def test_metadata_with_wrong_labels_or_thresholds_is_refused(model_copy):
    original = (model_copy / "metadata.json").read_text()
    for change in ({"labels": ["a", "b", "c", "d"]}, {"thresholds": {"data_access": 2}}):
        metadata = json.loads(original)
        metadata.update(change)
        (model_copy / "metadata.json").write_text(json.dumps(metadata))
        result = cli("predict", "--model", model_copy, TEXT)
        assert result.exit_code == 1 and result.stderr.startswith("error: ")


def test_audit_model_passes_the_shipped_model():
    result = cli("audit-model")
    assert result.exit_code == 0, result.stdout
    assert "personal names: 0" in result.stdout and "e-mail addresses: 0" in result.stdout


def test_audit_model_lists_personal_data_in_a_vocabulary(model_copy):
    terms = json.loads((model_copy / "vocabulary.json").read_text())
    terms[:3] = ["michael kowalski", "reach jane@example.org", "badge 40521"]
    (model_copy / "vocabulary.json").write_text(json.dumps(terms))
    _rewrite_checksums(model_copy)
    result = cli("audit-model", "--model", model_copy, "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert findings == {"email_addresses": ["reach jane@example.org"], "numbers": ["badge 40521"],
                        "personal_names": ["michael kowalski"]}


def test_training_prunes_rare_proper_nouns_and_common_names(trained_model, small_training_file):
    from classifier.data import read_labelled
    from classifier.privacy import common_names, rare_proper_nouns

    terms = json.loads((trained_model / "vocabulary.json").read_text())
    words = {word for term in terms for word in term.split(" ")}
    texts = [e.text for e in read_labelled(small_training_file)]
    assert not words & rare_proper_nouns(texts, 5)
    assert not words & common_names()
    assert {"court", "jobs", "funding", "data"} <= words


def test_an_edited_metadata_file_is_refused(model_copy):
    metadata = json.loads((model_copy / "metadata.json").read_text())
    metadata["sklearn_version"] = "0.1"
    (model_copy / "metadata.json").write_text(json.dumps(metadata))
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 1 and "altered" in result.stderr


def test_a_huge_model_file_is_refused_before_it_is_read(model_copy):
    with open(model_copy / "vocabulary.json", "r+b") as handle:
        handle.truncate(65 << 20)  # sparse: no disk used
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 1 and "larger than a model file may be" in result.stderr


def test_a_model_interrupted_between_renames_is_recovered(model_copy):
    backup = model_copy.with_name(f".{model_copy.name}.previous")
    model_copy.rename(backup)  # the moment between moving the old model aside and moving the new one in
    result = cli("predict", "--model", model_copy, TEXT)
    assert result.exit_code == 0, result.stderr
    assert model_copy.is_dir() and not backup.exists()


def test_a_model_from_another_sklearn_release_still_scores_and_says_how_to_update(model_copy):
    before = cli("predict", "--json", "--model", model_copy, TEXT)
    metadata = json.loads((model_copy / "metadata.json").read_text())
    metadata["sklearn_version"] = "0.24.2"
    metadata["metadata_sha256"] = metadata_digest(metadata)
    (model_copy / "metadata.json").write_text(json.dumps(metadata))
    result = cli("predict", "--json", "--model", model_copy, TEXT)
    assert result.exit_code == 0 and result.stdout == before.stdout
    assert "scikit-learn 0.24.2" in result.stderr and "classifier train" in result.stderr
    assert "note:" not in before.stderr
