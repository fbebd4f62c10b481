"""Stand-in OS keychains for tests, so that the real one is never touched (the fixtures
``memory_keyring`` and ``failing_keyring`` in ``tests/conftest.py`` install them)."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, NoKeyringError


class MemoryKeyring(KeyringBackend):
    """A keychain in a dict, for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


class FailingKeyring(KeyringBackend):
    """A machine with no usable keychain."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("no recommended backend was available")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keychain is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("the keychain is locked")
