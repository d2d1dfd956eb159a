"""The scorer's position row: error and inversions where gold and extraction both place a holder."""

from __future__ import annotations

from accord.training.score import score


def _doc(items):
    return {"id": "d", "date": "2015-01-01", "text": "A said x. B said y.", "sentences": [[0, 9], [10, 19]],
            "items": items}


def _it(actor, issue, position, start=0):
    return {"kind": "statement", "event_type": "REQUEST", "actor": actor, "issue": issue, "position": position,
            "start": start, "end": start + 9}


def test_error_and_inversions_count_only_pairs_both_place():
    gold = [_it("A", "i", 80), _it("B", "i", 20, 10), _it("B", "j", 50, 10)]
    pred = [_it("A", "i", 70), _it("B", "i", 75, 10), _it("B", "j", None, 10)]
    r = score([_doc(gold)], lambda d: pred)["positions"]
    assert r == {"compared": 2, "mean_abs_error": 32.5, "inversions": 1}


def test_no_shared_placements_gives_none():
    r = score([_doc([_it("A", "i", None)])], lambda d: [_it("A", "i", 40)])["positions"]
    assert r == {"compared": 0, "mean_abs_error": None, "inversions": 0}


def test_a_speaker_is_scored_by_surname_whether_named_or_given_by_case_id():
    from accord.training.score import _surname

    assert _surname("Wang Yi") == _surname("wang-yi") == "yi"
    assert _surname("Iran's Foreign Minister Zarif") == _surname("zarif") == "zarif"
    assert _surname(None) is None


def test_a_bare_case_keeps_the_actors_names_and_the_issues_definitions_only():
    from accord.training.score import bare_case, definitions_case

    full = definitions_case("iran-nuclear-2015")
    bare = bare_case(full)
    assert bare.actors and all(not a.aliases and a.kind.value != "person" for a in bare.actors)
    assert [a.name for a in bare.actors] == [a.name for a in full.actors if a.kind.value != "person"]
    assert all(not i.keywords for i in bare.issues)
    assert [(i.id, i.name, i.description, i.scale) for i in bare.issues] == \
        [(i.id, i.name, i.description, i.scale) for i in full.issues]
    assert any(a.aliases for a in full.actors) and any(i.keywords for i in full.issues)  # the input is not changed
