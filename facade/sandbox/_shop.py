"""The seeded shop both fake vendors serve: a creator's merch catalog, its stock at ShipBob, orders, ground truth.

``Shop.generate(seed=7, skus=40)`` is a pure function of its arguments: the same seed and size always give the same
shop (ids, names, quantities, dates), so every response the sandbox serves is byte-for-byte reproducible. ``skus`` is
the number of Fourthwall variants; ShipBob additionally holds a few items Fourthwall does not list.

What the shop holds:

- Fourthwall: offers (t-shirts and hoodies in colours and sizes, mugs, posters, sticker packs, coffee, a digital
  download, a bundle) whose variants carry a SKU and a stock that is ``LIMITED`` (``in_stock``) or ``UNLIMITED``.
- ShipBob: the same goods as products with variants; each physical variant has an inventory item stocked across
  some of four fulfillment centers, coffee is lot-tracked with expiry dates, and the bundle variant has a
  ``bundle_definition`` of component variants (its stock is derived from theirs).
- Orders on both sides over the 90 days before ``EPOCH`` (never the wall clock).
- Ground truth: ``shop.expectations(mapping=True)`` says, per SKU, which reconciliation status it was seeded with
  (``Status``), the quantities on each side and the raw SKUs as each vendor serves them. Every status is present at
  any size >= 40; so are SKUs that differ only by case or surrounding whitespace, and one pair whose SKUs differ
  entirely and are joined by ``shop.mapping`` (Fourthwall SKU -> ShipBob SKU), while another ShipBob item still
  carries that Fourthwall SKU (what the SKU matches without the mapping; a row of its own with it).
  ``Shop.generate(in_sync=True)`` is a shop with nothing to reconcile: every SKU in sync.

Compact by construction: records are slotted attrs classes holding only what differs per item; names, prices,
dimensions and JSON bodies are derived when a page is rendered. 100,000 SKUs take a few seconds and well under
200 MB (measured in tests/sandbox/test_shop.py only for sizes the suite can afford).
"""

from __future__ import annotations

import base64
import enum
import hashlib
import random
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import attrs
from attrs import field, frozen

__all__ = [
    "EPOCH",
    "FULFILLMENT_CENTERS",
    "Expectation",
    "FulfillmentCenter",
    "FwOrder",
    "FwProduct",
    "FwVariant",
    "LocationStock",
    "Lot",
    "SbItem",
    "SbOrder",
    "SbProduct",
    "SbVariant",
    "Shop",
    "Status",
    "normalize_sku",
]

#: All dates in the shop are relative to this instant, so the data never depends on when it is generated.
EPOCH = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SHOP_ID = "sh_4f1c9b2e-7d1a-4c8e-9b55-3e2a1d0c6f77"
#: How a report keys a row of ShipBob items alone whose SKU a Fourthwall row already has as its key (as
#: ``facade.reconcile`` does, upper case like the ground truth's keys; the sandbox never imports the facade).
SHIPBOB_KEY_PREFIX = "SHIPBOB:"
SHIPBOB_USER_ID = 184_213
FOURTHWALL_CHANNEL_ID = 128_943


class Status(enum.StrEnum):
    """The reconciliation statuses a SKU was seeded with (issue 15's closed set)."""

    IN_SYNC = "in_sync"
    OVERSELL = "oversell"  # Fourthwall offers more than ShipBob can ship
    LOST_SALES = "lost_sales"  # Fourthwall offers less than ShipBob can ship
    ONLY_FOURTHWALL = "only_fourthwall"
    ONLY_SHIPBOB = "only_shipbob"
    DUPLICATE_SKU = "duplicate_sku"  # the SKU appears twice on one side
    UNLIMITED = "unlimited"  # Fourthwall UNLIMITED while ShipBob has finite stock
    BUNDLE = "bundle"  # ShipBob bundle: stock derived from its components


@frozen
class FulfillmentCenter:
    """A ShipBob fulfillment center (also served as a location); the fields in table order (``FULFILLMENT_CENTERS``)."""

    id: int
    name: str
    abbreviation: str
    address1: str
    city: str
    state: str
    zip_code: str
    timezone: str
    region: str


FULFILLMENT_CENTERS: tuple[FulfillmentCenter, ...] = tuple(
    FulfillmentCenter(id_, name, abbreviation, address1, city, state, zip_code, f"{zone} Standard Time", region)
    for id_, name, abbreviation, address1, city, state, zip_code, zone, region in (
        (10, "Cicero (IL)", "CIC", "5900 W Ogden Ave", "Cicero", "IL", "60804", "Central", "Central"),
        (27, "Moreno Valley (CA)", "MOV", "17800 Perris Blvd", "Moreno Valley", "CA", "92551", "Pacific", "West"),
        (31, "Bethlehem (PA)", "BET", "3400 Commerce Center Blvd", "Bethlehem", "PA", "18015", "Eastern", "East"),
        (45, "Dallas (TX)", "DAL", "1401 Valwood Pkwy", "Carrollton", "TX", "75006", "Central", "Central"),
    )
)


@frozen(kw_only=True)
class _Kind:
    code: str
    label: str
    price: float
    weight_oz: float
    dims_in: tuple[float, float, float]
    physical: bool = True
    lot: bool = False


