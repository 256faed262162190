"""The sector taxonomy: which sectors exist, how they nest, and the names people use for them.

file_format (pydantic schema) → validation (every problem, with where) → loader (bytes, JSON) →
model (the immutable Taxonomy). sources finds the taxonomy in force; retirement plans what a new
one moves; diff, csv_io, writer and schema serve HR's tools. Nothing here touches the database.
"""

from portfolio_app.taxonomy.errors import Problem, SectorsInUseError, TaxonomyError
from portfolio_app.taxonomy.loader import (
    check_bytes,
    load_default_taxonomy,
    load_taxonomy,
    parse_taxonomy,
    taxonomy_from_document,
)
from portfolio_app.taxonomy.model import RetiredSector, Sector, SectorLookupError, Taxonomy

__all__ = [
    "Problem",
    "RetiredSector",
    "Sector",
    "SectorLookupError",
    "SectorsInUseError",
    "Taxonomy",
    "TaxonomyError",
    "check_bytes",
    "load_default_taxonomy",
    "load_taxonomy",
    "parse_taxonomy",
    "taxonomy_from_document",
]
