"""The briefing's charts, drawn once with matplotlib and kept as SVG (for HTML/PDF) and PNG (for Markdown).

SVG is inlined in the HTML so the page makes no requests and the PDF stays sharp. Labels come from
the case (actor and issue names are untrusted text): mathtext is off so a `$` cannot be parsed, and
matplotlib's SVG writer escapes text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from ..case.models import date_ceiling, date_floor

RC = {
    "text.parse_math": False, "text.usetex": False, "font.family": "DejaVu Sans", "font.size": 9,
    "svg.fonttype": "none", "svg.hashsalt": "accord",  # real text (small, selectable); stable ids
    "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100,
    "axes.titlesize": 10, "axes.titleweight": "bold",
}
BLUE, RED, GREY, INK = "#2b6cb0", "#c0392b", "#8a8a8a", "#222222"


@dataclass
class Chart:
    name: str
    alt: str
    svg: str
    png: bytes


def _render(fig, name: str, alt: str) -> Chart:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE: it is inlined in HTML
    # Inline SVGs share one id space in the page; prefix the ids so two charts never collide.
    own = set(re.findall(r'id="([^"]+)"', svg))
    svg = re.sub(r'id="([^"]+)"', rf'id="{name}-\1"', svg)
    # Only references to the chart's own ids are prefixed: links out of the chart (#contra-…) stay as they are.
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"',
                 lambda m: f'{m.group(1)}="#{name}-{m.group(2)}"' if m.group(2) in own else m.group(0), svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", svg)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]+" height="[^"]+"', r'<svg \1class="chart" role="img"', svg, count=1)
    png = io.BytesIO()
    fig.savefig(png, format="png", bbox_inches="tight", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return Chart(name, alt, svg, png.getvalue())


def _short(label: str, limit: int = 26) -> str:
    """Axis labels are kept short so long names ("European allies (EU institutions, …)") do not squeeze the plot."""
    return label if len(label) <= limit else label[: limit - 1].rstrip(" ,(") + "…"


def _mid(date: str) -> dt.date:
    """A partial date plotted at the middle of the period it can mean."""
    lo, hi = date_floor(date), date_ceiling(date)
    return lo + (hi - lo) / 2


def figure_chart(name: str, label: str, unit_label: str, rows: list[dict]) -> Chart | None:
    """One quantity of the case's figures over time (`label`, in `unit_label`).

    The line runs through the figures by date, one a date (rows with ``on_line``; where several share a
    date the briefing picks the one from the more reliable source). Figures named in a contradiction
    are drawn as open red diamonds ("disputed") linked to the contradiction (``#contra-<id>``); figures
    that lost the tie for their date are drawn as grey open circles. A figure dated only by year or
    month is plotted mid-period with a faint bar across the period it can mean.
    """
    if not rows:
        return None
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(7.2, 3.2))
        line = sorted((r for r in rows if r.get("on_line", True)), key=lambda r: _mid(r["date"]))
        off = [r for r in rows if not r.get("on_line", True)]
        for r in rows:
            lo, hi = date_floor(r["date"]), date_ceiling(r["date"])
            if hi > lo:
                ax.hlines(r["value"], lo, hi, color=GREY if not r.get("on_line", True) else BLUE,
                          lw=3, alpha=0.18, zorder=1, capstyle="butt")
        if line:
            ax.plot([_mid(r["date"]) for r in line], [r["value"] for r in line], "-", color=BLUE, lw=1.6,
                    label="reported figure (one a date)", zorder=2)
            plain = [r for r in line if not r["contradicts"]]
            if plain:
                ax.plot([_mid(r["date"]) for r in plain], [r["value"] for r in plain], "o", color=BLUE, ms=5,
                        ls="none", zorder=3)
        off_plain = [r for r in off if not r["contradicts"]]
        if off_plain:
            ax.plot([_mid(r["date"]) for r in off_plain], [r["value"] for r in off_plain], "o", color=GREY, mfc="white",
                    mew=1.4, ms=6, ls="none", label="other figure, same date", zorder=3)
        flagged = [r for r in rows if r["contradicts"]]
        if flagged:
            # A disputed figure that is not on the line is drawn fainter: it lost its date to a more reliable source.
            edge = [RED if r.get("on_line", True) else "#e3a59e" for r in flagged]
            pts = ax.scatter([_mid(r["date"]) for r in flagged], [r["value"] for r in flagged], marker="D", s=42,
                             facecolors="white", edgecolors=edge, linewidths=1.6, zorder=4,
                             label="disputed: see contradictions")
            pts.set_urls([f"#contra-{r['contradictions'][0]}" if r.get("contradictions") else None for r in flagged])
        # Value labels: above each point, below where the line rises on both sides (a trough), to the right of
        # a figure that is not on the line (it sits beside one that is).
        ys = [r["value"] for r in line]
        for r in rows:
            faint = not r.get("on_line", True)
            if faint:
                offset, ha = (9, -3), "left"
            else:
                k = line.index(r)
                nb = ys[max(0, k - 1):k] + ys[k + 1:k + 2]
                offset, ha = ((0, -14) if nb and all(v > r["value"] for v in nb) else (0, 7)), "center"
            ax.annotate(r["value_text"], (_mid(r["date"]), r["value"]), textcoords="offset points",
                        xytext=offset, ha=ha, fontsize=7.5,
                        color=(GREY if faint else RED) if r["contradicts"] else (GREY if faint else INK))
        top, bottom = max(r["value"] for r in rows), min(r["value"] for r in rows)
        ax.set_ylim(min(0.0, bottom * 1.3), top * 1.3 if top > 0 else 1.0)
        ax.set_ylabel(f"{_short(label, 40)} ({unit_label})")
        # One tick a year over a span of years; months within a year or two.
        span = max(_mid(r["date"]) for r in rows) - min(_mid(r["date"]) for r in rows)
        if span.days > 730:
            ax.xaxis.set_major_locator(mdates.YearLocator())
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        else:
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
        handles, labels = ax.get_legend_handles_labels()
        if flagged:  # the legend shows the disputed marker at full strength, whatever the first point looks like
            k = labels.index("disputed: see contradictions")
            handles[k] = Line2D([], [], marker="D", ls="none", mfc="white", mec=RED, mew=1.6, ms=6.5)
            if any(not r.get("on_line", True) for r in flagged):
                handles.append(Line2D([], [], marker="D", ls="none", mfc="white", mec="#e3a59e", mew=1.6, ms=6.5))
                labels.append("disputed, off the line (same date, less reliable source)")
        ax.legend(handles, labels, frameon=False, fontsize=7.5, loc="upper right", ncol=1)
        alt = f"{label} over time: " + "; ".join(
            f"{r['date']}: {r['value_text']}{' (disputed)' if r['contradicts'] else ''}"
            f"{' (not on the line: a more reliable figure for the same date)' if not r.get('on_line', True) else ''}"
            for r in rows)
        return _render(fig, name, alt)


def tornado_chart(rows: list[dict], limit: int = 10) -> Chart | None:
    """Risk tornado: how far each input moves the forecast, biggest at the top."""
    rows = [r for r in rows if r["effect"]][:limit]
    if not rows:
        return None
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(7.2, 0.5 + 0.3 * len(rows)))
        labels = [f"{_short(r['actor'], 22)} · {_short(r['issue'], 22)}" + (f" · {r['parameter']}" if r["parameter"] != "position" else "")
                  for r in rows]
        y = list(range(len(rows)))[::-1]
        # Each bar runs from the forecast with the input at its low value to the one at its high value,
        # relative to the central forecast; without low/high the swing is drawn centred on zero.
        spans = []
        for r in rows:
            if None not in (r.get("low"), r.get("high"), r.get("baseline")):
                spans.append((r["low"] - r["baseline"], r["high"] - r["baseline"]))
            else:
                spans.append((-r["effect"] / 2, r["effect"] / 2))
        for n, (yy, (a, b)) in enumerate(zip(y, spans)):
            c = RED if n == 0 else BLUE
            ax.barh(yy, min(a, b), color=c, height=0.62, alpha=0.55)
            ax.barh(yy, max(a, b), color=c, height=0.62)
        ax.set_yticks(y, labels)
        ax.axvline(0, color=INK, lw=0.8)
        reach = max(max(abs(a), abs(b)) for a, b in spans) or 1.0
        for yy, r, (a, b) in zip(y, rows, spans):
            ax.text(max(a, b, 0) + reach * 0.03, yy, r["effect_t"], va="center", fontsize=7.5)
        ax.set_xlim(-reach * 1.2, reach * 1.25)
        ax.set_xlabel("change of the forecast from its central value, input at low (light) and high (dark), in scale points")
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        alt = "Risks ranked by effect on the forecast: " + "; ".join(f"{label}: {r['effect_t']}" for label, r in zip(labels, rows))
        return _render(fig, "tornado", alt)


def volatility_chart(rows: list[dict], actor_order: list[str], issue_order: list[str]) -> Chart | None:
    """Heat map of the volatility index per actor and issue; the most erratic cell is outlined."""
    rows = [r for r in rows if r["index"] is not None]
    if not rows:
        return None
    actors = [a for a in actor_order if any(r["actor"] == a for r in rows)]
    actors += sorted({r["actor"] for r in rows} - set(actors))
    issues = [i for i in issue_order if any(r["issue"] == i for r in rows)]
    issues += sorted({r["issue"] for r in rows} - set(issues))
    grid = [[None] * len(issues) for _ in actors]
    names_a, names_i = {}, {}
    for r in rows:
        grid[actors.index(r["actor"])][issues.index(r["issue"])] = r["index"]
        names_a[r["actor"]], names_i[r["issue"]] = r["actor_name"], r["issue_name"]
    top = max(rows, key=lambda r: r["index"])
    vmax = max(top["index"], 1e-9)
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(7.2, 0.9 + 0.34 * len(actors)))
        data = np.ma.masked_invalid([[np.nan if v is None else v for v in row] for row in grid])
        # pcolormesh stays vector in SVG (imshow would embed a raster the PDF renderer must fetch).
        im = ax.pcolormesh(np.arange(len(issues) + 1) - 0.5, np.arange(len(actors) + 1) - 0.5, data,
                           cmap="Oranges", vmin=0, vmax=vmax, edgecolors="white", linewidth=1.0)
        ax.set_xlim(-0.5, len(issues) - 0.5)
        ax.set_ylim(len(actors) - 0.5, -0.5)
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v is not None:
                    ax.text(j, i, f"{v:.2g}" if v < 10 else f"{v:.0f}", ha="center", va="center", fontsize=7,
                            color="white" if v > 0.6 * vmax else INK)
        ti, tj = actors.index(top["actor"]), issues.index(top["issue"])
        ax.add_patch(plt.Rectangle((tj - 0.5, ti - 0.5), 1, 1, fill=False, ec=INK, lw=1.8))
        ax.set_xticks(range(len(issues)), [_short(names_i[i]) for i in issues], rotation=35, ha="right", fontsize=7.5)
        ax.set_yticks(range(len(actors)), [_short(names_a[a]) for a in actors], fontsize=7.5)
        ax.spines[:].set_visible(False)
        ax.tick_params(length=0)
        fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01).ax.tick_params(labelsize=7)
        alt = "Volatility per actor and issue; highest: " + f"{names_a[top['actor']]} on {names_i[top['issue']]} ({top['index_t']})"
        return _render(fig, "volatility", alt)


def montecarlo_chart(rows: list[dict], forecast: dict | None) -> Chart | None:
    """Outcome ranges per issue from the Monte Carlo draws, with the default model's point forecast."""
    rows = [r for r in rows if r["low"] is not None and r["high"] is not None]
    if not rows:
        return None
    point = {}
    if forecast:
        for fr in forecast["rows"]:
            try:
                point[fr["issue"]] = float(fr["vals"][0])
            except ValueError:
                pass
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(7.2, 0.6 + 0.3 * len(rows)))
        y = list(range(len(rows)))[::-1]
        for yy, r in zip(y, rows):
            ax.plot([r["low"], r["high"]], [yy, yy], color=BLUE, lw=5, alpha=0.45, solid_capstyle="butt")
            if r["median"] is not None:
                ax.plot([r["median"]], [yy], "|", color=BLUE, ms=12, mew=2)
            if r["issue"] in point:
                ax.plot([point[r["issue"]]], [yy], "o", color=RED, ms=4)
        ax.set_yticks(y, [_short(r["name"]) for r in rows])
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.grid(axis="x", color="#e5e5e5", lw=0.6)
        ax.set_xlabel("outcome on the issue's 0–100 scale (band: 5th–95th percentile; bar: median; dot: forecast)")
        alt = "Outcome ranges: " + "; ".join(f"{r['name']}: {r['low_t']}–{r['high_t']}" for r in rows)
        return _render(fig, "montecarlo", alt)
