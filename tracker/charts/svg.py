"""Small, dependable SVG drawing: horizontal bar charts, one stacked bar, and a line chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Bootstrap's palette, which the pages already use for status badges.
COLOURS = {
    "secondary": "#6c757d",
    "primary": "#0d6efd",
    "warning": "#ffc107",
    "success": "#198754",
    "dark": "#212529",
    "danger": "#dc3545",
    "info": "#0dcaf0",
}
FONT = "font-family=\"'Liberation Serif','Noto Serif',serif\""


@dataclass(frozen=True)
class BarSeries:
    """One bar (or one segment of a stacked bar): a label, a value and a palette colour name."""

    label: str
    value: float
    colour: str = "primary"


def _colour(name: str) -> str:
    return COLOURS.get(name, name if name.startswith("#") else COLOURS["primary"])


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) and not value.is_integer() else f"{int(value)}"


def _svg(width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" {FONT} font-size="12">'
    )
    parts = [head, f"<title>{escape(title)}</title>", f"<desc>{escape(description)}</desc>", *body, "</svg>"]
    return Markup("".join(parts))  # noqa: S704 (every text piece above is escaped)


def bar_chart(
    bars: Sequence[BarSeries],
    *,
    title: str,
    width: int = 560,
    label_width: int = 200,
    bar_height: int = 20,
    gap: int = 8,
    unit: str = "",
    number: Callable[[float], str] | None = None,
) -> Markup:
    """Horizontal bars, one per row, each labelled with its name and value (``number`` writes the
    value in the reader's language, e.g. Babel's "83,5"; plain digits otherwise)."""
    number = number or _number
    top = 8
    height = top + max(len(bars), 1) * (bar_height + gap) + 8
    largest = max((b.value for b in bars), default=0) or 1
    room = width - label_width - 60
    body: list[str] = []
    for index, bar in enumerate(bars):
        y = top + index * (bar_height + gap)
        length = max(room * bar.value / largest, 0 if bar.value == 0 else 1)
        text_y = f"{y + bar_height * 0.7:.1f}"
        value = escape(number(bar.value) + unit)
        body.append(
            svg_text(bar.label, label_width - 10, f'x="{label_width - 6}" y="{text_y}" text-anchor="end"')
            + f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{_colour(bar.colour)}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{text_y}">{value}</text>'
        )
    description = "; ".join(f"{b.label}: {number(b.value)}{unit}" for b in bars)
    return _svg(width, height, title, description, body)


def stacked_bar(segments: Sequence[BarSeries], *, title: str, width: int = 560, height: int = 28) -> Markup:
    """One bar split into segments (e.g. measures by status), with a legend underneath."""
    total = sum(s.value for s in segments) or 1
    body: list[str] = []
    x = 0.0
    for segment in segments:
        length = width * segment.value / total
        if length > 0:
            body.append(
                f'<rect x="{x:.1f}" y="0" width="{length:.1f}" height="{height}" '
                f'fill="{_colour(segment.colour)}"/>'
            )
        x += length
    legend_y = height + 18
    x = 0.0
    for segment in segments:
        text = f"{segment.label}: {_number(segment.value)}"
        advance = 14 + text_width(text) + 16
        if x > 0 and x + advance - 16 > width:  # the legend wraps onto a new line
            x, legend_y = 0.0, legend_y + 18
        body.append(
            f'<rect x="{x:.1f}" y="{legend_y - 10}" width="10" height="10" fill="{_colour(segment.colour)}"/>'
            + svg_text(text, width - x - 14, f'x="{x + 14:.1f}" y="{legend_y}"')
        )
        x += advance
    description = "; ".join(f"{s.label}: {_number(s.value)}" for s in segments)
    return _svg(width, legend_y + 8, title, description, body)


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    *,
    title: str,
    width: int = 560,
    height: int = 220,
) -> Markup:
    """Lines over shared x labels (e.g. months); ``series`` holds (name, values, colour) triples."""
    tick_size = 10
    widest = max((text_width(t, tick_size) for t in labels), default=0)
    # Room for half of the first and last labels, which are centred on the plot's ends.
    left, right, top = max(36, widest / 2 + 2), max(12, widest / 2 + 2), 12
    bottom = 24 + 16 * len(series)  # tick labels, then one legend line per series
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max((v for _, values, _ in series for v in values), default=0) or 1
    step = plot_w / max(len(labels) - 1, 1)
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#adb5bd"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{escape(_number(largest))}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    every = max(1, int((widest + 6) // step) + 1) if step else 1  # skip labels rather than overprint
    for index, tick in enumerate(labels):
        if index % every:
            continue
        x = left + index * step
        body.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-size="{tick_size}">'
            f"{escape(tick)}</text>"
        )
    for position, (name, values, colour) in enumerate(series):
        points = " ".join(
            f"{left + i * step:.1f},{top + plot_h - plot_h * v / largest:.1f}" for i, v in enumerate(values)
        )
        body.append(f'<polyline points="{points}" fill="none" stroke="{_colour(colour)}" stroke-width="2"/>')
        legend_x, legend_y = left, top + plot_h + 24 + 16 * position + 10
        body.append(
            f'<rect x="{legend_x:.1f}" y="{legend_y - 9}" width="10" height="10" fill="{_colour(colour)}"/>'
            + svg_text(name, width - legend_x - 14, f'x="{legend_x + 14:.1f}" y="{legend_y}"')
        )
    description = "; ".join(
        f"{name}: " + ", ".join(f"{lab} {_number(v)}" for lab, v in zip(labels, values, strict=False))
        for name, values, _ in series
    )
    return _svg(width, height, title, description, body)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


#: Average advance of a character in em for the serif fonts we name: generous, so an estimate
#: errs on the side of shortening a label rather than letting it run past the edge.
EM_PER_CHAR = 0.56


def text_width(text: str, size: float = 12) -> float:
    """Estimated width in px of ``text`` at font ``size`` (no font metrics on the server)."""
    return len(text) * size * EM_PER_CHAR


def fit_text(text: str, room: float, size: float = 12) -> str:
    """``text`` shortened with "…" so that it fits in ``room`` px at font ``size``."""
    chars = max(int(room / (size * EM_PER_CHAR)), 1)
    return _clip(text, chars)


def svg_text(text: str, room: float, attributes: str, size: float = 12) -> str:
    """A ``<text>`` fitted to ``room`` px; when shortened, grouped with the full text as its tooltip."""
    shown = fit_text(text, room, size)
    element = f"<text {attributes}>{escape(shown)}</text>"
    return element if shown == text else f"<g><title>{escape(text)}</title>{element}</g>"
