"""The Prism fixture machinery itself: it reports a failed start with Prism's own words, and stops by PID."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.paths import REPO
from tests.support.prism import PrismServer, PrismStartError
from tests.support.processes import process_exists

pytestmark = pytest.mark.contract


def test_a_spec_prism_cannot_load_fails_naming_the_spec(prism_binary: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: [not, a, mapping]\n")
    with pytest.raises(PrismStartError) as raised:
        PrismServer.start(prism_binary, spec=broken, log_dir=tmp_path / "logs")
    assert raised.value.spec == broken
    assert str(broken) in str(raised.value)
    assert "Prism log" in str(raised.value)


def test_stop_ends_the_process_it_started(prism_binary: Path, tmp_path: Path) -> None:
    spec = REPO / "specs" / "shipbob.yaml"
    with PrismServer.start(prism_binary, spec=spec, log_dir=tmp_path) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{server.base_url}/").status_code == 404  # answering: an unknown route
        pid = server.pid
        assert process_exists(pid)
    assert not process_exists(pid)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base_url}/", timeout=2.0)


def test_dynamic_answers_are_reproducible_with_the_fixed_seed(shipbob_prism: PrismServer) -> None:
    """The dynamic-mode contract tests rely on this: the same request gets the same generated body."""
    headers = {"Authorization": "Bearer x", "Prefer": "dynamic=true"}
    url = f"{shipbob_prism.base_url}/2026-01/inventory-level"
    first, second = httpx.get(url, headers=headers), httpx.get(url, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json() != httpx.get(url, headers={"Authorization": "Bearer x"}).json(), "dynamic = static?"
