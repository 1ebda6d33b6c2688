"""Validate HTTP responses against an OpenAPI document's response schemas (3.0 and 3.1), with jsonschema.

``SpecValidator.load(path)`` reads the spec; ``validator.check(method, path, status, headers, body)`` returns the
list of problems (empty: the spec allows the response). Schemas are converted to JSON Schema 2020-12 once:

- OpenAPI 3.0 ``nullable: true`` -> ``null`` added to ``type`` (and to ``enum``), or ``anyOf [schema, null]``.
- OpenAPI 3.0 ``$ref`` siblings are ignored (3.0 says so); 3.1 keeps them, as JSON Schema does.
- ``allOf`` under ``additionalProperties: false`` is flattened into the schema (properties and required merged):
  ShipBob's .NET-generated spec writes every derived model as ``{additionalProperties: false, properties: {own},
  allOf: [{$ref: Base}]}``, which read literally forbids the base's properties and so allows no variant at all.
  SPEC CONTRADICTION, handled here, not in the sandbox.
- ShipBob ``oneOf`` lists of a base model and its subtypes (``VariantViewModelV5`` / ``VariantInternalViewModelV5``,
  ``ProblemDetails`` / ``HttpValidationProblemDetails``) are not mutually exclusive: every valid base instance is
  also a valid subtype instance, so ``oneOf`` would reject everything. SPEC CONTRADICTION: validated as ``anyOf``
  (``relax_one_of=True``, used for ShipBob only; Fourthwall's ``oneOf`` lists are exclusive through ``const``).
- ``additionalProperties: false`` next to a ``oneOf`` and no ``properties`` (ShipBob's 404 bodies) is dropped:
  read literally it forbids every property of every alternative. SPEC CONTRADICTION.
- Formats checked: ``int32``, ``int64``, ``date-time``, ``uuid`` (others are annotations).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_URN = "urn:openapi-spec"
_SCHEMA_KEYS_LIST = ("allOf", "oneOf", "anyOf", "prefixItems")
_SCHEMA_KEYS_ONE = ("items", "not", "additionalProperties", "contains", "if", "then", "else")


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("int32")
    def _int32(value: object) -> bool:
        return not isinstance(value, int) or -(2**31) <= value < 2**31

    @checker.checks("int64")
    def _int64(value: object) -> bool:
        return not isinstance(value, int) or -(2**63) <= value < 2**63

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if isinstance(value, str):
            if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
                raise ValueError(f"not an RFC 3339 date-time: {value!r}")
            datetime.fromisoformat(re.sub(r"\.(\d{6})\d+", r".\1", value))
        return True

    @checker.checks("uuid", raises=ValueError)
    def _uuid(value: object) -> bool:
        if isinstance(value, str):
            UUID(value)
        return True

    return checker


class SpecValidator:
    """Response validation for one OpenAPI document."""

    def __init__(self, spec: dict[str, Any], *, relax_one_of: bool = False) -> None:
        self.raw = spec
        self.version = str(spec.get("openapi", "3.0"))
        self.is_30 = self.version.startswith("3.0")
        self.relax_one_of = relax_one_of
        self.doc = copy.deepcopy(spec)
        schemas = self.doc.get("components", {}).get("schemas", {})
        self._raw_schemas = spec.get("components", {}).get("schemas", {})
        for name in list(schemas):
            schemas[name] = self._convert(schemas[name])
        for path_item in self.doc.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict):
                    continue
                for response in operation.get("responses", {}).values():
                    for media in (response.get("content") or {}).values():
                        if "schema" in media:
                            media["schema"] = self._convert(media["schema"])
        self.registry: Registry[Any] = Registry().with_resource(
            _URN, Resource.from_contents(self.doc, default_specification=DRAFT202012)
        )
        self.format_checker = _format_checker()
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}
        self._templates = [
            (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "$"), p, p.count("{"))
            for p in self.doc.get("paths", {})
        ]

    @classmethod
    def load(cls, path: Path, *, relax_one_of: bool = False) -> SpecValidator:
        text = path.read_text(encoding="utf-8")
        try:
            spec = json.loads(text)  # ShipBob publishes JSON (valid YAML too, but far slower to parse as YAML)
        except ValueError:
            spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return cls(spec, relax_one_of=relax_one_of)

    # -- conversion to JSON Schema 2020-12 ---------------------------------------------------------------------

    def _resolve_raw(self, ref: str) -> dict[str, Any]:
        name = ref.rsplit("/", 1)[-1]
        return dict(self._raw_schemas[name])

    def _flatten(self, schema: dict[str, Any], seen: frozenset[str] = frozenset()) -> dict[str, Any]:
        """Merge ``allOf`` members (refs resolved) into ``schema``: properties and required united."""
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(merged.get("properties", {}))
        required = list(merged.get("required", []))
        for member in schema.get("allOf", []):
            ref = member.get("$ref")
            if ref is not None:
                if ref in seen:
                    continue
                part = self._flatten(self._resolve_raw(ref), seen | {ref})
            else:
                part = self._flatten(member, seen)
            for key, value in part.get("properties", {}).items():
                properties.setdefault(key, value)
            required += [r for r in part.get("required", []) if r not in required]
        merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged

    def _convert(self, schema: Any) -> Any:
        if not isinstance(schema, dict):
            return schema
        schema = dict(schema)
        if "$ref" in schema:
            ref = schema["$ref"].replace("#/", _URN + "#/", 1) if schema["$ref"].startswith("#/") else schema["$ref"]
            nullable = schema.get("nullable") is True
            if self.is_30:
                schema = {"$ref": ref}  # OpenAPI 3.0: siblings of $ref are ignored
            else:
                schema["$ref"] = ref
            if nullable:
                return {"anyOf": [schema, {"type": "null"}]}
            if not self.is_30:
                return {k: self._convert_child(k, v) for k, v in schema.items()}
            return schema
        if schema.get("additionalProperties") is False and "allOf" in schema:
            schema = self._flatten(schema)
        if (
            schema.get("additionalProperties") is False
            and "properties" not in schema
            and ("oneOf" in schema or "anyOf" in schema)
        ):
            # SPEC CONTRADICTION (ShipBob): `{additionalProperties: false, oneOf: [A, B]}` with no `properties`
            # forbids every property A and B declare. The generator's stray keyword; the oneOf decides.
            del schema["additionalProperties"]
        out: dict[str, Any] = {}
        for key, value in schema.items():
            out[key] = self._convert_child(key, value)
        if self.relax_one_of and "oneOf" in out:
            out["anyOf"] = out.pop("oneOf")
        if self.is_30 and out.pop("nullable", False) is True:
            if "type" in out:
                types = out["type"] if isinstance(out["type"], list) else [out["type"]]
                out["type"] = [*types, "null"] if "null" not in types else types
                if "enum" in out and None not in out["enum"]:
                    out["enum"] = [*out["enum"], None]
            else:
                out = {"anyOf": [out, {"type": "null"}]}
        out.pop("discriminator", None)  # an annotation for generators; the const members do the work
        return out

    def _convert_child(self, key: str, value: Any) -> Any:
        if key in ("properties", "patternProperties", "$defs", "definitions") and isinstance(value, dict):
            return {name: self._convert(sub) for name, sub in value.items()}
        if key in _SCHEMA_KEYS_LIST and isinstance(value, list):
            return [self._convert(sub) for sub in value]
        if key in _SCHEMA_KEYS_ONE and isinstance(value, dict):
            return self._convert(value)
        return value

    # -- checking ----------------------------------------------------------------------------------------------

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """(path template, operation) for a concrete request path; literal segments win over templates."""
        matches = sorted((holes, template) for regex, template, holes in self._templates if regex.match(path))
        for _, template in matches:
            operation = self.doc["paths"][template].get(method.lower())
            if operation is not None:
                return template, operation
        return None

    def validate(self, schema: dict[str, Any], body: Any) -> list[str]:
        key = json.dumps(schema, sort_keys=True, default=str)
        validator = self._validators.get(key)
        if validator is None:
            validator = jsonschema.Draft202012Validator(
                schema, registry=self.registry, format_checker=self.format_checker
            )
            self._validators[key] = validator
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '<body>'}: {error.message[:300]}"
            for error in validator.iter_errors(body)
        ]

    def schema_of(self, name: str) -> dict[str, Any]:
        return {"$ref": f"{_URN}#/components/schemas/{name}"}

    def check(
        self,
        method: str,
        path: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        *,
        undeclared: Mapping[int, dict[str, Any]] | None = None,
    ) -> list[str]:
        """Problems with this response per the spec (``undeclared``: schemas for statuses the spec omits)."""
        found = self.operation(method, path)
        if found is None:
            return [f"{method} {path}: no such operation in the spec"]
        template, operation = found
        responses = operation.get("responses", {})
        declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        where = f"{method} {template} -> {status}"
        if declared is None:
            if undeclared is not None and status in undeclared:
                return [f"{where}: {p}" for p in self.validate(undeclared[status], _json(body))]
            return [f"{where}: status not declared by the spec"]
        content = declared.get("content") or {}
        if not content:
            return [] if not body else [f"{where}: the spec declares no body, got {body[:120]!r}"]
        media = headers.get("content-type", "").split(";")[0].strip()
        if media not in content:
            return [f"{where}: content type {media!r} not among {sorted(content)}"]
        try:
            payload = json.loads(body)
        except ValueError:
            return [f"{where}: body is not JSON: {body[:120]!r}"]
        schema = content[media].get("schema")
        if schema is None:
            # Fourthwall errors: examples only. The description lists the codes ("Possible errors: `X`, `Y`").
            codes = re.findall(r"`([A-Z0-9_]+)`", declared.get("description", ""))
            problems = self.validate(
                {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}, payload
            )
            if codes and isinstance(payload, dict) and payload.get("code") not in codes:
                problems.append(f"code {payload.get('code')!r} not among the documented {codes}")
            return [f"{where}: {p}" for p in problems]
        return [f"{where}: {p}" for p in self.validate(schema, payload)]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return {"<not json>": body[:120].decode("latin-1")}
