"""Configuration files fuzzed: the desk's own exported file with parts dropped, retyped, blown
up or nested deep, imported through ``ConfigurationFiles.import_data`` (and, as bytes on disk,
through ``config import FILE``). Each import is applied whole or refused whole with every
problem named at its path in the file, and a refused one writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.services.configuration import ConfigurationFiles
from app.services.database import open_database
from app.services.rules.service import RuleService, rules_from_json
from app.services.sla_policy import SlaPolicyService
from tests.factories import Desk, database_snapshot, make_desk
from tests.fuzz.conftest import (
    DOCUMENTED_EXIT_CODES,
    Counter,
    fuzz_settings,
    refused_without_writing,
    run_cli,
)
from tests.fuzz.mutations import Nested, expand, mutated
from tests.fuzz.test_fuzz_rules import VALID_RULES

#: the configuration the test desk exports (tiers, categories, a calendar, a policy, rules)
SEED: dict[str, Any] = json.loads(
    (Path(__file__).with_name("desk_configuration.json")).read_text(encoding="utf-8")
)
ACTORS = ["sara", "ada", "lena", "max", None, "", "nobody", "sara\x00"]


@pytest.fixture
def config_desk(database_url: str) -> Any:
    """The standard desk with its SLA policy, rules and a few tickets, configured as ``SEED``."""
    database = open_database(database_url)
    desk = make_desk(database)
    SlaPolicyService(database, desk.clock).install_default("Europe/Berlin")
    rules = RuleService(database, desk.clock)
    rules.save("sara", rules.list().version, rules_from_json(VALID_RULES))
    ticket = desk.ticket()
    desk.tickets.escalate("lena", ticket.key, ticket.version)
    desk.ticket(category="Laptop")
    ConfigurationFiles(database, desk.clock).import_data("sara", SEED)
    yield desk
    database.close()


def check_import(desk: Desk, actor: str | None, data: Any, counter: Counter) -> None:
    files = ConfigurationFiles(desk.database, desk.clock)
    _, error = refused_without_writing(
        desk.database, lambda: files.import_data(actor, data), counter
    )
    if error is None:  # applied: back to the seed for the next example
        files.import_data("sara", SEED)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@fuzz_settings(120)
@given(actor=st.sampled_from(ACTORS), data=mutated(SEED, max_mutations=4))
@example(actor="sara", data=SEED)
@example(actor="sara", data={**SEED, "format": 10**5000})
@example(actor="sara", data={"": None})
@example(actor="sara", data={**SEED, "tiers": [{**SEED["tiers"][0], "wip_limit": 10**30}]})
@example(actor="sara", data={**SEED, "policy": {**SEED["policy"], "name": Nested(2_000)}})
def test_mutated_configuration_files_are_applied_or_refused_whole(
    config_desk: Desk, fuzz_counter: Counter, actor: str | None, data: Any
) -> None:
    check_import(config_desk, actor, expand(data), fuzz_counter)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@fuzz_settings(25)
@given(actor=st.sampled_from(ACTORS), data=mutated(SEED, max_mutations=4))
@example(actor="sara", data={**SEED, "tiers": [{**SEED["tiers"][0], "wip_limit": 10**30}]})
@example(actor="sara\x00", data=SEED)
@example(actor="sara", data={**SEED, "categories": [{"name": "Print\x00er", "min_tier": "L1"}]})
@example(actor="sara", data={**SEED, "tiers": [{**SEED["tiers"][0], "code": "L\x001"}]})
@example(actor="sara", data={**SEED, "policy": {**SEED["policy"], "calendar": "Office\x00"}})
def test_mutated_configuration_files_on_postgresql(
    config_desk: Desk, fuzz_counter: Counter, actor: str | None, data: Any
) -> None:
    check_import(config_desk, actor, expand(data), fuzz_counter)


SEED_TEXT = json.dumps(SEED, indent=1, ensure_ascii=False)


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    """The seed file as bytes, damaged: cut, spliced with junk, re-encoded, given a BOM, or
    replaced by JSON that Python's reader cannot take (too deep, a number too long)."""
    text = SEED_TEXT
    kind = draw(st.sampled_from(["cut", "splice", "encoding", "bom", "deep", "digits", "bytes"]))
    if kind == "cut":
        return text.encode()[: draw(st.integers(0, len(text)))]
    if kind == "splice":
        at = draw(st.integers(0, len(text)))
        return (text[:at] + draw(st.text(max_size=20)) + text[at:]).encode("utf-8", "surrogatepass")
    if kind == "encoding":
        return text.encode(draw(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252"])))
    if kind == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if kind == "deep":
        depth = draw(st.integers(500, 200_000))
        return (draw(st.sampled_from(["[", '{"a":'])) * depth + "1" + "]" * depth).encode()
    if kind == "digits":
        digits = "9" * draw(st.integers(4_000, 20_000))
        return text.replace('"warning_percent": 75', f'"warning_percent": {digits}').encode()
    return draw(st.binary(max_size=200))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@fuzz_settings(60)
@given(content=damaged_files())
@example(content=b"[" * 100_000 + b"]" * 100_000)
@example(
    content=SEED_TEXT.replace('"warning_percent": 75', '"warning_percent": ' + "9" * 5000).encode()
)
@example(content=b"\xef\xbb\xbf" + SEED_TEXT.encode())
def test_damaged_configuration_files_are_refused_by_config_import(
    config_desk: Desk, database_url: str, fuzz_counter: Counter, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "desk.json"
    path.write_bytes(content)
    before = database_snapshot(config_desk.database)
    code, out, err = run_cli(["--db", database_url, "--as", "sara", "config", "import", str(path)])
    assert code in DOCUMENTED_EXIT_CODES, (code, err)
    assert "Traceback" not in err + out and "internal error" not in err, err
    if code != 0:
        assert err.startswith("tierdesk: "), err
        assert database_snapshot(config_desk.database) == before
        fuzz_counter.count("refused")
    else:
        fuzz_counter.count("accepted")
