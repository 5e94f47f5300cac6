"""Change templates for the fixture world: each scenario builds one PR's revisions.

A scenario is a function `ScenarioContext -> ScenarioChange`. It decides (with the seeded
rng it is given) the variant details and whether a second push fixes the problem, moves
the code, or does not happen. Every revision carries the finding categories a correct
reviewer is expected to report for it (`security`, `requirement_drift`, `standards`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ingestion.sandbox.scenarios.diffs import FileChange

SECURITY = frozenset({"security"})
DRIFT = frozenset({"requirement_drift"})
STANDARDS = frozenset({"standards"})
CLEAN: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TicketSpec:
    title: str
    description: str
    criteria: tuple[str, ...]
    status: str = "In Progress"


@dataclass(frozen=True)
class ScenarioContext:
    tenant_id: str
    rng: random.Random
    py_root: str  # where this tenant's Python service code lives, e.g. "services"
    rule_ids: frozenset[str] = frozenset()  # warden-rule ids this tenant's docs declare


@dataclass(frozen=True)
class ScenarioChange:
    name: str
    language: str  # python | javascript
    slug: str  # branch-name slug
    title: str
    body: str
    ticket: TicketSpec | None
    revisions: tuple[tuple[FileChange, ...], ...]
    revision_categories: tuple[frozenset[str], ...]


Builder = Callable[[bool, int], tuple[FileChange, ...]]  # (fixed, shift) -> files


def lead_in(shift: int, comment: str = "#") -> list[str]:
    """Harmless lines added above the interesting code on a 'moved' second push."""
    notes = [
        "Keep the lookup close to its caller.",
        "Inputs are validated upstream.",
        "See the module docstring for the contract.",
        "Order matters here.",
    ]
    return [f"{comment} {notes[i % len(notes)]}" for i in range(shift)]


def follow_up(
    rng: random.Random, build: Builder, categories: frozenset[str], *, fixable: bool = True
) -> tuple[tuple[tuple[FileChange, ...], ...], tuple[frozenset[str], ...]]:
    """First revision, then maybe a second push that fixes (-> clean) or moves the code."""
    choice = rng.choice(["none", "none", "fix", "move"] if fixable else ["none", "move"])
    first = build(False, 0)
    if choice == "fix":
        return (first, build(True, 0)), (categories, CLEAN)
    if choice == "move":
        return (first, build(False, rng.randint(2, 4))), (categories, categories)
    return (first,), (categories,)


Scenario = Callable[[ScenarioContext], ScenarioChange]


def all_scenarios() -> dict[str, Scenario]:
    """Name -> scenario, across every category module."""
    from ingestion.sandbox.scenarios import clean, drift, security_js, security_python, standards

    found: dict[str, Scenario] = {}
    for module in (security_python, security_js, drift, standards, clean):
        found.update(module.SCENARIOS)
    return found
