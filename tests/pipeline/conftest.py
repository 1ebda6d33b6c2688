"""Fixtures for running the pipeline on a throwaway copy of the project."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.paths import REPO


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file below ``root`` (``__pycache__`` ignored), for byte-identity checks."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of specs/ and generated/ in a temporary project root."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "specs", root / "specs")
    shutil.copytree(REPO / "generated", root / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def write_spec(root: Path, vendor: str, text: str) -> None:
    """Vendor ``text`` as ``specs/<vendor>.yaml`` with a matching provenance record."""
    data = text.encode()
    (root / "specs" / f"{vendor}.yaml").write_bytes(data)
    record_path = root / "specs" / f"{vendor}.provenance.json"
    record = json.loads(record_path.read_text())
    record["sha256"] = hashlib.sha256(data).hexdigest()
    record_path.write_text(json.dumps(record, indent=2) + "\n")


RunPipeline = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_pipeline(project: Path) -> RunPipeline:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pipeline", "--root", str(project), *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    return run
