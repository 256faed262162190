"""The sector taxonomy: which sectors exist, how they nest, and the names people use for them."""

from portfolio_app.taxonomy.loader import TaxonomyError, load_default_taxonomy, load_taxonomy
from portfolio_app.taxonomy.model import Sector, SectorLookupError, Taxonomy

__all__ = [
    "Sector",
    "SectorLookupError",
    "Taxonomy",
    "TaxonomyError",
    "load_default_taxonomy",
    "load_taxonomy",
]
