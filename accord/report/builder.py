"""Write the briefing: index.html (self-contained), report.pdf, report.md (+ chart PNGs), references.json.

All four come from one `Briefing` (accord.report.briefing), so they carry the same content. HTML is
rendered by Jinja2 with autoescape on; the Markdown template escapes every value it prints
(`finalize`), so untrusted case text cannot inject markup in either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..analysis.contracts import Analysis
from ..case.models import Case
from ..ledger import TrackRecord
from . import charts as ch
from .briefing import Briefing, build_briefing, colour
from .citations import Citer

TEMPLATES = Path(__file__).with_name("templates")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class ReportPaths:
    html: Path
    pdf: Path | None
    markdown: Path
    references: Path
    charts: tuple[Path, ...]


# ---------------------------------------------------------------- Markdown escaping

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")


def md_escape(value) -> str:
    """Make untrusted text literal in CommonMark/GFM: no emphasis, links, HTML, table breaks or blocks."""
    if value is None:
        return ""
    if isinstance(value, Markup):  # produced by our own filters, already safe
        return str(value)
    s = " ".join(str(value).split())  # one line: user text cannot start a block of its own
    s = s.replace("&", "&amp;")
    s = _MD_INLINE.sub(r"\\\1", s)
    # Block markers only matter at the start of a line and before a space ("- x", "1. x").
    s = re.sub(r"^([-+=])(?=\s|$)", r"\\\1", s)
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", s)


def _anchor(value: str) -> Markup:
    """An evidence/reference anchor id; ids follow the case id pattern, anything else is refused."""
    if not _ID.match(str(value)):
        raise ValueError(f"unsafe anchor id {value!r}")
    return Markup(value)


def _md_refs(refs) -> Markup:
    return Markup("".join(f" [\\[{r.number}\\]](#{_anchor(r.anchor)})" for r in refs or []))


def _md_url(url: str | None) -> Markup:
    """A URL as an autolink only when it is a plain http(s) URL without characters that break out."""
    if url and re.match(r"^https?://[^\s<>\"'`]+$", url):
        return Markup(f"<{url}>")
    return Markup(md_escape(url or ""))


def _env(markdown: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
        autoescape=not markdown, trim_blocks=True, lstrip_blocks=True,
        finalize=md_escape if markdown else None, keep_trailing_newline=True,
    )
    env.filters["anchor"] = _anchor
    env.filters["mdrefs"] = _md_refs
    env.filters["mdurl"] = _md_url
    env.filters["colour"] = colour
    env.filters["safe_url"] = lambda u: u if u and re.match(r"^https?://", u) else None
    return env


# ---------------------------------------------------------------- output

def _charts(b: Briefing) -> dict[str, ch.Chart]:
    made = {
        **{g["chart"]: ch.figure_chart(g["chart"], g["label"], g["unit_label"], g["rows"])
           for g in b.figures if g["chart"]},
        "montecarlo": ch.montecarlo_chart(b.montecarlo["rows"], b.forecast) if b.montecarlo else None,
        "tornado": ch.tornado_chart(b.risks["rows"]) if b.risks else None,
        "volatility": ch.volatility_chart(b.volatility["rows"], [a["id"] for a in b.matrix["actors"]],
                                          [r["issue"] for r in b.matrix["rows"]]) if b.volatility else None,
    }
    return {k: v for k, v in made.items() if v is not None}


CHARTS = ("montecarlo", "tornado", "volatility")  # plus one "figures-N" per charted group of figures


def render_html(b: Briefing, charts: dict[str, ch.Chart]) -> str:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    charts = {k: charts.get(k) for k in (*CHARTS, *charts)}  # every name defined: a chart not drawn is None
    svgs = {k: Markup(c.svg) if c else None for k, c in charts.items()}  # matplotlib output, text escaped by it
    return _env(False).get_template("report.html.j2").render(b=b, css=Markup(css), charts=charts, svgs=svgs)


def render_markdown(b: Briefing, charts: dict[str, ch.Chart], chart_dir: str = "charts") -> str:
    charts = {k: charts.get(k) for k in (*CHARTS, *charts)}
    files = {k: Markup(f"{chart_dir}/{k}.png") for k in charts}
    return _env(True).get_template("report.md.j2").render(b=b, charts=charts, files=files)


def write_pdf(html: str, path: Path) -> None:
    import weasyprint  # imported here: it loads pango, which only the PDF needs

    # A fetcher that serves only inline data (the heat map's raster inside its SVG) and refuses
    # everything else: the briefing must never reach the network or the file system.
    def no_fetch(url, *args, **kwargs):
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"the briefing makes no external requests ({url[:40]})")

    weasyprint.HTML(string=html, url_fetcher=no_fetch).write_pdf(path)


def build_report(case: Case, analysis: Analysis | None, out_dir, *, audience: str = "public",
                 default_model: str | None = None, pdf: bool = True, as_of: str | None = None,
                 track_record: TrackRecord | None = None) -> ReportPaths:
    """Write the briefing for `audience` ("public" hides confidential sources) into `out_dir`.

    Without an analysis the briefing shows the case's positions as of `as_of` and says the rest was not computed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    b = build_briefing(case, analysis, audience=audience, default_model=default_model, as_of=as_of,
                       track_record=track_record)
    charts = _charts(b)
    chart_dir = out / "charts"
    chart_paths = []
    if charts:
        chart_dir.mkdir(exist_ok=True)
        for name, c in charts.items():
            p = chart_dir / f"{name}.png"
            p.write_bytes(c.png)
            chart_paths.append(p)
    html = render_html(b, charts)
    (out / "index.html").write_text(html, encoding="utf-8")
    (out / "report.md").write_text(render_markdown(b, charts), encoding="utf-8")
    refs = Citer(case, audience).csl()
    (out / "references.json").write_text(json.dumps(refs, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    pdf_path = None
    if pdf:
        pdf_path = out / "report.pdf"
        write_pdf(html, pdf_path)
    return ReportPaths(out / "index.html", pdf_path, out / "report.md", out / "references.json", tuple(chart_paths))
