"""Specs the pipeline must refuse (``tests/specs/refused/``): a ``PipelineError`` naming the operation, nothing written.

These specs stay out of ``tests/specs/*.yaml``, which ``test_real_world.py`` builds and expects to succeed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import build
from pipeline.errors import PipelineError
from pipeline.vendors import adhoc
from tests.support.paths import REPO

REFUSED = REPO / "tests" / "specs" / "refused"


def refusal(tmp_path: Path, spec: Path) -> str:
    """The message of the ``PipelineError`` building ``spec`` raises; ``generated/`` must stay absent."""
    (tmp_path / "specs").mkdir()
    shutil.copy(spec, tmp_path / "specs" / spec.name)
    with pytest.raises(PipelineError) as caught:
        build(tmp_path, [adhoc(tmp_path, spec.stem)])
    assert not (tmp_path / "generated").exists()
    return str(caught.value)


def test_a_mixed_enum_response_is_not_counted_as_typed(tmp_path: Path) -> None:
    message = refusal(tmp_path, REFUSED / "mixed_enum.yaml")
    assert message.startswith("[mixed_enum] specs/mixed_enum.yaml: incomplete client: ")
    # inline, the enums pass reduced the schema to "anything": the vendored spec's shape still counts
    assert "GET /flag: 200 JSON response is not typed (generated as Any) at #/paths/~1flag/get/responses/200" in message
    # through a component the generator makes a union of Any and None
    assert "GET /flag/ref: 200 JSON response is not typed (generated as Any | None)" in message


def test_an_operation_the_generator_drops_silently_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openapi_python_client.parser import GeneratorData

    parse = GeneratorData.from_dict

    def dropping_cancel(document: dict[str, Any], *, config: Any) -> Any:
        data = parse(document, config=config)
        assert isinstance(data, GeneratorData)
        for collection in data.endpoint_collections_by_tag.values():
            collection.endpoints = [e for e in collection.endpoints if "cancel" not in str(e.name)]
        return data

    monkeypatch.setattr(GeneratorData, "from_dict", dropping_cancel)
    message = refusal(tmp_path, REPO / "tests" / "specs" / "colon_paths.yaml")
    assert message.startswith("[colon_paths] specs/colon_paths.yaml: incomplete client: ")
    assert "POST /order/{orderId}:cancel: no function was generated" in message


def test_a_response_the_generator_omits_names_its_status_code(tmp_path: Path) -> None:
    message = refusal(tmp_path, REFUSED / "enum_default.yaml")
    assert "at #/paths/~1feed/get/responses/200: WARNING parsing GET /feed" in message
    assert "Cannot parse response for status code 200 (Value c is not valid for enum response_200)" in message
    assert "object at 0x" not in message and "name not shown" not in message
