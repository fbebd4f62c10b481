"""Business rules that act on tickets: stored as validated JSON data, never as code.

- ``definition``: the schema (frozen dataclasses) and its JSON form;
- ``validation``: every problem of a rule set, naming the rule and the field;
- ``conditions`` / ``actions``: what rules look at and do, on a ``TicketSnapshot``;
- ``engine``: ordered evaluation (pure ``evaluate`` for previews) and applying it to a ticket;
- ``loops``: cycles between rules refused before a rule set is saved;
- ``hooks``: the created / updated triggers, run inside the ticket's own transaction;
- ``time_pass``: time-based rules, exactly once across processes;
- ``service``: ``RuleService`` (list, validate, save, enable, reorder) and the JSON config file;
- ``notices``: what ``notify`` actions told each person, for desktops to show.

This package imports nothing at import time, so that ``ticket_change`` can import ``hooks``.
"""
