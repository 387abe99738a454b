"""Where the bundled ontology files live, in a wheel or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["mappings_file", "ontology_dir", "ontology_files"]

#: The files that make up the bundled graph, in load order.
BUNDLED_FILES = ("pvp.ttl", "sources.ttl")


@cache
def ontology_dir() -> Path:
    """Return the directory of the bundled ontology.

    A wheel carries it as ``pvp_kg/ontology``; an editable install or a source checkout reads
    the repository's ``ontology/`` folder.

    >>> (ontology_dir() / "pvp.ttl").is_file()
    True
    """
    here = Path(__file__).resolve().parent  # the package directory (importlib.resources'
    packaged = here / "ontology"              # files("pvp_kg") for an installed package)
    if (packaged / "pvp.ttl").is_file():
        return packaged
    checkout = here.parent / "ontology"
    if (checkout / "pvp.ttl").is_file():
        return checkout
    raise FileNotFoundError(  # pragma: no cover - only a broken install gets here
        "the bundled ontology is missing: reinstall pvp_kg (expected pvp_kg/ontology/pvp.ttl)"
    )


def ontology_files() -> tuple[Path, ...]:
    """Return the paths of the bundled ontology files, in load order."""
    return tuple(ontology_dir() / name for name in BUNDLED_FILES)


def mappings_file() -> Path:
    """Return the path of the bundled SSSOM mappings file."""
    return ontology_dir() / "mappings" / "pvp.sssom.tsv"
