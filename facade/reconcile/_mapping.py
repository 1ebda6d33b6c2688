"""SKU normalization and the mapping that overrides it (Fourthwall SKU -> ShipBob SKU or inventory id).

Normalization (`normalize_sku`): surrounding whitespace stripped, then case folded (`str.casefold`). Nothing else:
inner blanks, dashes and zeros stay significant, so `TEE-BLK-M` and `TEE BLK M` are different SKUs.

A mapping is a dict or a file:

- JSON (`*.json`): an object `{"fourthwall sku": "shipbob sku or inventory id", ...}`; an integer value is an
  inventory id.
- CSV (`*.csv`): a header row `fourthwall_sku,shipbob` then one pair per row.

A target matches a ShipBob SKU (normalized) first; a target made only of digits that matches no SKU is taken as an
inventory id. Keys are normalized like SKUs; two keys that normalize to the same SKU with different targets are a
`ConfigurationError`, as is an unreadable file.

Example::

    mapping = load_mapping("skus.csv")  # {'tee-blk-m': 'WH-1234'}
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TypeAlias

from ..errors import ConfigurationError

__all__ = ["MappingLike", "load_mapping", "normalize_sku"]

MappingLike: TypeAlias = Mapping[str, str | int] | str | os.PathLike[str]
"""What `reconcile(mapping=...)` accepts: a dict, or the path of a JSON or CSV mapping file."""

_CSV_HEADER = ("fourthwall_sku", "shipbob")


def normalize_sku(sku: str) -> str:
    """The SKU as matching sees it: surrounding whitespace stripped, case folded.

    Example::

        assert normalize_sku("  Tee-Blk-M ") == normalize_sku("TEE-BLK-M")
    """
    return sku.strip().casefold()


def _pairs_from_json(path: Path, text: str) -> list[tuple[str, str]]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ConfigurationError(f"mapping file {path}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise ConfigurationError(f"mapping file {path}: expected a JSON object of SKU -> SKU or inventory id")
    pairs = []
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ConfigurationError(f"mapping file {path}: the target of {key!r} must be a string or an integer")
        pairs.append((key, str(value)))
    return pairs


def _pairs_from_csv(path: Path, text: str) -> list[tuple[str, str]]:
    rows = list(csv.reader(text.splitlines()))
    if not rows or tuple(cell.strip().casefold() for cell in rows[0]) != _CSV_HEADER:
        raise ConfigurationError(f"mapping file {path}: the first row must be the header {','.join(_CSV_HEADER)}")
    pairs = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise ConfigurationError(f"mapping file {path}, line {number}: expected 2 columns, got {len(row)}")
        pairs.append((row[0], row[1]))
    return pairs


def _read_file(source: str | os.PathLike[str]) -> list[tuple[str, str]]:
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(f"mapping file {path}: cannot be read ({error})") from None
    suffix = path.suffix.casefold()
    if suffix == ".json":
        return _pairs_from_json(path, text)
    if suffix == ".csv":
        return _pairs_from_csv(path, text)
    raise ConfigurationError(f"mapping file {path}: use a .json or .csv file")


def load_mapping(source: MappingLike | None) -> dict[str, str]:
    """The mapping as {normalized Fourthwall SKU: target as written (stripped)}; `{}` for `None`.

    Example::

        load_mapping({"Tee-1 ": "WH-9"})  # {'tee-1': 'WH-9'}
    """
    if source is None:
        return {}
    where = "mapping"
    if isinstance(source, Mapping):
        pairs = [(str(key), str(value)) for key, value in source.items()]
    else:
        pairs = _read_file(source)
        where = f"mapping file {source}"
    result: dict[str, str] = {}
    for key, value in pairs:
        sku, target = normalize_sku(key), value.strip()
        if not sku or not target:
            raise ConfigurationError(f"{where}: empty SKU or target in the entry {key!r} -> {value!r}")
        if result.get(sku, target) != target:
            raise ConfigurationError(f"{where}: SKU {key!r} is mapped twice ({result[sku]!r} and {target!r})")
        result[sku] = target
    return result
