"""The taxonomy file's schema (pydantic), format version 1. See docs/taxonomy-format.md.

The constraints are declared on the fields (not in code) so that the JSON Schema generated from
these models (resources/taxonomy/schema.json) says the same as the loader. Rules that span entries
(duplicate ids, parents, cycles, replacement chains) are in `validation.py`.
"""

from __future__ import annotations

from datetime import date as _date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

FORMAT_VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
DATE_PATTERN = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"
# Search semantics (as in JSON Schema): at least one character that is not white space.
NOT_BLANK = r"\S"
# Aliases are `;`-separated in the CSV form, so an alias cannot contain one.
ALIAS_PATTERN = r"^[^;]*[^;\s][^;]*$"
DEFAULT_COLOUR = "#808080"

SectorId = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=64)]
Alias = Annotated[str, Field(pattern=ALIAS_PATTERN, max_length=200)]


class SectorEntry(BaseModel):
    """One active sector."""

    model_config = ConfigDict(extra="forbid", title="Sector")

    id: SectorId = Field(description="Stable id; never reuse one for a different sector.")
    label: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
    parent: SectorId | None = Field(default=None, description="Id of the parent sector, or null.")
    aliases: list[Alias] = Field(
        default_factory=list, description="Other names people type for this sector."
    )
    description: str = Field(default="", max_length=2000)
    colour: str = Field(default=DEFAULT_COLOUR, pattern=COLOUR_PATTERN)
    order: Annotated[int, Strict()] = Field(
        default=0, description="Display order among siblings (smaller first)."
    )


class RetiredEntry(BaseModel):
    """A sector that is no longer used; data placed in it moves to `replaced_by`."""

    model_config = ConfigDict(extra="forbid", title="RetiredSector")

    id: SectorId
    replaced_by: SectorId | None = Field(
        default=None,
        description="The sector that takes over (following chains it must end at an active "
        "sector); null when the sector is removed without a successor.",
    )
    since: str = Field(default="", max_length=100, description="Taxonomy version it retired in.")
    note: str = Field(default="", max_length=2000)


class TaxonomyFile(BaseModel):
    """A whole taxonomy file."""

    # Unknown top-level keys are allowed (the loader warns about them) so that files can grow.
    model_config = ConfigDict(extra="allow", title="Portfolio sector taxonomy")

    format_version: Literal[1] = Field(description="The file format's version; this app reads 1.")
    id: SectorId = Field(description="The taxonomy's own id, e.g. 'northshire-ics'.")
    title: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
    version: str = Field(min_length=1, max_length=100, pattern=NOT_BLANK)
    publisher: str = Field(default="", max_length=200)
    date: str = Field(default="", pattern=DATE_PATTERN, description="Publication date, YYYY-MM-DD.")
    description: str = Field(default="", max_length=5000)
    sectors: list[SectorEntry] = Field(min_length=1)
    retired: list[RetiredEntry] = Field(default_factory=list)
    scoring: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Scoring settings (see docs/scoring.md); checked by taxonomy/scoring_rules.py, "
            "the same rules for validate and every command."
        ),
    )

    @field_validator("date")
    @classmethod
    def _a_real_date(cls, value: str) -> str:
        if value:
            try:
                _date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"date {value!r} is not a real date") from None
        return value

    @field_validator("format_version", mode="before")
    @classmethod
    def _exactly_an_integer(cls, value: object) -> object:
        # Literal[1] alone would take true and 1.0; a version is written as the number 1.
        if type(value) is not int:
            raise ValueError("format_version must be the number 1")
        return value


# Top-level keys the format knows; any other key gives a warning. `$schema` lets editors such
# as VS Code find resources/taxonomy/schema.json, so it is expected rather than warned about.
KNOWN_TOP_LEVEL_KEYS = frozenset(TaxonomyFile.model_fields) | {"$schema"}
SECTOR_KEYS = tuple(SectorEntry.model_fields)
RETIRED_KEYS = tuple(RetiredEntry.model_fields)
