"""Qt item models over service views (kept apart so that "model" in ``app.models`` always means
the database)."""
