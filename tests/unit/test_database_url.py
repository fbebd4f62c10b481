"""Checking and normalising ``--db`` URLs before anything connects."""

import pytest

from app.services import database as database_module
from app.services.database import database_url_from, parse_database_url
from app.services.errors import DatabaseError


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "tierdesk.db",
        "C:\\Users\\lena\\tierdesk.db",
        "://nothing",
        "postgresql://root@127.0.0.1:notaport/test",
        "postgresql://root@[::1/test",
    ],
)
def test_malformed_url_is_refused_naming_it_and_showing_the_expected_forms(raw):
    with pytest.raises(DatabaseError) as caught:
        parse_database_url(raw)
    message = str(caught.value)
    assert repr(raw) in message
    assert "sqlite:///" in message and "postgresql://" in message


@pytest.mark.parametrize(
    "raw", ["mysql://root@localhost/desk", "oracle://scott@db/orcl", "mssql+pyodbc://x@y/z"]
)
def test_unsupported_backend_is_refused_naming_it(raw):
    backend = raw.split(":")[0].split("+")[0]
    with pytest.raises(DatabaseError, match=f"'{backend}' is not supported"):
        parse_database_url(raw)


@pytest.mark.parametrize("raw", ["sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://"])
def test_in_memory_sqlite_is_refused_because_it_would_vanish(raw):
    with pytest.raises(DatabaseError, match="names no file; an in-memory database would vanish"):
        parse_database_url(raw)


def test_postgres_url_without_database_is_refused():
    with pytest.raises(DatabaseError, match="names no database"):
        parse_database_url("postgresql://root@127.0.0.1:5432/")


@pytest.mark.parametrize(
    "raw",
    [
        "postgresql://root@db.example:5433/desk",
        "postgres://root@db.example:5433/desk",
        "postgresql+psycopg2://root@db.example:5433/desk",
        "postgresql+asyncpg://root@db.example:5433/desk",
        "  postgresql+psycopg://root@db.example:5433/desk  ",
    ],
)
def test_postgres_urls_are_normalised_to_psycopg(raw):
    url = parse_database_url(raw)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host, url.port, url.database) == ("root", "db.example", 5433, "desk")


def test_postgres_password_and_query_survive_normalisation():
    url = parse_database_url("postgres://ann:s3cret@db/desk?sslmode=require")
    assert url.password == "s3cret"
    assert url.query == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ("sqlite:///desk.db", "desk.db"),
        ("sqlite:////var/lib/tierdesk/desk.db", "/var/lib/tierdesk/desk.db"),
        ("sqlite+pysqlite:///desk.db", "desk.db"),
    ],
)
def test_sqlite_file_urls_use_the_standard_driver(raw, path):
    url = parse_database_url(raw)
    assert url.drivername == "sqlite"
    assert url.database == path


def test_db_argument_wins_over_environment(monkeypatch):
    monkeypatch.setenv("TIERDESK_DB", "sqlite:///from-env.db")
    assert database_url_from("sqlite:///from-arg.db") == "sqlite:///from-arg.db"


def test_environment_wins_over_default(monkeypatch):
    monkeypatch.setenv("TIERDESK_DB", "sqlite:///from-env.db")
    assert database_url_from(None) == "sqlite:///from-env.db"


def test_default_is_an_embedded_file_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("TIERDESK_DB", raising=False)
    monkeypatch.setattr(database_module, "user_data_dir", lambda *a, **k: str(tmp_path))
    url = parse_database_url(database_url_from(None))
    assert url.drivername == "sqlite"
    assert url.database == str(tmp_path / "tierdesk.db")
