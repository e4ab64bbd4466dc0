"""Inline SVG charts rendered on the server (no JavaScript): articles per day, events per month."""

from __future__ import annotations

from html import escape

PALETTE = ("#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8d6a9f", "#c05746")


def line_chart(series: dict[str, dict[str, int]], days: list[str], *, width: int = 720, height: int = 220) -> str:
    """One polyline per outlet over `days` (YYYY-MM-DD), with a legend; empty days count 0."""
    pad_left, pad_bottom, pad_top = 36, 28, 12
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top
    peak = max([1, *(v for s in series.values() for v in s.values())])
    step = plot_w / max(1, len(days) - 1)
    legend_height = 20 * ((len(series) + 3) // 4)
    parts = [
        f'<svg class="chart" role="img" aria-label="articles per day per outlet" '
        f'viewBox="0 0 {width} {height + legend_height}" '
        f'xmlns="http://www.w3.org/2000/svg" direction="ltr">',
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 10}" y2="{pad_top + plot_h}" stroke="#999"/>',
        f'<text x="4" y="{pad_top + 10}" font-size="11">{peak}</text>',
        f'<text x="4" y="{pad_top + plot_h}" font-size="11">0</text>',
    ]
    if days:
        parts.append(f'<text x="{pad_left}" y="{height - 8}" font-size="11">{escape(days[0])}</text>')
        parts.append(f'<text x="{width - 80}" y="{height - 8}" font-size="11">{escape(days[-1])}</text>')
    for i, (name, counts) in enumerate(sorted(series.items())):
        color = PALETTE[i % len(PALETTE)]
        points = " ".join(
            f"{pad_left + j * step:.1f},{pad_top + plot_h - counts.get(day, 0) / peak * plot_h:.1f}"
            for j, day in enumerate(days)
        )
        parts.append(
            f'<polyline class="series" data-outlet="{escape(name)}" fill="none" stroke="{color}" '
            f'stroke-width="2" points="{points}"><title>{escape(name)}</title></polyline>'
        )
        lx, ly = pad_left + (i % 4) * 170, height + 8 + (i // 4) * 20
        parts.append(
            f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{color}"/>'
            f'<text x="{lx + 14}" y="{ly}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(bars: list[tuple[str, int]], *, width: int = 720, height: int = 200, label: str = "") -> str:
    """Vertical bars (label, value), value above each bar."""
    pad_bottom, pad_top = 30, 16
    plot_h = height - pad_bottom - pad_top
    peak = max([1, *(v for _, v in bars)])
    slot = (width - 20) / max(1, len(bars))
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg" direction="ltr">'
    ]
    for i, (name, value) in enumerate(bars):
        h = value / peak * plot_h
        x = 10 + i * slot
        parts.append(
            f'<rect class="bar" data-label="{escape(name)}" x="{x + slot * 0.15:.1f}" y="{pad_top + plot_h - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="#1b6ca8"><title>{escape(name)}: {value}</title></rect>'
            f'<text x="{x + slot / 2:.1f}" y="{pad_top + plot_h - h - 3:.1f}" font-size="11" '
            f'text-anchor="middle">{value}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{height - 10}" font-size="10" text-anchor="middle">{escape(name)}</text>'
        )
    if not bars:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="13">—</text>')
    parts.append("</svg>")
    return "".join(parts)
