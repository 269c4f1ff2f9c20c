"""Charts drawn on the server as inline SVG: no script, no library, nothing fetched.

The geometry is computed here in exact decimals; templates only place the
shapes. A chart always comes with the same numbers as text (a legend, a
table), so it is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopkit.money import Money

BAR_WIDTH = Decimal(1000)  # SVG user units; the bar stretches to the page's width
EDGE = Decimal("0.01")
SHARE = Decimal("0.001")


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: where it starts and how wide it is, in SVG units."""

    key: str
    label: str
    amount: Money
    share: Decimal
    x: Decimal
    width: Decimal


def stacked_bar(parts: Sequence[tuple[str, str, Money]], whole: Money) -> list[Segment]:
    """A bar of :data:`BAR_WIDTH` split in proportion to each part's share of ``whole``.

    Parts are drawn left to right, ``(key, label, amount)``; a negative part
    counts as zero. Edges are rounded, widths are the gaps between them, so
    the segments never overlap and fill exactly the parts' total.
    """
    segments = []
    done = Decimal(0)
    left = Decimal(0)
    for key, label, amount in parts:
        shown = max(amount.amount, Decimal(0))
        done += shown
        share = shown / whole.amount if whole.amount > 0 else Decimal(0)
        right = (done / whole.amount * BAR_WIDTH).quantize(EDGE) if whole.amount > 0 else Decimal(0)
        segments.append(Segment(key, label, amount, share.quantize(SHARE), left, right - left))
        left = right
    return segments
