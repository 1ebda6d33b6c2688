"""Give every enum member a valid, unique, stable Python name; drop enums Python cannot express.

The generator names a string member ``VALUE.upper()`` when the value starts with a letter and
``VALUE_<index>`` otherwise, and raises (crashing the whole run) when two values land on the same
name (``next-day`` and ``Next Day``). Values with dots, spaces, digits or non-ASCII letters give
unreadable or position-dependent names.

This pass keeps the generator's own name wherever it is a clean, unique identifier (so the seeds'
enums are unchanged) and otherwise derives one from the value alone: ASCII letters and digits
joined by ``_``, prefixed ``VALUE_`` when it does not start with a letter, ``EMPTY`` for ``""``, and a
``_2``/``_3`` suffix for a later value that collides with an earlier one. Names are handed to the
generator as ``x-enum-varnames``. Adding a value renames nothing unless it collides. A spec's own
``x-enum-varnames`` is kept when it gives one unique identifier per value, and replaced otherwise.

Enums mixing types, or of floats or booleans, cannot be a Python ``Enum`` in the generator; they are
reduced to their plain type (the values stay documented in the description). An empty ``enum: []``
(the generator rejects the whole document for it) is dropped.

Example: ``["UPS Ground", "2Day", ""]`` -> ``UPS_GROUND``, ``VALUE_2DAY``, ``EMPTY``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from openapi_python_client.strings import snake_case

from pipeline.passes._context import PassContext
from pipeline.passes._schemas import walk_schemas


def _generator_name(value: str) -> str | None:
    """The name openapi-python-client would give ``value`` by itself, if it is a usable one."""
    if not value or not value[0].isalpha():
        return None
    name = snake_case(value.upper()).upper()
    return name if name.isascii() and name.isidentifier() and name[0].isalpha() else None


def _own_name(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    name = "_".join(w.upper() for w in words)
    if not name:
        return "EMPTY" if value == "" else "VALUE"
    return name if name[0].isalpha() else f"VALUE_{name}"


def member_names(values: list[str]) -> list[str]:
    """Stable member names for string enum ``values`` (in order)."""
    names: list[str] = []
    taken: set[str] = set()
    for value in values:
        name = _generator_name(value)
        if name is None or name in taken:
            name = _own_name(value)
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name}_{n}"
        names.append(candidate)
        taken.add(candidate)
    return names


def _needs_names(values: list[str], names: list[str]) -> bool:
    return any(_generator_name(v) != n for v, n in zip(values, names, strict=True))


def _vendor_names_usable(names: Any, count: int) -> bool:
    """Whether a spec's own ``x-enum-varnames`` can be used: one unique identifier per value."""
    if not isinstance(names, list) or len(names) != count or not all(isinstance(n, str) for n in names):
        return False
    final = [snake_case(n).upper() for n in names]
    return len(set(final)) == count and all(n.isidentifier() and n[:1].isalpha() for n in final)


def name_enum_members(doc: dict[str, Any], ctx: PassContext) -> None:
    named = reduced = 0
    for _where, schema in walk_schemas(doc):
        enum = schema.get("enum")
        if not isinstance(enum, list):
            continue
        if not enum:  # `enum: []` makes the generator reject the whole document; it means "no constraint given"
            del schema["enum"]
            reduced += 1
            continue
        values = [v for v in enum if v is not None]
        kinds = {type(v) for v in values}
        if kinds == {str}:
            names = member_names(values)
            if _vendor_names_usable(schema.get("x-enum-varnames"), len(values)):
                continue
            schema.pop("x-enum-varnames", None)
            if _needs_names(values, names):
                schema["x-enum-varnames"] = names
                named += 1
        elif values and kinds != {int}:
            listed = ", ".join(repr(v) for v in values)
            schema["description"] = f"{schema.get('description', '')}\n\nKnown values: {listed}".strip()
            del schema["enum"]
            reduced += 1
    if named:
        ctx.note(f"named the members of {named} enum(s) whose values are not identifiers")
    if reduced:
        ctx.note(f"reduced {reduced} empty enum(s) or enum(s) of mixed, float or boolean values to their plain type")
