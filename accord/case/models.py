"""The data contracts of a case: actors, issues, sources and the evidence cut from them.

These pydantic models are the edge of accord: the case folder, the store, the CLI, the
web app and the report all read and write them. Vocabulary follows docs/design.md §2.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .limits import MAX_ID_LENGTH, value_problems

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
# An id, and a reference to one: both must fit the store's id columns (accord/case/limits.py).
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)]
Ref = Annotated[str, Field(max_length=MAX_ID_LENGTH)]

# PLOVER event/stance types (docs/design.md §2), plus the older records' FIGHT, DISAPPROVE, INVESTIGATE.
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    "FIGHT", "DISAPPROVE", "INVESTIGATE",
)
PloverType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    "FIGHT", "DISAPPROVE", "INVESTIGATE",
]

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_partial_date(value: str) -> str:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD (the precision a source gives), reject anything else."""
    value = str(value).strip()
    if not _DATE_RE.match(value):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")]
    dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return value


def _date_to_text(value: object) -> object:
    # YAML reads an unquoted 2025-09-10 as a date; the contract keeps dates as text.
    return value.isoformat() if isinstance(value, dt.date) else value


PartialDate = Annotated[str, BeforeValidator(_date_to_text), AfterValidator(check_partial_date)]


def date_floor(value: str) -> dt.date:
    """The first day a partial date can mean ("2025-08" -> 2025-08-01)."""
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def date_ceiling(value: str) -> dt.date:
    """The last day a partial date can mean ("2025-08" -> 2025-08-31)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


class _Model(BaseModel):
    # allow_inf_nan=False: inf and nan cannot be stored as JSON (accord/case/limits.py).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object, info: ValidationInfo) -> object:
        # What one store holds and the other refuses is refused for both (accord/case/limits.py).
        found = value_problems(value)
        if found:
            where, problem = found[0]
            raise ValueError(f"{where}: {problem}" if where else problem)
        # An empty text is written as an empty cell, which reads back as "not given": so it is
        # refused where a value is required and means "not given" (the default) elsewhere, and a
        # case always exports as a folder that reads back equal.
        if value == "" and info.field_name is not None:
            field = cls.model_fields[info.field_name]
            if field.is_required():
                raise ValueError("is empty: write a value (an empty cell means the field is missing)")
            return field.get_default(call_default_factory=True)
        if isinstance(value, list) and "" in value:
            return [v for v in value if v != ""]
        return value


class ActorKind(str, Enum):
    state = "state"
    bloc = "bloc"
    organisation = "organisation"
    person = "person"


class Actor(_Model):
    """A state, bloc, organisation or person. Persons speak for another actor (`speaks_for`); a
    bloc that negotiates as its members (the P5+1, "the Quartet") lists them in `members`: what
    the bloc says, each member says."""

    id: Id
    name: str
    kind: ActorKind
    aliases: list[str] = []
    speaks_for: Ref | None = None
    members: list[Ref] = []
    role: str | None = None
    capability: float | None = Field(default=None, ge=0, le=100)
    capability_reason: str | None = None

    @model_validator(mode="after")
    def _person_speaks_for(self) -> Actor:
        if self.kind is ActorKind.person and not self.speaks_for:
            raise ValueError("a person needs `speaks_for`: the actor they speak for")
        if self.members and self.kind is not ActorKind.bloc:
            raise ValueError("only a bloc has `members`")
        if self.capability is not None and not self.capability_reason:
            raise ValueError("`capability` needs `capability_reason`: one line on why")
        return self


class Issue(_Model):
    """One dimension of the negotiation on a 0–100 scale with labelled anchor points."""

    id: Id
    name: str
    description: str | None = None
    pax_code: str | None = None
    # Other words for the issue, which extraction matches besides its name (docs/case-format.md).
    keywords: list[str] = []
    scale: dict[int, str]

    @field_validator("scale")
    @classmethod
    def _anchors(cls, scale: dict[int, str]) -> dict[int, str]:
        for point in scale:
            if not 0 <= point <= 100:
                raise ValueError(f"scale anchor {point} is outside 0–100")
        for end in (0, 100):
            if end not in scale:
                raise ValueError(f"scale needs a label for {end}")
        return dict(sorted(scale.items()))


class Source(_Model):
    """A citable item. Confidential sources are shown only as their `public_label`."""

    id: Id
    outlet: str
    title: str | None = None
    author: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    language: str = "en"
    reliability: Literal["A", "B", "C", "D", "E", "F"] = "F"
    credibility: int = Field(default=6, ge=1, le=6)
    confidential: bool = False
    public_label: str | None = None
    cited_as: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _label(self) -> Source:
        if self.confidential and not self.public_label:
            raise ValueError("a confidential source needs `public_label`, e.g. 'a diplomatic source in Kyiv'")
        return self

    def display_name(self, *, public: bool) -> str:
        """How the source may be named to this audience."""
        if self.confidential and public:
            return self.public_label or "a confidential source"
        return self.outlet


# False on a record review accepted automatically (`ingest --auto-accept`): no person has confirmed it,
# so the briefing never states it as fact (docs/design.md §6). A person's accept or edit sets it True.
Reviewed = Annotated[bool, Field(description="a person confirmed this record (false: auto-accepted, unconfirmed)")]

StatementRole = Literal["ideal", "fallback", "claim"]


class Statement(_Model):
    """Who said what, for whom, on which issue, with which stance, when, and where it is written.

    `role` says what the statement tells about the actor's position: `ideal` (what they ask for),
    `fallback` (the least they would accept: a stated concession or red line), `claim` (a stance
    without a point on the scale). `reported_by` names the holder who relayed it (nested speech:
    "Zelensky revealed that Putin had made X a condition").
    """

    id: Id
    date: PartialDate
    actor: Ref
    speaker: Ref | None = None
    reported_by: Ref | None = None
    issue: Ref | None = None
    stance: PloverType
    role: StatementRole = "claim"
    position: float | None = Field(default=None, ge=0, le=100)
    red_line: bool = False
    source: Ref
    locator: str | None = None
    quote: str | None = None
    summary: str
    confidence: float = Field(default=1.0, ge=0, le=1)
    status: Literal["accepted", "pending", "rejected"] = "accepted"
    reviewed: Reviewed = True

    @model_validator(mode="after")
    def _positioned(self) -> Statement:
        if self.role in ("ideal", "fallback"):
            if self.position is None:
                raise ValueError(f"a statement with role {self.role!r} needs `position` on the issue's 0–100 scale")
            if self.issue is None:
                raise ValueError(f"a statement with role {self.role!r} needs `issue`")
        return self


class Event(_Model):
    id: Id
    date: PartialDate
    type: PloverType
    actors: list[Ref] = []
    summary: str
    source: Ref
    locator: str | None = None
    reviewed: Reviewed = True


class Figure(_Model):
    """A dated quantity. `quantity` names what is measured, e.g. `occupied_share`."""

    id: Id
    date: PartialDate
    quantity: str
    value: float
    unit: str
    note: str | None = None
    source: Ref
    locator: str | None = None
    reviewed: Reviewed = True


class Salience(_Model):
    actor: Ref
    issue: Ref
    salience: float = Field(ge=0, le=100)
    reason: str

    @model_validator(mode="after")
    def _key_fits(self) -> Salience:
        # The store keys a salience "actor:issue" in an id column (accord/store/store.py).
        if len(self.actor) + 1 + len(self.issue) > MAX_ID_LENGTH:
            raise ValueError(f"actor and issue ids together are longer than the store's {MAX_ID_LENGTH} characters")
        return self


class Outcome(_Model):
    """Where an issue was settled, on its 0–100 scale: the truth a backtest scores forecasts against."""

    issue: Ref
    date: PartialDate
    outcome: float = Field(ge=0, le=100)
    source: Ref
    locator: str | None = None
    note: str | None = None


class Contradiction(_Model):
    """Two or more pieces of evidence that cannot all be true; both are kept."""

    id: Id
    items: list[Ref] = Field(min_length=2)
    why: str


class CaseMeta(_Model):
    id: Id
    title: str
    description: str | None = None
    as_of: PartialDate | None = None
    parties: list[Ref] = Field(default_factory=list, description="the two main parties, for ZOPA and settlement")
    questions: list[str] = Field(default_factory=list, description="the key questions the briefing answers, in order: "
                                 "prospects, who wants what, concessions, biggest risk")
    stale_after_days: int = Field(default=365, ge=1, description="evidence older than this many days before the "
                                  "analysis date is stale: marked, weighed down, and its uncertainty widened")


class Case(_Model):
    meta: CaseMeta
    actors: list[Actor] = []
    issues: list[Issue] = []
    sources: list[Source] = []
    statements: list[Statement] = []
    events: list[Event] = []
    figures: list[Figure] = []
    saliences: list[Salience] = []
    contradictions: list[Contradiction] = []

    # -- lookups used everywhere downstream --
    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)

    def principal(self, actor_id: str) -> str:
        """The actor a speaker stands for (a person's `speaks_for`, followed to the top)."""
        seen = set()
        by_id = {a.id: a for a in self.actors}
        while actor_id in by_id and actor_id not in seen and (speaks_for := by_id[actor_id].speaks_for):
            seen.add(actor_id)
            actor_id = speaks_for
        return actor_id

    def members(self, actor_id: str) -> list[str]:
        """The actors a bloc's statement stands for: its `members`, or the actor itself."""
        actor = next((a for a in self.actors if a.id == actor_id), None)
        return list(actor.members) if actor is not None and actor.members else [actor_id]

    def principals(self) -> list[Actor]:
        """Actors that hold positions: everything but persons and blocs that speak as their members."""
        return [a for a in self.actors if a.kind is not ActorKind.person and not a.members]
