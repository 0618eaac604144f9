"""Bad input everywhere: CSV files, command-line arguments, config and script files.

The rule for all of them (README, "Exit codes"): the input is used correctly
or refused with a message, exit code 1, and nothing written. Exit code 2 is
the crash handler, so here it always means a bug; so does a traceback or an
entry in crash.log. Hypothesis generates what nobody would think of typing;
the explicit cases are the ones real files and fingers produce.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import random
import tempfile
import tomllib
from pathlib import Path

import pytest
from fault_helpers import assert_handled, count, run_cli, run_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nachhaken_tui.core.config import Config, ConfigError, load_config
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft, Outcome
from nachhaken_tui.core.paths import asset_path
from nachhaken_tui.core.schedule.cadence import Cadence
from nachhaken_tui.core.script.loader import load_script
from nachhaken_tui.core.script.model import Kind, ScriptError
from nachhaken_tui.core.script.run import ScriptRun

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
HEADER = "client;title;sent_on;value;phone;notes\n"


def _seeded(folder: Path) -> Path:
    """A database holding one offer, so "nothing written" can be checked."""
    path = folder / "seeded.db"
    store = Store.open(path, Cadence())
    store.add_offer(OfferDraft(client="Existing", title="Kept", sent_on=dt.date(2026, 11, 2)))
    store.close()
    return path


def _import(data: bytes, *args: str):
    """Import `data` into a seeded database; check the rules; return (result, offers added)."""
    with tempfile.TemporaryDirectory() as folder:
        db = _seeded(Path(folder))
        source = Path(folder) / "offers.csv"
        source.write_bytes(data)
        result = run_cli("import", str(source), *args, db=db)
        assert_handled(result.exit_code, result.output)
        added = count(db) - 1
        if result.exit_code == 1:
            assert added == 0, "a refused import wrote offers"
            assert result.output.strip(), "refused without a message"
        return result, added


# ------------------------------------------------------------------ CSV files


@FUZZ
@given(data=st.binary(max_size=2000), with_header=st.booleans())
def test_random_bytes_are_imported_or_refused(data, with_header):
    _import((HEADER.encode() if with_header else b"") + data)


@FUZZ
@given(
    text=st.text(max_size=400),
    encoding=st.sampled_from(
        [
            "utf-8",
            "utf-8-sig",
            "utf-16",
            "utf-16-le",
            "utf-32",
            "cp1252",
            "latin-1",
            "shift_jis",
            "koi8-r",
            "mac-roman",
        ]
    ),
)
def test_random_text_in_random_encodings(text, encoding):
    _import((HEADER + text).encode(encoding, errors="replace"))


_CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "2026-11-03",
            "3.11.26",
            "4.800,50 €",
            "€ 1,250.00",
            "-5",
            "1e400",
            "",
            " ",
            '"',
            "\r",
            "\n",
            ";",
            ",",
            "\t",
            "=cmd|' /C calc'!A0",
            "'=1+1",
            "[/]",
            "\x1b[31m",
            "\u202e",
            "NaN",
        ]
    ),
)


@FUZZ
@given(
    rows=st.lists(st.lists(_CELL, max_size=9), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    options=st.sampled_from(
        [[], ["--skip-invalid"], ["--dry-run"], ["--decimal-point"], ["--decimal-comma"]]
    ),
)
def test_ragged_rows_of_random_cells(rows, delimiter, options):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["client", "title", "sent_on", "value", "phone", "notes"])
    writer.writerows(rows)
    _import(buffer.getvalue().encode(), *options)


_NAME = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00'"), min_size=1, max_size=30
).filter(lambda text: text.strip() and text.strip()[0] not in "=+-@'")


@FUZZ
@given(
    rows=st.lists(
        st.tuples(
            # sent dates up to the pinned today: a later one is refused (and tested in test_cli_commands)
            _NAME,
            _NAME,
            st.dates(dt.date(1990, 1, 1), dt.date(2026, 11, 26)),
            st.integers(0, 10**12),
            _NAME,
        ),
        min_size=1,
        max_size=8,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_valid_rows_are_imported_exactly_whatever_the_text(rows, delimiter, encoding):
    """Any text, in any supported layout: each offer arrives as the README says
    (one-line fields with whitespace collapsed, notes stripped with CRLF → LF,
    money exact)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["client", "title", "sent_on", "value", "notes"])
    comma = delimiter == ";"
    for index, (client, title, sent, cents, notes) in enumerate(rows):
        amount = f"{cents // 100}{',' if comma else '.'}{cents % 100:02d}"
        writer.writerow([client, f"{title} #{index}", sent.isoformat(), amount, notes])
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "x.db"
        source = Path(folder) / "in.csv"
        source.write_bytes(buffer.getvalue().encode(encoding))
        result = run_cli("import", str(source), db=db)
        assert_handled(result.exit_code, result.output)
        assert result.exit_code == 0, result.output
        store = Store.open(db)
        stored = store.read("SELECT client, title, sent_on, value_cents, notes FROM offers ORDER BY id")
        store.close()
    expected = [
        {
            "client": " ".join(client.split()),
            "title": " ".join(f"{title} #{index}".split()),
            "sent_on": sent.isoformat(),
            "value_cents": cents,
            "notes": notes.strip().replace("\r\n", "\n").replace("\r", "\n") or None,
        }
        for index, (client, title, sent, cents, notes) in enumerate(rows)
    ]
    assert stored == expected


