"""Every event of the vendored Fourthwall spec's ``webhooks`` section is known, and its spec-valid deliveries parse.

The table ``EVENT_MODELS`` is pinned against the spec the pipeline prepares: each webhook's envelope ``type``
(the spec gives it as the ``example`` of ``type``) maps to the class generated for its ``data`` schema (the title
the pipeline's naming pass gives that schema). Bodies come from hypothesis-jsonschema over the RAW spec's schema,
which is what Fourthwall promises to send.
"""

from __future__ import annotations

import copy
import functools
import importlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from facade.webhooks import EVENT_MODELS, FourthwallWebhooks
from pipeline.loading import load_document
from pipeline.prepare import prepare
from pipeline.vendors import vendors
from tests.support.openapi_cases import OPENAPI_STRING_FORMATS, openapi_to_json_schema
from tests.support.paths import REPO
from tests.webhooks._signing import FOURTHWALL_SECRET, fourthwall_body, fourthwall_headers

HOOKS = FourthwallWebhooks(FOURTHWALL_SECRET)
# oneOf members (GiftPurchaseV1, GiftDraftV1) are drawn by filtering: expected, not a sign of a bad strategy.
_FILTERS = [HealthCheck.filter_too_much]


def _objects(node: Any) -> Any:
    """Schemas with ``properties`` but no ``type`` (most of Fourthwall's) are objects, as the generator reads them;
    plain JSON Schema would also allow ``null`` or ``false`` there, which Fourthwall does not send."""
    if isinstance(node, list):
        return [_objects(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _objects(value) for key, value in node.items()}
    if "properties" in out and "type" not in out and not any(k in out for k in ("allOf", "oneOf", "anyOf", "$ref")):
        out["type"] = "object"
    return out


def _reachable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with only the ``$defs`` it references (hypothesis-jsonschema is much faster without the rest)."""
    defs, keep, todo = schema.get("$defs", {}), set(), [schema]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] not in keep:
                keep.add(ref[8:])
                todo.append(defs[ref[8:]])
            todo.extend(value for key, value in node.items() if key != "$defs")
        elif isinstance(node, list):
            todo.extend(node)
    return {**schema, "$defs": {key: defs[key] for key in sorted(keep)}}


def _body_schema(webhook: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = webhook["post"]["requestBody"]["content"]["application/json"]["schema"]
    return schema


@functools.cache
def _specs() -> tuple[dict[str, Any], dict[str, Any]]:
    """(raw, prepared) Fourthwall documents."""
    vendor = next(v for v in vendors(REPO) if v.name == "fourthwall")
    return load_document(vendor.spec, vendor=vendor.name), prepare(vendor).document


def _webhooks() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(webhook name, envelope type, generated class name, JSON Schema of data) per spec webhook."""
    raw, prepared = _specs()
    components = copy.deepcopy(raw["components"]["schemas"])
    cases = []
    for name, webhook in raw["webhooks"].items():
        properties = _body_schema(webhook)["properties"]
        key = _body_schema(prepared["webhooks"][name])["properties"]["data"]["$ref"].rsplit("/", 1)[1]
        title = prepared["components"]["schemas"][key]["title"]
        schema = _reachable(_objects(openapi_to_json_schema(properties["data"], components)))
        cases.append((name, properties["type"]["example"], title, schema))
    return cases


WEBHOOKS = _webhooks()
# Strategies by webhook name, so hypothesis and pytest never print the (150 kB) schemas themselves.
_SCHEMAS = {name: schema for name, _, _, schema in WEBHOOKS}
CASES = [(name, event_type, title) for name, event_type, title, _ in WEBHOOKS]


@functools.cache
def _bodies(name: str) -> st.SearchStrategy[Any]:
    return from_schema(_SCHEMAS[name], custom_formats=OPENAPI_STRING_FORMATS)


def test_the_spec_has_the_webhooks_this_file_covers() -> None:
    assert len(WEBHOOKS) >= 21
    envelope = _body_schema(_specs()[0]["webhooks"]["order.placed"])
    assert set(envelope["required"]) == {
        "apiVersion",
        "createdAt",
        "data",
        "id",
        "shopId",
        "testMode",
        "type",
        "webhookId",
    }


def test_every_spec_event_type_is_in_the_table_with_its_generated_model() -> None:
    from_spec = {event_type: title for _, event_type, title, _ in WEBHOOKS}
    assert {event_type: name for event_type, (_, name) in EVENT_MODELS.items()} == from_spec
    models = importlib.import_module("fourthwall_client.models")
    for event_type, (module, name) in EVENT_MODELS.items():
        cls = getattr(importlib.import_module(f"fourthwall_client.models.{module}"), name)
        assert cls is getattr(models, name), event_type


@pytest.mark.slow  # ~40 s: hypothesis-jsonschema builds strategies for the largest Fourthwall schemas (OrderV1)
@pytest.mark.parametrize(("name", "event_type", "title"), CASES, ids=[case[0] for case in CASES])
@settings(
    max_examples=4,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_spec_valid_deliveries_of_every_event_type_parse(
    name: str, event_type: str, title: str, data: st.DataObject
) -> None:
    payload = data.draw(_bodies(name), label=name)
    body = fourthwall_body(event_type, payload)
    event = HOOKS.verify(body, fourthwall_headers(body))
    assert event.is_known
    assert event.type == event_type
    assert type(event.data).__name__ == title
    assert event.raw["data"] == payload
