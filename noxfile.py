"""Sessions: `nox -l` lists them. `nox` alone runs the default set (lint, typecheck, check_generated, tests)."""

from __future__ import annotations

import os
import shutil

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_external_run = True
nox.options.sessions = ["lint", "typecheck", "check_generated", "tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
LINTED = ["facade", "pipeline", "tests", "noxfile.py"]


def _install(session: nox.Session, *groups: str, project: bool = True) -> None:
    requirements = list(nox.project.dependency_groups(PYPROJECT, *groups))
    if project:
        requirements += ["-e", ".[cli]"]
    session.install(*requirements)


# The generator environment is reused: rebuilding it costs more than the regeneration itself.
@nox.session(reuse_venv=True, default=False)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from specs/ (prepare, generate, verify, atomic swap)."""
    _install(session, "generate", project=False)
    session.install(*PYPROJECT["project"]["dependencies"])
    session.run("python", "-m", "pipeline", "generate", *session.posargs)


@nox.session(reuse_venv=True, default=False)
def update_specs(session: nox.Session) -> None:
    """Vendor new specs: `nox -s update_specs -- VENDOR=URL-OR-PATH [--upstream VENDOR=URL] [--copy VENDOR=TEXT]`."""
    if not session.posargs:
        session.error(
            "usage: nox -s update_specs -- VENDOR=URL-OR-PATH [...] [--upstream VENDOR=URL] [--copy VENDOR=TEXT]"
        )
    _install(session, "generate", project=False)
    session.install(*PYPROJECT["project"]["dependencies"])
    session.run("python", "-m", "pipeline", "update-specs", *session.posargs)


@nox.session(reuse_venv=True)
def check_generated(session: nox.Session) -> None:
    """Fail if generated/ differs from what the pinned pipeline makes from specs/, naming the files."""
    _install(session, "generate", project=False)
    session.install(*PYPROJECT["project"]["dependencies"])
    session.run("python", "-m", "pipeline", "check", *session.posargs)


@nox.session(default=False)
def api_diff(session: nox.Session) -> None:
    """Report generated API changes since git HEAD (posargs: --against REF) and type-check facade/ against them."""
    _install(session, "typecheck", "generate")
    session.run("python", "-m", "pipeline", "api-diff", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Run ruff (lint and format check) on the handwritten code."""
    _install(session, "lint", project=False)
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Run mypy --strict on facade/, pipeline/, the generated clients and the tests."""
    _install(session, "typecheck", "test")
    packages = ["facade", "pipeline", "fourthwall_client", "shipbob_client", "tests"]
    session.run("mypy", *(arg for package in packages for arg in ("-p", package)), *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pytest, one worker per core); posargs go to pytest (`-- -n 0` for one process)."""
    _install(session, "test")
    # Prism (contract tests) comes from package-lock.json, never a global install. --ignore-scripts:
    # Prism needs no install scripts, and one dependency's postinstall would phone home.
    if shutil.which("npm"):
        session.run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", external=True)
    elif IN_CI:
        session.error("missing tool: npm (install Node.js 20.16+); CI=true, so the contract tests cannot be skipped")
    else:
        session.warn("npm not found: the contract tests will be skipped (install Node.js 20.16+ to run them)")
    # One worker per core; a test file stays on one worker (module fixtures such as built clients are made once).
    session.run("pytest", "-n", "auto", "--dist", "loadfile", *session.posargs)


@nox.session(default=False)
def demo(session: nox.Session) -> None:
    """Print a stock table and a reconciliation of a seeded shop from the local sandbox; `-- --live`: real APIs."""
    _install(session)
    session.run("python", "-m", "facade.sandbox", "demo", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Run the benchmarks (ratios vs baselines, a few minutes); `-- --json PATH` also writes the figures as JSON."""
    _install(session, "bench")
    session.run("python", "-m", "tests.bench", *session.posargs)
