"""Ingest: read OCDS and spend ledgers (CSV, XLSX) into the canonical line table.

>>> from fairprocure.ingest import read_sources
>>> ingested = read_sources(["ledger.csv"])  # doctest: +SKIP
>>> ingested.lines, ingested.problems, ingested.stats  # doctest: +SKIP
"""

from fairprocure.ingest.mapping import Mapping, load_mapping
from fairprocure.ingest.model import Ingested, IngestError, Problem
from fairprocure.ingest.sources import read_sources

__all__ = ["IngestError", "Ingested", "Mapping", "Problem", "load_mapping", "read_sources"]
