"""Saving and loading a model directory: plain JSON and ``.npz`` arrays, a format version and checksums.

A model directory holds ``metadata.json``, ``vocabulary.json``, ``weights.npz`` and a model card ``README.md``.
Loading never unpickles anything (``allow_pickle=False``), so a model file cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from classifier.errors import ModelError, OutputError
from classifier.features import FeatureSettings, Vectorizer
from classifier.labels import LABELS
from classifier.model import Model

FORMAT_VERSION = 1
METADATA = "metadata.json"
VOCABULARY = "vocabulary.json"
WEIGHTS = "weights.npz"
LEXICON = "lexicon.json"
CARD = "README.md"
CHECKED_FILES = (VOCABULARY, LEXICON, WEIGHTS)
MAX_FILE_BYTES = {METADATA: 1 << 20, VOCABULARY: 64 << 20, LEXICON: 4 << 20, WEIGHTS: 256 << 20}
RETRAIN_HINT = "retrain it with `classifier train`"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def metadata_digest(metadata: dict) -> str:
    """SHA-256 of the metadata's canonical JSON, less the digest itself: catches an edited metadata file."""
    content = {key: value for key, value in metadata.items() if key != "metadata_sha256"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()


def save_model(model: Model, directory: Path, card: str) -> None:
    """Write ``model`` to ``directory`` atomically: a complete new directory replaces the old one, or nothing does."""
    directory = Path(directory)
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        for stale in directory.parent.glob(f".{directory.name}.*.partial"):  # left by a training that was killed
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".partial", dir=directory.parent))
    except OSError as exc:
        raise OutputError(f"cannot write the model to {directory} ({exc.strerror or exc})") from None
    try:
        with open(staging / VOCABULARY, "w", encoding="utf-8") as handle:
            json.dump(model.vectorizer.terms, handle, ensure_ascii=False)
        with open(staging / LEXICON, "w", encoding="utf-8") as handle:
            json.dump(model.vectorizer.lexicon, handle, ensure_ascii=False)
        with open(staging / WEIGHTS, "wb") as handle:
            np.savez(handle, idf=model.vectorizer.idf, coef=model.coef, intercept=model.intercept)
        metadata = dict(model.metadata)
        metadata.update(
            format_version=FORMAT_VERSION,
            labels=list(model.labels),
            thresholds={label: float(t) for label, t in zip(model.labels, model.thresholds)},
            features=model.vectorizer.settings.to_dict(),
            n_features=model.vectorizer.n_features,
            checksums={name: sha256_file(staging / name) for name in CHECKED_FILES},
        )
        metadata["metadata_sha256"] = metadata_digest(metadata)
        (staging / METADATA).write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (staging / CARD).write_text(card, encoding="utf-8")
        for name in os.listdir(staging):
            with open(staging / name, "rb") as handle:
                os.fsync(handle.fileno())
        _replace_directory(staging, directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the model to {directory} ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _backup_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


def _recover(target: Path) -> None:
    """Finish an interrupted replacement: if only the backup of the previous model is there, put it back."""
    backup = _backup_of(target)
    if not target.exists() and backup.is_dir():
        os.rename(backup, target)


def _replace_directory(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``; at every moment one complete model sits at ``target`` or at its backup,
    from which :func:`_recover` restores it."""
    _recover(target)
    if not target.exists():
        os.rename(new, target)
        return
    backup = _backup_of(target)
    shutil.rmtree(backup, ignore_errors=True)
    os.rename(target, backup)
    os.rename(new, target)
    shutil.rmtree(backup, ignore_errors=True)


def _read_checked(directory: Path, name: str) -> Path:
    path = directory / name
    if not path.is_file():
        raise ModelError(f"{directory}: model file {name} is missing; {RETRAIN_HINT}")
    if path.stat().st_size > MAX_FILE_BYTES[name]:
        raise ModelError(f"{path}: file is larger than a model file may be ({MAX_FILE_BYTES[name]} bytes)")
    return path


def read_metadata(directory: Path) -> dict:
    """The checked metadata of a model directory."""
    directory = Path(directory)
    try:
        _recover(directory)
    except OSError:
        pass  # a read-only place: read what is there
    if not directory.is_dir():
        raise ModelError(f"{directory}: no model directory here; train one with `classifier train`")
    path = _read_checked(directory, METADATA)
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelError(f"{path}: not valid JSON; {RETRAIN_HINT}") from None
    if not isinstance(metadata, dict):
        raise ModelError(f"{path}: expected a JSON object")
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(
            f"{directory}: model format {version!r}, but this version of the classifier reads format "
            f"{FORMAT_VERSION}; {RETRAIN_HINT}"
        )
    if metadata.get("labels") != list(LABELS):
        raise ModelError(f"{path}: labels {metadata.get('labels')!r} are not {list(LABELS)}; {RETRAIN_HINT}")
    thresholds = metadata.get("thresholds")
    if not isinstance(thresholds, dict) or set(thresholds) != set(LABELS) or not all(
        isinstance(thresholds[label], (int, float)) and 0.0 <= thresholds[label] <= 1.0 for label in LABELS
    ):
        raise ModelError(f"{path}: thresholds must give each label a number between 0 and 1")
    if metadata.get("metadata_sha256") != metadata_digest(metadata):
        raise ModelError(f"{path}: its contents do not match its own checksum; the file was altered")
    checksums = metadata.get("checksums")
    if not isinstance(checksums, dict):
        raise ModelError(f"{path}: no checksums; {RETRAIN_HINT}")
    for name in CHECKED_FILES:
        if checksums.get(name) != sha256_file(_read_checked(directory, name)):
            raise ModelError(f"{directory / name}: checksum does not match metadata.json; the file was altered")
    return metadata


def _read_json(directory: Path, name: str):
    try:
        return json.loads((directory / name).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
        raise ModelError(f"{directory / name}: cannot be read ({exc}); {RETRAIN_HINT}") from None


def load_model(directory: Path) -> Model:
    """Load and check a model directory. Raises ModelError with one clear line when anything is off."""
    directory = Path(directory)
    metadata = read_metadata(directory)
    try:
        settings = FeatureSettings.from_dict(metadata["features"])
    except (KeyError, TypeError) as exc:
        raise ModelError(f"{directory / METADATA}: feature settings missing or malformed ({exc}); {RETRAIN_HINT}") from None
    terms = _read_json(directory, VOCABULARY)
    lexicon = _read_json(directory, LEXICON)
    if not (isinstance(lexicon, dict) and all(
        isinstance(phrases, list) and all(isinstance(p, str) for p in phrases) for phrases in lexicon.values()
    )):
        raise ModelError(f"{directory / LEXICON}: expected an object of phrase lists")
    try:
        with np.load(directory / WEIGHTS, allow_pickle=False) as arrays:
            idf, coef, intercept = arrays["idf"], arrays["coef"], arrays["intercept"]
    except (KeyError, ValueError, OSError, EOFError) as exc:
        raise ModelError(f"{directory / WEIGHTS}: cannot be read ({exc}); {RETRAIN_HINT}") from None
    n_labels = len(LABELS)
    if not (isinstance(terms, list) and all(isinstance(t, str) for t in terms)):
        raise ModelError(f"{directory / VOCABULARY}: expected a list of terms")
    n_features = len(terms) + len(lexicon)
    shapes_ok = idf.shape == (len(terms),) and coef.shape == (n_labels, n_features) and intercept.shape == (n_labels,)
    if not shapes_ok or not all(a.dtype == np.float64 for a in (idf, coef, intercept)):
        raise ModelError(f"{directory / WEIGHTS}: arrays do not match the vocabulary; {RETRAIN_HINT}")
    if not all(np.isfinite(a).all() for a in (idf, coef, intercept)):
        raise ModelError(f"{directory / WEIGHTS}: arrays hold values that are not finite")
    try:
        vectorizer = Vectorizer(terms, idf, settings, lexicon)
    except ValueError as exc:
        raise ModelError(f"{directory}: {exc}") from None
    thresholds = np.array([metadata["thresholds"][label] for label in LABELS], dtype=np.float64)
    return Model(LABELS, vectorizer, coef, intercept, thresholds, metadata)


def sklearn_release_note(metadata: dict) -> str | None:
    """A one-line note when the model was trained with another scikit-learn release than the one installed.

    Prediction does not use scikit-learn, so such a model still scores exactly as it did; the note says how to bring
    it up to date. Asks the installed package's metadata, without importing scikit-learn.
    """
    from importlib import metadata as installed

    try:
        current = installed.version("scikit-learn")
    except installed.PackageNotFoundError:
        return None
    trained = str(metadata.get("sklearn_version"))
    if trained.split(".")[:2] == current.split(".")[:2]:
        return None
    return (f"this model was trained with scikit-learn {trained} and {current} is installed; it scores the same, "
            f"but {RETRAIN_HINT} to bring it up to date")


def default_model_dir() -> Path:
    """The shipped model: inside an installed wheel, or ``models/default`` of a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_default_model", package.parent / "models" / "default"):
        if (candidate / METADATA).is_file():
            return candidate
    raise ModelError("the default model is not installed; pass --model DIR or train one with `classifier train`")
