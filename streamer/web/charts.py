"""Charts as inline SVG, drawn on the server: no chart library, nothing to load, readable without script."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28
INK, GRID, FILL = "#3454d1", "#e4e7ee", "rgba(52,84,209,.15)"


def _frame(title: str, body: str, y_labels: Sequence[tuple[float, str]]) -> Markup:
    grid = "".join(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        for y, label in y_labels
    )
    # Every text that reaches the SVG went through escape(); numbers are formatted here.
    return Markup(  # noqa: S704
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="system-ui, sans-serif" fill="#5b6475">'
        f"<title>{escape(title)}</title>{grid}{body}</svg>"
    )


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def _y(value: float, top: float) -> float:
    return TOP + _plot_height() * (1 - (value / top if top else 0))


def _nice_top(value: float) -> float:
    """A round axis maximum at or above `value`."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def retention_chart(curve: Sequence[float], duration: float, time_label: Callable[[float], str]) -> Markup:
    """Percent of views still watching at each point of the video; x labels are times in the video."""
    title = "Audience retention: % of views watching each moment of the video"
    if not curve:
        return _frame(title, _empty(), [])
    width = WIDTH - LEFT - RIGHT
    step = width / max(1, len(curve) - 1)
    points = " ".join(f"{LEFT + i * step:.1f},{_y(value, 100):.1f}" for i, value in enumerate(curve))
    baseline = _y(0, 100)
    area = f'<polygon fill="{FILL}" points="{LEFT},{baseline:.1f} {points} {LEFT + width:.1f},{baseline:.1f}"/>'
    line = f'<polyline fill="none" stroke="{INK}" stroke-width="2" points="{points}"/>'
    ticks = "".join(
        f'<text x="{LEFT + width * share:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
        f"{escape(time_label(duration * share))}</text>"
        for share in (0, 0.25, 0.5, 0.75, 1)
    )
    labels = [(_y(v, 100), f"{v}%") for v in (0, 25, 50, 75, 100)]
    return _frame(title, area + line + ticks, labels)


def bar_chart(
    title: str, bars: Sequence[tuple[str, float]], value_label: Callable[[float], str], *, integer: bool = False
) -> Markup:
    """One bar per (day, value); every few days get an x label. `integer`: axis ticks only at whole values."""
    top = _nice_top(max((value for _, value in bars), default=0))
    width = WIDTH - LEFT - RIGHT
    slot = width / max(1, len(bars))
    every = max(1, len(bars) // 7)
    body = []
    for index, (label, value) in enumerate(bars):
        x, y = LEFT + index * slot, _y(value, top)
        tip = escape(f"{label}: {value_label(value)}")
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}"'
            f' height="{_y(0, top) - y:.1f}" fill="{INK}"><title>{tip}</title></rect>'
        )
        if index % every == 0:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{escape(label[5:])}</text>'
            )
    ticks = [top * share for share in (0, 0.5, 1) if not integer or (top * share).is_integer()]
    labels = [(_y(tick, top), value_label(tick)) for tick in ticks]
    return _frame(title, "".join(body) or _empty(), labels)


def _empty() -> str:
    return f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">No views in this period yet</text>'