BIG = 1_000_000


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        pytest.param(
            b"client,title,sent_on,notes\nA,T,2026-11-03," + b"x" * BIG + b"\n",
            "Line 2: a cell is longer than",
            id="1MB-cell",
        ),
        pytest.param(
            b'client,title,sent_on,notes\nA,T,2026-11-03,"' + b"y" * 200_000 + b'"\n',
            "Line 2: a cell is longer than",
            id="200KB-quoted-cell",
        ),
        pytest.param(
            b"client,title,sent_on,notes\nA,T,2026-11-03," + b"z" * 20_000 + b"\n",
            "line 2: notes: is too long",
            id="20KB-notes",
        ),
        pytest.param(
            b"client,title,sent_on\n" + b"A," * (BIG // 2) + b"\n",
            "line 2: 500001 cells but the header has 3",
            id="1MB-line-of-cells",
        ),
        pytest.param(
            b"client,title,sent_on\n" + b"C" * 10_000 + b",T,2026-11-03\n",
            "line 2: client: is too long (10000 characters",
            id="10000-char-name",
        ),
        pytest.param(
            b'client,title,sent_on\nA,T,2026-11-03\n"B,T,2026-11-03\n' + b"C,T,2026-11-03\n" * 5000,
            "Line 3: the CSV structure is broken",
            id="unclosed-quote-names-its-line",
        ),
        pytest.param(
            b'client,title,sent_on\n"B' + b"\n" * 140_000,
            "Line 2: a cell is longer than",
            id="unclosed-quote-swallowing-the-file",
        ),
        pytest.param(b"client,title,sent_on\nA\x00,T,2026-11-03\n", "contains binary data", id="NUL"),
        pytest.param(
            b"\xff\xfe" + "client,title,sent_on\nA\x00,T,2026-11-03\n".encode("utf-16-le"),
            "contains binary data",
            id="NUL-inside-UTF-16",
        ),
        pytest.param(b"\x00" * 1000, "contains binary data", id="only-NULs"),
        pytest.param(b";;;;\n;;;;\n", "is empty", id="only-delimiters"),
        pytest.param(b"client\rtitle\r", "missing", id="old-mac-line-ends"),
        pytest.param(b"client,title,sent_on\r\nA,T,2026-11-03\r\n", "Imported: 1", id="windows-line-ends"),
        pytest.param(
            b"client,title,sent_on\nA,T,31.02.2026\nB,T,2026-11-03\n",
            "line 2: sent on: '31.02.2026' is not a real day",
            id="impossible-date",
        ),
        pytest.param(b"client,title,sent_on,value\nA,T,2026-11-03,-4800\n", "negative", id="negative-amount"),
        pytest.param(
            b"client,title,sent_on,value\nA,T,2026-11-03,99999999999999999999\n",
            "implausibly large",
            id="huge-amount",
        ),
        pytest.param(
            b"client,title,sent_on,currency\nA,T,2026-11-03,XYZ\n", "ISO 4217", id="unknown-currency"
        ),
    ],
)
def test_hostile_files_are_imported_or_refused_with_the_line(data, fragment):
    result, _ = _import(data)
    assert fragment in result.output, result.output[:500]
    assert len(result.output) < 5000  # a message, not the file echoed back


