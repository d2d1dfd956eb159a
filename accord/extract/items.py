"""What extraction hands to the next stage: one pydantic model per kind of item.

`extract_document` returns a list of `Item` (statement, event, figure or contradiction); the
evidence store keeps each candidate's JSON as `item.model_dump()`. Offsets index into the text
as given: `text[start:end]` is the sentence (statement/event) or the figure's span.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: int
    end: int
    date: str | None = None  # YYYY[-MM[-DD]]
    confidence: float | None = None


class Alternative(BaseModel):
    """Another reading the extractor ranked below the item's own (issue or type), with its score."""

    model_config = ConfigDict(extra="forbid")

    value: str
    score: float


class _Clause(_Base):
    """A clause's reading: who (actor, speaker, reported_by), what (PLOVER type), about what
    (issue) and where on the issue's scale (position, role)."""

    event_type: str | None = None  # PLOVER type
    actor: str | None = None  # the holder (source actor)
    speaker: str | None = None  # the person who speaks for the actor (a case person id if known)
    reported_by: str | None = None  # nested speech: who reports the holder's stance
    issue: str | None = None
    position: float | None = None  # a point on the issue's scale, only where the text says it
    role: str | None = None  # ideal | fallback | claim
    sentence: list[int] = Field(default_factory=list)  # [start, end] of the sentence
    quote: str | None = None  # the sentence's text when it sits inside a quotation
    target: str | None = None  # the actor the clause is aimed at
    verb: str | None = None  # lemma of the governing predicate
    issue_alternatives: list[Alternative] = Field(default_factory=list)
    type_alternatives: list[Alternative] = Field(default_factory=list)


class Statement(_Clause):
    """A speech act or stance (PLOVER statement types)."""

    kind: Literal["statement"] = "statement"


class Event(_Clause):
    """A physical action (PLOVER event types), even when reported."""

    kind: Literal["event"] = "event"


class Figure(_Base):
    """A number with a unit and the quantity it measures, dated."""

    kind: Literal["figure"] = "figure"
    quantity: str
    value: float
    value_high: float | None = None  # the top of a range
    unit: str
    period: list[str] | None = None  # [start, end] of a stated period
    sentence: list[int] = Field(default_factory=list)


class Contradiction(_Base):
    """Two spans of the document that cannot both be right, and why."""

    kind: Literal["contradiction"] = "contradiction"
    why: str
    other_start: int | None = None
    other_end: int | None = None
    quantity: str | None = None
    speaker: str | None = None


Item = Annotated[Union[Statement, Event, Figure, Contradiction], Field(discriminator="kind")]
_ITEM = TypeAdapter(Item)
_FIELDS = {cls: set(cls.model_fields) for cls in (Statement, Event, Figure, Contradiction)}
_BY_KIND = {"statement": Statement, "event": Event, "figure": Figure, "contradiction": Contradiction}


def to_item(d: dict) -> Item:
    """A rule/learned-layer dict → its typed item. Empty keys the kind does not have are dropped
    (figures carry no holder or issue); any other unknown key is an error, not a silent loss."""
    fields = _FIELDS[_BY_KIND[d["kind"]]]
    return _ITEM.validate_python({k: v for k, v in d.items() if k in fields or v is not None})


def as_dict(item) -> dict:
    """An item as JSON-ready dict, whether it is a model or already a dict (a stand-in extractor)."""
    return item.model_dump() if isinstance(item, BaseModel) else dict(item)
