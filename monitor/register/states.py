"""An incident's state and the levels that escalate it.

A new incident is NEW (alertable unless its report is history: an event that ended more
than ``freshness_days`` before publication). A report that adds nothing new to the picture
makes it UPDATED; one that reaches a new *level* makes it ESCALATED: the killed toll (best)
reaches a tier, or rises by ``jump_ratio`` and ``jump_min`` since the toll last reported to
people, a flag that makes it worse appears (overrun, territory, hostages, suicide), or a
group claims it. Each level is reached once. Known incidents (seeds/incidents.yaml) start in
state KNOWN with the levels their facts reach, so that reports of what is already known do
not alert. An incident merged into another is MERGED.
"""

from __future__ import annotations

from monitor.config import IncidentsConfig
from monitor.models import IncidentSnapshot
from monitor.register.tolls import toll_text

NEW = "NEW"
UPDATED = "UPDATED"
ESCALATED = "ESCALATED"
KNOWN = "KNOWN"
MERGED = "MERGED"

_FLAG_ORDER = ("overrun", "territory", "hostages", "suicide", "vbied")
_FLAG_WORDS = {
    "overrun": "the position was overrun",
    "territory": "territory was taken",
    "hostages": "hostages were taken",
    "suicide": "a suicide attack",
    "vbied": "a car bomb",
}


def reached_levels(p: IncidentSnapshot, rules: IncidentsConfig) -> dict[str, str]:
    """Every level the picture stands at, with the words that say why, gravest first."""
    levels: dict[str, str] = {}
    best = p.killed[1]
    for tier in sorted(rules.killed_tiers, reverse=True):
        if best >= tier:
            levels[f"killed:{tier}"] = f"killed toll reached {tier} (now {toll_text(p.killed)})"
    for flag in sorted(p.flags & set(rules.escalating_flags), key=_flag_rank):
        levels[f"flag:{flag}"] = _FLAG_WORDS.get(flag, flag)
    if rules.claims_escalate:
        for actor in p.claimed_by:
            levels[f"claimed:{actor}"] = f"claimed by {actor}"
    return levels


def _flag_rank(flag: str) -> int:
    return _FLAG_ORDER.index(flag) if flag in _FLAG_ORDER else len(_FLAG_ORDER)


def jump(baseline: int, best: int, rules: IncidentsConfig) -> bool:
    """Whether the killed toll rose enough since people were last told to tell them again."""
    return best - baseline >= rules.jump_min and best >= baseline * (1 + rules.jump_ratio)


def escalation(
    record_levels: frozenset[str], baseline: int, p: IncidentSnapshot, rules: IncidentsConfig
) -> list[tuple[str, str]]:
    """The levels this picture reaches for the first time, gravest first, with why."""
    reached = [(level, why) for level, why in reached_levels(p, rules).items() if level not in record_levels]
    tiers = [item for item in reached if item[0].startswith("killed:")]
    others = [item for item in reached if not item[0].startswith("killed:")]
    # only the highest new tier is worth saying; the lower ones are recorded as passed
    tiers = [(level, why if i == 0 else f"passed with {tiers[0][0]}") for i, (level, why) in enumerate(tiers)]
    jumped = []
    if jump(baseline, p.killed[1], rules):
        jumped = [(f"killed:jump:{p.killed[1]}", f"killed toll rose from {baseline} to {p.killed[1]}")]
    return tiers + jumped + others


__all__ = ["ESCALATED", "KNOWN", "MERGED", "NEW", "UPDATED", "escalation", "jump", "reached_levels"]
