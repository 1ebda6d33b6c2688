"""Check a parsed generated model against its own type annotations: wrong JSON types never pass silently.

The generated ``from_dict`` parsers convert nested objects, lists, dates and enums (and fail loudly when they
cannot), but assign scalars as they come: ``quantity = d.pop("quantity")``. A body with ``"quantity": "12"`` or
``"quantity": null`` would become a ``Stock`` whose ``quantity: int`` holds a str or None. Every parsed body
goes through ``find_type_mismatch`` so the facade raises ``ResponseValidationError`` naming the field instead.

The checks are compiled once per generated class from its attrs field annotations (strings, thanks to
``from __future__ import annotations``), resolved in the class's module plus the package's ``models``
namespace (the generated modules import sibling models only under ``TYPE_CHECKING``)::

    found = find_type_mismatch(page)
    if found:
        path, expected, got = found  # ("body.results[3].quantity", "int", "str")

Annotations the checker does not understand are accepted: it must never reject a body the spec allows.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime
import enum
import importlib
import re
import sys
import types
import typing
import uuid
from collections.abc import Callable
from typing import Any, Final

import attrs

__all__ = ["find_type_mismatch"]

Mismatch = tuple[str, str, str]
# A check returns None, or (path below the checked value, expected, found); paths are built only on failure.
Check = Callable[[Any], Mismatch | None]

_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _accept(value: Any) -> Mismatch | None:
    return None


def _got(value: Any) -> str:
    return "null" if value is None else type(value).__name__


@attrs.frozen
class _Simple:
    """An exact-type check; unions of these fuse into one (the common ``int | Unset`` is one set lookup).

    Exact types, not ``isinstance``: the generated parsers build exactly these types, and JSON ``true`` is a
    Python ``bool``, an ``int`` subclass, which must not pass as a number.
    """

    kinds: frozenset[type]
    label: str

    def __call__(self, value: Any) -> Mismatch | None:
        return None if type(value) in self.kinds else ("", self.label, _got(value))


def _simple(label: str, *kinds: type) -> _Simple:
    return _Simple(frozenset(kinds), label)


_SCALARS: Final[dict[Any, _Simple]] = {
    int: _simple("int", int),
    float: _simple("float", int, float),
    bool: _simple("bool", bool),
    str: _simple("str", str),
    datetime.datetime: _simple("datetime", datetime.datetime),
    datetime.date: _simple("date", datetime.date),
    uuid.UUID: _simple("UUID", uuid.UUID),
    type(None): _simple("null", type(None)),
}


def _list_of(item: Check, label: str) -> Check:
    if isinstance(item, _Simple):
        kinds = item.kinds

        def check_simple(value: Any) -> Mismatch | None:
            if type(value) is not list:
                return ("", label, _got(value))
            for index, element in enumerate(value):
                if type(element) not in kinds:
                    return (f"[{index}]", item.label, _got(element))
            return None

        return check_simple

    def check(value: Any) -> Mismatch | None:
        if type(value) is not list:
            return ("", label, _got(value))
        for index, element in enumerate(value):
            found = item(element)
            if found is not None:
                return (f"[{index}]{found[0]}", found[1], found[2])
        return None

    return check


def _dict_of(item: Check, label: str) -> Check:
    def check(value: Any) -> Mismatch | None:
        if type(value) is not dict:
            return ("", label, _got(value))
        for key, element in value.items():
            found = item(element)
            if found is not None:
                return (f".{key}{found[0]}", found[1], found[2])
        return None

    return check


def _one_of(options: list[Check], label: str) -> Check:
    def check(value: Any) -> Mismatch | None:
        deepest: Mismatch | None = None
        for option in options:
            found = option(value)
            if found is None:
                return None
            if found[0]:  # the value had the right shape; something inside it is wrong: report that
                deepest = found
        return deepest or ("", label, _got(value))

    return check


def _model(cls: type) -> Check:
    def check(value: Any) -> Mismatch | None:
        if type(value) is not cls:
            return ("", cls.__name__, _got(value))
        return _field_checker(cls)(value)

    return check


def _label(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def _compile(hint: Any) -> Check:
    """A check for one resolved annotation."""
    origin = typing.get_origin(hint)
    if origin is None:
        return _compile_class(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _compile_union(args)
    if origin is typing.Literal:
        return lambda value: None if value in args else ("", _label(hint), repr(value))
    if origin is list and args:
        return _list_of(_compile(args[0]), _label(hint))
    if origin is dict and len(args) == 2:
        return _dict_of(_compile(args[1]), _label(hint))
    return _accept


def _compile_union(args: tuple[Any, ...]) -> Check:
    options = [_compile(arg) for arg in args]
    label = " | ".join(_label(arg) for arg in args)
    if any(option is _accept for option in options):
        return _accept
    simple = [option for option in options if isinstance(option, _Simple)]
    if len(simple) == len(options):
        return _Simple(frozenset().union(*(option.kinds for option in simple)), label)
    return _one_of(options, label)


def _compile_class(hint: Any) -> Check:
    if hint in _SCALARS:
        return _SCALARS[hint]
    if isinstance(hint, type):
        if attrs.has(hint):
            return _model(hint)
        if issubclass(hint, enum.Enum) or hint.__name__ in ("Unset", "File"):
            return _simple(hint.__name__, hint)
    return _accept  # Any, TypeVars, anything unexpected: never reject what we do not understand


def _namespace(cls: type) -> dict[str, Any]:
    module = sys.modules[cls.__module__]
    names = dict(vars(module))
    package = cls.__module__.split(".")[0]
    with contextlib.suppress(ImportError):  # not a generated package: annotations resolve from the module alone
        names.setdefault("__models__", importlib.import_module(f"{package}.models"))
    return names


def _resolve(annotation: Any, namespace: dict[str, Any]) -> Any:
    if not isinstance(annotation, str):
        return annotation
    models = namespace.get("__models__")
    for name in _NAME.findall(annotation):
        if name not in namespace and not hasattr(builtins, name):
            found = getattr(models, name, None) if models is not None else None
            if found is not None:
                namespace[name] = found
    try:
        return eval(annotation, namespace)  # noqa: S307 - annotations of our own generated code
    except Exception:  # an annotation we cannot resolve is accepted, never a false rejection
        return Any


_FIELD_CHECKERS: dict[type, Check] = {}


def _field_checker(cls: type) -> Check:
    checker = _FIELD_CHECKERS.get(cls)
    if checker is None:
        # Racing threads may both compile a class: harmless, the results are equal.
        checker = _FIELD_CHECKERS[cls] = _compile_fields(cls)
    return checker


def _compile_fields(cls: type) -> Check:
    """One function checking every annotated field of ``cls``, compiled from source as attrs builds ``__init__``.

    A scalar field costs one attribute read and one set lookup, with no call; other fields call their check.
    Field names are attrs field names, so they are identifiers and safe to put in the source.
    """
    namespace = _namespace(cls)
    env: dict[str, Any] = {"_got": _got}
    lines = ["def check(m):"]
    for index, field in enumerate(attrs.fields(cls)):
        if field.name == "additional_properties":
            continue  # unmodelled keys: any JSON value is allowed
        check = _compile(_resolve(field.type, namespace))
        name = field.name
        if check is _accept:
            continue
        if isinstance(check, _Simple):
            env[f"kinds{index}"], env[f"label{index}"] = check.kinds, check.label
            lines += [
                f"    v = m.{name}",
                f"    if type(v) not in kinds{index}:",
                f"        return ('.{name}', label{index}, _got(v))",
            ]
        else:
            env[f"check{index}"] = check
            lines += [
                f"    found = check{index}(m.{name})",
                "    if found is not None:",
                f"        return ('.{name}' + found[0], found[1], found[2])",
            ]
    lines.append("    return None")
    exec(compile("\n".join(lines), f"<type check of {cls.__qualname__}>", "exec"), env)  # noqa: S102 - our source
    checker: Check = env["check"]
    return checker


def find_type_mismatch(parsed: Any, path: str = "body") -> Mismatch | None:
    """``(field path, expected type, JSON type found)`` of the first value that contradicts its annotation.

    Walks generated attrs models and lists of them; anything else is returned as None (nothing to check).

    Example::

        assert find_type_mismatch(None) is None
    """
    found = None
    if attrs.has(type(parsed)):
        found = _field_checker(type(parsed))(parsed)
    elif isinstance(parsed, list):
        for index, item in enumerate(parsed):
            if attrs.has(type(item)):
                below = _field_checker(type(item))(item)
                if below is not None:
                    found = (f"[{index}]{below[0]}", below[1], below[2])
                    break
    return None if found is None else (f"{path}{found[0]}", found[1], found[2])
