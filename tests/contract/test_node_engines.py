"""The Node.js version the README names runs every package ``npm ci`` installs for the contract tests.

Every ``engines.node`` range in ``package-lock.json`` (Prism and everything it pulls in, down to
``jsep``) must accept the version the README's first lines give as ``Node.js >= X (npm)``. Ranges are
npm's (``>=18.20.1``, ``^12.20 || >=14.13``, ``6.* || 8.* || >= 10.*``), evaluated here by
``satisfies`` so the check needs no Node itself.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.support.paths import REPO

README_LINES = 12
_README_NODE = re.compile(r"Node\.js >= (\d+(?:\.\d+){0,2}) \(npm\)")
_COMPARATOR = re.compile(r"^(\^|~|>=|<=|>|<|=)?\s*v?([0-9xX*]+(?:\.[0-9xX*]+){0,2})$")

Version = tuple[int, int, int]


def _pad(parts: list[int]) -> Version:
    """``[1, 2]`` -> ``(1, 2, 0)``."""
    major, minor, patch = [*parts, 0, 0, 0][:3]
    return (major, minor, patch)


def _bump(parts: list[int], index: int) -> Version:
    """The first version past ``parts`` at ``index``: ``([1, 2, 3], 1)`` -> ``(1, 3, 0)``."""
    return _pad([*parts[:index], parts[index] + 1])


def _bounds(op: str, text: str) -> tuple[Version, Version | None]:
    """``[lower, upper)`` of one npm comparator (``upper`` ``None``: unbounded); ``x``/``*`` end a partial version."""
    given: list[int] = []
    for part in text.split("."):
        if part in ("x", "X", "*"):
            break
        given.append(int(part))
    if not given:
        if op in ("", "=", ">=", "^", "~"):
            return (0, 0, 0), None
        raise ValueError(f"{op}{text} matches no version")
    past = _bump(given, len(given) - 1)  # 1.2 -> 1.3.0, 1.2.3 -> 1.2.4
    if op == ">=":
        return _pad(given), None
    if op == ">":
        return past, None
    if op == "<":
        return (0, 0, 0), _pad(given)
    if op == "<=":
        return (0, 0, 0), past
    if op == "~":
        return _pad(given), _bump(given, min(1, len(given) - 1))
    if op == "^":
        first = next((i for i, part in enumerate(given) if part != 0), len(given) - 1)
        return _pad(given), _bump(given, first)
    return _pad(given), past  # "=" or none: 1.2.3 exactly, 1.x = >=1.0.0 <2.0.0


def satisfies(version: str, npm_range: str) -> bool:
    """Whether ``version`` (``20.16.0``) is in the npm ``npm_range``; ``ValueError`` names what cannot be read.

    >>> satisfies("20.16.0", "^12.20 || >=14.13"), satisfies("20.15.1", ">= 20.16.0")
    (True, False)
    """
    wanted = _pad([int(part) for part in version.split(".")])
    alternatives = []  # every comparator is read before any is applied, so a bad one is never hidden
    for alternative in npm_range.split("||"):
        text = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", alternative.strip())
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", text)
        comparators = [f">={hyphen.group(1)}", f"<={hyphen.group(2)}"] if hyphen else (text.split() or ["*"])
        matches = [_COMPARATOR.match(comparator) for comparator in comparators]
        if not all(matches):
            raise ValueError(f"cannot read the npm range {npm_range!r} (at {alternative.strip()!r})")
        alternatives.append([_bounds(m.group(1) or "=", m.group(2)) for m in matches if m])
    return any(all(low <= wanted and (high is None or wanted < high) for low, high in a) for a in alternatives)


def node_ranges() -> dict[str, str]:
    """``{package (name@version): engines.node}`` for every package of ``package-lock.json``."""
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    ranges = {}
    for path, package in lock["packages"].items():
        engines = package.get("engines")
        if isinstance(engines, dict) and "node" in engines:
            name = path.rpartition("node_modules/")[2] or lock["name"]
            ranges[f"{name}@{package.get('version', lock.get('version', ''))}"] = engines["node"]
    return ranges


@pytest.mark.parametrize(
    ("version", "npm_range", "expected"),
    [
        ("20.16.0", ">= 20.16.0", True),
        ("20.15.9", ">= 20.16.0", False),
        ("20.16.0", ">=18.20.1", True),
        ("18.20.0", ">=18.20.1", False),
        ("20.16.0", "6.* || 8.* || >= 10.*", True),
        ("9.1.0", "6.* || 8.* || >= 10.*", False),
        ("8.4.0", "6.* || 8.* || >= 10.*", True),
        ("13.0.0", "^12.20 || >=14.13", False),
        ("12.22.1", "^12.20 || >=14.13", True),
        ("10.5.0", "^8.16.0 || ^10.6.0 || >=11.0.0", False),
        ("5.0.0", "4.x || >=6.0.0", False),
        ("0.2.9", "^0.2.3", True),
        ("0.3.0", "^0.2.3", False),
        ("1.3.0", "~1.2.3", False),
        ("1.2.9", "1.2.3 - 1.2.9", True),
        ("2.0.0", ">1", True),
        ("1.9.9", ">1", False),
        ("1.2.9", "<=1.2", True),
        ("1.3.0", "<=1.2", False),
    ],
)
def test_npm_ranges_are_read_as_npm_does(version: str, npm_range: str, expected: bool) -> None:
    assert satisfies(version, npm_range) is expected


def test_an_unreadable_range_is_named() -> None:
    with pytest.raises(ValueError, match=r"cannot read the npm range '>=20 \|\| node-lts'"):
        satisfies("20.16.0", ">=20 || node-lts")


def test_the_node_version_the_readme_names_satisfies_every_engines_range_in_the_lock() -> None:
    ranges = node_ranges()
    assert len(ranges) > 50 and any(name.startswith("@stoplight/prism-cli@") for name in ranges)
    floors = [re.sub(r"^>=\s*", "", r) for r in ranges.values() if re.fullmatch(r">=\s*[\d.]+", r)]
    needed = max(floors, key=lambda floor: _pad([int(part) for part in floor.split(".")]))
    head = "\n".join((REPO / "README.md").read_text(encoding="utf-8").splitlines()[:README_LINES])
    named = _README_NODE.search(head)
    assert named is not None, f"README.md's first {README_LINES} lines should say `Node.js >= {needed} (npm)`"
    refused = {name: r for name, r in ranges.items() if not satisfies(named.group(1), r)}
    assert refused == {}, f"README.md names Node.js >= {named.group(1)}; the lock needs >= {needed} ({refused})"
