"""Alembic environment. TierDesk runs migrations itself at start-up (see
``app.services.database``), handing over an open connection; the ``alembic`` command line works
too, with ``-x url=...`` naming the database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.models import Base, UtcDateTime

config = context.config
target_metadata = Base.metadata


def render_item(kind: str, item: object, autogen_context: object) -> str | bool:
    """Write ``UtcDateTime`` columns as plain ``sa.DateTime()``: the UTC handling lives in the
    models, and migrations must not import application code that may change later."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime()"
    return False


def run_migrations(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("name the database: alembic -x url=sqlite:///path/to/tierdesk.db ...")
    with create_engine(url).connect() as new_connection:
        run_migrations(new_connection)
        new_connection.commit()
