"""The connection's URL from its parts and back, the keychain wrapper, and the remembered URL.

The real keychain is never touched: each test installs an in-memory (or a failing) keyring
backend and puts the previous one back afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from app.services.connection_settings import (
    ConnectionKind,
    ConnectionParts,
    KeychainError,
    build_url,
    check_connection,
    explain_connection_error,
    load_password,
    masked,
    password_key,
    save_password,
    split_url,
    with_stored_password,
    without_password,
)
from app.services.database import database_url_from, open_database
from app.services.errors import DatabaseError

AWKWARD_PASSWORDS = ["p@ss:w/rd", "100%?&#=+ ünï €", "a@b@c", " spaces at both ends "]


def server(password: str = "") -> ConnectionParts:
    return ConnectionParts(
        ConnectionKind.SERVER,
        host="db.example",
        port=5433,
        database="desk",
        user="ines",
        password=password,
    )


@pytest.mark.parametrize("password", AWKWARD_PASSWORDS)
def test_a_password_with_special_characters_survives_the_url(password):
    url = build_url(server(password))
    assert make_url(url).password == password
    assert split_url(url) == server(password)


def test_a_server_url_names_the_driver_host_port_database_and_user():
    assert build_url(server("secret")) == "postgresql+psycopg://ines:secret@db.example:5433/desk"
    assert build_url(server("secret"), with_password=False) == (
        "postgresql+psycopg://ines@db.example:5433/desk"
    )


def test_splitting_keeps_url_options_and_defaults_the_port():
    parts = split_url("postgresql://root@127.0.0.1/test?options=-csearch_path%3Dx")
    assert parts.port == 5432 and parts.user == "root" and parts.password == ""
    assert dict(parts.query) == {"options": "-csearch_path=x"}
    assert make_url(build_url(parts)).query == {"options": "-csearch_path=x"}


def test_an_embedded_file_is_a_sqlite_url(tmp_path):
    path = tmp_path / "my desk" / "tierdesk.db"
    url = build_url(ConnectionParts(ConnectionKind.EMBEDDED, path=str(path)))
    assert url == f"sqlite:///{path}"
    assert split_url(url) == ConnectionParts(ConnectionKind.EMBEDDED, path=str(path))


def test_a_url_tierdesk_cannot_use_is_refused_in_words():
    with pytest.raises(DatabaseError, match="'mysql' is not supported"):
        split_url("mysql://somewhere/desk")


@pytest.mark.parametrize("password", AWKWARD_PASSWORDS)
def test_the_settings_and_the_screen_never_show_the_password(password):
    url = build_url(server(password))
    assert password not in without_password(url)
    assert make_url(without_password(url)).password is None
    assert password not in masked(url) and ":***@" in masked(url)


def test_the_keychain_entry_is_named_after_user_host_port_and_database():
    assert password_key("ines", "db.example", 5433, "desk") == "ines@db.example:5433/desk"
    assert server().keychain_key == "ines@db.example:5433/desk"


def test_passwords_go_to_the_keychain_and_come_back(memory_keyring):
    save_password("ines@db.example:5433/desk", "p@ss:w/rd")
    assert memory_keyring.entries == {("TierDesk", "ines@db.example:5433/desk"): "p@ss:w/rd"}
    assert load_password("ines@db.example:5433/desk") == "p@ss:w/rd"
    assert load_password("someone@else:5432/desk") is None
    save_password("ines@db.example:5433/desk", "")  # an empty password forgets it
    assert memory_keyring.entries == {}
    save_password("ines@db.example:5433/desk", "")  # and forgetting twice is fine


def test_a_machine_without_a_keychain_gets_a_clear_error(failing_keyring):
    with pytest.raises(KeychainError, match="used for this session only"):
        save_password("ines@db.example:5433/desk", "secret")
    with pytest.raises(KeychainError, match="cannot read the password from the keychain"):
        load_password("ines@db.example:5433/desk")


def test_a_remembered_url_gets_its_password_back_from_the_keychain(memory_keyring):
    remembered = build_url(server(), with_password=False)
    assert with_stored_password(remembered) == remembered  # nothing kept yet
    save_password(server().keychain_key, "p@ss:w/rd")
    assert make_url(with_stored_password(remembered)).password == "p@ss:w/rd"


def test_a_remembered_url_without_a_keychain_stays_without_password(failing_keyring):
    remembered = build_url(server(), with_password=False)
    assert with_stored_password(remembered) == remembered


def test_the_remembered_connection_comes_after_the_environment_and_before_the_default(
    monkeypatch,
):
    asked: list[bool] = []

    def remembered() -> str:
        asked.append(True)
        return "sqlite:///remembered.db"

    monkeypatch.setenv("TIERDESK_DB", "sqlite:///from-env.db")
    assert database_url_from(None, remembered=remembered) == "sqlite:///from-env.db"
    assert asked == []  # not even looked up
    assert database_url_from("sqlite:///arg.db", remembered=remembered) == "sqlite:///arg.db"
    monkeypatch.delenv("TIERDESK_DB")
    assert database_url_from(None, remembered=remembered) == "sqlite:///remembered.db"
    assert database_url_from(None, remembered=lambda: None).startswith("sqlite:///")
    assert not database_url_from(None, remembered=lambda: None).endswith("remembered.db")


def test_checking_a_tierdesk_file_says_it_is_ready(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    open_database(url).close()
    check = check_connection(url)
    assert check.ready and "ready" in check.text


def test_checking_a_missing_file_creates_nothing_and_says_so(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(DatabaseError, match="no TierDesk desk there yet"):
        check_connection(f"sqlite:///{path}")
    assert not path.exists()


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ('FATAL:  password authentication failed for user "ines"', "refused the user name"),
        ('FATAL:  role "eve" does not exist', "no database user of that name"),
        ('FATAL:  database "dsk" does not exist', "no database of that name"),
        ("connection failed: Connection refused", "Nothing answers at that host and port"),
        ('could not translate host name "nowhere"', "host name is not known"),
        ("something else entirely", "something else entirely"),
    ],
)
def test_connection_failures_are_explained_in_plain_words(message, plain):
    explained = explain_connection_error(message)
    assert plain in explained and message in explained
