"""An installed wheel carries the default model and works outside the repository."""

import subprocess
import sys
import zipfile

from conftest import REPO


def test_the_wheel_ships_the_default_model(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-w", str(tmp_path)],
        capture_output=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr.decode()[-2000:]
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("metadata.json", "vocabulary.json", "lexicon.json", "weights.npz", "README.md"):
        assert f"classifier/_default_model/{name}" in names
    assert "classifier/cli/tag.py" in names
    assert not any(name.startswith(("training_data/", "tests/")) for name in names)
