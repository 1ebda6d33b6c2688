"""Which vendors the pipeline builds, and where each one's inputs and outputs live.

Everything about a vendor is data under ``specs/``: the vendored spec, its provenance record,
its overlay (documented facts the spec omits), its config (generator options and naming rules) and
the record of the model names assigned so far (``<vendor>.names.json``, written by ``generate``).
The registry (``VENDOR_PACKAGES``) holds the real vendors; ``adhoc`` describes any other spec (our
small test specs, a spec being tried out) with default options and no provenance record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class Vendor:
    """One vendor's inputs (under ``specs/``) and output package (under ``generated/``)."""

    name: str
    package: str
    root: Path
    # False for an ad-hoc spec: no provenance record is required and a missing config means defaults.
    registered: bool = True

    @property
    def spec(self) -> Path:
        return self.root / "specs" / f"{self.name}.yaml"

    @property
    def provenance(self) -> Path:
        return self.root / "specs" / f"{self.name}.provenance.json"

    @property
    def overlay(self) -> Path:
        return self.root / "specs" / f"{self.name}.overlay.yaml"

    @property
    def names(self) -> Path:
        """The committed record of the model names assigned so far (see ``pipeline.names``)."""
        return self.root / "specs" / f"{self.name}.names.json"

    @property
    def config(self) -> Path:
        return self.root / "specs" / f"{self.name}.config.yaml"

    def default_generator_options(self) -> dict[str, Any]:
        """Generator options for an ad-hoc spec without ``specs/<name>.config.yaml``."""
        return {
            "project_name_override": self.package.replace("_", "-"),
            "package_name_override": self.package,
            "literal_enums": False,
            "post_hooks": [],
        }

    def rel(self, path: Path) -> Path:
        """``path`` relative to the project root, for messages."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path


VENDOR_PACKAGES = {"fourthwall": "fourthwall_client", "shipbob": "shipbob_client"}


def vendors(root: Path, names: list[str] | None = None) -> list[Vendor]:
    """The vendors to build, in a fixed order; ``names`` selects a subset."""
    from pipeline.errors import PipelineError

    wanted = names or list(VENDOR_PACKAGES)
    unknown = sorted(set(wanted) - set(VENDOR_PACKAGES))
    if unknown:
        raise PipelineError(f"unknown vendor(s) {', '.join(unknown)}; known: {', '.join(VENDOR_PACKAGES)}")
    return [Vendor(name=n, package=VENDOR_PACKAGES[n], root=root) for n in VENDOR_PACKAGES if n in wanted]


def adhoc(root: Path, name: str, package: str | None = None) -> Vendor:
    """An unregistered spec at ``root/specs/<name>.yaml``, generated as ``package`` (default ``<name>_client``).

    >>> adhoc(Path("/tmp/x"), "enum_values").package
    'enum_values_client'
    """
    return Vendor(name=name, package=package or f"{name}_client", root=root, registered=False)
