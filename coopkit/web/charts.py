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


CHART_WIDTH = Decimal(1000)
CHART_HEIGHT = Decimal(300)
POINT = Decimal("0.1")


@dataclass(frozen=True)
class LineSeries:
    """One line of a line chart: its points as SVG ``points`` text, and where each point is."""

    key: str
    label: str
    points: str
    dots: tuple[tuple[Decimal, Decimal], ...]


@dataclass(frozen=True)
class LineChart:
    """Lines over evenly spaced periods, in a :data:`CHART_WIDTH` × :data:`CHART_HEIGHT` box.

    ``zero`` is the height of the zero line; ``top`` and ``bottom`` the values
    at the top and bottom edges (the bottom is 0 unless a value is negative).
    """

    series: tuple[LineSeries, ...]
    zero: Decimal
    top: Decimal
    bottom: Decimal


def line_chart(series: Sequence[tuple[str, str, Sequence[Decimal]]]) -> LineChart:
    """Place ``(key, label, values)`` series, all with one value per period, on a shared scale."""
    values = [v for _key, _label, vs in series for v in vs]
    top = max([*values, Decimal(0)])
    bottom = min([*values, Decimal(0)])
    span = (top - bottom) or Decimal(1)
    count = max((len(vs) for _k, _l, vs in series), default=0)
    step = CHART_WIDTH / (count - 1) if count > 1 else Decimal(0)

    def y(value: Decimal) -> Decimal:
        return (CHART_HEIGHT - (value - bottom) / span * CHART_HEIGHT).quantize(POINT)

    lines = []
    for key, label, vs in series:
        dots = tuple(
            ((step * i if count > 1 else CHART_WIDTH / 2).quantize(POINT), y(v))
            for i, v in enumerate(vs)
        )
        lines.append(LineSeries(key, label, " ".join(f"{x},{yy}" for x, yy in dots), dots))
    return LineChart(tuple(lines), y(Decimal(0)), top, bottom)
