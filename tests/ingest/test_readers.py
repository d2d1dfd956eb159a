"""Every reader, on well-formed and on broken input."""

from __future__ import annotations

import json

from ingest_docs import ARTICLE_A, ARTICLE_C, HTML, pdf_bytes, write_corpus

from accord.ingest.readers import (
    Problem,
    RawDocument,
    Skipped,
    iter_documents,
    parse_date,
    read_html,
    read_pdf,
    read_text,
)


def test_parse_date_is_strict():
    assert parse_date("2025-09-03") == "2025-09-03"
    assert parse_date("3 September 2025") == "2025-09-03"
    assert parse_date("September 3, 2025") == "2025-09-03"
    assert parse_date("Sept 2025") == "2025-09"
    assert parse_date("2025-08-14T09:30:00Z") == "2025-08-14"
    assert parse_date("Talks resume on 3 September 2025") is None  # a sentence, not a date line
    assert parse_date("2025-02-30") is None


def test_txt_dated_by_first_line_or_by_option(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("3 September 2025\nTitle line\n" + ARTICLE_A, encoding="utf-8")
    doc = read_text(f)
    assert doc.date == "2025-09-03" and doc.title == "Title line"
    assert doc.text.startswith("3 September 2025\n")  # offsets index the file's text as decoded
    assert read_text(f, date="2025-01").date == "2025-01"
    g = tmp_path / "b.txt"
    g.write_text(ARTICLE_A, encoding="utf-8")
    assert read_text(g).date is None


def test_html_main_text_without_boilerplate(tmp_path):
    f = tmp_path / "c.html"
    f.write_text(HTML.format(a=ARTICLE_A, c=ARTICLE_C), encoding="utf-8")
    doc = read_html(f)
    assert isinstance(doc, RawDocument)
    assert "Kyiv rejected any demand for neutrality" in doc.text and "Drones struck" in doc.text
    for junk in ("SUBSCRIBE", "cookies", "Copyright", "recipes", "Privacy"):
        assert junk not in doc.text
    assert doc.outlet == "Daily Planet" and doc.title == "Talks resume in Istanbul"
    assert doc.date == "2025-08-14"


def test_pdf_text_and_truncated_pdf(tmp_path):
    f = tmp_path / "x.pdf"
    f.write_bytes(pdf_bytes(ARTICLE_A))
    doc = read_pdf(f)
    assert isinstance(doc, RawDocument), doc
    assert "Kyiv rejected any demand" in " ".join(doc.text.split())
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(f.read_bytes()[:1500])
    prob = read_pdf(cut)
    assert isinstance(prob, Problem) and prob.path == str(cut)


def test_directory_walk_reports_every_broken_file_and_keeps_the_rest(tmp_path):
    paths = write_corpus(tmp_path / "corpus")
    items = list(iter_documents([tmp_path / "corpus"]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = {i.where: i.reason for i in items if isinstance(i, Problem)}
    assert {d.where for d in docs} == {
        str(paths["txt"]), str(paths["md"]), str(paths["html"]), str(paths["pdf"]),
        f"{paths['jsonl']}:1", f"{paths['jsonl']}:3", f"{paths['jsonl']}:5"}
    assert set(problems) == {str(paths["truncated"]), str(paths["binary"]), str(paths["empty"]),
                             str(paths["latin1"]), f"{paths['jsonl']}:2", f"{paths['jsonl']}:4"}
    assert "binary" in problems[str(paths["binary"])]
    assert "empty" in problems[str(paths["empty"])]
    assert "UTF-8" in problems[str(paths["latin1"])]
    assert "malformed JSON" in problems[f"{paths['jsonl']}:2"]
    turkish = next(d for d in docs if d.line == 5)
    assert turkish.date == "2025-08-21" and turkish.outlet == "TR daily" and turkish.language == "tr"


def test_jsonl_is_read_lazily(tmp_path):
    """A dump is streamed: the first article comes out before a later line is even valid."""
    f = tmp_path / "big.jsonl"
    with open(f, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"text": f"Article {i} about the talks in Istanbul."}) + "\n" for i in range(3))
    it = iter_documents([f])
    first = next(it)
    with open(f, "a", encoding="utf-8") as fh:  # appended after reading began: seen only if lazy
        fh.write(json.dumps({"text": "Article 3 written later."}) + "\n")
    rest = list(it)
    assert first.line == 1 and [d.line for d in rest] == [2, 3, 4]


def test_unsupported_and_missing_paths_are_reported(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    items = list(iter_documents([tmp_path / "x.docx", tmp_path / "nope.txt"]))
    assert [type(i) for i in items] == [Skipped, Problem]
    assert "unsupported" in items[0].reason and "no such" in items[1].reason