def test_a_header_of_200000_columns_is_named_briefly():
    header = ",".join(f"c{i}" for i in range(200_000)).encode()
    result, _ = _import(header + b"\n1\n")
    assert result.exit_code == 1
    assert "Columns found: 'c0', 'c1'" in result.output and "… (200000)" in result.output
    assert len(result.output) < 1000


@pytest.mark.parametrize(
    "args",
    [
        ["--delimiter", ""],
        ["--delimiter", '"'],
        ["--delimiter", "\n"],
        ["--encoding", ""],
        ["--encoding", "utf-32"],
        ["--encoding", "rot13"],  # a codec, but not a text encoding
        ["--encoding", "base64"],
        ["--map", "=client"],
        ["--map", "client"],
        ["--map", "client=nonsense"],
        ["--map", "nope=client"],
        ["--map", "client=-"],
    ],
)
def test_import_options_that_make_no_sense(args):
    _import(b"client,title,sent_on\nA,T,2026-11-03\n", *args)


@pytest.mark.parametrize("name", ["missing.csv", ".", "/", "/proc/self/mem", "/dev/null"])
def test_import_of_things_that_are_not_csv_files(tmp_path, name):
    db = _seeded(tmp_path)
    result = run_cli("import", name if name.startswith("/") else str(tmp_path / name), db=db)
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1
    assert count(db) == 1


# ------------------------------------------------------------------ arguments


TEN_THOUSAND = "N" * 10_000


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--sent", "31.02.2026"], "--sent: '31.02.2026' is not a real day"),
        (["--sent", "2026-13-01"], "--sent:"),
        (["--sent", "29.02.2027"], "is not a real day"),
        (["--sent", "0.0.0"], "--sent:"),
        (["--sent", "9999-12-31"], "not between 1970 and 2100"),
        (["--sent", "\x1b[2J"], "--sent: '\\x1b[2J'"),
        (["--first-talk", "2026-02-30"], "--first-talk:"),
        (["--value", "-5"], "negative"),
        (["--value", "-4.800,00 €"], "negative"),
        (["--value", "1e30"], "--value:"),
        (["--value", "100000000000000"], "implausibly large"),
        (["--value", "NaN"], "--value:"),
        (["--value", "inf"], "--value:"),
        (["--value", "4,8,0,0"], "--value:"),
        (["--value", "12 $", "--currency", "EUR"], "the amount says USD but the currency is EUR"),
        (["--currency", "XYZ"], "ISO 4217"),
        (["--currency", "€€"], "--currency:"),
        (["--currency", "12"], "--currency:"),
        (["--client", ""], "--client: is required"),
        (["--client", "   \t "], "--client: is required"),
        (["--title", ""], "--title: is required"),
        (["--client", TEN_THOUSAND], "--client: is too long (10000 characters"),
        (["--title", TEN_THOUSAND], "--title: is too long"),
        (["--contact", TEN_THOUSAND], "--contact: is too long"),
        (["--notes", TEN_THOUSAND + "x"], "--notes: is too long"),
        (["--email", "x"], "--email:"),
        (["--email", TEN_THOUSAND], "--email:"),
        (["--client", "A\x00B"], "--client:"),
    ],
)
def test_add_refuses_bad_arguments_by_name_and_writes_nothing(db_path, args, fragment):
    defaults = {"--client": "Client", "--title": "Title"}
    for option, value in defaults.items():
        if option not in args:
            args = [*args, option, value]
    result = run_cli("add", *args, db=db_path)
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1
    assert fragment in result.output
    assert not db_path.exists() or count(db_path) == 0
    assert "\x1b" not in result.output


def test_ten_thousand_characters_of_notes_are_fine(db_path):
    result = run_cli("add", "--client", "C", "--title", "T", "--notes", TEN_THOUSAND, db=db_path)
    assert result.exit_code == 0, result.output
    assert count(db_path) == 1


_ARG = st.one_of(st.none(), st.text(max_size=60), st.sampled_from(["", " ", "-1", "0", "1e9", "€", "[/]"]))


