"""What the ticket dialog says when someone else changed the ticket while it was being edited:
their changes in plain words (who, when, from what to what), the fields both people changed
with both values, and what each of the two choices will do. The texts are the dialog's
(translation context ``TicketDialog``)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.models import EventKind
from app.services.dto import CategoryView, EventView, TicketDetail, TicketView, UserView
from app.services.errors import ConflictError
from app.views.formatting import local_time
from app.views.ticket_form import FIELD_LABELS, FormValues, field_label, short_text


@dataclass(frozen=True)
class ShownNames:
    """Category and people ids (as history stores them, text) to the names the dialog shows."""

    categories: Mapping[str, str]
    people: Mapping[str, str]

    @classmethod
    def of(cls, categories: Iterable[CategoryView], people: Iterable[UserView]) -> ShownNames:
        return cls(
            {str(c.id): c.name for c in categories}, {str(p.id): p.display_name for p in people}
        )


def conflict_text(
    ticket: TicketView,
    mine: FormValues,
    conflict: ConflictError,
    current: TicketDetail,
    names: ShownNames,
) -> str:
    """The conflict panel's text: the other changes, then the fields both changed."""
    base, now = FormValues.of(ticket), FormValues.of(current.ticket)
    theirs = set(base.differing(now))
    edited = mine.differing(base)
    changed = QCoreApplication.translate(
        "TicketDialog",
        "Someone else changed {key} while you were editing it (version {version} → "
        "{current}). Nothing of yours was saved yet; your edits are still in the form.",
    ).format(
        key=html.escape(ticket.key),
        version=ticket.version,
        current=conflict.current_version,
    )
    lines = [f"<b>{changed}</b>", "<ul style='margin: 2px 0'>"]
    lines += [f"<li>{html.escape(describe_change(e, names))}</li>" for e in conflict.changes]
    lines.append("</ul>")
    both = [name for name in edited if name in theirs and getattr(mine, name) != getattr(now, name)]
    if both:
        lines.append(
            QCoreApplication.translate("TicketDialog", "You both changed:")
            + "<ul style='margin: 2px 0'>"
        )
        for name in both:
            values = QCoreApplication.translate(
                "TicketDialog", "yours “{mine}”, now “{now}”"
            ).format(mine=html.escape(mine.shown(name)), now=html.escape(now.shown(name)))
            lines.append(f"<li><b>{field_label(name).capitalize()}</b>: {values}</li>")
        lines.append("</ul>")
    taken = sorted(field_label(n) for n in theirs if n not in edited)
    yours = ", ".join(field_label(n) for n in edited)
    if not yours:
        yours = QCoreApplication.translate("TicketDialog", "edits")
    if taken:
        keep = QCoreApplication.translate(
            "TicketDialog",
            "<i>Keep my changes</i> saves your {yours} on top of the new version and takes "
            "their {theirs}.",
        ).format(yours=yours, theirs=", ".join(taken))
    else:
        keep = QCoreApplication.translate(
            "TicketDialog", "<i>Keep my changes</i> saves your {yours} on top of the new version."
        )
        keep = keep.format(yours=yours)
    lines.append(
        keep
        + QCoreApplication.translate(
            "TicketDialog", " <i>Discard mine and reload</i> shows the ticket as it is now."
        )
    )
    return "".join(lines)


def describe_change(event: EventView, names: ShownNames) -> str:
    """One change by someone else, in plain words: who, when, what from → to."""
    who = event.actor_name or "TierDesk"
    when = local_time(event.at)
    if event.kind == EventKind.EDITED and event.field:
        if event.field in FIELD_LABELS:
            name = field_label(event.field)
        else:
            name = event.field.replace("_", " ")
        old, new = (
            _value_text(event.field, event.old_value, names),
            _value_text(event.field, event.new_value, names),
        )
        return QCoreApplication.translate(
            "TicketDialog", "{when} {who} changed the {field} from “{old}” to “{new}”"
        ).format(when=when, who=who, field=name, old=old, new=new)
    if event.kind == EventKind.PRIORITY_CHANGED:
        if (event.details or {}).get("overridden"):
            how = QCoreApplication.translate("TicketDialog", "by hand")
        else:
            how = QCoreApplication.translate("TicketDialog", "from impact × urgency")
        return QCoreApplication.translate(
            "TicketDialog", "{when} {who} set the priority {old} → {new} ({how})"
        ).format(when=when, who=who, old=event.old_value, new=event.new_value, how=how)
    if event.kind == EventKind.ASSIGNED:
        person = _value_text("assignee_id", event.new_value, names)
        return QCoreApplication.translate(
            "TicketDialog", "{when} {who} assigned it to {person}"
        ).format(when=when, who=who, person=person)
    return f"{when} {event.summary()}"


def _value_text(field: str, value: str | None, names: ShownNames) -> str:
    if value is None:
        if field == "assignee_id":
            return QCoreApplication.translate("TicketDialog", "nobody")
        return QCoreApplication.translate("TicketDialog", "(empty)")
    if field == "category_id":
        return names.categories.get(value, value)
    if field == "assignee_id":
        return names.people.get(value, value)
    return short_text(value)
