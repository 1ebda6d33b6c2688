"""Issue 7: the generic prepare passes, one behaviour at a time, on small in-memory documents."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import PipelineError
from pipeline.passes import PassContext
from pipeline.passes.allof_bases import fold_allof_siblings, type_allof_bases
from pipeline.passes.compositions import relax_allof_consts
from pipeline.passes.enums import member_names, name_enum_members
from pipeline.passes.media_types import normalize_media_types
from pipeline.passes.model_names import assign_model_names, compute_names
from pipeline.passes.nullable_refs import carry_nullable_refs
from pipeline.passes.operation_ids import id_from_path, synthesize_operation_ids
from pipeline.passes.properties import repair_properties
from pipeline.passes.ref_keys import canonical_component_refs
from pipeline.passes.schema_types import comma_separated_parameters, fix_schema_types
from pipeline.passes.single_unions import unwrap_single_unions
from pipeline.passes.unions import order_union_members
from pipeline.prepare import prepare
from pipeline.vendors import adhoc
from tests.support.paths import REPO


def ctx(**options: Any) -> PassContext:
    return PassContext(vendor="test", file=Path("specs/test.yaml"), options=options)


def doc_with(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": paths or {}, "components": {"schemas": schemas}}


def titles(doc: dict[str, Any]) -> dict[str, str]:
    return {key: schema.get("title") for key, schema in doc["components"]["schemas"].items()}


# --- stable names -------------------------------------------------------------------------------


def prepared_names(root: Path, name: str) -> tuple[dict[str, str], list[str]]:
    prepared = prepare(adhoc(root, name))
    paths = prepared.document["paths"].values()
    ids = [op["operationId"] for item in paths for op in item.values() if "responses" in op]
    return titles(prepared.document), ids


def test_adding_unrelated_schemas_and_operations_renames_nothing(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    original = (REPO / "tests" / "specs" / "dotted_names.yaml").read_text()
    (tmp_path / "specs" / "base.yaml").write_text(original)
    unrelated = """
    com.other.model.Widget: {type: object, properties: {id: {type: integer}}}
    Zebra.Stripe: {type: object, properties: {width: {type: number}}}
    com.acme.openapi.model.OpenApiPageResponseCom.other.model.Widget: {type: object}