@FUZZ
@given(
    values=st.fixed_dictionaries(
        {
            option: _ARG
            for option in (
                "--client",
                "--title",
                "--contact",
                "--phone",
                "--email",
                "--value",
                "--currency",
                "--sent",
                "--first-talk",
                "--notes",
            )
        }
    )
)
def test_add_with_any_arguments_saves_or_explains(values):
    args = [part for option, value in values.items() if value is not None for part in (option, value)]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "x.db"
        result = run_cli("add", *args, db=db)
        assert_handled(result.exit_code, result.output)
        assert count(db) == (1 if result.exit_code == 0 else 0) if db.exists() else result.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "xx", "due"],
        ["frobnicate"],
        ["add", "--value"],
        ["add", "--nonsense", "1"],
        ["export", "--format", "xml"],
        ["export", "--table", "secrets"],
        ["export", "--format", "json", "--table", "calls"],
        ["import"],
    ],
)
def test_wrong_usage_is_exit_1_not_the_crash_code(db_path, args):
    """Click's usage errors exit 2 by default, which the README reserves for
    crashes; a script checking for 2 would report a bug (fixed in cli.py)."""
    result = run_cli(*args, db=db_path)
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1
    assert "Error" in result.output or result.output.strip()


@pytest.mark.parametrize("out", ["missing-folder/x.json", "/proc/version"])
def test_export_to_a_place_that_cannot_be_written(db_path, tmp_path, out):
    _seeded(tmp_path)
    target = out if out.startswith("/") else str(tmp_path / out)
    result = run_cli("export", "--out", target, db=tmp_path / "seeded.db")
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1


