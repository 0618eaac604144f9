"""What nachhaken reads: the CSV to import, the config, a call script (issue 13, classes 2 and 3).

Only regular files of bounded size are read; a device or a FIFO is refused at
once (a FIFO without a writer would wait forever, `/dev/zero` would fill the
memory); any encoding problem and any pathological TOML is an input error:
exit code 1 and one line naming the file, never a traceback. Devices are
look-alikes in the test's folder (a link to `/dev/null`), FIFOs `os.mkfifo`.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fault_helpers import PINNED, assert_handled, count, run_cli, run_process

from nachhaken_tui.cli import cli
from nachhaken_tui.core.config import load_config
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.paths import asset_path
from nachhaken_tui.core.safe_files import SETTINGS_LIMIT, FileRefused
from nachhaken_tui.core.schedule.cadence import Cadence
from nachhaken_tui.core.script.loader import load_script

CSV = "client,title,sent_on\nMüller Bau,Website,2026-11-16\n"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "test.db"
    store = Store.open(path, Cadence())
    store.add_offer(OfferDraft(client="Existing", title="Kept", sent_on=dt.date(2026, 11, 2)))
    store.close()
    return path


@pytest.fixture
def config_path() -> Path:
    path = Path(os.environ["NACHHAKEN_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _special(tmp_path: Path, kind: str) -> Path:
    """A FIFO, a link to a FIFO, a link to a character device, or a folder, named like a file."""
    fifo = tmp_path / "offers-pipe"
    if kind == "fifo":
        os.mkfifo(fifo)
        return fifo
    link = tmp_path / f"{kind}.input"
    if kind == "link-to-fifo":
        os.mkfifo(fifo)
        link.symlink_to(fifo)
    elif kind == "link-to-device":
        link.symlink_to(os.devnull)
    else:
        link.mkdir()
    return link


KINDS = {"fifo": "a pipe", "link-to-fifo": "a pipe", "link-to-device": "a device", "folder": "a folder"}


# ------------------------------------------------------- only regular files


@pytest.mark.parametrize("kind", KINDS)
def test_import_reads_only_a_regular_file(database, tmp_path, kind):
    source = _special(tmp_path, kind)
    result = run_process("import", str(source), "--db", str(database))  # a wait ends in TimeoutExpired
    assert_handled(result.returncode, result.stderr)
    if kind == "folder":
        assert "is a directory" in result.stderr  # Click's own check of the argument
    else:
        assert f"{source}: cannot be read (it is {KINDS[kind]}, not a regular file)" in result.stderr
    assert result.returncode == 1 and count(database) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_the_config_is_read_only_from_a_regular_file(database, tmp_path, kind, config_path):
    special = _special(tmp_path, kind)
    config_path.symlink_to(special)
    for args in (["due", "--db", str(database)], ["--db", str(database)]):
        result = run_process(*args)
        assert_handled(result.returncode, result.stderr)
        assert result.returncode == 1
        assert result.stderr == f"{config_path}: cannot be read (it is {KINDS[kind]}, not a regular file)\n"


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "link-to-device"])
def test_a_call_script_is_read_only_from_a_regular_file(database, tmp_path, kind):
    special = _special(tmp_path, kind)
    result = run_process("--db", str(database), "--script", str(special))
    assert_handled(result.returncode, result.stdout + result.stderr)
    assert result.returncode == 1
    assert f"{special}: cannot be read (it is {KINDS[kind]}, not a regular file)" in result.stderr
    with pytest.raises(FileRefused, match="not a regular file"):
        load_script(special)


# ------------------------------------------------------------- size limits


def test_a_config_or_script_over_one_mebibyte_is_refused_by_name(tmp_path, config_path, database):
    padding = "# " + "x" * 78 + "\n"
    config_path.write_text("language = 'de'\n" + padding * (SETTINGS_LIMIT // len(padding) + 1))
    result = run_cli("due", db=database)
    assert result.exit_code == 1
    assert (
        result.output == f"{config_path}: is larger than 1 MiB, the most nachhaken reads from such a file\n"
    )
    config_path.unlink()
    script = tmp_path / "long.toml"
    script.write_text(
        asset_path("scripts", "en.toml").read_text() + padding * (SETTINGS_LIMIT // len(padding))
    )
    with pytest.raises(FileRefused, match="long.toml: is larger than 1 MiB"):
        load_script(script)
    assert "ist größer als 1 MiB" in FileRefused("too_large", path=script, limit="1 MiB").message("de")


def test_a_csv_over_the_limit_is_refused_before_it_is_read(tmp_path, database):
    from nachhaken_tui.core.exchange.csv_read import CSV_LIMIT

    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as sparse:  # takes no disk space: only its size is looked at
        sparse.write(CSV.encode())
        sparse.truncate(CSV_LIMIT + 1)
    result = run_cli("import", str(huge), db=database)
    assert result.exit_code == 1
    assert result.output == f"{huge}: is larger than 512 MiB, the most nachhaken reads from such a file\n"
    assert count(database) == 1


# --------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding",
    [
        "idna",  # UnicodeError without a position
        "punycode",
        "undefined",  # always UnicodeError
        "rot13",  # LookupError on decode: no text encoding
        "hex",
        "utf\x00",  # ValueError from the lookup
        "",
        "x" * 300,
    ],
)
def test_an_encoding_that_is_no_text_encoding_or_fails_is_an_input_error(tmp_path, database, encoding):
    source = tmp_path / "offers.csv"
    source.write_bytes("client,title,sent_on\nxn--ü-.,T,2026-11-16\n".encode() + b"\xff\xfe")
    result = run_cli("import", str(source), "--encoding", encoding, db=database)
    assert_handled(result.exit_code, result.output)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert str(source) in result.output or "Unknown encoding" in result.output
    assert count(database) == 1


# ----------------------------------------------------------------- parsers


PATHOLOGICAL = {
    "deep-arrays": "language = " + "[" * 20000 + "]" * 20000 + "\n",
    "deep-tables": "language = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
    "huge-number": "max_attempts = " + "9" * 5000 + "\n",
}


@pytest.mark.parametrize("case", PATHOLOGICAL)
def test_pathological_toml_in_the_config_is_one_line_naming_the_file(config_path, database, case):
    config_path.write_text(PATHOLOGICAL[case])
    for args in (["due"], ["export"], ["add", "--client", "C", "--title", "T"]):
        result = run_cli(*args, db=database)
        assert_handled(result.exit_code, result.output)
        assert result.exit_code == 1
        assert result.output.startswith(f"{config_path}: not valid TOML (")
        assert result.output.count("\n") == 1
    with pytest.raises(FileRefused) as caught:
        load_config(config_path)
    assert caught.value.message("de").startswith(f"{config_path}: kein gültiges TOML (")


@pytest.mark.parametrize("case", PATHOLOGICAL)
def test_pathological_toml_in_a_script_is_one_line_naming_the_file(tmp_path, database, case):
    script = tmp_path / "mine.toml"
    script.write_text(PATHOLOGICAL[case].replace("language", "placeholders").replace("max_attempts", "steps"))
    with pytest.raises(FileRefused, match=f"^{script}: not valid TOML"):
        load_script(script)
    result = run_process("--db", str(database), "--script", str(script))
    assert_handled(result.returncode, result.stdout + result.stderr)
    assert result.returncode == 1 and result.stderr.startswith(f"{script}: not valid TOML (")


@pytest.mark.parametrize(
    "args", [["--help"], ["export", "--help"], ["--lang", "de", "--help"], ["--version"]]
)
def test_help_works_with_a_pathological_config(config_path, args):
    config_path.write_text(PATHOLOGICAL["deep-arrays"])
    result = run_process(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "nachhaken" in result.stdout


def test_importing_the_command_line_reads_no_config(config_path):
    """The entry point imports `nachhaken_tui.cli`; the config is read only once a command runs."""
    config_path.write_text('language = "de"\n')
    code = (
        "import sys\n"
        "opened = []\n"
        f"sys.addaudithook(lambda event, args: opened.append(args[0]) if event == 'open' and "
        f"str(args[0]) == {str(config_path)!r} else None)\n"
        "import nachhaken_tui.cli\n"
        "print(len(opened))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "0\n", result.stderr
    # ... and its help still follows the config's language, worded when shown
    german = CliRunner().invoke(cli, ["--help", *PINNED])
    assert "Datenbankdatei" in german.output and "Angebote nachfassen" in german.output
