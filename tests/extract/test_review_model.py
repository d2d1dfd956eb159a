"""The per-case review model: decisions become labelled examples; relabel and rerank follow them."""

from __future__ import annotations

import time

from accord.extract.review_model import Example, ReviewModel

REVIEWED = [
    Example("Iran said it would keep its centrifuges spinning at Natanz.", "IRN", "edit", "enrichment_capacity"),
    Example("Tehran insisted its centrifuges at Natanz must keep spinning.", "IRN", "accept", "enrichment_capacity"),
    Example("The weather in Vienna was mild on Tuesday.", "AUT", "reject"),
    Example("Vienna weather stayed mild on Tuesday afternoon.", "AUT", "reject"),
]


def test_edits_relabel_similar_pending_candidates_and_keep_the_old_issue_as_an_alternative():
    model = ReviewModel.fit(REVIEWED)
    offered = [{"value": "enrichment_capacity", "score": 0.4}]
    pending = [{"kind": "statement", "actor": "IRN", "issue": "sanctions_relief", "issue_alternatives": offered}]
    out = model.relabel(pending, ["Iran said its centrifuges at Natanz would keep spinning."])[0]
    assert out["issue"] == "enrichment_capacity"
    assert out["issue_alternatives"][0]["value"] == "sanctions_relief"
    assert pending[0]["issue"] == "sanctions_relief"  # the input is not changed
    # the neighbours choose among the extractor's alternatives only, never a second item on one issue
    unoffered = [{**pending[0], "issue_alternatives": []}]
    assert model.relabel(unoffered, ["Iran said its centrifuges at Natanz would keep spinning."])[0]["issue"] == "sanctions_relief"
    twice = [pending[0], {**pending[0], "issue": "enrichment_capacity", "issue_alternatives": []}]
    text = "Iran said its centrifuges at Natanz would keep spinning."
    assert [c["issue"] for c in model.relabel(twice, [text, text])] == ["sanctions_relief", "enrichment_capacity"]


def test_rejections_rank_similar_candidates_last_and_nothing_reviewed_changes_nothing():
    model = ReviewModel.fit(REVIEWED)
    cands = [{"actor": "AUT", "issue": None}, {"actor": "IRN", "issue": "enrichment_capacity"}]
    texts = ["The weather in Vienna was mild on Wednesday.", "Iran said its centrifuges at Natanz keep spinning."]
    assert model.rerank(cands, texts) == [1, 0]
    assert model.p_reject(texts[0], "AUT") == 1.0
    empty = ReviewModel.fit([])
    assert empty.relabel(cands, texts) == cands and empty.p_reject(texts[0], "AUT") is None


def test_refit_takes_well_under_a_second_for_a_thousand_decisions():
    many = [Example(f"Statement number {i} on the enrichment of uranium at Fordow.", "IRN", "accept", "fordow")
            for i in range(1000)]
    t = time.perf_counter()
    ReviewModel.fit(many)
    assert time.perf_counter() - t < 5.0  # seconds, on a loaded 2-core machine; ~0.2 s unloaded


def test_holder_edits_move_similar_candidates_the_extractor_gave_the_same_holder():
    moved = [Example("With this deal, Iran will face more inspections than any other country.", "USA", "edit",
                     "inspections", proposed="IRN"),
             Example("Iran will face inspections of its facilities under the deal, the president said.", "USA",
                     "accept", "inspections", proposed="IRN")]
    model = ReviewModel.fit(moved + REVIEWED)
    text = "Under this deal Iran will face more inspections than any country in the world."
    out = model.relabel([{"actor": "IRN", "issue": "inspections", "speaker": "zarif"}], [text])[0]
    assert out["actor"] == "USA" and out["speaker"] is None
    assert out["actor_alternatives"][0]["value"] == "IRN"
    # a candidate with another holder is not moved by corrections of IRN, nor one whose new holder
    # already holds the issue in that sentence
    assert model.relabel([{"actor": "FRA", "issue": "inspections"}], [text])[0]["actor"] == "FRA"
    both = [{"actor": "IRN", "issue": "inspections"}, {"actor": "USA", "issue": "inspections"}]
    assert [c["actor"] for c in model.relabel(both, [text, text])] == ["IRN", "USA"]


def test_the_learning_curve_scores_a_queue_by_its_average_precision():
    from accord.training.learning_curve import average_precision

    right = [True, False, True]
    assert average_precision(right, [0, 2, 1]) == 1.0  # both right ones first
    assert average_precision(right, [0, 1, 2]) == round((1 / 1 + 2 / 3) / 2, 3)
    assert average_precision(right, [1, 0, 2]) < average_precision(right, [0, 1, 2])
    assert average_precision([False, False], [0, 1]) == 0.0

