"""Hard-wrapped text is read as prose; real line breaks end sentences (extract/layout.py)."""

from __future__ import annotations

from accord.extract import extract_document
from accord.extract.layout import unwrap, wrap_width

WRAPPED = """By A Reporter
DUBAI, July 8 Supreme Leader Ayatollah
Ali Khamenei said on Tuesday Iran would need to significantly
increase its uranium enrichment capacity, underlining a gap in
positions between Tehran and world powers as they hold talks
aimed at clinching a nuclear accord.
* Refuses to shut down the underground facility
Iran and six major powers have less than two weeks to bridge
wide differences on the future scope of the programme and
other issues if they are to meet a self-imposed deadline.
They resumed talks in Vienna last week and their negotiators
continued meetings in the Austrian capital on Tuesday.
"""


def test_unwrap_joins_wrapped_lines_and_keeps_offsets():
    out = unwrap(WRAPPED)
    assert len(out) == len(WRAPPED)
    assert "Ayatollah Ali Khamenei said" in out
    assert "significantly increase its uranium" in out
    # a byline, a bullet and the line before it keep their breaks
    assert out.startswith("By A Reporter\n")
    assert "\n* Refuses" in out


def test_paragraph_per_line_text_is_left_alone():
    text = "\n".join(["A short headline", "A paragraph of one long line " * 8, "Another line that ends here.",
                      "Final words.", "More.", "x " * 60])
    assert wrap_width(text.split("\n")) is None
    assert unwrap(text) == text


def test_a_sentence_broken_by_blank_lines_is_joined_and_paragraphs_are_not():
    text = ("Iran will continue testing IR-6 and IR-8\n\ncentrifuges, and will commence testing\n\n"
            "after eight and a half years.\n\nA new paragraph.\n\nThe powers want:\n\na rigorous verification;\n\n"
            "automatic return of sanctions.")
    out = unwrap(text)
    assert len(out) == len(text)
    assert "IR-8  centrifuges, and will commence testing  after eight" in out
    # a sentence's end, a lead-in and a list item's end keep their breaks
    assert "years.\n\nA new" in out and "want:\n\na rigorous" in out and "verification;\n\nautomatic" in out


def test_wrapped_subject_is_found_and_a_headline_is_its_own_sentence():
    items = extract_document(WRAPPED, doc_date="2014-07-08")
    lead = [i for i in items if i.kind == "statement" and i.speaker and "Khamenei" in i.speaker]
    assert lead and lead[0].actor == "IRN"
    text = "Iran rejects the text\nThe Iranian foreign ministry said the text was invalid.\n"
    spans = {(i.start, i.end) for i in extract_document(text, doc_date="2014-07-08") if i.kind in ("statement", "event")}
    assert spans == {(0, 22), (22, 78)}  # one sentence a line: no item runs over the break


def test_a_bloc_with_members_speaks_as_each_member():
    from accord.case.models import Actor, Case, CaseMeta, Issue

    case = Case(meta=CaseMeta(id="t", title="t", as_of="2015-01-01"),
                actors=[Actor(id="IRN", name="Iran", kind="state"), Actor(id="USA", name="United States", kind="state"),
                        Actor(id="RUS", name="Russia", kind="state"),
                        Actor(id="P5", name="P5+1", kind="bloc", aliases=["world powers", "P5+1"], members=["USA", "RUS"])],
                issues=[Issue(id="fordow", name="Fordow", scale={0: "open", 100: "closed"})])
    items = extract_document("The P5+1 demanded that Iran close its Fordow site.", doc_date="2015-01-01", case=case)
    actors = {i.actor for i in items if i.kind == "statement"}
    assert {"USA", "RUS"} <= actors and "P5" not in actors
    assert [a.id for a in case.principals()] == ["IRN", "USA", "RUS"]


def test_a_wrapped_block_in_a_page_of_one_paragraph_a_line_is_unwrapped_and_records_are_not():
    page = ("URL: https://example.org/a-very-long-address/of-a-page-about-the-talks-and-the-deal\n"
            "Outlet: An outlet with a name long enough to fill most of a line of text\n\n"
            + "The President spoke for a long time about the deal, and this paragraph is one line of "
              "the page, far longer than any wrapped line would be on a printed sheet.\n\n"
            + "This is the fact sheet handed out by the White House.\n\n"
            "• Iran has agreed to reduce by approximately two-thirds its installed centrifuges. Iran will\n"
            "go from having about 19,000 installed today to 6,104 installed under the deal, with only\n"
            "5,060 of these enriching uranium for 10 years. All 6,104 centrifuges will be IR-1s, Iran's\n"
            "first-generation centrifuge.\n"
            "• Iran has agreed to not enrich uranium over 3.67 percent for at least 15 years, the\n"
            "sheet says in its second point.\n")
    out = unwrap(page)
    assert len(out) == len(page)
    assert "Iran will go from having" in out and "with only 5,060" in out
    assert "\n• Iran has agreed to not" in out  # a bullet starts its own line
    assert "\nOutlet: " in out  # a record line is never a wrap


def test_a_numbered_part_of_a_text_ends_its_sentence():
    # "Annex I." is no initial: the sentence after it is one of its own, holder and all
    from accord.extract.nlp import get_nlp

    nlp = get_nlp()
    text = "Iran will keep its stockpile as specified in Annex I. Iran will abide by its commitments."
    assert [s.text for s in nlp(text).sents] == ["Iran will keep its stockpile as specified in Annex I.",
                                                 "Iran will abide by its commitments."]
    assert len(list(nlp("He met George W. Bush in Texas.").sents)) == 1


def test_a_wire_dateline_is_blanked_for_the_parser():
    from accord.extract.layout import blank_datelines

    for text, lead in [("TEHRAN (FNA)- The Iranian Foreign Ministry said no.", "The Iranian"),
                       ("MOSCOW, Aug 11 (Reuters) - Russia's foreign ministry said no.", "Russia's"),
                       ("VIENNA—Iran and six world powers reached a deal.", "Iran and")]:
        out = blank_datelines(text)
        assert len(out) == len(text) and out.lstrip().startswith(lead) and out.strip() == text[text.index(lead):]
    for text in ["IAEA-Iran roadmap signing", "US-Iran talks resumed.", "Iran — the country — said no."]:
        assert blank_datelines(text) == text
    # one dateline, at the top: a speaker's line in capitals further down is left alone
    story = "MOSCOW (Reuters) - Talks resumed.\n" + "Filler sentence here. " * 80 + "\nKERRY — We will see."
    out = blank_datelines(story)
    assert out.startswith(" " * 19 + "Talks") and out.endswith("KERRY — We will see.")
    # the lead's subject is the ministry, not the city
    items = [i for i in extract_document("TEHRAN (FNA)- The Iranian Foreign Ministry on Tuesday called invalid "
                                         "a press release by the White House.", doc_date="2013-11-26")
             if i.kind == "statement"]
    assert items and items[0].actor == "IRN"
