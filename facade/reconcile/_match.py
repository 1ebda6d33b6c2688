"""The pure core of reconciliation: match Fourthwall and ShipBob stock levels by SKU and classify each pair.

No HTTP here, so the logic is tested on lists of `StockLevel` / `CatalogItem` built by hand.

Example::

    report = reconcile_levels(fw_levels, sb_levels, shipbob_catalog=sb_items, buffer=1)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..catalog import CatalogItem
from ..errors import InvalidArgumentError
from ..stock import UNLIMITED, Quantity, StockLevel
from ._mapping import MappingLike, load_mapping, normalize_sku
from ._model import SHIPBOB_KEY_PREFIX, Reconciliation, Row, Status, UnresolvedMapping

__all__ = ["reconcile_levels"]


def _key(level: StockLevel) -> str | None:
    if level.sku is None:
        return None
    return normalize_sku(level.sku) or None


def _group(levels: Iterable[StockLevel]) -> tuple[dict[str, list[StockLevel]], list[StockLevel]]:
    """Levels by normalized SKU (insertion order kept), and the levels without a SKU."""
    groups: dict[str, list[StockLevel]] = {}
    loose: list[StockLevel] = []
    for level in levels:
        key = _key(level)
        if key is None:
            loose.append(level)
        else:
            groups.setdefault(key, []).append(level)
    return groups, loose


class _Bundles:
    """Which ShipBob items are bundles, and their components resolved to stock levels (from the catalog)."""

    def __init__(self, catalog: Sequence[CatalogItem], groups: dict[str, list[StockLevel]]) -> None:
        by_inventory: dict[str, StockLevel] = {}
        for levels in groups.values():
            for level in levels:
                if level.item_id is not None:
                    by_inventory[level.item_id] = level
        variant_inventory = {item.variant_id: item.inventory_id for item in catalog if item.variant_id is not None}
        self._by_inventory = by_inventory
        self._groups = groups
        self._variant_inventory = variant_inventory
        self.by_inventory_id: dict[str, CatalogItem] = {}
        self.by_sku: dict[str, CatalogItem] = {}
        for item in catalog:
            if not item.bundle:
                continue
            if item.inventory_id is not None:
                self.by_inventory_id[item.inventory_id] = item
            if item.sku is not None and normalize_sku(item.sku):
                self.by_sku[normalize_sku(item.sku)] = item

    def of(self, level: StockLevel) -> CatalogItem | None:
        if level.item_id is not None and level.item_id in self.by_inventory_id:
            return self.by_inventory_id[level.item_id]
        key = _key(level)
        return self.by_sku.get(key) if key is not None else None

    def _component(self, ref: str) -> StockLevel | None:
        inventory_id = self._variant_inventory.get(ref, ref)
        if inventory_id is not None and inventory_id in self._by_inventory:
            return self._by_inventory[inventory_id]
        same = self._groups.get(normalize_sku(ref), [])
        return same[0] if len(same) == 1 else None

    def derived(self, bundle: CatalogItem) -> int | None:
        """Whole bundles the components make, per fulfillment center, summed; `None` if a component is unknown."""
        parts: list[tuple[StockLevel, int]] = []
        for ref, quantity in bundle.bundle_components:
            level = self._component(ref)
            if level is None or quantity < 1 or not isinstance(level.available, int):
                return None
            parts.append((level, quantity))
        if not parts:
            return None
        if all(level.locations for level, _ in parts):
            centers = {location.id for level, _ in parts for location in level.locations}
            total = 0
            for center in centers:
                counts = []
                for level, quantity in parts:
                    here = next((loc.available for loc in level.locations if loc.id == center), 0) or 0
                    counts.append(max(here, 0) // quantity)
                total += min(counts)
            return total
        return min(max(level.available, 0) // quantity for level, quantity in parts if isinstance(level.available, int))


def _classify(  # noqa: PLR0911 (one return per status, in precedence order, reads best)
    fourthwall: Sequence[StockLevel],
    shipbob: Sequence[StockLevel],
    *,
    bundle: CatalogItem | None,
    derived: int | None,
    buffer: int,
    unresolved: bool,
) -> tuple[Status, Quantity | None, int | None, int | None, int | None]:
    """(status, Fourthwall quantity, ShipBob fulfillable, target, difference) for one SKU."""
    fw_quantity = fourthwall[0].available if len(fourthwall) == 1 else None
    sb_fulfillable: int | None = None
    if len(shipbob) == 1:
        served = shipbob[0].available
        sb_fulfillable = derived if derived is not None else (served if isinstance(served, int) else None)
    elif not shipbob and bundle is not None:
        sb_fulfillable = derived
    if not fourthwall:
        return Status.ONLY_SHIPBOB, None, sb_fulfillable, None, None
    if unresolved:  # the user said "not this SKU's item": show it for context, compare nothing
        return Status.UNRESOLVED_MAPPING, fw_quantity, sb_fulfillable, None, None
    if not shipbob and bundle is None:
        return Status.ONLY_FOURTHWALL, fw_quantity, None, None, None
    if len(fourthwall) > 1 or len(shipbob) > 1:
        return Status.DUPLICATE_SKU, fw_quantity, sb_fulfillable, None, None
    target = max(sb_fulfillable - buffer, 0) if sb_fulfillable is not None else None
    difference = fw_quantity - target if isinstance(fw_quantity, int) and target is not None else None
    if bundle is not None:
        return Status.BUNDLE, fw_quantity, sb_fulfillable, target, difference
    if fw_quantity is UNLIMITED:
        return Status.UNLIMITED, fw_quantity, sb_fulfillable, target, None
    if difference is None:
        return Status.UNKNOWN_QUANTITY, fw_quantity, sb_fulfillable, target, None
    if difference > 0:
        return Status.OVERSELL, fw_quantity, sb_fulfillable, target, difference
    if difference < 0:
        return Status.LOST_SALES, fw_quantity, sb_fulfillable, target, difference
    return Status.IN_SYNC, fw_quantity, sb_fulfillable, target, difference


_Join = tuple[str, str]
"""What a Fourthwall SKU joins: `("sku", normalized ShipBob SKU)` or `("item", inventory id)` (one item alone)."""


class _ShipBobSide:
    """The ShipBob levels by SKU and by inventory id, the catalog's bundles, and what a mapping target names."""

    def __init__(self, groups: dict[str, list[StockLevel]], bundles: _Bundles) -> None:
        self.groups = groups
        # Bundles the inventory listing does not hold get a ShipBob key of their own (their stock is derived).
        self.bundle_only = {key: item for key, item in bundles.by_sku.items() if key not in groups}
        self.by_id = {
            level.item_id: (key, level)
            for key, levels in groups.items()
            for level in levels
            if level.item_id is not None
        }
        self._bundle_ids = {item.inventory_id: key for key, item in self.bundle_only.items() if item.inventory_id}

    def resolve(self, target: str) -> _Join | None:
        """The ShipBob side a mapping target names: a SKU first, then an inventory id (digits only). An inventory
        id joins that one item when its SKU is on several items (the mapping singles it out), else the SKU."""
        key = normalize_sku(target)
        if key in self.groups or key in self.bundle_only:
            return ("sku", key)
        if not target.isdigit():
            return None
        if target in self.by_id:
            key = self.by_id[target][0]
            return ("item", target) if len(self.groups[key]) > 1 else ("sku", key)
        key_of_bundle = self._bundle_ids.get(target)
        return None if key_of_bundle is None else ("sku", key_of_bundle)


