"""The briefing end to end on a small case: the real CLI writes all four outputs once per module."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from pypdf import PdfReader
from report_smallcase import (
    PUBLIC_LABEL,
    SCRIPT,
    SECRET_AUTHOR,
    SECRET_OUTLET,
    SECRET_TITLE,
    SECRET_URL,
    small_case,
)
from typer.testing import CliRunner

from accord.analysis import analyze_case
from accord.cli.main import app
from accord.report import build_briefing, build_report, md_escape

SECRETS = (SECRET_OUTLET, SECRET_URL, SECRET_AUTHOR, SECRET_TITLE, "hushwire")


def run_report(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)


@pytest.fixture(scope="module")
def public_out(small_case_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("public")
    run_report([str(small_case_dir), "--out", str(out), "--as-of", "2025-09-10", "--draws", "300"])
    return out


@pytest.fixture(scope="module")
def internal_out(small_case_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("internal")
    run_report([str(small_case_dir), "--out", str(out), "--audience", "internal", "--no-pdf", "--draws", "300"])
    return out


@pytest.fixture(scope="module")
def doc(public_out):
    return lxml_html.fromstring((public_out / "index.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pdf_text(public_out) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(public_out / "report.pdf").pages)


def test_cli_writes_every_output(public_out):
    for name in ("index.html", "report.pdf", "report.md", "references.json"):
        assert (public_out / name).stat().st_size > 500, name
    assert (public_out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    md = (public_out / "report.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", md)
    assert {Path(i).stem for i in images} >= {"figures-1", "tornado", "volatility", "montecarlo"}
    for img in images:
        assert (public_out / img).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_is_self_contained(public_out, doc):
    assert not doc.xpath("//script"), "the briefing needs no scripts"
    assert not doc.xpath("//link[@rel='stylesheet']")
    for el in doc.xpath("//*[@src] | //link[@href] | //image | //use"):
        for attr in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
            value = el.get(attr) or ""
            assert not re.match(r"^(https?:)?//", value), (el.tag, value)
    raw = (public_out / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", raw)
    assert not re.search(r"@import", raw)
    assert len(doc.xpath("//svg")) >= 4  # charts are inline


def _targets(doc) -> set[str]:
    return {el.get("id") for el in doc.xpath("//*[@id]")}


def test_every_answer_sentence_links_to_existing_evidence(doc):
    ids = _targets(doc)
    answers = doc.xpath("//section[@id='answers']//article")
    assert len(answers) == 4
    for article in answers:
        claims = article.xpath(".//span[@class='claim']")
        assert claims, article.text_content()
        for claim in claims:
            links = [a.get("href") for a in claim.xpath(".//sup[@class='refs']/a")]
            assert links, f"sentence without evidence: {claim.text_content()}"
            for href in links:
                assert href.startswith("#") and href[1:] in ids, href
                # the target is an appendix entry naming a statement, event or figure id
                entry = doc.get_element_by_id(href[1:])
                assert "ev" in entry.get("class").split()


def test_every_matrix_cell_links_to_existing_evidence(doc):
    ids = _targets(doc)
    cells = doc.xpath("//table[contains(@class,'wwm')]/tbody//td[not(contains(@class,'empty'))]")
    assert len(cells) >= 10
    for td in cells:
        links = [a.get("href") for a in td.xpath(".//sup[@class='refs']/a")]
        assert links, td.text_content()
        assert all(h[1:] in ids for h in links)
    # a cell says the ideal with its scale label and the fallback with its label
    ukr = doc.get_element_by_id("cell-UKR-territory").text_content()
    assert "0" in ukr and "Russian forces leave all of Ukraine" in ukr
    assert "fallback 50: freeze on the current line of contact" in " ".join(ukr.split())


def test_evidence_appendix_lists_ids_summary_quote_citation(doc):
    entry = doc.get_element_by_id("ev-s-ukr-terr-ideal").text_content()
    assert "s-ukr-terr-ideal" in entry and "Ukraine demands the withdrawal" in entry
    assert "KHAR Center" in entry


def test_quotes_are_only_the_words_in_quotation_marks(doc):
    # The source text has a dateline and the reporter's words around the quotation: only the quotation is quoted.
    entry = doc.get_element_by_id("ev-s-ukr-terr-ideal")
    assert [q.text_content() for q in entry.xpath(".//q")] == ["We will not give away even a piece of our land."]
    assert "KYIV" not in entry.text_content() and "told reporters" not in entry.text_content()
    # A reporter's narrative with no quotation marks is a paraphrase, never inside quotation marks.
    entry = doc.get_element_by_id("ev-s-rus-terr-ideal-2")
    assert not entry.xpath(".//q") and "paraphrase, not a quotation" in entry.text_content()
    words = " ".join(doc.xpath("//section[@id='parties']")[0].text_content().split())
    assert "Paraphrase: ANCHORAGE" in words
    assert "“ANCHORAGE" not in words


@pytest.mark.parametrize("text, words", [
    ("KYIV (Reuters) - Zelensky said Ukraine would never recognise the occupation.", None),
    ("Zelensky said: “We will never recognise it,” adding that talks could go on.", "We will never recognise it"),
    ("Russia's envoy called it 'a bad deal for everyone' on Monday.", "a bad deal for everyone"),
    ("He called the plan \"unacceptable\".", None),  # one scare-quoted word is not a statement
    ("«Мы не уйдём», сказал он, и «это окончательно».", "Мы не уйдём … это окончательно"),
])
def test_quoted_words(text, words):
    from accord.report.briefing import quoted_words

    assert quoted_words(text) == words


def test_confidential_source_is_only_its_label_in_public_outputs(public_out, pdf_text):
    html = (public_out / "index.html").read_text(encoding="utf-8")
    md = (public_out / "report.md").read_text(encoding="utf-8")
    refs = (public_out / "references.json").read_text(encoding="utf-8")
    for name, text in (("html", html), ("md", md), ("pdf", pdf_text), ("references", refs)):
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), (name, secret)
    for name, text in (("html", html), ("md", md), ("references", refs)):
        assert PUBLIC_LABEL in text, name
    assert PUBLIC_LABEL in " ".join(pdf_text.split())


def test_internal_audience_names_the_source(internal_out):
    html = (internal_out / "index.html").read_text(encoding="utf-8")
    assert SECRET_OUTLET in html and "INTERNAL edition" in html
    refs = json.loads((internal_out / "references.json").read_text(encoding="utf-8"))
    assert any(r.get("URL") == SECRET_URL for r in refs)
    assert not (internal_out / "report.pdf").exists()


def test_untrusted_text_is_escaped(public_out, doc):
    raw = (public_out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in raw
    assert "&lt;script&gt;" in raw
    assert SCRIPT in doc.text_content()  # shown as text, not executed
    md = (public_out / "report.md").read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered
    assert 'href="http://evil.example"' not in rendered
    assert "<strong>bold</strong>" not in rendered


def test_md_escape_neutralises_markdown():
    md = MarkdownIt("commonmark").enable("table")
    for text in ("# heading", "- item", "1. item", "*em* _em_ `code`", "[a](http://x.example)", "<b>x</b>", "a | b",
                 "&lt;script&gt;"):
        out = md.render(md_escape(text)).strip()
        assert out.startswith("<p>") and out.count("<") == 2, (text, out)
    assert md_escape("42.5 points") == "42.5 points"  # numbers inside text stay readable


def test_references_are_csl_json(public_out):
    refs = json.loads((public_out / "references.json").read_text(encoding="utf-8"))
    case = small_case()
    assert len(refs) == len(case.sources)
    assert len({r["id"] for r in refs}) == len(refs)
    by_id = {r["id"]: r for r in refs}
    for s in case.sources:
        if s.confidential:
            continue
        item = by_id[s.id]
        assert item["type"] in {"article-newspaper", "article", "interview", "webpage", "report"}
        assert item["title"] == s.title and item["container-title"] == s.outlet and item["URL"] == s.url
        parts = item["issued"]["date-parts"]
        assert isinstance(parts, list) and all(isinstance(x, int) for x in parts[0])
        assert "-".join(f"{x:02d}" if n else str(x) for n, x in enumerate(parts[0])) == s.date
    hidden = [r for r in refs if r["type"] == "personal_communication"]
    assert len(hidden) == 1 and hidden[0]["title"] == PUBLIC_LABEL
    assert set(hidden[0]) <= {"id", "type", "title", "issued", "language"}


def test_chronology_territory_and_contradictions(doc):
    chron = doc.xpath("//section[@id='chronology']//tr/td[@class='date']/text()")
    assert chron == sorted(chron) and "2025-08-15" in chron
    assert "contradicted by f-occ-2021-b" in doc.xpath("//section[@id='figures']")[0].text_content()
    contra = doc.xpath("//section[@id='contradictions']")[0].text_content()
    assert "7% and 26–27%" in contra


def test_forecast_leads_with_compromise_and_cites_deu(doc):
    fc = doc.xpath("//section[@id='forecast']")[0].text_content()
    assert "Default model: compromise" in " ".join(fc.split())
    assert "22.99" in fc and "26.83" in fc and "351" in fc


def test_the_mediator_zigzag_is_the_biggest_risk_and_most_volatile(doc):
    risk = doc.get_element_by_id("answer-risk").text_content()
    assert "United States" in risk
    assert re.search(r"on (Ceasefire|Sanctions)", risk)


def test_answers_follow_the_analysis_not_the_case_name():
    case = small_case()
    early = build_briefing(case, analyze_case(case, "2025-06-30", draws=0))
    late = build_briefing(case, analyze_case(case, "2025-09-10", draws=0))
    text = lambda b: " ".join(s.text for a in b.answers for s in a.sentences)
    assert text(early) != text(late)
    # Ukraine's territorial fallback is dated 2025-09-01: only the later briefing can cite it.
    assert "50: freeze on the current line of contact" in text(late)
    assert not re.search(r"Ukraine would move [^.]*on Territory from 0 to 50", text(early))
    assert re.search(r"Ukraine would move [^.]*on Territory from 0 to 50", text(late))


def test_missing_sections_render_as_not_computed(tmp_path):
    case = small_case()
    paths = build_report(case, None, tmp_path, pdf=False, as_of="2025-09-10")
    html = paths.html.read_text(encoding="utf-8")
    for what in ("The settlement analysis", "The outcome forecast", "The Monte Carlo run", "The risk tornado",
                 "The volatility index"):
        assert f"{what} was not computed" in html
    # positions still come from the case itself
    assert "cell-UKR-territory" in html
    bare = case.model_copy(update={"figures": [], "events": [], "statements": [], "contradictions": []})
    paths = build_report(bare, analyze_case(bare, "2025-09-10", draws=0), tmp_path / "bare", pdf=False)
    assert "No actor has a stated position" in paths.html.read_text(encoding="utf-8")