"""
    grown = original.replace("components:\n  schemas:\n", "components:\n  schemas:\n" + unrelated.lstrip("\n"))
    grown = grown.replace(
        "paths:\n", "paths:\n  /widgets:\n    get:\n      responses: {'204': {description: none}}\n", 1
    )
    (tmp_path / "specs" / "grown.yaml").write_text(grown)
    base_titles, base_ids = prepared_names(tmp_path, "base")
    grown_titles, grown_ids = prepared_names(tmp_path, "grown")
    assert len(grown_titles) == len(base_titles) + 3 and len(grown_ids) == len(base_ids) + 1
    assert {key: grown_titles[key] for key in base_titles} == base_titles
    assert set(base_ids) <= set(grown_ids)


def test_a_same_named_schema_renames_only_the_colliding_names() -> None:
    keys = ["Money", "com.acme.support.money.Money", "com.acme.Offer", "Inventory.Item"]
    before = compute_names(keys, {})
    after = compute_names([*keys, "com.acme.billing.Offer"], {})
    assert before == {
        "Money": "Money",
        "com.acme.support.money.Money": "SupportMoney",
        "com.acme.Offer": "Offer",
        "Inventory.Item": "Item",
    }
    assert after["com.acme.Offer"] == "AcmeOffer" and after["com.acme.billing.Offer"] == "BillingOffer"
    assert {k: after[k] for k in keys if "Offer" not in k} == {k: before[k] for k in keys if "Offer" not in k}


def test_recorded_names_are_kept_and_only_the_new_schema_falls_back() -> None:
    keys = ["Money", "com.acme.Offer", "Inventory.Item", "a.Entire", "a.entire"]
    recorded = compute_names(keys, {})
    assert recorded["com.acme.Offer"] == "Offer" and recorded["a.entire"] == "AEntire2"
    grown = [*keys, "com.acme.billing.Offer", "b.Item", "c.Entire", "d.AEntire2"]
    after = compute_names(grown, {}, recorded)
    assert {key: after[key] for key in keys} == recorded  # unchanged schemas keep their names
    assert after["com.acme.billing.Offer"] == "BillingOffer" and after["b.Item"] == "BItem"
    assert len({name.lower() for name in after.values()}) == len(grown)
    # without the record the old Offer would have been renamed AcmeOffer
    assert compute_names(grown, {})["com.acme.Offer"] == "AcmeOffer"
    # a recorded key that is gone frees its name
    assert compute_names(["com.acme.billing.Offer"], {}, recorded) == {"com.acme.billing.Offer": "Offer"}


def test_generic_instantiation_names_and_vendor_rename_rules() -> None:
    options = {
        "naming": {
            "generics": {"OpenApiPageResponse": "{inner}Page"},
            "rename": [{"pattern": "V1(?=[A-Z]|$)", "replace": ""}],
        }
    }
    keys = ["a.b.OpenApiPageResponseCom.a.b.StockV1", "a.b.StockV1", "a.b.OfferV1", "a.b.Offer"]
    names = compute_names(keys, options)
    assert names["a.b.OpenApiPageResponseCom.a.b.StockV1"] == "StockPage" and names["a.b.StockV1"] == "Stock"
    # the rename rule would make both "Offer": the colliding pair keeps unrenamed names
    assert names["a.b.OfferV1"] == "OfferV1" and names["a.b.Offer"] == "Offer"


def test_titles_come_from_keys_and_inline_titles_are_dropped() -> None:
    doc = doc_with(
        {
            "StockPage": {"title": "Stock", "properties": {"x": {"title": "Stock", "properties": {}}}},
            "StockItem": {"title": "Stock", "type": "object"},
        }
    )
    assign_model_names(doc, ctx())
    assert titles(doc) == {"StockPage": "StockPage", "StockItem": "StockItem"}
    assert "title" not in doc["components"]["schemas"]["StockPage"]["properties"]["x"]


def test_inline_class_named_like_a_component_is_retitled() -> None:
    doc = doc_with(
        {
            "Item": {"type": "object", "properties": {"details": {"type": "object", "properties": {"a": {}}}}},
            "ItemDetails": {"type": "object"},
        }
    )
    assign_model_names(doc, ctx())
    assert doc["components"]["schemas"]["Item"]["properties"]["details"]["title"] == "details_inline"


# --- operation ids -------------------------------------------------------------------------------


def test_operation_ids_from_paths_kebab_and_collisions() -> None:
    assert id_from_path("post", "/order/{orderId}:cancel") == "post_order_by_order_id_cancel"
    assert id_from_path("post", "/product:moveVariants") == "post_product_move_variants"
    assert id_from_path("get", "/2025-07/product/{productId}") == "get_2025_07_product_by_product_id"
    ok: dict[str, Any] = {"responses": {}}
    doc: dict[str, Any] = {
        "paths": {
            "/a/{id}": {"get": {"operationId": "get-a", **ok}},
            "/b": {"get": {"operationId": "getA", **ok}, "post": copy.deepcopy(ok)},
            "/c": {"delete": {"operationId": "class", **ok}},
        }
    }
    synthesize_operation_ids(doc, ctx())
    paths = doc["paths"]
    assert [paths["/a/{id}"]["get"]["operationId"], paths["/b"]["get"]["operationId"]] == ["get_a", "get_b"]
    assert paths["/b"]["post"]["operationId"] == "post_b" and paths["/c"]["delete"]["operationId"] == "class_"


# --- type keywords -------------------------------------------------------------------------------


def test_type_typos_and_type_arrays_are_repaired() -> None:
    doc = doc_with(
        {
            "A": {
                "type": ["object"],
                "properties": {
                    "n": {"type": "int"},
                    "f": {"type": "double"},
                    "b": {"type": "bool"},
                    "u": {"type": ["string", "null", "string"]},
                },
            }
        }
    )
    fix_schema_types(doc, ctx())
    schema = doc["components"]["schemas"]["A"]
    assert schema["type"] == "object"
    assert schema["properties"]["n"] == {"type": "integer", "format": "int32"}
    assert schema["properties"]["f"] == {"type": "number", "format": "double"}
    assert schema["properties"]["b"] == {"type": "boolean"}
    assert schema["properties"]["u"] == {"type": ["string", "null"]}


def test_typo_in_a_response_header_and_numeric_string_parameters() -> None:
    op: dict[str, Any] = {
        "parameters": [
            {"name": "id", "in": "path", "schema": {"type": "string", "format": "int64"}},
            {"name": "code", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {"200": {"description": "", "headers": {"Page-Number": {"schema": {"type": "int"}}}}},
    }
    doc = {"paths": {"/x/{id}": {"get": op}}}
    fix_schema_types(doc, ctx())
    assert op["parameters"][0]["schema"]["type"] == "integer" and op["parameters"][1]["schema"]["type"] == "string"
    assert op["responses"]["200"]["headers"]["Page-Number"]["schema"]["type"] == "integer"


def test_an_unknown_type_fails_naming_where_it_is() -> None:
    doc = doc_with({"A": {"type": "object", "properties": {"n": {"type": "integr"}}}})
    with pytest.raises(PipelineError, match=r"#/components/schemas/A/properties/n: unknown schema type 'integr'"):
        fix_schema_types(doc, ctx())


# --- media types ---------------------------------------------------------------------------------


def test_json_variants_reduce_to_one_json_entry() -> None:
    schema = {"$ref": "#/components/schemas/Order"}
    op: dict[str, Any] = {
        "requestBody": {
            "content": {
                "application/json-patch+json": {"schema": schema},
                "text/json": {"schema": schema},
                "application/*+json": {"schema": schema},
                "multipart/form-data": {"schema": {"type": "object"}},
            }
        },
        "responses": {
            "200": {"content": {"text/plain": {"schema": schema}, "text/json": {"schema": schema}}},
            "201": {"content": {"application/pdf": {}, "image/png": {}}},
            "202": {"content": {"text/plain": {"schema": {"type": "string"}}}},
        },
    }
    normalize_media_types({"paths": {"/o": {"post": op}}}, ctx())
    # a form offered beside JSON is dropped: the generator cannot import a module with a union body
    assert list(op["requestBody"]["content"]) == ["application/json-patch+json"]
    assert op["responses"]["200"]["content"] == {"application/json": {"schema": schema}}
    assert op["responses"]["201"]["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    assert list(op["responses"]["202"]["content"]) == ["text/plain"]


# --- enums ---------------------------------------------------------------------------------------


def test_enum_member_names_are_valid_unique_and_keep_the_generators_names() -> None:
    assert member_names(["None", "Fragile", "CustomDunnage"]) == ["NONE", "FRAGILE", "CUSTOMDUNNAGE"]
    assert member_names(["UPS Ground", "2Day", "", "next-day", "Next Day", "ÜberFast"]) == [
        "UPS_GROUND",
        "VALUE_2DAY",
        "EMPTY",
        "NEXT_DAY",
        "NEXT_DAY_2",
        "UBERFAST",
    ]
    # adding a value renames nothing that existed
    assert member_names(["A b", "C.d", "Z z"])[:2] == member_names(["A b", "C.d"])


def test_only_enums_that_need_names_get_x_enum_varnames_and_odd_enums_are_reduced() -> None:
    doc = doc_with(
        {
            "Plain": {"type": "string", "enum": ["Open", "Closed"]},
            "Odd": {"type": "string", "enum": ["a b", "2x", None]},
            "Mixed": {"enum": [1, "one"]},
            "Floats": {"type": "number", "enum": [0.5, 1.5]},
            "Ints": {"type": "integer", "enum": [1, 2]},
            "Own": {"type": "string", "enum": ["a b", "c"], "x-enum-varnames": ["First", "Second"]},
            "Bad": {"type": "string", "enum": ["2x", "c"], "x-enum-varnames": ["Same", "same"]},
            "Empty": {"type": "string", "enum": []},
        }
    )
    name_enum_members(doc, ctx())
    schemas = doc["components"]["schemas"]
    assert "x-enum-varnames" not in schemas["Plain"] and "x-enum-varnames" not in schemas["Ints"]
    assert schemas["Odd"]["x-enum-varnames"] == ["A_B", "VALUE_2X"]
    assert "enum" not in schemas["Mixed"] and "'one'" in schemas["Mixed"]["description"]
    assert "enum" not in schemas["Floats"] and "enum" not in schemas["Empty"]
    assert schemas["Own"]["x-enum-varnames"] == ["First", "Second"]
    assert schemas["Bad"]["x-enum-varnames"] == ["VALUE_2X", "C"]


# --- properties and compositions -----------------------------------------------------------------


def test_required_without_property_is_dropped_and_python_name_collisions_keep_snake_case() -> None:
    doc = doc_with(
        {
            "P": {
                "type": "object",
                "required": ["productId", "name", "$type"],
                "properties": {"name": {}, "$type": {}, "type": {}, "createdAt": {}, "created_at": {}},
            },
            "Part": {"allOf": [{"$ref": "#/components/schemas/P"}], "required": ["elsewhere"], "properties": {}},
        }
    )
    repair_properties(doc, ctx())
    schema = doc["components"]["schemas"]["P"]
    assert schema["required"] == ["name"] and list(schema["properties"]) == ["name", "type", "created_at"]
    assert doc["components"]["schemas"]["Part"]["required"] == ["elsewhere"]


def test_allof_const_becomes_documentation() -> None:
    doc = doc_with(
        {"Card": {"allOf": [{"$ref": "#/x"}, {"properties": {"kind": {"const": "card"}}}]}, "K": {"const": "k"}}
    )
    relax_allof_consts(doc, ctx())
    assert doc["components"]["schemas"]["Card"]["allOf"][1]["properties"]["kind"] == {
        "type": "string",
        "description": "Always 'card'.",
    }
    assert doc["components"]["schemas"]["K"] == {"const": "k"}


# --- whole prepare step --------------------------------------------------------------------------


def test_prepare_is_deterministic_on_the_kitchen_sink_inputs(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    for spec in (REPO / "tests" / "specs").glob("*.yaml"):
        shutil.copy(spec, tmp_path / "specs")
    for spec in sorted((tmp_path / "specs").glob("*.yaml")):
        first = prepare(adhoc(tmp_path, spec.stem)).to_json()
        assert prepare(adhoc(tmp_path, spec.stem)).to_json() == first, spec.name


def test_references_to_nullable_schemas_become_nullable() -> None:
    ref = {"$ref": "#/components/schemas/Status"}
    doc = doc_with(
        {
            "Status": {"type": "string", "enum": ["A"], "nullable": True},
            "Alias": {"$ref": "#/components/schemas/Status"},
            "Plain": {"type": "object"},
            "M": {
                "type": "object",
                "properties": {
                    "s": dict(ref),
                    "p": {"$ref": "#/components/schemas/Plain", "nullable": True, "description": "d"},
                    "q": {"$ref": "#/components/schemas/Plain"},
                    "u": {"anyOf": [dict(ref), {"type": "integer"}]},
                },
            },
        }
    )
    carry_nullable_refs(doc, ctx())
    schemas = doc["components"]["schemas"]
    props = schemas["M"]["properties"]
    assert props["s"] == {"oneOf": [ref, {"type": "null"}]}
    assert props["p"] == {"oneOf": [{"$ref": "#/components/schemas/Plain"}, {"type": "null"}], "description": "d"}
    assert props["q"] == {"$ref": "#/components/schemas/Plain"} and props["u"]["anyOf"][0] == ref
    assert schemas["Alias"] == ref


def test_encoded_refs_and_unsafe_keys_become_plain() -> None:
    doc = doc_with(
        {
            "Page«Order»": {"type": "object", "properties": {"o": {"$ref": "#/components/schemas/a~1b"}}},
            "a/b": {"type": "object"},
            "100%": {"type": "object"},
            "M": {"properties": {"p": {"$ref": "#/components/schemas/Page%C2%ABOrder%C2%BB"}},
                  "items": {"$ref": "#/components/schemas/100%25"}},
        }
    )  # fmt: skip
    canonical_component_refs(doc, ctx())
    schemas = doc["components"]["schemas"]
    assert set(schemas) == {"Page«Order»", "a_b", "100_", "M"}
    assert schemas["M"]["properties"]["p"] == {"$ref": "#/components/schemas/Page«Order»"}
    assert schemas["M"]["items"] == {"$ref": "#/components/schemas/100_"}
    assert schemas["Page«Order»"]["properties"]["o"] == {"$ref": "#/components/schemas/a_b"}


def test_a_shape_no_pass_expects_fails_naming_the_spec_and_the_pass(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "weird.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: w, version: '1'}\n"
        "paths: {/a: {get: {responses: {'200': {description: ok, content: [application/json]}}}}}\n"
    )
    with pytest.raises(PipelineError, match=r"\[weird\] specs/weird.yaml: pass \w+ could not handle the spec"):
        prepare(adhoc(tmp_path, "weird"))


# --- full vendor specs (issue 12) ----------------------------------------------------------------


def test_untyped_allof_bases_become_objects_and_other_shapes_are_left_alone() -> None:
    ref = {"$ref": "#/components/schemas/Base"}
    doc = doc_with(
        {
            "Base": {"title": "Base"},
            "Shape": {"discriminator": {"propertyName": "kind"}},
            "Code": {"enum": ["a", "b"]},
            "Sub": {"allOf": [ref, {"type": "object", "properties": {"x": {"type": "string"}}}]},
            "Circle": {"allOf": [{"$ref": "#/components/schemas/Shape"}, {"$ref": "#/components/schemas/Code"}]},
            "Unused": {"title": "Unused"},
        }
    )
    type_allof_bases(doc, ctx())
    schemas = doc["components"]["schemas"]
    assert schemas["Base"]["type"] == schemas["Shape"]["type"] == "object"
    assert "type" not in schemas["Code"] and "type" not in schemas["Unused"]


def test_properties_beside_allof_move_into_a_member() -> None:
    base = {"$ref": "#/components/schemas/Base"}
    sub = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}, "allOf": [base]}
    doc = doc_with({"Base": {"type": "object"}, "Sub": sub})
    fold_allof_siblings(doc, ctx())
    assert sub == {
        "type": "object",
        "allOf": [base, {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}],
    }


def test_union_members_put_subtypes_before_their_bases() -> None:
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    union = {"oneOf": [ref("A"), ref("Other"), ref("B"), ref("C")]}
    doc = doc_with(
        {
            "A": {"type": "object"},
            "B": {"allOf": [ref("A")]},
            "C": {"allOf": [ref("B"), {"type": "object"}]},
            "Other": {"type": "object"},
            "U": union,
        }
    )
    order_union_members(doc, ctx())
    assert union["oneOf"] == [ref("C"), ref("B"), ref("A"), ref("Other")]


def test_one_member_unions_unwrap_and_their_aliases_are_replaced_by_the_model() -> None:
    vpd = "#/components/schemas/VPD"
    wrapper = {"additionalProperties": False, "oneOf": [{"additionalProperties": False, "$ref": vpd}]}
    inline = {"description": "d", "oneOf": [{"type": "string"}]}
    response = {"additionalProperties": False, "$ref": "#/components/schemas/W"}
    paths = {"/r": {"get": {"responses": {"404": {"content": {"application/json": {"schema": response}}}}}}}
    doc = doc_with({"W": wrapper, "VPD": {"type": "object"}, "P": {"properties": {"x": inline}}}, paths)
    unwrap_single_unions(doc, ctx())
    assert "W" not in doc["components"]["schemas"]
    assert response == {"$ref": vpd}
    assert inline == {"type": "string", "description": "d"}


def test_comma_separated_string_parameters_become_lists() -> None:
    params = [
        {"name": "Ids", "in": "query", "schema": {"type": "string", "items": {"type": "integer"}}},
        {"name": "PageSize", "in": "query", "schema": {"type": "string", "format": "int32"}},
        {"name": "Tags", "in": "header", "schema": {"type": "string", "items": {"type": "string"}}},
    ]
    doc: dict[str, Any] = {"paths": {"/i": {"get": {"parameters": params, "responses": {}}}}}
    fix_schema_types(doc, ctx())
    assert params[0] == {
        "name": "Ids",
        "in": "query",
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "integer"}},
    }
    assert params[1]["schema"] == {"type": "integer", "format": "int32"}
    assert params[2]["schema"] == {"type": "string"}
    assert comma_separated_parameters(doc) == {("GET", "/i", "Ids")}
