"""Check staged packages before they replace anything: they import, and mypy --strict is clean.

Both checks run as subprocesses at the same time (two cores), on the staging directory only, with
our own mypy config (``pipeline/mypy-generated.ini``) so the project's settings cannot loosen them.
The mypy cache lives under ``.pipeline-cache/`` and staging paths are stable, so an unchanged
client is re-checked from cache.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.surface import endpoint

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


def _where(stage: Path, module: str, sources: Mapping[str, str]) -> tuple[str, str]:
    """``("[vendor] specs/<vendor>.yaml", "METHOD path")`` of a staged module (``""`` for what is unknown)."""
    source = next((where for package, where in sources.items() if module.partition(".")[0] == package), "")
    file = stage.joinpath(*module.split(".")).with_suffix(".py")
    try:
        operation = endpoint(ast.parse(file.read_bytes())) if ".api." in module else ""
    except (OSError, SyntaxError):
        operation = ""
    return source, operation


def _describe_import_failure(stage: Path, line: str, sources: Mapping[str, str]) -> str:
    """``module: cause`` -> ``[vendor] spec: module (METHOD path): cause`` when the module is an operation."""
    module, sep, cause = line.partition(": ")
    if not sep:
        return line
    source, operation = _where(stage, module, sources)
    return f"{source + ': ' if source else ''}{module}{f' ({operation})' if operation else ''}: {cause}"


_MYPY_FILE = re.compile(r"^([\w./-]+)\.py:\d+:")


def _mypy_files(stage: Path, report: list[str], sources: Mapping[str, str]) -> tuple[list[str], set[str]]:
    """Each file mypy names, as ``[vendor] spec: file.py (METHOD path)``, and the sources involved."""
    described, involved = [], set()
    for file in dict.fromkeys(m.group(1) for m in map(_MYPY_FILE.match, report) if m):
        module = file.replace("/", ".").removesuffix(".__init__")
        source, operation = _where(stage, module, sources)
        involved.add(source)
        described.append(f"{source + ': ' if source else ''}{file}.py{f' ({operation})' if operation else ''}")
    return described, involved


def verify(stage: Path, packages: list[str], *, cache_dir: Path, sources: Mapping[str, str] | None = None) -> None:
    """Raise ``PipelineError`` naming the modules that fail to import or type-check.

    ``sources`` maps a package to ``"[vendor] specs/<vendor>.yaml"`` for the messages. An import
    failure names the module, the operation (``METHOD path``) and the cause, followed by the mypy
    report when mypy fails too (the two usually explain each other).
    """
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
    report = (mypy.stdout + mypy.stderr).strip().splitlines()
    shown = "\n".join(report[:40]) + (f"\n... {len(report) - 40} more lines" if len(report) > 40 else "")
    files, involved = _mypy_files(stage, report, sources or {})
    named = "".join(f"\n  {file}" for file in files)
    if importer.returncode != 0:
        failures = [_describe_import_failure(stage, line, sources or {}) for line in imported.strip().splitlines()]
        problem = "generated modules do not import:\n  " + "\n  ".join(failures)
        if mypy.returncode != 0:
            problem += f"\nmypy --strict fails too, in:{named}\nmypy says:\n{shown}"
        raise PipelineError(problem)
    if mypy.returncode != 0:
        # one spec involved: the message starts with it, like every other pipeline error
        lead = f"{min(involved)}: " if len(involved) == 1 and "" not in involved else ""
        raise PipelineError(f"{lead}mypy --strict fails on the generated code, in:{named}\nmypy says:\n{shown}")
