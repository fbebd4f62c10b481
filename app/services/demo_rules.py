"""The escalation rules the demo desk ships with: a handful a real desk would start from, so
that the rules dialog, its preview and its replay have something to show (docs/rules.md)."""

from __future__ import annotations

from typing import Any

#: Saved as the desk's supervisor; checked like any rule set (loops, names, references).
DEMO_RULES: list[dict[str, Any]] = [
    {
        "name": "Security incidents start at L3",
        "trigger": {"on": "created"},
        "conditions": [
            {"field": "category", "op": "in", "value": ["Security incident"]},
            {"field": "tier", "op": "in", "value": ["L1", "L2"]},
        ],
        "actions": [
            {"do": "move", "to": "L3"},
            {"do": "notify", "supervisors": True, "text": "Security incident opened"},
        ],
        "stop": True,
    },
    {
        "name": "Servers and databases skip the service desk",
        "trigger": {"on": "created"},
        "conditions": [
            {"field": "category", "op": "in", "value": ["Servers & storage", "Databases"]},
            {"field": "tier", "op": "in", "value": ["L1"]},
        ],
        "actions": [{"do": "move", "to": "L2"}],
    },
    {
        "name": "Unowned P1 at L1 for 15 minutes",
        "trigger": {"on": "time", "measure": "in_tier", "minutes": 15},
        "conditions": [
            {"field": "priority", "op": "in", "value": ["P1"]},
            {"field": "tier", "op": "in", "value": ["L1"]},
            {"field": "assignee", "op": "is_none"},
        ],
        "actions": [{"do": "notify", "tiers": ["L1"], "text": "A P1 waits without an owner"}],
    },
    {
        "name": "Reopened twice: tell the supervisors",
        "trigger": {"on": "updated", "fields": ["status"]},
        "conditions": [{"field": "reopened_count", "op": ">=", "value": 2}],
        "actions": [{"do": "notify", "supervisors": True}],
    },
]
