"""Issue 7: `update-specs` vendors a new spec atomically, from a local HTTP server or a path.

A failed download or an invalid document, for any of the vendors named, leaves ``specs/`` byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.update import redact
from tests.pipeline.conftest import RunPipeline, tree_digest
from tests.support.paths import REPO

NEW_SPEC = (REPO / "tests" / "specs" / "enum_values.yaml").read_bytes()
ROUTES: dict[str, tuple[int, bytes]] = {
    "/spec.yaml": (200, NEW_SPEC),
    "/missing.yaml": (404, b"not here"),
    "/broken.yaml": (200, b"openapi: 3.1.0\npaths: {a: [\n"),
    "/not-openapi.json": (200, json.dumps({"swagger": "2.0", "paths": {}}).encode()),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = ROUTES.get(self.path.split("?")[0], (404, b""))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


def run_in_process(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The CLI without a subprocess (fast); returns ``(exit code, stdout + stderr)``."""
    code = main(["--root", str(project), "update-specs", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_download_writes_spec_and_provenance(project: Path, run_pipeline: RunPipeline, server: str) -> None:
    result = run_pipeline("update-specs", f"shipbob={server}/spec.yaml?format=yaml&api_key=s3cret")
    assert result.returncode == 0, result.stderr
    assert (project / "specs" / "shipbob.yaml").read_bytes() == NEW_SPEC
    record = json.loads((project / "specs" / "shipbob.provenance.json").read_text())
    assert record["sha256"] == hashlib.sha256(NEW_SPEC).hexdigest()
    assert record["source"] == f"{server}/spec.yaml?format=yaml&api_key=REDACTED"
    assert record["spec"] == "shipbob.yaml" and len(record["vendored"]) == 10
    assert "s3cret" not in result.stdout + result.stderr
    # the new spec is accepted by the provenance check of the next build
    prepared = run_pipeline("prepare", "shipbob")
    assert prepared.returncode == 0, prepared.stderr


def test_copy_from_a_path_records_the_stated_upstream_and_copy(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "fourthwall-full.yaml"
    source.write_bytes(NEW_SPEC)
    copy = "github.com/owner/repo@0123abc specs/open-api.yaml"
    code, output = run_in_process(
        project,
        capsys,
        f"fourthwall={source}",
        "--upstream",
        "fourthwall=https://docs.example.invalid/open-api.yaml?token=t",
        "--copy",
        f"fourthwall={copy}",
        "--note",
        "fourthwall=newest public copy",
    )
    assert code == 0, output
    assert (project / "specs" / "fourthwall.yaml").read_bytes() == NEW_SPEC
    record = json.loads((project / "specs" / "fourthwall.provenance.json").read_text())
    assert record == {
        "spec": "fourthwall.yaml",
        "source": "https://docs.example.invalid/open-api.yaml?token=REDACTED",
        "sha256": hashlib.sha256(NEW_SPEC).hexdigest(),
        "vendored": record["vendored"],
        "copy": copy,
        "note": "newest public copy",
    }
    assert str(tmp_path) not in json.dumps(record)


def test_a_path_without_upstream_or_a_stray_option_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "fourthwall-full.yaml"
    source.write_bytes(NEW_SPEC)
    before = tree_digest(project / "specs")
    for args, message in [
        ((f"fourthwall={source}",), "--upstream fourthwall=URL"),
        ((f"fourthwall={source}", "--upstream", "fourthwall=docs/x.yaml"), "must be an http(s) URL"),
        ((f"fourthwall={source}", "--upstream", "shipbob=https://x.invalid/s"), "--upstream names shipbob"),
    ]:
        code, output = run_in_process(project, capsys, *args)
        assert code == 1 and message in output, output
    assert tree_digest(project / "specs") == before


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.yaml", "HTTP 404"),
        ("/broken.yaml", "not valid YAML"),
        ("/not-openapi.json", "not an OpenAPI 3.x document"),
    ],
)
def test_bad_download_leaves_specs_unchanged(
    project: Path, capsys: pytest.CaptureFixture[str], server: str, path: str, message: str
) -> None:
    before = tree_digest(project / "specs")
    # fourthwall is valid, shipbob is not: all or nothing
    code, output = run_in_process(project, capsys, f"fourthwall={server}/spec.yaml", f"shipbob={server}{path}")
    assert code == 1
    assert message in output and "[shipbob]" in output and "specs/ was left unchanged" in output
    assert tree_digest(project / "specs") == before


def test_unreachable_server_and_missing_file_leave_specs_unchanged(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = tree_digest(project / "specs")
    for args, message in [
        ((f"shipbob=http://127.0.0.1:{port}/spec.yaml",), "ConnectError"),
        ((f"shipbob={tmp_path / 'nope.yaml'}",), "cannot read"),
        ((f"acme={tmp_path / 'nope.yaml'}",), "unknown vendor(s) acme"),
        (("shipbob",), "VENDOR=URL-OR-PATH"),
    ]:
        code, output = run_in_process(project, capsys, *args)
        assert code == 1 and message in output, output
    assert tree_digest(project / "specs") == before


def test_redact_drops_credentials() -> None:
    assert redact("https://user:pw@example.invalid:8443/s.yaml?token=t&v=2#frag") == (
        "https://example.invalid:8443/s.yaml?token=REDACTED&v=2"
    )
    assert redact("specs/x.yaml") == "specs/x.yaml"