def _free_key(key: str, taken: set[str]) -> str:
    """`key`, or `shipbob:` + key when a row with a Fourthwall side already has it (prefixed again if need be)."""
    while key in taken:
        key = SHIPBOB_KEY_PREFIX + key
    taken.add(key)
    return key


def _only_shipbob(key: str | None, levels: Sequence[StockLevel]) -> Row:
    served = levels[0].available if len(levels) == 1 else None
    return Row(
        key=key,
        status=Status.ONLY_SHIPBOB,
        shipbob=tuple(levels),
        shipbob_fulfillable=served if isinstance(served, int) else None,
    )


def reconcile_levels(  # noqa: PLR0912 (one pass over both sides; splitting it hides the order)
    fourthwall_levels: Iterable[StockLevel],
    shipbob_levels: Iterable[StockLevel],
    *,
    shipbob_catalog: Iterable[CatalogItem] | None = None,
    mapping: MappingLike | None = None,
    buffer: int = 0,
) -> Reconciliation:
    """Match the two sides by normalized SKU (the `mapping` overriding it) and classify every SKU.

    `shipbob_catalog` (ShipBob product variants) tells which items are bundles and what they are made of;
    without it no row is a `BUNDLE`. `buffer` (>= 0) is held back from Fourthwall: the target Fourthwall
    quantity is `max(fulfillable - buffer, 0)`. Every level lands in exactly one row, and every row key is unique
    (see `Row.key`). A mapping target that is the inventory id of one of several ShipBob items sharing a SKU joins
    that item alone; the other items of the SKU stay together (with the Fourthwall SKU that matches them, if any).

    Example::

        report = reconcile_levels(fw.stock(), sb.stock(), shipbob_catalog=sb.catalog(), mapping={"A": "B"})
    """
    if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 0:
        raise InvalidArgumentError(
            f"reconcile: buffer must be a whole number >= 0, got {buffer!r}", ids={"buffer": buffer}
        )
    entries = load_mapping(mapping)
    fw_groups, fw_loose = _group(fourthwall_levels)
    sb_groups, sb_loose = _group(shipbob_levels)
    bundles = _Bundles(list(shipbob_catalog or ()), sb_groups)
    side = _ShipBobSide(sb_groups, bundles)

    unresolved: list[UnresolvedMapping] = []
    for sku, wanted in entries.items():
        if sku not in fw_groups:
            unresolved.append(UnresolvedMapping(fourthwall_sku=sku, target=wanted, reason="no_fourthwall_sku"))

    # Each Fourthwall SKU joins a ShipBob side: its mapping target's, else its own SKU's. Several on one: duplicate.
    joins: dict[_Join, list[str]] = {}
    broken: set[str] = set()
    mapped_to: dict[str, str] = {}
    for key in fw_groups:
        join: _Join = ("sku", key)
        if key in entries:
            resolved = side.resolve(entries[key])
            if resolved is None:
                unresolved.append(UnresolvedMapping(fourthwall_sku=key, target=entries[key], reason="no_shipbob_item"))
                broken.add(key)  # keeps its own SKU's ShipBob item (if any) for context: one row per SKU
            else:
                join = resolved
                mapped_to[key] = entries[key]
        joins.setdefault(join, []).append(key)
    # Items a mapping singled out by inventory id leave their SKU's group.
    claimed = {ref for kind, ref in joins if kind == "item"}
    remaining = {key: [level for level in levels if level.item_id not in claimed] for key, levels in sb_groups.items()}

    rows: list[Row] = []
    for (kind, ref), fw_keys in joins.items():
        fw = [level for key in fw_keys for level in fw_groups[key]]
        sb = [side.by_id[ref][1]] if kind == "item" else remaining.get(ref, [])
        bundle = next((b for b in map(bundles.of, sb) if b is not None), None)
        if bundle is None and kind == "sku":
            bundle = side.bundle_only.get(ref)
        if len(sb) > 1:
            bundle = None
        derived = bundles.derived(bundle) if bundle is not None else None
        status, fw_q, sb_f, target, difference = _classify(
            fw, sb, bundle=bundle, derived=derived, buffer=buffer, unresolved=fw_keys[0] in broken
        )
        rows.append(
            Row(
                key=fw_keys[0],
                status=status,
                fourthwall=tuple(fw),
                shipbob=tuple(sb),
                fourthwall_quantity=fw_q,
                shipbob_fulfillable=sb_f,
                target=target,
                difference=difference,
                mapped_to=mapped_to.get(fw_keys[0]),
                components=bundle.bundle_components if bundle is not None else (),
            )
        )
    # What no Fourthwall SKU joined: only on ShipBob, keyed by its SKU unless a Fourthwall row has that key.
    taken = set(fw_groups)
    for key, levels in remaining.items():
        if levels and ("sku", key) not in joins:
            rows.append(_only_shipbob(_free_key(key, taken), levels))
    for key, item in side.bundle_only.items():
        if ("sku", key) not in joins:
            rows.append(
                Row(
                    key=_free_key(key, taken),
                    status=Status.ONLY_SHIPBOB,
                    shipbob_fulfillable=bundles.derived(item),
                    components=item.bundle_components,
                )
            )
    rows.extend(
        Row(key=None, status=Status.ONLY_FOURTHWALL, fourthwall=(level,), fourthwall_quantity=level.available)
        for level in fw_loose
    )
    rows.extend(_only_shipbob(None, (level,)) for level in sb_loose)
    rows.sort(key=lambda row: (row.key is None, row.key or ""))
    return Reconciliation(rows=tuple(rows), buffer=buffer, unresolved_mappings=tuple(unresolved))
