"""The briefing on the flagship case (skips while the case is absent): rendered once per module.

The PDF is checked on the small case (test_report.py); here it is skipped to keep the suite fast."""

from __future__ import annotations

import json
import re

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from accord.case.folder import read_case
from accord.cli.main import app

_CACHE: dict = {}


def _run(flagship_dir, tmp_path_factory, as_of: str, pdf: bool):
    key = (as_of, pdf)
    if key not in _CACHE:
        out = tmp_path_factory.mktemp(f"flagship-{as_of}")
        args = ["report", str(flagship_dir), "--out", str(out), "--as-of", as_of, "--draws", "300"]
        result = CliRunner().invoke(app, args + ([] if pdf else ["--no-pdf"]))
        assert result.exit_code == 0, result.output + repr(result.exception)
        _CACHE[key] = out
    return _CACHE[key]


@pytest.fixture
def september(flagship_dir, tmp_path_factory):
    return _run(flagship_dir, tmp_path_factory, "2025-09-10", pdf=False)


@pytest.fixture
def june(flagship_dir, tmp_path_factory):
    return _run(flagship_dir, tmp_path_factory, "2025-06-30", pdf=False)


def _doc(out):
    return lxml_html.fromstring((out / "index.html").read_text(encoding="utf-8"))


def _answers(out) -> str:
    return " ".join(_doc(out).xpath("//section[@id='answers']")[0].text_content().split())


def test_flagship_outputs_and_links(september):
    doc = _doc(september)
    ids = {el.get("id") for el in doc.xpath("//*[@id]")}
    cells = doc.xpath("//table[contains(@class,'wwm')]/tbody//td[not(contains(@class,'empty'))]")
    assert len(cells) >= 30
    for td in cells + doc.xpath("//span[@class='claim']"):
        hrefs = [a.get("href") for a in td.xpath(".//sup[@class='refs']/a")]
        assert hrefs and all(h[1:] in ids for h in hrefs), td.text_content()
    for name in ("report.md", "references.json"):
        assert (september / name).stat().st_size > 1000


def test_flagship_answers_the_four_questions_from_the_analysis(flagship_dir, september):
    questions = read_case(flagship_dir).meta.questions
    text = _answers(september)
    for q in questions[:4]:
        assert " ".join(q.split()) in text
    # The territorial gap between the parties' fallbacks, worded from the data.
    assert re.search(r"Territory, the only issue on which both have stated what they would accept and the one that "
                     r"matters most to both, Ukraine’s fallback \(50: freeze on the current line of contact\) and "
                     r"Russia’s \(\d+: [^)]*\) are \d+(\.\d)? points apart", text)
    assert "compromise" in text


def test_flagship_concessions_separate_stated_from_assumed_limits(september):
    text = _answers(september)
    concessions = text[text.index("3 Who is willing"):text.index("4 What is the single")]
    # What the stated fallbacks show comes first, with who would have to move ...
    stated = re.search(r"Where both sides have stated what they would accept, on Territory, Ukraine would accept 50 "
                       r"\(freeze on the current line of contact\), Russia 70 \([^)]*\): 20 points apart; closing it "
                       r"would take Russia", concessions)
    assert stated
    # ... then the gaps where no fallback is stated, marked as an assumption and not pinned on a party.
    assumed = concessions.index("Assuming, for want of evidence")
    assert stated.start() < assumed
    assert "neither side has said what it would concede" in concessions
    assert "a further 690 points apart" in concessions
    assert "710" not in concessions and "most of it (390) by Ukraine" not in concessions
    # The least-cost arithmetic would take Ukraine past the red line it has stated on NATO.
    assert "Ukraine on NATO membership (red line at 50" in concessions
    settlement = " ".join(_doc(september).xpath("//section[@id='settlement']")[0].text_content().split())
    assert "totals 710 points: 20 between limits both parties have stated, 690 where a party has stated no " \
           "fallback" in settlement
    # Russia's move from its June demand to its August one is a concession the article reports.
    assert re.search(r"Russia has stated no fallback short of its current demands, but has softened a demand: on "
                     r"Territory from 100 \([^)]*\) in June 2025 to 70", concessions)


def test_flagship_answers_agree_with_plural_and_article_names(september):
    text = _answers(september)
    assert "European allies (EU institutions, UK, Weimar+, Coalition of the Willing) want, on the issues that matter " \
           "most to them" in text
    assert "The United States wants" in text and "the United States’ position on Ceasefire" in text
    assert not re.search(r"allies \([^)]*\) wants", text)


def test_flagship_answers_change_with_the_date(september, june):
    assert _answers(september) != _answers(june)
    # Kyiv's readiness to freeze the line is reported in September 2025, not known in June.
    assert "Ukraine’s fallback (50: freeze on the current line of contact)" not in _answers(june)


def test_flagship_us_zigzags_stand_out(september):
    doc = _doc(september)
    top = [" ".join(li.text_content().split()) for li in doc.xpath("//ol[@class='vol']/li")]
    assert top and top[0].startswith("United States on Sanctions")
    assert any(t.startswith("United States on Ceasefire") for t in top[:3])


def test_flagship_confidential_source_hidden(flagship_dir, september):
    case = read_case(flagship_dir)
    hidden = [s for s in case.sources if s.confidential]
    assert hidden
    html = (september / "index.html").read_text(encoding="utf-8")
    md = (september / "report.md").read_text(encoding="utf-8")
    refs = json.loads((september / "references.json").read_text(encoding="utf-8"))
    for s in hidden:
        for secret in (s.id, s.note, s.cited_as, s.url, s.title, s.author):
            if secret:
                for text in (html, md, json.dumps(refs, ensure_ascii=False)):
                    assert secret not in text, secret
        assert s.public_label in html and s.public_label in md
    assert all(r["type"] != "personal_communication" or set(r) <= {"id", "type", "title", "issued", "language"}
               for r in refs)


def test_flagship_figure_chart_flags_contradictions(september):
    section = _doc(september).xpath("//section[@id='figures']")[0]
    # Every kind of figure in the case gets its own heading, not only the occupied share.
    headings = [h.text_content() for h in section.xpath(".//h3")]
    assert "Occupied share (%)" in headings and "Drones launched (drones)" in headings
    assert len(headings) >= 15
    assert section.xpath(".//svg")
    assert "Disputed (see c-occupied-prewar): contradicted by" in " ".join(section.text_content().split())
    # Every figure is named in some contradiction, yet the chart draws a line through them (one a date) ...
    svg = lxml_html.tostring(section.xpath(".//svg")[0], encoding="unicode")
    assert "disputed: see contradictions" in svg and "reported figure" in svg
    # ... and each disputed marker links to its contradiction, which the page carries as an anchor.
    doc = _doc(september)
    targets = set(re.findall(r'href="#(contra-[^"]+)"', svg))
    assert "contra-c-occupied-prewar" in targets
    assert all(doc.xpath(f"//*[@id='{t}']") for t in targets)
    assert "22.99" in _doc(september).xpath("//section[@id='forecast']")[0].text_content()
