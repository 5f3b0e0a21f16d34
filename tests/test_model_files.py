"""Model directories: a code payload is refused without running, and altered or foreign models get one clear line."""

import json
import os
import pickle

import numpy as np

from conftest import cli
from classifier.store import sha256_file

TEXT = "The council will cut 300 jobs to balance its budget."


class Payload:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _rewrite_checksums(model_dir):
    metadata = json.loads((model_dir / "metadata.json").read_text())
    for name in metadata["checksums"]:
        metadata["checksums"][name] = sha256_file(model_dir / name)
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
