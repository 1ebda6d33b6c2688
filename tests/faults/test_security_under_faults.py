"""Credentials stay out of logs and errors while things go wrong, and OAuth refreshes cannot deadlock the limiter.

Every logger is captured at DEBUG while the clients (HTTP Basic, ShipBob PAT, Fourthwall OAuth) meet 5xx,
resets, stalls, an empty 401, a refused token refresh and a server that echoes our Authorization header back in
its error body. No credential (as given, or base64-encoded as it travels) may appear in any log message, in the
message, ``str`` or ``repr`` of any raised error or of its causes.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from facade import AsyncFourthwall, FacadeError, Fourthwall, OAuthApp, RateLimit
from tests.faults._clients import (
    FAST,
    FW_PASSWORD,
    FW_USER,
    SB_TOKEN,
    SECRETS,
    TIMEOUT,
    bounded,
    fourthwall,
    fourthwall_truth,
    run_bounded,
    shipbob,
    summary,
)
from tests.faults.server import FaultServer, ResetMidBody, Respond, Stall

OAUTH_SECRETS = ("app-S3CRET-client", "rt-S3CRET-refresh", "fault-server-access-token", "fault-server-refresh-token")


@pytest.fixture
def srv() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


def oauth_fourthwall(url: str, cls: Any = Fourthwall, **options: Any) -> Any:
    client = cls(
        auth=OAuthApp(client_id="app-id", client_secret=OAUTH_SECRETS[0], refresh_token=OAUTH_SECRETS[1]),
        base_url=url,
        timeout=TIMEOUT,
        **({"rate_limit": None} | options),
    )
    return client.with_options(retry_policy=FAST)


def leaks(text: str, secrets: tuple[str, ...] = SECRETS + OAUTH_SECRETS) -> list[str]:
    return [secret for secret in secrets if secret in text]


def error_texts(error: BaseException | None) -> str:
    texts = []
    while error is not None:
        texts += [str(error), repr(error), repr(error.args)]
        error = error.__cause__ or error.__context__
    return "\n".join(texts)


def test_no_credential_in_logs_or_errors_under_faults(srv: FaultServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    srv.script(r"p45/inventory\?page=1", Respond(503), ResetMidBody(), Stall(3.0))  # all 3 attempts fail
    srv.script(r"p46/", Respond(401, b"", content_type=None))
    srv.script(
        r"GET /2026-01/product/5$",
        Respond(500, b"<html>oops</html>", content_type="text/html"),
        Respond(503),
        Respond(502),
    )
    srv.script(r"POST /open-api/v1\.0/platform/token", Respond(400, b'{"error":"invalid_grant"}'))
    errors = []
    with fourthwall(srv.url) as fw, shipbob(srv.url) as sb, oauth_fourthwall(srv.url) as oauth:
        for call in (lambda: fw.inventory("p45"), lambda: fw.inventory("p46"), lambda: sb.inventory(5)):
            with pytest.raises(FacadeError) as raised:
                bounded(call)
            errors.append(raised.value)
        with pytest.raises(FacadeError) as raised:
            bounded(lambda: oauth.inventory("p3"))
        errors.append(raised.value)
        texts = [repr(fw), repr(sb), repr(oauth)]
    assert len(errors) == 4
    assert not leaks("\n".join(error_texts(e) for e in errors))
    assert not leaks("\n".join(texts))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "retrying in" in logged  # the retry decisions were logged, so the check below saw them
    assert not leaks(logged)


def test_a_server_echoing_our_credentials_does_not_put_them_in_errors(srv: FaultServer) -> None:
    # A broken proxy or API that quotes the request's Authorization header in its error body.
    basic = "Basic " + base64.b64encode(f"{FW_USER}:{FW_PASSWORD}".encode()).decode()
    fw_body = {"code": "BAD_AUTH", "message": f"header was {basic}", "title": f"got {basic}"}
    sb_body = {"title": "Bad token", "detail": f"Authorization: Bearer {SB_TOKEN}", "status": 403}
    srv.script(r"p8/", Respond(400, json.dumps(fw_body).encode()))
    srv.script(r"GET /2026-01/product/8$", Respond(403, json.dumps(sb_body).encode()))
    caught = []
    with fourthwall(srv.url) as fw, shipbob(srv.url) as sb:
        for call in (lambda: fw.inventory("p8"), lambda: sb.inventory(8)):
            with pytest.raises(FacadeError) as raised:
                bounded(call)
            caught.append(raised.value)
    assert not leaks("\n".join(error_texts(e) for e in caught))
    # Every field an error exposes is redacted, not only the message (issue 18).
    exposed = "\n".join(f"{e.code!r} {e.problem!r} {e.body!r}" for e in caught)
    assert not leaks(exposed, (basic, SB_TOKEN, FW_PASSWORD))


def test_a_token_endpoint_echoing_the_refresh_token_does_not_put_it_in_errors(srv: FaultServer) -> None:
    echoed = {"error": "invalid_grant", "error_description": f"refresh token {OAUTH_SECRETS[1]} revoked"}
    srv.script(r"POST /open-api/v1\.0/platform/token", Respond(400, json.dumps(echoed).encode()))
    with oauth_fourthwall(srv.url) as fw, pytest.raises(FacadeError) as raised:
        bounded(lambda: fw.inventory("p3"))
    assert raised.value.code == "invalid_grant"
    assert not leaks(error_texts(raised.value))


def test_an_oauth_refresh_does_not_deadlock_against_an_exhausted_budget(srv: FaultServer) -> None:
    # Budget of 2 per 0.5 s: the refresh POST must wait its turn like any request, and everything still finishes.
    limit = RateLimit(requests=2, per_seconds=0.5)

    async def main() -> Any:
        async with oauth_fourthwall(srv.url, cls=AsyncFourthwall, rate_limit=limit) as fw:
            return await asyncio.gather(*(fw.inventory(pid) for pid in ("p3", "p4", "p5", "p6")))

    results = run_bounded(main(), 20)
    assert [summary(r) for r in results] == [fourthwall_truth(p) for p in ("p3", "p4", "p5", "p6")]
    posts = [r for r in srv.requests if r.method == "POST"]
    assert len(posts) == 1  # one refresh shared by the four concurrent calls

    with oauth_fourthwall(srv.url, rate_limit=limit) as fw:
        assert summary(bounded(lambda: fw.inventory("p9"), 20)) == fourthwall_truth("p9")