def test_export_into_a_pipe_writes_into_it_and_leaves_the_pipe(tmp_path):
    """`--out /dev/stdout`, `/dev/null` or a FIFO: written into, never replaced.
    The atomic rename used for files replaced the device node itself (as root,
    `--out /dev/null` made /dev/null a 0600 file). Tested on a FIFO, which is
    safe to break."""
    import os
    import stat
    import threading

    db = _seeded(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = run_process("export", "--format", "csv", "--out", str(fifo), "--db", str(db), timeout=30)
    reader.join(timeout=10)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"Existing" in received[0]


def test_backup_to_a_pipe_is_refused_and_leaves_the_pipe(tmp_path):
    """A backup is renamed into place, which over a device or FIFO would
    replace the node itself; it is refused instead (tested on a FIFO)."""
    import os
    import stat

    db = _seeded(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_process("backup", "--out", str(fifo), "--db", str(db), timeout=30)
    assert result.returncode == 1, result.stderr
    assert "not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_db_that_is_a_device_or_pipe_is_refused_untouched(tmp_path):
    """`--db` naming a FIFO (stand-in for /dev/null, which must not be touched
    here): refused, not opened for writing and not chmod-ed."""
    import os

    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo, 0o644)
    result = run_process("due", "--db", str(fifo), timeout=30)
    assert (result.returncode, "not a regular file" in result.stderr) == (1, True), result.stderr
    assert fifo.stat().st_mode & 0o777 == 0o644


# ------------------------------------------------------------------ config files


def _config_file(text: str) -> Path:
    import os

    path = Path(os.environ["NACHHAKEN_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("language = ", "not valid TOML"),
        ("[[[", "not valid TOML"),
        ("retry_days = 2\nretry_days = 3", "not valid TOML"),
        ("language = 5", "language must be a non-empty text"),
        ('first_followup_days = "3"', "first_followup_days must be a whole number"),
        ("first_followup_days = true", "first_followup_days must be a whole number"),
        ("max_attempts = 1e9", "max_attempts must be a whole number"),
        ("retry_days = -1", "retry_days must be a whole number"),
        ("script = []", "script must be a non-empty text"),
        ('country = "XX"', "no public holiday calendar"),
        ('subdivision = "ZZ"', "DE has no subdivision 'ZZ'"),  # used to crash `add` (NotImplementedError)
        ('country = "AT"\nsubdivision = "BY"', "AT has no subdivision 'BY'"),
        ('currency = "XYZ"', "currency must be"),  # used to be accepted, though `add` refuses it
        ('currency = "EURO"', "currency must be"),
        ("[nachhaken]\nlanguage = 'de'", "unknown key 'nachhaken'"),
        ('script = "/no/such/script.toml"', "/no/such/script.toml: cannot be read"),
    ],
)
def test_a_bad_config_is_named_with_its_key_by_every_command(db_path, text, fragment):
    path = _config_file(text)
    for args in (["add", "--client", "C", "--title", "T"], ["due"], ["export"], []):
        if "script" in text and args:
            continue  # only the TUI reads the script
        if args:
            result = run_cli(*args, db=db_path)
            code, output = result.exit_code, result.output
        else:  # the TUI, as a real process: refused before the terminal switches
            process = run_process("--db", str(db_path))
            code, output = process.returncode, process.stdout + process.stderr
        assert_handled(code, output)
        assert code == 1, (args, output)
        assert fragment in output, (args, output)
        assert str(path) in output or "script" in text
    assert not db_path.exists() or count(db_path) == 0


def test_config_that_is_not_utf8_or_a_folder(db_path):
    import os

    path = Path(os.environ["NACHHAKEN_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"language = '\xff'")
    result = run_cli("due", db=db_path)
    assert (result.exit_code, "cannot be read" in result.output) == (1, True)
    path.unlink()
    path.mkdir()
    result = run_cli("due", db=db_path)
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1


_TOML_VALUE = st.one_of(
    st.integers(-5, 100),
    st.booleans(),
    st.text(max_size=8),
    st.floats(allow_nan=False),
    st.sampled_from(
        ["de", "en", "fr", "DE", "AT", "CH", "US", "BY", "by", "NW", "ZZ", "EUR", "chf", "XYZ", ""]
    ),
    st.lists(st.integers(), max_size=2),
)


@FUZZ
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "language",
                "country",
                "subdivision",
                "currency",
                "first_followup_days",
                "retry_days",
                "max_attempts",
                "colour",
            ]
        ),
        _TOML_VALUE,
        max_size=4,
    )
)
def test_any_config_is_refused_by_name_or_works_everywhere(values, tmp_path_factory):
    folder = tmp_path_factory.mktemp("config")
    path = folder / "config.toml"
    path.write_text("".join(f"{key} = {_toml(value)}\n" for key, value in values.items()), encoding="utf-8")
    try:
        config = load_config(path)
    except ConfigError as error:
        assert str(path) in str(error) and str(path) in error.message("de")
        return
    assert isinstance(config, Config)
    cadence = Cadence(config)  # what every command builds next: must not fail later
    for day in (dt.date(2026, 1, 1), dt.date(2026, 12, 24), dt.date(2030, 6, 30)):
        cadence.first_due(day)
        cadence.after_outcome(Outcome.NO_ANSWER, attempts=1, today=day)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, float):
        return repr(value)  # inf and -inf are TOML too
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


# ------------------------------------------------------------------ script files


SHIPPED = tomllib.loads(asset_path("scripts", "en.toml").read_text(encoding="utf-8"))
_STEP_IDS = [step["id"] for step in SHIPPED["steps"]]


def _mutate(data: dict, choices: list[tuple[int, int, str, object]]) -> dict:
    """Apply (what, step, key, value) edits to a copy of the shipped script."""
    data = copy.deepcopy(data)
    steps = data["steps"]
    for what, index, key, value in choices:
        if not steps:
            break
        step = steps[index % len(steps)]
        if what == 0:  # rewire a step or one of its options
            if "options" in step and isinstance(step["options"], list) and step["options"]:
                option = step["options"][hash(key) % len(step["options"])]
                if isinstance(option, dict):
                    option["next"] = value if isinstance(value, str) else "end"
            elif isinstance(step, dict):
                step["next"] = value
        elif what == 1 and isinstance(step, dict):  # drop a key
            step.pop(key, None)
        elif what == 2 and isinstance(step, dict):  # any value for any key
            step[key] = value
        elif what == 3:  # drop a step
            steps.pop(index % len(steps))
        elif what == 4:  # a step twice
            steps.append(copy.deepcopy(step))
        elif what == 5 and "options" in step:  # strip an option's outcome
            for option in step["options"] if isinstance(step["options"], list) else []:
                if isinstance(option, dict):
                    option.pop(key if key in ("outcome", "next") else "outcome", None)
    return data


