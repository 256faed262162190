"""The taxonomy file's schema (pydantic), version 1. See docs/taxonomy-format.md."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"


class SectorEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    label: str = Field(min_length=1, max_length=200)
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)
    description: str = ""
    colour: str = Field(default="#808080", pattern=COLOUR_PATTERN)
    order: int = 0


class RetiredEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN, max_length=64)
    replaced_by: str | None = None
    since: str = ""
    note: str = ""


class TaxonomyFile(BaseModel):
    # Unknown top-level keys are allowed (and reported as warnings by the loader) so files can grow.
    model_config = ConfigDict(extra="allow")

    format_version: Literal[1]
    id: str = Field(pattern=ID_PATTERN, max_length=64)
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    publisher: str = ""
    date: str = ""
    description: str = ""
    sectors: list[SectorEntry] = Field(min_length=1)
    retired: list[RetiredEntry] = Field(default_factory=list)
    scoring: dict[str, Any] | None = None
