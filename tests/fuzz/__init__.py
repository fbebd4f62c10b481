"""Property-based fuzzing (hypothesis) of every way bad input reaches TierDesk: history import
files and mappings, rule definitions, configuration files and every CLI argument.

The properties, for every generated input: the call succeeds or raises a ``TierDeskError`` whose
message names where the problem is (a field, row, rule or option); the CLI exits 0 or 2-6 and
prints neither a traceback nor "internal error"; a refused input leaves the database exactly as
it was (``tests.factories.database_snapshot``). Inputs are valid files and commands, mutated:
keys dropped, wrong types, huge numbers, empty, long and unusual strings, deep nesting, bytes
that are not text, broken CSV quoting, archives that are not workbooks.

Budget: by default (CI) each SQLite fuzzer runs 30-150 examples and each PostgreSQL one 20-25
(about 800 in all), and the whole folder finishes in under two minutes. One desk per test is
reused by all its examples; after every refusal its snapshot must be unchanged. To fuzz for
longer locally, either

* ``pytest tests/fuzz --hypothesis-profile=tierdesk-fuzz-deep`` (1,000 examples per test; the
  profile is registered by this folder's conftest, so name tests/fuzz or a file in it), or
* ``TIERDESK_FUZZ_EXAMPLES=5000 pytest tests/fuzz`` (exactly that many per test, wins over the
  profile; ``-k "not postgres"`` for SQLite only), with ``--hypothesis-seed=N`` to replay a run.

After the run, a "fuzz cases run" section lists how many examples each fuzzer ran and how they
ended (accepted, refused, exit codes): the figure for the closing note. Regression inputs of
every bug the fuzzers found are kept as ``@example``s, so they run on every CI run.
"""