def _dump_script(data: dict) -> str:
    lines = [f"placeholders = {_inline(data.get('placeholders', {}))}", "steps = ["]
    lines += [f"  {_inline(step)}," for step in data["steps"]]
    return "\n".join(lines) + "\n]\n"


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    return _toml(value)


_EDIT = st.tuples(
    st.integers(0, 5),
    st.integers(0, 40),
    st.sampled_from(
        [
            "id",
            "kind",
            "next",
            "options",
            "field",
            "outcome",
            "question",
            "say",
            "min",
            "max",
            "optional",
            "title",
        ]
    ),
    st.one_of(
        st.sampled_from([*_STEP_IDS, "end", "nowhere", ""]),
        st.integers(-2, 9),
        st.booleans(),
        st.sampled_from(["choice", "text", "date", "scale", "notes", "next_due", "{client}", "{nope"]),
        st.lists(
            st.fixed_dictionaries({"key": st.text(max_size=3), "label": st.text(max_size=3)}), max_size=2
        ),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(edits=st.lists(_EDIT, min_size=1, max_size=4), seed=st.integers(0, 2**16))
def test_a_broken_script_is_refused_by_name_or_every_path_ends_in_a_saveable_call(
    edits, seed, tmp_path_factory
):
    """Wrong references, loops that never end, steps without outcomes: the
    loader refuses them naming the file, or the script it accepts ends every
    call with a draft the store can save."""
    _check_script(edits, seed, tmp_path_factory)


_REWIRE = st.tuples(
    st.just(0),
    st.integers(0, 40),
    st.sampled_from(["a", "b", "c", "d"]),
    st.sampled_from([*_STEP_IDS, "end"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(edits=st.lists(_REWIRE, min_size=1, max_size=6), seed=st.integers(0, 2**16))
def test_rewired_scripts_with_loops_never_trap_a_call(edits, seed, tmp_path_factory):
    """Only `next` changed, to real steps: loops galore. Whatever the loader
    accepts still lets every walk reach the end."""
    _check_script(edits, seed, tmp_path_factory)


def _check_script(edits, seed, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("script") / "mine.toml"
    path.write_text(_dump_script(_mutate(SHIPPED, edits)), encoding="utf-8")
    try:
        script = load_script(path)
    except ScriptError as error:
        assert str(error).startswith(f"{path}: ")
        return
    rng = random.Random(seed)
    today = dt.date(2026, 11, 26)
    run = ScriptRun(script, {}, "2026-11-26T10:00:00+01:00", today=today)
    for _ in range(300):
        if run.finished:
            break
        step = run.current
        if rng.random() < 0.1 and run.back():
            continue
        if step.kind is Kind.CHOICE:
            run.answer(rng.randint(1, len(step.options)))
        elif step.kind is Kind.SCALE:
            run.answer(rng.randint(step.low, step.high))
        elif step.kind is Kind.DATE:
            run.answer(today + dt.timedelta(days=rng.randint(0, 60)))
        else:
            run.answer(rng.choice(["", "a note", "[/]"]) if step.optional else "a note")
    assert run.finished, "300 answers and the call has not ended"
    draft = run.draft()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "x.db")
        offer = store.add_offer(OfferDraft(client="C", title="T", sent_on=dt.date(2026, 11, 2)))
        store.record_call(offer, draft, today=today)  # valid outcome, dates where needed
        store.close()


def test_the_tui_refuses_a_broken_script_before_it_starts(tmp_path, db_path):
    """`nachhaken --script FILE` and the config's `script` key: one line naming
    file and step, exit 1, the terminal never switched into the app."""
    broken = tmp_path / "loop.toml"
    data = copy.deepcopy(SHIPPED)
    for step in data["steps"]:
        for option in step.get("options", []):
            option.pop("outcome", None)
            option["next"] = _STEP_IDS[0]
        if "next" in step:
            step["next"] = _STEP_IDS[0]
    broken.write_text(_dump_script(data), encoding="utf-8")
    result = run_process("--script", str(broken), "--db", str(db_path))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"{broken}: step "), result.stderr
    assert "\x1b[?1049h" not in result.stdout  # never entered the alternate screen
    _config_file(f"script = {json.dumps(str(broken))}\n")
    result = run_process("--db", str(db_path))
    assert result.returncode == 1 and str(broken) in result.stderr
