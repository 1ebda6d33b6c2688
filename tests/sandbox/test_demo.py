"""``nox -s demo`` runs ``python -m facade.sandbox demo``: it must show a plausible shop and a reconciliation with a
row of every status, then leave nothing running."""

from __future__ import annotations

import subprocess
import sys

from facade.reconcile import Status
from tests.support.paths import REPO


def test_demo_prints_stock_and_a_reconciliation_with_every_status() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "facade.sandbox", "demo"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "250", "PYTHONPATH": f"{REPO}:{REPO / 'generated'}"},
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Fourthwall stock" in out and "ShipBob stock" in out and "Reconciliation" in out
    for status in Status:
        if status not in (Status.UNRESOLVED_MAPPING, Status.UNKNOWN_QUANTITY):
            assert status.value in out, f"the demo shows no {status.value} row"
    centers = {name for name in ("Cicero (IL)", "Moreno Valley (CA)", "Bethlehem (PA)", "Dallas (TX)") if name in out}
    assert len(centers) >= 3
    assert "Traceback" not in done.stderr
