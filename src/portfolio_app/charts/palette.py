"""The colours charts and the PDF share: dark text on white, one accent for headings."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.colors import Color

INK_HEX = "#1d2733"
MUTED_HEX = "#5b6675"
HEADING_HEX = "#1f3a5f"
UNKNOWN_SECTOR_HEX = "#808080"  # a sector colour that cannot be read

INK = colors.HexColor(INK_HEX)
HEADING = colors.HexColor(HEADING_HEX)
MUTED = colors.HexColor(MUTED_HEX)
RULE = colors.HexColor("#cfd6df")
TINT = colors.HexColor("#eef2f7")
WHITE = colors.white


def colour(hex_colour: str) -> Color:
    """A sector's colour, or grey if the file gave one that cannot be read."""
    try:
        return colors.HexColor(hex_colour)
    except (ValueError, TypeError):
        return colors.HexColor(UNKNOWN_SECTOR_HEX)
