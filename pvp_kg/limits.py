"""Default limits, in a module of constants so that ``import pvp_kg`` reads them without
importing the SPARQL layer (:mod:`.sparql`) or the file reader (:mod:`.rdfio`)."""

from __future__ import annotations

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT"]

#: Default upper bound on the size of one file given to :func:`pvp_kg.rdfio.parse_rdf` (200 MB).
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: Default cap on the rows one query may return.
DEFAULT_MAX_ROWS = 10_000
#: Default wall-clock limit of one query, in seconds.
DEFAULT_TIMEOUT = 10.0
