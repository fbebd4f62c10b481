"""Preview and replay of a draft rule set or SLA policy, before it goes live (issue 5, part 2).

- ``preview_rules`` / ``preview_policy``: which open tickets the draft would act on now, and
  what it would do to each (``now``);
- ``replay_rules`` / ``replay_policy``: the last N days of history replayed under the draft:
  moves that would have happened and did not (and the reverse), open tickets per tier per day
  and tier clocks met, actual against replayed (``replay``; its docstring lists what a replay
  approximates).

Everything runs in one read-only transaction: a preview cannot write. Results are the frozen
dataclasses of ``preview_results``; no Qt here.
"""

from app.services.preview.now import preview_policy, preview_rules
from app.services.preview.reading import DraftPolicy
from app.services.preview.replay import ASSUMPTIONS, replay_policy, replay_rules

__all__ = [
    "ASSUMPTIONS",
    "DraftPolicy",
    "preview_policy",
    "preview_rules",
    "replay_policy",
    "replay_rules",
]