_KINDS: dict[str, _Kind] = {
    "tee": _Kind(code="TEE", label="Tee", price=28.0, weight_oz=6.0, dims_in=(10.0, 8.0, 1.0)),
    "hoodie": _Kind(code="HOOD", label="Hoodie", price=58.0, weight_oz=18.0, dims_in=(14.0, 11.0, 3.0)),
    "mug": _Kind(code="MUG", label="Mug", price=18.0, weight_oz=14.0, dims_in=(5.0, 4.0, 4.0)),
    "poster": _Kind(code="PST", label="Poster", price=22.0, weight_oz=5.0, dims_in=(20.0, 3.0, 3.0)),
    "sticker": _Kind(code="STK", label="Sticker Pack", price=8.0, weight_oz=1.0, dims_in=(6.0, 4.0, 0.2)),
    "coffee": _Kind(code="COF", label="Coffee Blend", price=19.0, weight_oz=12.0, dims_in=(8.0, 5.0, 3.0), lot=True),
    "digital": _Kind(
        code="DL", label="Wallpaper Pack", price=6.0, weight_oz=0.0, dims_in=(0.0, 0.0, 0.0), physical=False
    ),
    "bundle": _Kind(code="BNDL", label="Starter Bundle", price=32.0, weight_oz=7.0, dims_in=(10.0, 8.0, 1.5)),
}
_OPTIONS: dict[str, tuple[str, ...]] = {
    "mug": ("11 oz", "15 oz"),
    "poster": ("12x18", "18x24"),
    "sticker": ("5 stickers",),
    "coffee": ("Whole bean 12 oz", "Ground 12 oz"),
    "digital": ("Digital download",),
    "bundle": ("Tee + stickers",),
}
_COLOURS: tuple[tuple[str, str, str], ...] = (
    ("Black", "BLK", "#111111"),
    ("Heather Grey", "HGR", "#9E9E9E"),
    ("Navy", "NVY", "#1F2A44"),
    ("Forest Green", "FGR", "#2E5E3E"),
    ("Sand", "SND", "#D8C8A8"),
    ("White", "WHT", "#FFFFFF"),
)
_SIZES = ("S", "M", "L", "XL", "2XL")
_DESIGNS: tuple[tuple[str, str], ...] = (
    ("Night Owl", "NOWL"),
    ("Retro Wave", "RWAV"),
    ("Cosmic Cat", "CCAT"),
    ("Lo-fi Beats", "LOFI"),
    ("Pixel Fox", "PFOX"),
    ("Midnight Ramen", "RAMN"),
    ("Dragon Club", "DRGN"),
    ("Speedrun", "SPDR"),
    ("Cozy Dungeon", "CZDN"),
    ("Sunset Drive", "SUNS"),
    ("Glitch Garden", "GLGD"),
    ("Moon Moth", "MOTH"),
    ("Tiny Robot", "TROB"),
    ("Late Stream", "LTST"),
    ("Mushroom Kingdom Tour", "MUSH"),
    ("Space Snacks", "SNAX"),
)
_RANDOM_KINDS = ("tee", "hoodie", "mug", "poster", "sticker", "coffee", "digital")
_KIND_WEIGHTS = (30, 18, 15, 14, 11, 6, 6)
# Products that open every catalog, so that a shop of 40 SKUs already has every kind and every status.
_FLAGSHIP = ("tee", "hoodie", "mug", "poster", "sticker", "coffee", "digital", "bundle")
_FLAGSHIP_SHAPE = {"tee": (3, 4), "hoodie": (2, 4)}  # colours x sizes
_CUSTOMERS = (
    ("Avery Chen", "avery.chen@example.com", "412 Maple St", "Portland", "OR", "97205", "US"),
    ("Jordan Diaz", "jordan.diaz@example.com", "88 Harbor Rd", "Boston", "MA", "02110", "US"),
    ("Sam Okafor", "sam.okafor@example.net", "19 King St W", "Toronto", "ON", "M5H 1A1", "CA"),
    ("Riley Novak", "riley.novak@example.org", "703 Elm Ave", "Austin", "TX", "78701", "US"),
    ("Mika Tanaka", "mika.tanaka@example.com", "2-5 Shibuya", "Tokyo", "Tokyo", "150-0002", "JP"),
    ("Charlie Brooks", "charlie.brooks@example.com", "55 Queen St", "London", "London", "EC4R 1AP", "GB"),
    ("Noa Levi", "noa.levi@example.net", "1200 Pine St", "Seattle", "WA", "98101", "US"),
    ("Ezra Walsh", "ezra.walsh@example.org", "31 Canal St", "Chicago", "IL", "60606", "US"),
)
_FW_ORDER_STATUSES = ("CONFIRMED", "IN_PRODUCTION", "SHIPPED", "DELIVERED", "COMPLETED", "CANCELLED")
_FW_ORDER_WEIGHTS = (10, 8, 20, 30, 25, 7)
_SB_STATUS_FOR = {
    "CONFIRMED": "Processing",
    "IN_PRODUCTION": "Processing",
    "SHIPPED": "Fulfilled",
    "DELIVERED": "Fulfilled",
    "COMPLETED": "Fulfilled",
    "CANCELLED": "Cancelled",
}


def _digest(*parts: object, size: int = 16) -> bytes:
    return hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=size).digest()


def _fw_id(prefix: str, *parts: object) -> str:
    """A Fourthwall-style id (``of_`` + 22 base64url characters), stable for ``parts``."""
    return prefix + "_" + base64.urlsafe_b64encode(_digest(*parts)).decode()[:22]


def _uuid(*parts: object) -> str:
    return str(uuid.UUID(bytes=_digest(*parts), version=4))


@frozen(kw_only=True, slots=True)
class FwVariant:
    """A Fourthwall offer variant. ``in_stock`` is None for ``UNLIMITED`` stock."""

    id: str
    sku: str
    name: str
    colour: int | None  # index into the colour table
    size: str | None
    in_stock: int | None


