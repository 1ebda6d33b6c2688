"""Apply an OpenAPI Overlay 1.0 document (https://spec.openapis.org/overlay/v1.0.0.html).

Overlays hold per-vendor facts the spec omits, as data: ``specs/<vendor>.overlay.yaml``. Targets
are RFC 9535 JSONPath expressions, evaluated with ``python-jsonpath``. Semantics follow the spec:
``update`` merges into every matched object (mappings merge recursively, arrays are appended to,
other values replace) or is appended to a matched array; ``remove: true`` deletes the matched
nodes. A target that matches nothing is an error here (the spec allows it): an overlay that silently
stops applying after a vendor renames a path is exactly the drift we want to hear about.

No maintained Python implementation of Overlay 1.0 fit (``oas-patch`` pulls in deepdiff, rich and
click for a few dozen lines of merge logic), so this module is the glue around a JSONPath library.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import jsonpath

from pipeline.errors import PipelineError


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            target[key] = copy.deepcopy(value)


def _remove(matches: list[Any], *, fail: Callable[[str], PipelineError]) -> None:
    for match in reversed(matches):
        container = match.parent.obj if match.parent is not None else None
        if isinstance(container, dict):
            container.pop(match.parts[-1], None)
        elif isinstance(container, list):
            container.remove(match.obj)
        else:
            raise fail(f"cannot remove {match.path}")


def _update(matches: list[Any], update: Any, *, fail: Callable[[str], PipelineError]) -> None:
    for match in matches:
        node = match.obj
        if isinstance(node, dict) and isinstance(update, dict):
            _merge(node, update)
        elif isinstance(node, list):
            node.append(copy.deepcopy(update))
        else:
            raise fail(f"cannot update {type(node).__name__} at {match.path}")


def apply_overlay(doc: dict[str, Any], overlay: Any, *, vendor: str, file: Any) -> list[str]:
    """Apply ``overlay`` to ``doc`` in place; return one note per action."""

    def fail(problem: str) -> PipelineError:
        return PipelineError(problem, vendor=vendor, file=file)

    if not isinstance(overlay, dict) or not str(overlay.get("overlay", "")).startswith("1."):
        raise fail("not an Overlay 1.x document (needs `overlay: 1.0.0`)")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise fail("an overlay needs a non-empty `actions` list")
    notes = []
    for index, action in enumerate(actions):
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise fail(f"action {index}: needs a `target` JSONPath string")
        target = action["target"]
        try:
            matches = list(jsonpath.finditer(target, doc))
        except jsonpath.JSONPathError as err:
            raise fail(f"action {index}: bad JSONPath {target!r}: {err}") from err
        if not matches:
            raise fail(f"action {index}: target {target!r} matches nothing in the spec")

        def fail_action(problem: str, index: int = index) -> PipelineError:
            return fail(f"action {index}: {problem}")

        if action.get("remove") is True:
            _remove(matches, fail=fail_action)
        elif "update" in action:
            _update(matches, action["update"], fail=fail_action)
        else:
            raise fail(f"action {index}: needs `update` or `remove: true`")
        notes.append(str(action.get("description") or f"{target}: {'removed' if action.get('remove') else 'updated'}"))
    return notes
