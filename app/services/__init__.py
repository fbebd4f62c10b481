"""Every business rule of TierDesk, free of Qt. Each public service method is one unit of work
and returns frozen dataclasses (``app.services.dto``), never live ORM objects."""
