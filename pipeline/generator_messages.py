"""The generator's problems as messages a maintainer can act on: the construct's JSON pointer and readable names.

openapi-python-client wraps names read from the spec (status codes, schema and enum names) in
``UntrustedString`` so they cannot leak into generated code; a message that formats one directly
shows ``<...UntrustedString object at 0x7f...>``. ``readable_names()`` makes them format as their
value while the spec is parsed (when those messages are built); the templates render later,
outside it, so generated code is unaffected. Other object reprs left in a message are replaced by
``(name not shown by the generator)``.

Example::

    with readable_names():
        openapi = GeneratorData.from_dict(document, config=config)
    print(format_errors(openapi.errors))
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

# The generator formats some names into its messages as object reprs; they say nothing and vary per run.
_OBJECT_REPR = re.compile(r"<openapi_python_client\.[\w.]+ object at 0x[0-9a-f]+>")
_SCHEMA_AT = re.compile(r"schema (/components/schemas/[^\s:]+)")
_OPERATION_AT = re.compile(r"parsing (GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE) (\S+) within", re.IGNORECASE)
_RESPONSE_AT = re.compile(r"Cannot parse response for status code (\w+)")


@contextlib.contextmanager
def readable_names() -> Iterator[None]:
    """While active, ``str()`` of the generator's ``UntrustedString`` is its value (for its messages)."""
    from openapi_python_client.schema.untrusted_string import UntrustedString

    own = vars(UntrustedString).get("__str__")  # None in the pinned 0.29.1: str() is object's, the repr
    UntrustedString.__str__ = UntrustedString.get_untrusted_value  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        if own is None:
            del UntrustedString.__str__
        else:
            UntrustedString.__str__ = own  # type: ignore[method-assign]


def pointer_of(text: str) -> str | None:
    """The JSON pointer of the construct a generator message is about (schema, operation or response).

    >>> pointer_of("WARNING parsing POST /a/{id}:cancel within a.: Cannot parse response for status code 200 (x)")
    '#/paths/~1a~1{id}:cancel/post/responses/200'
    """
    schema = _SCHEMA_AT.search(text)
    if schema:
        return "#" + schema.group(1)
    operation = _OPERATION_AT.search(text)
    if not operation:
        return None
    path = operation.group(2).replace("~", "~0").replace("/", "~1")
    response = _RESPONSE_AT.search(text)
    return f"#/paths/{path}/{operation.group(1).lower()}" + (f"/responses/{response.group(1)}" if response else "")


def format_errors(errors: list[Any]) -> str:
    """One line per generator error or warning: level, pointer, the generator's header and reason."""
    lines = []
    for err in errors:
        header = " ".join(str(err.header or "").split())
        detail = _OBJECT_REPR.sub("(name not shown by the generator)", " ".join(str(err.detail or "").split()))
        pointer = pointer_of(f"{header} {detail}")
        at = f"at {pointer}: " if pointer else ""
        lines.append(f"{err.level.value}: {at}{header}" + (f": {detail[:400]}" if detail else ""))
    return "\n  ".join(lines)
