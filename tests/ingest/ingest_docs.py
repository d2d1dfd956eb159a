"""Test documents written on the fly: realistic news sentences, every supported format."""

from __future__ import annotations

import io
import json
from pathlib import Path

ARTICLE_A = (
    "Kyiv rejected any demand for neutrality and said NATO membership remains its goal. "
    "Russian forces occupy about 19 percent of Ukraine's territory, officials said. "
    "Ukraine and Turkey met in Ankara to discuss a prisoner exchange on Monday. "
    "The foreign ministry added that talks in Istanbul could resume before the end of the month, "
    "although no date had been agreed and the delegations were still being formed."
)
ARTICLE_B = (
    "Peskov said Moscow would never accept Western troops in Ukraine after a ceasefire. "
    "The Kremlin spokesman told reporters that any settlement must address the root causes of the conflict. "
    "European officials meeting in Paris discussed security guarantees and the financing of reconstruction, "
    "while Washington kept its secondary tariffs under review."
)
ARTICLE_C = (
    "Drones struck energy facilities in the Kharkiv region overnight, leaving thousands without power. "
    "Regional authorities said repair crews would need several days to restore heating in the worst hit districts, "
    "and schools were moved to remote lessons until the end of the week."
)
RUSSIAN = ("Россия и Украина провели переговоры в Стамбуле. Делегации обсудили обмен пленными, "
           "гуманитарные вопросы и возможное прекращение огня на всей линии фронта.")
TURKISH = ("Türkiye Dışişleri Bakanı, Rusya ve Ukrayna heyetlerinin İstanbul'da yeniden bir araya gelmesi için "
           "çalıştıklarını ve esir takasının gelecek hafta gerçekleşebileceğini söyledi.")

HTML = """<!doctype html><html><head><title>Talks resume in Istanbul</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2025-08-14T09:30:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | SUBSCRIBE NOW FOR 1 EURO</nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<article><h1>Talks resume in Istanbul</h1><p>{a}</p><p>{c}</p></article>
<aside class="related">Related: Ten recipes for summer</aside>
<footer>Copyright 2025 Daily Planet Media Group. All rights reserved. Privacy policy.</footer></body></html>"""


def pdf_bytes(text: str) -> bytes:
    """A real one-page PDF (matplotlib's PDF backend, TrueType text so it can be extracted)."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.27, 11.69))
    FigureCanvasPdf(fig)
    words, lines, cur = text.split(), [], ""
    for w in words:  # wrap by hand: figure text does not
        if len(cur) + len(w) > 80:
            lines.append(cur)
            cur = ""
        cur = (cur + " " + w).strip()
    lines.append(cur)
    for i, ln in enumerate(lines):
        fig.text(0.05, 0.95 - i * 0.02, ln, fontsize=9)
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(buf, format="pdf", metadata={"Title": "Briefing"})
    return buf.getvalue()


def write_corpus(root: Path) -> dict[str, Path]:
    """One good document of every format, plus broken ones. Returns name → path."""
    root.mkdir(parents=True, exist_ok=True)
    p = {}
    p["txt"] = root / "a.txt"
    p["txt"].write_text("2025-08-12\nKyiv stands firm\n" + ARTICLE_A + "\n", encoding="utf-8")
    p["md"] = root / "notes" / "b.md"
    p["md"].parent.mkdir()
    p["md"].write_text("# Kremlin briefing\n\n" + ARTICLE_B + "\n", encoding="utf-8")
    p["html"] = root / "web" / "c.html"
    p["html"].parent.mkdir()
    p["html"].write_text(HTML.format(a=ARTICLE_C, c="Officials in Kyiv said talks would resume."), encoding="utf-8")
    p["pdf"] = root / "brief.pdf"
    p["pdf"].write_bytes(pdf_bytes("Moscow said it would never accept NATO troops. " + ARTICLE_C.replace("Kharkiv", "Odesa")))
    p["jsonl"] = root / "dump.jsonl"
    lines = [
        json.dumps({"text": "Ukraine said NATO membership is not negotiable. " + ARTICLE_C.replace("Kharkiv", "Sumy"),
                    "title": "Zelensky firm", "outlet": "Wire", "url": "https://example.org/1",
                    "date": "2025-08-20", "language": "en"}),
        '{"text": "this line is cut',
        json.dumps({"text": RUSSIAN, "title": "Переговоры", "outlet": "RU daily", "date": "2025-08-21"}),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": TURKISH, "outlet": "TR daily", "date": "21 August 2025", "language": "tr"}),
    ]
    p["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    p["truncated"] = root / "broken" / "cut.pdf"
    p["truncated"].parent.mkdir()
    whole = pdf_bytes(ARTICLE_B)
    p["truncated"].write_bytes(whole[: len(whole) // 2])
    p["binary"] = root / "broken" / "image.txt"
    p["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    p["empty"] = root / "broken" / "empty.md"
    p["empty"].write_text("  \n\n", encoding="utf-8")
    p["latin1"] = root / "broken" / "latin1.txt"
    p["latin1"].write_bytes("Déclaration de la présidence française sur l'Ukraine.".encode("latin-1"))
    return p
