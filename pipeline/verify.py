"""Check staged packages before they replace anything: they import, and mypy --strict is clean.

Both checks run as subprocesses at the same time (two cores), on the staging directory only, with
our own mypy config (``pipeline/mypy-generated.ini``) so the project's settings cannot loosen them.
The mypy cache lives under ``.pipeline-cache/`` and staging paths are stable, so an unchanged
client is re-checked from cache.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.errors import PipelineError

MYPY_CONFIG = Path(__file__).parent / "mypy-generated.ini"

_IMPORT_ALL = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
failed = []
for name in sys.argv[2:]:
    package = importlib.import_module(name)
    assert package.__file__ and package.__file__.startswith(sys.argv[1]), package.__file__
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        try:
            importlib.import_module(info.name)
        except Exception as err:
            failed.append(f"{info.name}: {type(err).__name__}: {err}")
if failed:
    print("\\n".join(failed))
    sys.exit(1)
"""


def verify(stage: Path, packages: list[str], *, cache_dir: Path) -> None:
    """Raise ``PipelineError`` naming the modules that fail to import or type-check."""
    importer = subprocess.Popen(
        [sys.executable, "-c", _IMPORT_ALL, str(stage), *packages],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    mypy_args = [sys.executable, "-m", "mypy", "--config-file", str(MYPY_CONFIG), "--cache-dir", str(cache_dir)]
    for package in packages:
        mypy_args += ["-p", package]
    mypy = subprocess.run(mypy_args, cwd=stage, capture_output=True, text=True, check=False)
    imported, _ = importer.communicate()
    if importer.returncode != 0:
        raise PipelineError(f"generated modules do not import:\n{imported.strip()}")
    if mypy.returncode != 0:
        report = (mypy.stdout + mypy.stderr).strip().splitlines()
        shown = "\n".join(report[:40]) + (f"\n... {len(report) - 40} more lines" if len(report) > 40 else "")
        raise PipelineError(f"mypy --strict fails on the generated code:\n{shown}")
