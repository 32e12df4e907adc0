"""The problem category of a thread: which problems are worth a founder's hour.

The rule (lesson 4 of the Dewak case), applied in this order:

1. ``not_a_problem`` when P(problem) < ``problem_threshold`` (news,
   show-and-tell, chat);
2. ``unsolvable`` when the capability score < ``capability_threshold``
   (outside what the startup can do);
3. ``pervasive_solvable`` when the thread's same-problem group has at least
   ``min_affected_members`` distinct affected members (askers plus "me too")
   in at least ``min_countries`` distinct countries within the lookback
   window. Pervasiveness belongs to the problem, not to one thread: a thread
   of a pervasive group that already got its answer stays in this category
   (the queue does not ask a founder to answer it again; the report counts
   the problem);
4. ``unrewarded`` otherwise: solvable, but one-off, too local, or already
   solved (P(solved) ≥ ``solved_threshold``), so solving it brings little.

The group statistics are computed elsewhere (same-problem grouping and
geography) over the playbook's lookback window and passed in as numbers.

Probabilities are the soft version of the same rule, for ranking and for
showing the analyst the least certain threads first:
- P(not_a_problem) = 1 − p
- P(unsolvable)    = p · (1 − c)
- P(pervasive)     = p · c · v
- P(unrewarded)    = p · c · (1 − v)
where p and c are how surely P(problem) and the capability score clear
their thresholds (a logistic step of steepness 10 centred on
each threshold, so exactly at the threshold is 0.5), and v is the
pervasiveness: a logistic step at each group threshold (half-way between one
short and reaching it), the two multiplied. They sum to 1.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

PERVASIVE_SOLVABLE = "pervasive_solvable"
UNREWARDED = "unrewarded"
UNSOLVABLE = "unsolvable"
NOT_A_PROBLEM = "not_a_problem"
CATEGORIES = (PERVASIVE_SOLVABLE, UNREWARDED, UNSOLVABLE, NOT_A_PROBLEM)


class CategoryRuleError(ValueError):
    """Thresholds or inputs outside their meaning."""


@dataclass(frozen=True)
class CategoryThresholds:
    """The playbook's thresholds (names match the playbook's keys)."""

    problem_threshold: float = 0.5
    capability_threshold: float = 0.5
    min_affected_members: int = 3
    min_countries: int = 2
    lookback_days: int = 90
    solved_threshold: float = 0.5

    def __post_init__(self) -> None:
        for name in ("problem_threshold", "capability_threshold", "solved_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise CategoryRuleError(f"{name} must be between 0 and 1, got {value}")
        for name in ("min_affected_members", "min_countries", "lookback_days"):
            if getattr(self, name) < 0:
                raise CategoryRuleError(f"{name} must not be negative, got {getattr(self, name)}")

    @classmethod
    def of(cls, value) -> CategoryThresholds:
        """From itself, a mapping, or any object with some of these fields as
        attributes (the playbook's ``[categories]``)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls.from_mapping(value)
        names = cls.__dataclass_fields__
        return cls(**{n: getattr(value, n) for n in names if hasattr(value, n)})

    @classmethod
    def from_mapping(cls, values: dict) -> CategoryThresholds:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(values) - known)
        if unknown:
            raise CategoryRuleError(f"unknown threshold {unknown[0]!r}")
        return cls(**values)


@dataclass(frozen=True)
class GroupStats:
    """What the same-problem group says about pervasiveness, over the
    lookback window."""

    affected_members: int = 1
    countries: int = 0
    window_days: float | None = None


@dataclass(frozen=True)
class CategoryDecision:
    category: str
    probabilities: dict[str, float]
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return asdict(self)


def _step(value: float, threshold: float, steepness: float = 3.0) -> float:
    """≈1 at or above the threshold, ≈0 one below it, 0.5 half-way."""
    if threshold <= 0:
        return 1.0
    return 1.0 / (1.0 + math.exp(-steepness * (value - (threshold - 0.5))))


def _soft(value: float, threshold: float, steepness: float = 10.0) -> float:
    """A logistic step centred on the threshold."""
    return 1.0 / (1.0 + math.exp(-steepness * (value - threshold)))


def _probability(name: str, value: float) -> float:
    if value is None or not 0.0 <= float(value) <= 1.0 or math.isnan(float(value)):
        raise CategoryRuleError(f"{name} must be a probability in [0, 1], got {value!r}")
    return float(value)


def categorize(
    problem_probability: float,
    capability_score: float,
    solved_probability: float,
    group: GroupStats,
    thresholds=None,
) -> CategoryDecision:
    """The category of one thread by the documented rule, with a
    probability per category and the reasons in plain words."""
    t = CategoryThresholds() if thresholds is None else CategoryThresholds.of(thresholds)
    p = _probability("problem_probability", problem_probability)
    c = _probability("capability_score", capability_score)
    s = _probability("solved_probability", solved_probability)
    if group.affected_members < 0 or group.countries < 0:
        raise CategoryRuleError("group counts must not be negative")
    window = t.lookback_days if group.window_days is None else group.window_days
    v = _step(group.affected_members, t.min_affected_members) * _step(
        group.countries, t.min_countries
    )
    # Each input as "how surely it clears its threshold" (0.5 at the
    # threshold itself), so the probabilities agree with the rule.
    pp = _soft(p, t.problem_threshold)
    cc = _soft(c, t.capability_threshold)
    probabilities = {
        PERVASIVE_SOLVABLE: pp * cc * v,
        UNREWARDED: pp * cc * (1 - v),
        UNSOLVABLE: pp * (1 - cc),
        NOT_A_PROBLEM: 1 - pp,
    }
    probabilities = {k: round(val, 4) for k, val in probabilities.items()}

    reasons = []
    if p < t.problem_threshold:
        reasons.append(f"P(problem) {p:.2f} < {t.problem_threshold:.2f}: not a problem")
        return CategoryDecision(NOT_A_PROBLEM, probabilities, tuple(reasons))
    reasons.append(f"P(problem) {p:.2f} ≥ {t.problem_threshold:.2f}")
    if c < t.capability_threshold:
        reasons.append(f"capability {c:.2f} < {t.capability_threshold:.2f}: outside what we can do")
        return CategoryDecision(UNSOLVABLE, probabilities, tuple(reasons))
    reasons.append(f"capability {c:.2f} ≥ {t.capability_threshold:.2f}")
    members_ok = group.affected_members >= t.min_affected_members
    countries_ok = group.countries >= t.min_countries
    reasons.append(
        f"{group.affected_members} affected member(s) (need {t.min_affected_members}) "
        f"in {group.countries} countr{'y' if group.countries == 1 else 'ies'} "
        f"(need {t.min_countries}) over {window:g} days"
    )
    solved = s >= t.solved_threshold
    if members_ok and countries_ok:
        reasons.append(
            f"already solved in this thread (P(solved) {s:.2f})" if solved
            else f"still open (P(solved) {s:.2f})"
        )
        return CategoryDecision(PERVASIVE_SOLVABLE, probabilities, tuple(reasons))
    if solved:
        reasons.append(f"P(solved) {s:.2f} ≥ {t.solved_threshold:.2f}: already solved")
        return CategoryDecision(UNREWARDED, probabilities, tuple(reasons))
    reasons.append("too few affected members" if not members_ok else "too few countries")
    return CategoryDecision(UNREWARDED, probabilities, tuple(reasons))
