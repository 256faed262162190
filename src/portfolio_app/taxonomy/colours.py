"""Sector colours people can tell apart: CIEDE2000 distance and a default for a new sector.

Charts and legends tell sectors apart by colour alone, so a new sector must not get a colour
close to another family's. Sub-sectors deliberately share their top-level sector's colour
(one colour per family in the charts), so only colours of different families are compared.
No dependency: the CIE formulas are short and fixed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache

from portfolio_app.taxonomy.file_format import COLOUR_PATTERN

MIN_DISTANCE = 10.0  # CIEDE2000; about 2.3 is "just noticeable", 10 is clearly different
# Candidates for a new colour: a 6-level RGB grid, kept to mid lightness (readable on white
# and behind black text), tried in a fixed order so the same file always gets the same colour.
_LEVELS = (0x00, 0x33, 0x66, 0x99, 0xCC, 0xFF)


def is_colour(text: str) -> bool:
    """Whether text is a '#rrggbb' colour (a draft may hold a half-typed one)."""
    return re.fullmatch(COLOUR_PATTERN, text) is not None


def hex_to_lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of '#rrggbb'."""
    return _lab(colour.lower())


@cache
def _lab(colour: str) -> tuple[float, float, float]:
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(colour_a: str, colour_b: str) -> float:
    """CIEDE2000 colour difference between two '#rrggbb' colours."""
    l1, a1, b1 = hex_to_lab(colour_a)
    l2, a2, b2 = hex_to_lab(colour_b)
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    dh_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, c_bar_p = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = (
        -2
        * math.sqrt(c_bar_p**7 / (c_bar_p**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh_big / s_h) ** 2 + r_t * (dc / s_c) * (dh_big / s_h)
    )


@cache
def _candidates() -> tuple[str, ...]:
    grid = [f"#{r:02x}{g:02x}{b:02x}" for r in _LEVELS for g in _LEVELS for b in _LEVELS]
    return tuple(c for c in grid if 30 <= hex_to_lab(c)[0] <= 75)


def distinct_colour(taken: Iterable[str]) -> str:
    """The candidate farthest (CIEDE2000) from every taken colour; the first one when none are.

    It is at least MIN_DISTANCE from each while the palette has room (dozens of sectors).
    """
    used = list(dict.fromkeys(c.lower() for c in taken))
    if not used:
        return _candidates()[0]
    return max(_candidates(), key=lambda c: min(distance(c, u) for u in used))


def close_pairs(
    families: Sequence[tuple[str, str, str]], minimum: float = MIN_DISTANCE
) -> list[tuple[str, str, float]]:
    """Pairs (id, id, distance) of sectors in different families whose colours are too close.

    `families` is (sector id, top-level sector id, colour) for each sector. Each pair of
    colours is reported once, at the first two sectors that have them.
    """
    first: dict[tuple[str, str], str] = {}
    for sector_id, family, colour in families:
        first.setdefault((family, colour.lower()), sector_id)
    entries = list(first.items())
    out: list[tuple[str, str, float]] = []
    for i, ((family_a, colour_a), id_a) in enumerate(entries):
        for (family_b, colour_b), id_b in entries[i + 1 :]:
            if family_a == family_b and colour_a == colour_b:
                continue
            gap = distance(colour_a, colour_b)
            if gap < minimum:
                out.append((id_a, id_b, gap))
    return out
