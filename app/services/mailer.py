"""E-mailing SLA alerts to the people they concern, once, through the desk's SMTP server.

The ``sla_alerts`` table is the outbox: an alert not yet mailed has ``mailed_at`` empty (and a
partial index). ``AlertMailer.send_pending`` claims a batch with ``FOR UPDATE SKIP LOCKED`` (so
two workers never mail the same alert), sends one message per alert to its recipients (the same
rule as the desktop's notifications), and marks the batch mailed in the same transaction. If the
SMTP server refuses or is unreachable the transaction rolls back and the batch is tried again
later; only a crash between the server accepting a message and the commit can send it twice.
Alerts whose recipients have no e-mail address are marked too, so they do not wait forever.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from email.message import EmailMessage
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from app.models import SlaAlert, User
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.errors import InvalidInput, TierDeskError
from app.services.notifications import Notification, concerned_users, notifications_of


class MailError(TierDeskError):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server. ``password`` comes from the environment or the keychain,
    never from a settings file."""

    host: str
    sender: str
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    time_zone: str = "UTC"  # instants in messages are written in this zone
    timeout_seconds: float = 20.0


class AlertMailer:
    """Sends the alerts nobody has mailed yet."""

    def __init__(
        self, database: Database, settings: MailSettings, clock: Clock | None = None
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock or DatabaseClock()
        try:
            self.zone: tzinfo = ZoneInfo(settings.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(
                "mail_time_zone", f"{settings.time_zone!r} is not an IANA time zone name"
            ) from None

    def send_pending(self, batch: int = 100) -> int:
        """Mail up to ``batch`` pending alerts; returns how many messages were sent."""
        with self.database.write() as session:
            alerts = session.scalars(
                select(SlaAlert)
                .where(SlaAlert.mailed_at.is_(None))
                .order_by(SlaAlert.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            ).all()
            if not alerts:
                return 0
            alert_ids = [alert.id for alert in alerts]
            mailable = session.scalars(
                select(User).where(User.active.is_(True), User.email.is_not(None))
            ).all()
            concerned = concerned_users(session, alert_ids, mailable)
            notifications = notifications_of(session, alert_ids)
            messages = [
                self._message(notifications[alert_id], [user.email or "" for user in people])
                for alert_id, people in concerned.items()
                if people
            ]
            self._send(messages)
            now = self.clock.now(session)
            for alert in alerts:
                alert.mailed_at = now
            return len(messages)

    def _message(self, notification: Notification, addresses: Sequence[str]) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = f"[TierDesk] {notification.headline()}"
        message["From"] = self.settings.sender
        message["To"] = ", ".join(addresses)
        message.set_content(
            f"{notification.message(self.zone)}\n\n"
            f"Open {notification.key} in TierDesk to see its clocks and history.\n"
        )
        return message

    def _send(self, messages: Sequence[EmailMessage]) -> None:
        if not messages:
            return
        settings = self.settings
        timeout = settings.timeout_seconds
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.username:
                    smtp.login(settings.username, settings.password or "")
                for message in messages:
                    smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(
                f"could not mail SLA alerts through {settings.host}:{settings.port}: {error}"
            ) from error