@frozen(kw_only=True, slots=True)
class FwProduct:
    """A Fourthwall offer (``GET /products`` item)."""

    index: int
    id: str
    name: str
    kind: str
    variants: tuple[FwVariant, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-").replace(".", "").replace("(", "").replace(")", "")

    @property
    def price(self) -> float:
        return _KINDS[self.kind].price

    @property
    def physical(self) -> bool:
        return _KINDS[self.kind].physical


@frozen(kw_only=True, slots=True)
class LocationStock:
    """Quantities of one inventory item (or lot) at one fulfillment center."""

    location_id: int
    on_hand: int
    committed: int
    awaiting: int
    internal_transfer: int

    @property
    def fulfillable(self) -> int:
        return self.on_hand - self.committed


@frozen(kw_only=True, slots=True)
class Lot:
    """A lot of a lot-tracked item: its number, expiry date and quantities per fulfillment center."""

    number: str
    expires: datetime
    locations: tuple[LocationStock, ...]


@frozen(kw_only=True, slots=True)
class SbItem:
    """A ShipBob inventory item; a bundle's quantities are derived from its components by ``Shop``."""

    inventory_id: int
    sku: str
    name: str
    locations: tuple[LocationStock, ...]
    lots: tuple[Lot, ...] = ()
    is_bundle: bool = False
    weight_oz: float = 0.0
    dims_in: tuple[float, float, float] = (0.0, 0.0, 0.0)
    barcode: str | None = None

    @property
    def is_lot(self) -> bool:
        return bool(self.lots)

    def total(self, what: str) -> int:
        return sum(getattr(loc, what) for loc in self.locations)


@frozen(kw_only=True, slots=True)
class SbVariant:
    """A ShipBob product variant; ``bundle`` lists (component variant id, quantity)."""

    id: int
    sku: str
    name: str
    inventory_id: int
    bundle: tuple[tuple[int, int], ...] = ()


@frozen(kw_only=True, slots=True)
class SbProduct:
    """A ShipBob product with its variants."""

    id: int
    name: str
    kind: str
    variants: tuple[SbVariant, ...]
    created_on: datetime


@frozen(kw_only=True, slots=True)
class FwLine:
    product: int  # index into Shop.fourthwall_products
    variant: int  # index into that product's variants
    quantity: int


@frozen(kw_only=True, slots=True)
class FwOrder:
    """A Fourthwall order; ``customer`` indexes the customer table."""

    index: int
    id: str
    friendly_id: str
    status: str
    customer: int
    lines: tuple[FwLine, ...]
    created_at: datetime
    updated_at: datetime


@frozen(kw_only=True, slots=True)
class SbOrder:
    """The ShipBob order that ships a Fourthwall order's physical lines (``reference_id`` = friendly id)."""

    id: int
    order_number: str
    reference_id: str
    status: str
    customer: int
    lines: tuple[tuple[str, int, float], ...]  # (ShipBob SKU, quantity, unit price)
    created_date: datetime
    updated_date: datetime


@frozen(kw_only=True, slots=True)
class Expectation:
    """Ground truth for one reconciliation row.

    ``key`` is the SKU after the documented normalization (surrounding whitespace stripped, upper case; the
    Fourthwall side's for mapped pairs). ``fourthwall_skus``/``shipbob_skus`` are the raw SKUs as each vendor
    serves them (two entries: a duplicate). ``fourthwall_quantity`` is None when unlimited or absent;
    ``shipbob_fulfillable`` is None when absent (for a bundle: derived from its components).
    ``quirk`` is ``"case"``, ``"whitespace"`` or ``"mapping"`` for the SKUs that only match after normalization
    or through ``Shop.mapping``; ``"mapped_away"`` for the ShipBob item that still carries the mapped Fourthwall
    SKU (with the mapping: only on ShipBob, keyed ``SHIPBOB_KEY_PREFIX`` + that SKU, since the Fourthwall row has
    the SKU itself). For a duplicate, the quantities are those of the SKU's first listing (Fourthwall
    listing order; ShipBob ascending inventory id).
    """

    key: str
    status: Status
    fourthwall_skus: tuple[str, ...]
    shipbob_skus: tuple[str, ...]
    fourthwall_unlimited: bool
    fourthwall_quantity: int | None
    shipbob_fulfillable: int | None
    quirk: str | None = None

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict with stable keys (``difference`` included)."""
        return {
            "key": self.key,
            "status": self.status.value,
            "fourthwall_skus": list(self.fourthwall_skus),
            "shipbob_skus": list(self.shipbob_skus),
            "fourthwall_unlimited": self.fourthwall_unlimited,
            "fourthwall_quantity": self.fourthwall_quantity,
            "shipbob_fulfillable": self.shipbob_fulfillable,
            "difference": self.difference,
            "quirk": self.quirk,
        }

    @property
    def difference(self) -> int | None:
        """Fourthwall limited quantity minus ShipBob fulfillable (positive: oversell), None if not comparable."""
        if self.fourthwall_quantity is None or self.shipbob_fulfillable is None:
            return None
        return self.fourthwall_quantity - self.shipbob_fulfillable


def normalize_sku(sku: str) -> str:
    """The normalization the ground truth assumes: surrounding whitespace stripped, case folded to upper."""
    return sku.strip().upper()


def _only_shipbob(sku: str, fulfillable: int, *, key_prefix: str = "", quirk: str | None = None) -> Expectation:
    """The ground truth of a ShipBob item no Fourthwall SKU matches."""
    return Expectation(
        key=key_prefix + normalize_sku(sku),
        status=Status.ONLY_SHIPBOB,
        fourthwall_skus=(),
        shipbob_skus=(sku,),
        fourthwall_unlimited=False,
        fourthwall_quantity=None,
        shipbob_fulfillable=fulfillable,
        quirk=quirk,
    )


@attrs.define(kw_only=True)
class _Slot:
    """Working state for one Fourthwall variant while the shop is generated."""

    product: int
    variant: int
    kind: str
    sku: str
    name: str
    colour: int | None
    size: str | None
    status: Status = Status.IN_SYNC
    quirk: str | None = None
    sb_sku: str | None = None
    sb_items: int = 1  # 0: absent at ShipBob; 2: duplicated there
    in_stock: int | None = 0
    same_as: int | None = None  # duplicate on Fourthwall: the slot whose SKU this one repeats


@frozen(kw_only=True)
class Shop:
    """The whole seeded shop; build it with ``Shop.generate``."""

    seed: int
    skus: int
    fourthwall_products: tuple[FwProduct, ...]
    shipbob_products: tuple[SbProduct, ...]
    shipbob_items: tuple[SbItem, ...]
    fourthwall_orders: tuple[FwOrder, ...]
    shipbob_orders: tuple[SbOrder, ...]
    mapping: dict[str, str]
    _expectations: tuple[Expectation, ...]
    _mapping_split: tuple[Expectation, ...]
    _items_by_id: dict[int, int] = field(init=False, factory=dict, eq=False, repr=False)
    _variants_by_id: dict[int, SbVariant] = field(init=False, factory=dict, eq=False, repr=False)
    _bundles_by_item: dict[int, SbVariant] = field(init=False, factory=dict, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._items_by_id.update({item.inventory_id: i for i, item in enumerate(self.shipbob_items)})
        self._variants_by_id.update({v.id: v for p in self.shipbob_products for v in p.variants})
        self._bundles_by_item.update({v.inventory_id: v for v in self._variants_by_id.values() if v.bundle})

    @classmethod
    def generate(cls, *, seed: int = 7, skus: int = 40, in_sync: bool = False) -> Shop:
        """The shop for ``seed`` with ``skus`` Fourthwall variants (same arguments, same shop).

        ``in_sync=True`` gives a shop whose every SKU is in sync: each Fourthwall variant offers exactly what its
        ShipBob item can ship (some only after normalization: case, surrounding blanks), with no digital goods, no
        bundle, no duplicate, no item on one side only and no mapping (for a reconciliation that finds nothing).
        """
        if skus < 1:
            raise ValueError(f"skus must be at least 1, got {skus}")
        return _Generator(seed, skus, in_sync=in_sync).build()

    # -- lookups the handlers use -------------------------------------------------------------------------------

    def shipbob_item(self, inventory_id: int) -> SbItem | None:
        index = self._items_by_id.get(inventory_id)
        return None if index is None else self.shipbob_items[index]

    def shipbob_variant(self, variant_id: int) -> SbVariant | None:
        return self._variants_by_id.get(variant_id)

    def item_locations(self, item: SbItem) -> tuple[LocationStock, ...]:
        """Per-center quantities; a bundle's are derived: how many whole bundles its components make there."""
        if not item.is_bundle:
            return item.locations
        variant = self._bundles_by_item[item.inventory_id]
        parts: list[tuple[SbItem, int]] = []
        for component_id, quantity in variant.bundle:
            component = self._variants_by_id[component_id]
            part = self.shipbob_item(component.inventory_id)
            if part is not None:
                parts.append((part, quantity))
        result = []
        for center in FULFILLMENT_CENTERS:
            counts = []
            for part, quantity in parts:
                at = next((loc for loc in part.locations if loc.location_id == center.id), None)
                counts.append(0 if at is None else at.fulfillable // quantity)
            if counts and max(counts) > 0:
                made = min(counts)
                result.append(
                    LocationStock(
                        location_id=center.id,
                        on_hand=made,
                        committed=0,
                        awaiting=0,
                        internal_transfer=0,
                    )
                )
        return tuple(result)

    def item_total(self, item: SbItem, what: str) -> int:
        return sum(getattr(loc, what) for loc in self.item_locations(item))

    # -- ground truth ------------------------------------------------------------------------------------------

    def expectations(self, *, mapping: bool = True) -> tuple[Expectation, ...]:
        """One expected reconciliation row per SKU, sorted by key.

        With ``mapping=False`` the mapped pair shows up as two rows (only on Fourthwall, only on ShipBob), as a
        reconciliation without ``Shop.mapping`` would report it.
        """
        rows = self._expectations if mapping else self._mapping_split
        return tuple(sorted(rows, key=lambda row: (row.key, row.status)))

    def statuses(self, *, mapping: bool = True) -> dict[Status, int]:
        """How many rows of each status the ground truth holds."""
        counts = dict.fromkeys(Status, 0)
        for row in self.expectations(mapping=mapping):
            counts[row.status] += 1
        return counts

    def iter_fourthwall_variants(self) -> Iterator[tuple[FwProduct, FwVariant]]:
        for product in self.fourthwall_products:
            for variant in product.variants:
                yield product, variant


class _Generator:
    """Builds a ``Shop``; every random choice comes from one ``random.Random(seed)`` in a fixed order."""

    def __init__(self, seed: int, skus: int, *, in_sync: bool = False) -> None:
        self.seed = seed
        self.skus = skus
        self.in_sync = in_sync
        # An in-sync shop sells only goods ShipBob stocks one for one (no digital download, no bundle).
        kept = [(kind, weight) for kind, weight in zip(_RANDOM_KINDS, _KIND_WEIGHTS, strict=True) if kind != "digital"]
        self.flagship = tuple(k for k in _FLAGSHIP if k not in ("digital", "bundle")) if in_sync else _FLAGSHIP
        self.kinds = tuple(kind for kind, _ in kept) if in_sync else _RANDOM_KINDS
        self.weights = tuple(weight for _, weight in kept) if in_sync else _KIND_WEIGHTS
        # Shop data, not secrets; str seeds are hashed deterministically (sha512), unlike hash().
        self.rng = random.Random(f"facade-sandbox:{seed}")  # noqa: S311

    # Step 1: the Fourthwall catalog shape (products and their variant slots).
    def _plan(self) -> tuple[list[tuple[int, str, str, str]], list[_Slot]]:
        rng = self.rng
        products: list[tuple[int, str, str, str]] = []  # (index, kind, name, sku stem)
        slots: list[_Slot] = []
        j = 0
        while len(slots) < self.skus:
            flagship = j < len(self.flagship)
            kind = self.flagship[j] if flagship else rng.choices(self.kinds, self.weights)[0]
            design, code = _DESIGNS[j % len(_DESIGNS)]
            drop = j // len(_DESIGNS) + 1
            label = _KINDS[kind].label
            name = f"{design} {label}" if drop == 1 else f"{design} {label} (Drop {drop})"
            stem = f"{code}-{_KINDS[kind].code}" if drop == 1 else f"{code}{drop}-{_KINDS[kind].code}"
            if kind == "bundle":
                name, stem = ("Starter Bundle" if drop == 1 else f"Starter Bundle (Drop {drop})"), f"BNDL-{j:04d}"
            options: list[tuple[str, str, int | None, str | None]] = []  # (name, sku suffix, colour, size)
            if kind in ("tee", "hoodie"):
                if flagship:
                    n_colours, n_sizes = _FLAGSHIP_SHAPE[kind]
                    first_size = 0
                else:
                    n_colours, n_sizes = rng.randint(1, 3), rng.randint(3, 5)
                    first_size = rng.randint(0, len(_SIZES) - n_sizes)
                colours = sorted(rng.sample(range(len(_COLOURS)), n_colours))
                for c in colours:
                    for size_name in _SIZES[first_size : first_size + n_sizes]:
                        cname, ccode, _ = _COLOURS[c]
                        options.append((f"{cname} / {size_name}", f"{ccode}-{size_name}", c, size_name))
            else:
                for option in _OPTIONS[kind]:
                    suffix = option.upper().replace(" OZ", "OZ").replace(" ", "-").replace("+", "").replace("--", "-")
                    options.append((option, suffix, None, None))
            products.append((j, kind, name, stem))
            for v, (oname, suffix, colour_index, size) in enumerate(options):
                if len(slots) == self.skus:
                    break
                slots.append(
                    _Slot(
                        product=j,
                        variant=v,
                        kind=kind,
                        sku=f"{stem}-{suffix}",
                        name=oname,
                        colour=colour_index,
                        size=size,
                    )
                )
            j += 1
        return products, slots

    # Step 2: statuses, the deliberate mismatches first, then a realistic mix.
    def _assign(self, slots: list[_Slot]) -> None:  # noqa: PLR0912, PLR0915  (one branch per seeded status)
        rng = self.rng
        plain = [i for i, s in enumerate(slots) if s.kind not in ("digital", "bundle")]
        if self.in_sync:
            self._assign_in_sync(slots, plain)
            return
        specials = ["oversell", "lost", "only_fw", "unlimited", "dup_fw", "dup_sb", "case", "whitespace", "mapping"]
        wanted = len(specials) + 1  # dup_fw takes two slots
        picked = rng.sample(plain, min(wanted, len(plain)))
        special_of: dict[int, str] = {}
        for name, index in zip(specials, picked, strict=False):
            special_of[index] = name
        if len(picked) == wanted:
            special_of[picked[-1]] = "dup_fw_copy"
            first = next(i for i, n in special_of.items() if n == "dup_fw")
            if picked[-1] < first:  # the SKU's first listing must be the one the ground truth reports
                special_of[picked[-1]], special_of[first] = "dup_fw", "dup_fw_copy"
        else:  # too few plain SKUs for a duplicate pair
            special_of = {i: n for i, n in special_of.items() if n != "dup_fw"}
        dup_first = next((i for i, n in special_of.items() if n == "dup_fw"), None)
        for i, slot in enumerate(slots):
            slot.sb_sku = slot.sku
            if slot.kind == "digital":
                slot.status, slot.sb_items = Status.ONLY_FOURTHWALL, 0
                continue
            if slot.kind == "bundle":
                slot.status = Status.BUNDLE
                continue
            special = special_of.get(i)
            if special is None:
                special = rng.choices(("in_sync", "oversell", "lost", "only_fw", "unlimited"), (72, 10, 10, 4, 4))[0]
            if special == "in_sync":
                slot.status = Status.IN_SYNC
            elif special == "oversell":
                slot.status = Status.OVERSELL
            elif special == "lost":
                slot.status = Status.LOST_SALES
            elif special == "only_fw":
                slot.status, slot.sb_items = Status.ONLY_FOURTHWALL, 0
            elif special == "unlimited":
                slot.status = Status.UNLIMITED
            elif special == "dup_fw":
                slot.status = Status.DUPLICATE_SKU
            elif special == "dup_fw_copy":
                # The same goods listed twice on Fourthwall (a re-release) under one SKU; ShipBob has one item.
                slot.status, slot.sb_items, slot.same_as = Status.DUPLICATE_SKU, 0, dup_first
                if dup_first is not None:
                    slot.sku = slots[dup_first].sku
            elif special == "dup_sb":
                slot.status, slot.sb_items = Status.DUPLICATE_SKU, 2
            elif special == "case":
                slot.status, slot.quirk, slot.sku = Status.IN_SYNC, "case", slot.sku.lower()
            elif special == "whitespace":
                slot.status, slot.quirk = Status.IN_SYNC, "whitespace"
                slot.sb_sku = slot.sku + " "  # ShipBob keeps a trailing blank typed in its dashboard
                slot.sku = "  " + slot.sku
            elif special == "mapping":
                slot.status, slot.quirk = Status.IN_SYNC, "mapping"
                slot.sb_sku = "WH-" + hashlib.sha1(slot.sku.encode(), usedforsecurity=False).hexdigest()[:8].upper()

    def _assign_in_sync(self, slots: list[_Slot], plain: list[int]) -> None:
        """Every slot in sync; two of them only after normalization (case, surrounding blanks)."""
        for slot in slots:
            slot.status, slot.sb_sku = Status.IN_SYNC, slot.sku
        for quirk, index in zip(("case", "whitespace"), self.rng.sample(plain, min(2, len(plain))), strict=False):
            slot = slots[index]
            slot.quirk = quirk
            if quirk == "case":
                slot.sku = slot.sku.lower()
            else:
                slot.sb_sku, slot.sku = slot.sku + " ", "  " + slot.sku

    def _locations(self, *, lot: bool, minimum: int = 0) -> tuple[tuple[LocationStock, ...], tuple[Lot, ...]]:
        """Quantities at 1-4 centers (at least ``minimum`` fulfillable in all), split into two lots if ``lot``."""
        rng = self.rng
        centers = sorted(rng.sample(range(len(FULFILLMENT_CENTERS)), rng.choice((1, 2, 2, 3, 3, 4))))
        locations = []
        for c in centers:
            on_hand = rng.randint(0, 140)
            committed = rng.randint(0, min(on_hand, 12))
            awaiting = rng.choice((0, 0, 0, rng.randint(10, 60)))
            transfer = rng.choice((0, 0, 0, 0, rng.randint(1, 8)))
            locations.append(
                LocationStock(
                    location_id=FULFILLMENT_CENTERS[c].id,
                    on_hand=on_hand,
                    committed=committed,
                    awaiting=awaiting,
                    internal_transfer=transfer,
                )
            )
        short = minimum - sum(loc.fulfillable for loc in locations)
        if short > 0:
            locations[0] = attrs.evolve(locations[0], on_hand=locations[0].on_hand + short)
        lots: list[Lot] = []
        if lot:
            # Two lots split each center's quantities; the older expires first.
            first: list[LocationStock] = []
            second: list[LocationStock] = []
            for loc in locations:
                oh = rng.randint(0, loc.on_hand)
                cm = min(loc.committed, oh)
                first.append(attrs.evolve(loc, on_hand=oh, committed=cm, awaiting=0, internal_transfer=0))
                second.append(attrs.evolve(loc, on_hand=loc.on_hand - oh, committed=loc.committed - cm))
            base = EPOCH + timedelta(days=rng.randint(40, 120))
            lots.append(Lot(number=f"L{rng.randint(10000, 99999)}", expires=base, locations=tuple(first)))
            lots.append(
                Lot(number=f"L{rng.randint(10000, 99999)}", expires=base + timedelta(days=90), locations=tuple(second))
            )
        return tuple(locations), tuple(lots)

    def build(self) -> Shop:  # noqa: PLR0912, PLR0915  (one pass, in a fixed order, is what keeps it deterministic)
        rng = self.rng
        seed = self.seed
        products, slots = self._plan()
        self._assign(slots)

        # Step 3: ShipBob items and the Fourthwall stock that follows from each status.
        items: list[SbItem] = []
        sb_variants: dict[int, list[SbVariant]] = {}  # by Fourthwall product index
        slot_item: dict[int, SbItem] = {}
        next_inventory = 10_200_000 + (seed % 1000) * 1000
        next_variant = 55_000_000 + (seed % 1000) * 1000

        def stock(product: int, item: SbItem, name: str, bundle: tuple[tuple[int, int], ...] = ()) -> None:
            """Add ``item`` (numbered ``next_inventory``) to ShipBob and its variant ``name`` (``next_variant``) to the
            ShipBob product of Fourthwall product ``product``; both numbers move on."""
            nonlocal next_inventory, next_variant
            items.append(item)
            sb_variants.setdefault(product, []).append(
                SbVariant(id=next_variant, sku=item.sku, name=name, inventory_id=item.inventory_id, bundle=bundle)
            )
            next_inventory += 1
            next_variant += 1

        bundle_slots: list[int] = []
        for i, slot in enumerate(slots):
            spec = _KINDS[slot.kind]
            product_name = products[slot.product][2]
            if slot.kind == "bundle":
                bundle_slots.append(i)
                continue
            if slot.sb_items == 0:
                if slot.kind != "digital":
                    slot.in_stock = rng.randint(1, 60)
                    if slot.same_as is not None:  # a re-listing sells from the same pool
                        slot.in_stock = rng.randint(0, 20)
                if slot.kind == "digital":
                    slot.in_stock = None
                continue
            locations, lots = self._locations(lot=spec.lot, minimum=2 if slot.status is Status.LOST_SALES else 0)
            assert slot.sb_sku is not None
            for copy in range(slot.sb_items):
                if copy:
                    locations, lots = self._locations(lot=spec.lot)
                item = SbItem(
                    inventory_id=next_inventory,
                    sku=slot.sb_sku,
                    name=f"{product_name} - {slot.name}" + (" (legacy)" if copy else ""),
                    locations=locations,
                    lots=lots,
                    weight_oz=spec.weight_oz,
                    dims_in=spec.dims_in,
                    barcode=f"8{int.from_bytes(_digest(seed, 'upc', next_inventory, size=6)) % 10**11:011d}",
                )
                stock(slot.product, item, slot.name)
                if not copy:
                    slot_item[i] = item
            available = sum(loc.fulfillable for loc in slot_item[i].locations)
            if slot.status is Status.OVERSELL:
                slot.in_stock = available + rng.randint(1, 25)
            elif slot.status is Status.LOST_SALES:
                slot.in_stock = rng.randint(0, available - 1)
            elif slot.status is Status.UNLIMITED:
                slot.in_stock = None
            elif slot.status is Status.DUPLICATE_SKU:
                slot.in_stock = rng.randint(0, 40)
            else:
                slot.in_stock = available

        # Bundles: a tee (or any plain item at ShipBob) plus two sticker packs (or another item).
        plain_at_sb = [
            i for i in sorted(slot_item) if slots[i].status in (Status.IN_SYNC, Status.OVERSELL, Status.LOST_SALES)
        ]
        stickers = [i for i in plain_at_sb if slots[i].kind == "sticker"]
        tees = [i for i in plain_at_sb if slots[i].kind in ("tee", "hoodie")]
        for n, i in enumerate(bundle_slots):
            slot = slots[i]
            parts: list[tuple[int, int]] = []
            main = tees[n % len(tees)] if tees else (plain_at_sb[0] if plain_at_sb else None)
            extra = stickers[n % len(stickers)] if stickers else None
            for part, quantity in ((main, 1), (extra, 2)):
                if part is not None and part not in [p for p, _ in parts]:
                    parts.append((part, quantity))
            if not parts:  # a shop too small for components: sell the bundle as a plain item
                slot.status = Status.ONLY_FOURTHWALL
                slot.sb_items = 0
                slot.in_stock = rng.randint(1, 10)
                continue
            item = SbItem(
                inventory_id=next_inventory,
                sku=slot.sku,
                name=f"{products[slot.product][2]} - {slot.name}",
                locations=(),
                is_bundle=True,
                weight_oz=_KINDS["bundle"].weight_oz,
                dims_in=_KINDS["bundle"].dims_in,
            )
            component_variants = []
            for part, quantity in parts:
                variant = next(
                    v for v in sb_variants[slots[part].product] if v.inventory_id == slot_item[part].inventory_id
                )
                component_variants.append((variant.id, quantity))
            stock(slot.product, item, slot.name, bundle=tuple(component_variants))
            slot_item[i] = item
            slot.in_stock = rng.randint(0, 30)

        # Only at ShipBob: sizes the creator stopped listing, still on the shelves.
        retired: list[SbItem] = []
        retired_skus: set[str] = set()
        apparel = sorted({s.product for s in slots if s.kind in ("tee", "hoodie")})
        for n in range(0 if self.in_sync else max(1, self.skus // 50)):
            if not apparel:
                break
            product = apparel[n % len(apparel)]
            stem = products[product][3]
            size = ("XS", "3XL", "4XL")[(n // max(1, len(apparel))) % 3]
            colour = _COLOURS[rng.randrange(len(_COLOURS))]
            locations, _ = self._locations(lot=False)
            item = SbItem(
                inventory_id=next_inventory,
                sku=f"{stem}-{colour[1]}-{size}",
                name=f"{products[product][2]} - {colour[0]} / {size}",
                locations=locations,
                weight_oz=_KINDS[products[product][1]].weight_oz,
                dims_in=_KINDS[products[product][1]].dims_in,
            )
            if item.sku in retired_skus:
                continue
            retired_skus.add(item.sku)
            retired.append(item)
            stock(product, item, f"{colour[0]} / {size}")

        # The ShipBob item still under the Fourthwall SKU of the mapped pair (its label before the warehouse SKU):
        # with the mapping it is only on ShipBob, in a row keyed apart from the Fourthwall SKU's; without it, it is
        # what that Fourthwall SKU matches. Its quantities come from a digest, so the random sequence is unchanged.
        stray: SbItem | None = None
        mapped = next((i for i, s in enumerate(slots) if s.quirk == "mapping"), None)
        if mapped is not None:
            slot = slots[mapped]
            spec = _KINDS[slot.kind]
            draw = _digest(seed, "stray", slot.sku)
            stray = SbItem(
                inventory_id=next_inventory,
                sku=slot.sku,
                name=f"{products[slot.product][2]} - {slot.name} (old label)",
                locations=(
                    LocationStock(
                        location_id=FULFILLMENT_CENTERS[draw[0] % len(FULFILLMENT_CENTERS)].id,
                        on_hand=2 + draw[1] % 30,
                        committed=draw[2] % 2,
                        awaiting=0,
                        internal_transfer=0,
                    ),
                ),
                weight_oz=spec.weight_oz,
                dims_in=spec.dims_in,
            )
            stock(slot.product, stray, f"{slot.name} (old label)")

        # Step 4: assemble both catalogs.
        fw_products: list[FwProduct] = []
        by_product: dict[int, list[_Slot]] = {}
        for slot in slots:
            by_product.setdefault(slot.product, []).append(slot)
        for j, kind, name, _stem in products:
            created = EPOCH - timedelta(days=400 - (j * 7) % 380, minutes=(j * 37) % 1440)
            updated = created + timedelta(days=(j * 11) % 30, hours=(j * 5) % 24)
            variants = tuple(
                FwVariant(
                    id=_uuid(seed, "variant", j, s.variant),
                    sku=s.sku,
                    name=s.name,
                    colour=s.colour,
                    size=s.size,
                    in_stock=s.in_stock,
                )
                for s in by_product.get(j, [])
            )
            fw_products.append(
                FwProduct(
                    index=j,
                    id=_fw_id("of", seed, "offer", j),
                    name=name,
                    kind=kind,
                    variants=variants,
                    created_at=created,
                    updated_at=updated,
                )
            )
        sb_products: list[SbProduct] = []
        for j, kind, name, _stem in products:
            if j not in sb_variants:
                continue
            sb_products.append(
                SbProduct(
                    id=310_000_000 + (seed % 1000) * 100_000 + j,
                    name=name,
                    kind=kind,
                    variants=tuple(sb_variants[j]),
                    created_on=fw_products[j].created_at + timedelta(hours=3),
                )
            )

        # The catalogs alone (what the ground truth reads item totals from); the shop returned adds the rest.
        probe = Shop(
            seed=seed,
            skus=self.skus,
            fourthwall_products=tuple(fw_products),
            shipbob_products=tuple(sb_products),
            shipbob_items=tuple(items),
            fourthwall_orders=(),
            shipbob_orders=(),
            mapping={},
            expectations=(),
            mapping_split=(),
        )

        # Step 5: ground truth.
        rows: list[Expectation] = []
        split: list[Expectation] = []
        mapping: dict[str, str] = {}
        copies_of: dict[int, list[_Slot]] = {}
        for slot in slots:
            if slot.same_as is not None:
                copies_of.setdefault(slot.same_as, []).append(slot)
        for i, slot in enumerate(slots):
            if slot.same_as is not None:
                continue  # reported on the row of the SKU it repeats
            fw_skus: tuple[str, ...] = (slot.sku,)
            fw_quantity = slot.in_stock
            copies = copies_of.get(i, [])
            if copies:
                fw_skus = (slot.sku, *(s.sku for s in copies))
            sb_skus: tuple[str, ...] = ()
            fulfillable: int | None = None
            if i in slot_item:
                item = slot_item[i]
                sb_skus = (item.sku,) * slot.sb_items if not item.is_bundle else (item.sku,)
                fulfillable = probe.item_total(item, "fulfillable")
            row = Expectation(
                key=normalize_sku(slot.sku),
                status=slot.status,
                fourthwall_skus=fw_skus,
                shipbob_skus=sb_skus,
                fourthwall_unlimited=slot.in_stock is None,
                fourthwall_quantity=fw_quantity,
                shipbob_fulfillable=fulfillable,
                quirk=slot.quirk,
            )
            rows.append(row)
            if slot.quirk == "mapping":
                assert slot.sb_sku is not None and stray is not None and fw_quantity is not None
                mapping[slot.sku] = slot.sb_sku
                stray_fulfillable = stray.total("fulfillable")
                rows.append(
                    _only_shipbob(stray.sku, stray_fulfillable, key_prefix=SHIPBOB_KEY_PREFIX, quirk="mapped_away")
                )
                gap = fw_quantity - stray_fulfillable
                split.append(  # without the mapping, the Fourthwall SKU matches the item that still carries it
                    attrs.evolve(
                        row,
                        status=Status.OVERSELL if gap > 0 else Status.LOST_SALES if gap < 0 else Status.IN_SYNC,
                        shipbob_skus=(stray.sku,),
                        shipbob_fulfillable=stray_fulfillable,
                        quirk=None,
                    )
                )
                assert fulfillable is not None
                split.append(_only_shipbob(slot.sb_sku, fulfillable))
            else:
                split.append(row)
        for item in retired:
            row = _only_shipbob(item.sku, item.total("fulfillable"))
            rows.append(row)
            split.append(row)

        fw_orders, sb_orders = self._orders(fw_products, slots, slot_item)
        return attrs.evolve(
            probe,
            fourthwall_orders=fw_orders,
            shipbob_orders=sb_orders,
            mapping=mapping,
            expectations=tuple(rows),
            mapping_split=tuple(split),
        )

    def _orders(
        self, products: Sequence[FwProduct], slots: Sequence[_Slot], slot_item: dict[int, SbItem]
    ) -> tuple[tuple[FwOrder, ...], tuple[SbOrder, ...]]:
        rng = self.rng
        seed = self.seed
        count = min(max(12, self.skus // 4), 5000)
        slot_index = {(s.product, s.variant): i for i, s in enumerate(slots)}
        sellable = [(p.index, v) for p in products for v in range(len(p.variants))]
        drafts = []
        for n in range(count):
            created = EPOCH - timedelta(seconds=rng.randint(0, 90 * 86400))
            drafts.append((created, n))
        drafts.sort()
        fw_orders: list[FwOrder] = []
        sb_orders: list[SbOrder] = []
        for number, (created, n) in enumerate(drafts):
            status = rng.choices(_FW_ORDER_STATUSES, _FW_ORDER_WEIGHTS)[0]
            lines = []
            for pick in sorted(rng.sample(range(len(sellable)), min(len(sellable), rng.choice((1, 1, 1, 2, 2, 3))))):
                product, variant = sellable[pick]
                lines.append(FwLine(product=product, variant=variant, quantity=rng.choice((1, 1, 1, 2, 3))))
            updated = created + timedelta(seconds=rng.randint(60, 6 * 86400))
            updated = min(updated, EPOCH)
            customer = rng.randrange(len(_CUSTOMERS))
            friendly = f"{(0x3A7C1 + number * 7919) % 0xFFFFFF:06X}"
            order = FwOrder(
                index=number,
                id=_fw_id("ord", seed, "order", n),
                friendly_id=friendly,
                status=status,
                customer=customer,
                lines=tuple(lines),
                created_at=created,
                updated_at=updated,
            )
            fw_orders.append(order)
            shipped = []
            for line in lines:
                item = slot_item.get(slot_index[(line.product, line.variant)])
                if item is not None:
                    shipped.append((item.sku, line.quantity, products[line.product].price))
            if shipped:
                sb_orders.append(
                    SbOrder(
                        id=300_000_000 + (seed % 100) * 1_000_000 + number,
                        order_number=f"FW-{friendly}",
                        reference_id=friendly,
                        status=_SB_STATUS_FOR[status],
                        customer=customer,
                        lines=tuple(shipped),
                        created_date=created + timedelta(minutes=2),
                        updated_date=max(updated, created + timedelta(minutes=2)),
                    )
                )
        fw_orders.reverse()  # Fourthwall lists newest first
        return tuple(fw_orders), tuple(sb_orders)


def customer(index: int) -> tuple[str, str, str, str, str, str, str]:
    """(name, email, address1, city, state, zip, country) of a customer of the shop."""
    return _CUSTOMERS[index]


def colour(index: int) -> tuple[str, str, str]:
    """(name, code, swatch) of a colour."""
    return _COLOURS[index]


def kind_info(kind: str) -> tuple[float, float, tuple[float, float, float], bool]:
    """(price, weight in oz, dimensions in inches, physical) for a product kind."""
    k = _KINDS[kind]
    return k.price, k.weight_oz, k.dims_in, k.physical
