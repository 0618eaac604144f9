"""Files at the command line's boundary: where output may land, and what input may be read.

Output (`export`, `calendar` and `backup` with `--out`) goes through
`output_target` and `open_output`, so every command follows the same rules:

- It never lands on the database or its companion files (`-wal`, `-shm`,
  `-journal`), however the path is spelled: relative, `./`, absolute,
  through a symlink or a hard link (compared by resolved path and by inode,
  so a companion that does not exist yet is protected too).
- A regular file (or a new one) is written as a private (0600) temporary
  file beside it, renamed into place only when complete; a symlink to a
  file stays a symlink, and the file it points to gets the data. The
  temporary file is removed when the command fails; one left by a kill
  carries `TEMP_MARKER` in its name, so `forget` can find it.
- A stream is written into, never replaced: a character device (`/dev/null`,
  a terminal), a pipe, and anything reached through an open file descriptor
  (`/dev/stdout` is a link to `/proc/self/fd/1`, whatever that is: a pipe, a
  file the shell redirected to, which is appended to). Renaming over
  `/dev/stdout` as root once replaced the link itself (issue 13). A pipe
  (named or not) is written into only when something reads from it;
  otherwise it is refused at once instead of waiting forever.
- A folder, a socket or a block device is refused with a message saying
  what it is. A backup belongs in a regular file, so `backup` refuses
  streams too.

Input (the CSV to import, the config, a call script) goes through
`read_input` (or `open_input`, to read it as a stream): only a regular file
is read, never a device (`/dev/zero` would fill the memory) or a FIFO (it
would wait for a writer), and only up to a size limit, so memory stays
bounded. `read_toml` adds the decoding and
parsing every TOML file needs, with any failure (a deeply nested table
raises RecursionError in tomllib, a 5,000-digit number ValueError) as one
message that names the file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.text.i18n import Catalog

__all__ = [
    "COMPANION_SUFFIXES",
    "SETTINGS_LIMIT",
    "TEMP_MARKER",
    "FileRefused",
    "OutputTarget",
    "leftovers_beside",
    "open_input",
    "open_output",
    "output_target",
    "private_temporary",
    "read_input",
    "read_toml",
    "too_large",
]

COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database; writing onto one damages it."""

TEMP_MARKER = ".nachhaken-tmp"
"""In the name of every temporary output file, so leftovers of a kill can be found."""

SETTINGS_LIMIT = 1024 * 1024
"""The largest config or call script read (1 MiB; the shipped scripts are about 13 KiB)."""

_DESCRIPTOR_FOLDER = re.compile(r"(/proc/[^/]+(/task/[^/]+)?|/dev)/fd")
"""Folders whose entries are open file descriptors: Linux's procfs; /dev/fd where it is one (macOS)."""
_NO_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
"""Open without waiting for a FIFO's other end, never taking a terminal as controlling one (POSIX)."""
_MAX_LINKS = 40
"""As many symlinks in a row as Linux follows before it gives up (ELOOP)."""


class FileRefused(UserError):
    """A file the command was told to read or write is not one it may use; nothing was written."""

    catalog = Catalog(
        {
            "database": {
                "de": "{path} ist die Datenbank selbst; bitte eine andere Datei angeben. "
                "Es wurde nichts geschrieben.",
                "en": "{path} is the database itself; please name another file. Nothing was written.",
            },
            "companion": {
                "de": "{path} ist die {suffix}-Datei der Datenbank, die zu ihr gehört; bitte eine andere "
                "Datei angeben. Es wurde nichts geschrieben.",
                "en": "{path} is the database's {suffix} file, part of it; please name another file. "
                "Nothing was written.",
            },
            "folder": {
                "de": "{path} ist ein Ordner; bitte eine Datei darin angeben.",
                "en": "{path} is a folder; please name a file in it.",
            },
            "no_reader": {
                "de": "{path} führt zu einer Pipe, aus der niemand liest; es wurde nichts geschrieben.",
                "en": "{path} leads to a pipe nobody is reading from; nothing was written.",
            },
            "special": {
                "de": "{path} ist keine normale Datei (sondern {kind}); bitte eine normale Datei angeben.",
                "en": "{path} is not a regular file (but {kind}); please name a regular file.",
            },
            "unwritable": {
                "de": "{path} kann nicht geschrieben werden: {reason}",
                "en": "{path} cannot be written: {reason}",
            },
            "unreadable": {
                "de": "{path}: kann nicht gelesen werden ({reason})",
                "en": "{path}: cannot be read ({reason})",
            },
            "not_regular": {
                "de": "{path}: kann nicht gelesen werden (das ist {kind}, keine normale Datei)",
                "en": "{path}: cannot be read (it is {kind}, not a regular file)",
            },
            "too_large": {
                "de": "{path}: ist größer als {limit}; mehr liest nachhaken aus so einer Datei nicht",
                "en": "{path}: is larger than {limit}, the most nachhaken reads from such a file",
            },
            "not_utf8": {
                "de": "{path}: kann nicht gelesen werden (kein UTF-8, Byte {position})",
                "en": "{path}: cannot be read (not UTF-8, byte {position})",
            },
            "toml": {
                "de": "{path}: kein gültiges TOML ({reason})",
                "en": "{path}: not valid TOML ({reason})",
            },
            "too_deep": {
                "de": "{path}: kein gültiges TOML (zu tief verschachtelt)",
                "en": "{path}: not valid TOML (nested too deeply)",
            },
            "kind_folder": {"de": "ein Ordner", "en": "a folder"},
            "kind_pipe": {"de": "eine Pipe", "en": "a pipe"},
            "kind_device": {"de": "ein Gerät", "en": "a device"},
            "kind_socket": {"de": "ein Socket", "en": "a socket"},
            "kind_stream": {"de": "ein Datenstrom", "en": "a stream"},
        }
    )

    def message(self, lang: str) -> str:
        fields = dict(self.fields)
        if "kind" in fields:
            fields["kind"] = self.catalog.text(lang, f"kind_{fields['kind']}")
        return self.catalog.text(lang, self.key, **fields)


# ---------------------------------------------------------------------- output


@dataclass(frozen=True, slots=True)
class OutputTarget:
    """Where a command's output goes, once `output_target` has allowed it."""

    path: Path
    """The path as the user gave it (for messages)."""
    real: Path
    """The file that gets the data: `path` with every symlink resolved."""
    stream: bool
    """Write straight into it (a device, a pipe, a descriptor) instead of renaming a copy over it."""


def output_target(path: Path, database: Path | None, *, streams: bool = True) -> OutputTarget:
    """Decide whether `path` may receive output, and how.

    Args:
        path: the `--out` path as given.
        database: the open database, whose files are never written onto.
        streams: whether a device or stream may be written into (False for
            a backup, which belongs in a file).

    Raises:
        FileRefused: the database or a companion of it, a folder, a socket
            or block device, or (with `streams=False`) any stream. A pipe
            nobody reads is refused when it is opened (`open_output`).
    """
    real = Path(os.path.realpath(path))
    if database is not None:
        _refuse_database(path, real, database)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return OutputTarget(path, real, stream=False)
    except OSError as exc:
        raise FileRefused("unwritable", path=path, reason=exc.strerror or exc) from None
    if stat.S_ISDIR(mode):
        raise FileRefused("folder", path=path)
    through_descriptor = _through_descriptor(path)
    if stat.S_ISREG(mode) and not through_descriptor:
        return OutputTarget(path, real, stream=False)
    if stat.S_ISSOCK(mode) or stat.S_ISBLK(mode):
        raise FileRefused("special", path=path, kind="socket" if stat.S_ISSOCK(mode) else "device")
    if not streams:
        kind = "device" if stat.S_ISCHR(mode) else "pipe" if stat.S_ISFIFO(mode) else "stream"
        raise FileRefused("special", path=path, kind=kind)
    return OutputTarget(path, real, stream=True)


@contextmanager
def open_output(path: Path, database: Path | None) -> Iterator[TextIO]:
    """A text file (UTF-8, no newline translation) that becomes `path` when the block succeeds.

    A regular target is written as a private temporary file and renamed into
    place, so a failed export leaves an existing file as it was; a stream is
    written into directly. See the module docstring for what is refused.

    Raises:
        FileRefused: `path` may not receive output, or cannot be written.
    """
    target = output_target(path, database)
    if target.stream:
        with _open_stream(target.path) as out:
            yield out
        return
    with private_temporary(target.real, path) as temporary:
        try:
            with open(temporary, "w", encoding="utf-8", newline="") as out:
                yield out
            os.replace(temporary, target.real)
        except OSError as exc:
            raise FileRefused("unwritable", path=path, reason=exc.strerror or exc) from None


@contextmanager
def private_temporary(real: Path, shown: Path | None = None) -> Iterator[Path]:
    """An empty 0600 file beside `real`, for a copy to be renamed onto `real`.

    It is removed when the block ends, unless it was renamed into place; a
    copy left by a kill has `TEMP_MARKER` in its name.

    Args:
        real: the final file (symlinks resolved).
        shown: the path as the user gave it, for messages.

    Raises:
        FileRefused: no file can be made in that folder.
    """
    try:
        handle, name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=TEMP_MARKER)
        os.close(handle)
    except OSError as exc:
        raise FileRefused("unwritable", path=shown or real, reason=exc.strerror or exc) from None
    temporary = Path(name)
    try:
        yield temporary
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            leftover.unlink(missing_ok=True)


def leftovers_beside(database: Path) -> list[Path]:
    """Temporary copies in the database's folder that a killed export or backup left behind."""
    return sorted(path for path in database.parent.glob(f".*{TEMP_MARKER}*") if path.is_file())


def _refuse_database(path: Path, real: Path, database: Path) -> None:
    """Raise if `path` is the database or a companion file, by name or by inode."""
    names = [database, Path(os.path.realpath(database))]
    protected = {
        Path(os.path.realpath(name.with_name(name.name + suffix))): suffix
        for name in names
        for suffix in ("", *COMPANION_SUFFIXES)
    }
    suffix = protected.get(real)
    if suffix is None:
        try:
            mine = os.stat(path)
        except OSError:
            return
        for candidate, label in protected.items():
            try:
                theirs = os.stat(candidate)
            except OSError:
                continue
            if (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
                suffix = label
                break
    if suffix == "":
        raise FileRefused("database", path=path)
    if suffix is not None:
        raise FileRefused("companion", path=path, suffix=suffix)


def _through_descriptor(path: Path) -> bool:
    """Whether `path` leads through `/proc/<pid>/fd/<n>` (an open stream), as `/dev/stdout` does."""
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        if _DESCRIPTOR_FOLDER.fullmatch(os.path.realpath(os.path.dirname(current))):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return False


@contextmanager
def _open_stream(path: Path) -> Iterator[TextIO]:
    """Write into a device or stream: appended, never truncated or created, never waiting for a reader."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | _NO_WAIT)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a pipe with no reader: opening it would wait forever
            raise FileRefused("no_reader", path=path) from None
        raise FileRefused("unwritable", path=path, reason=exc.strerror or exc) from None
    if _NO_WAIT:
        os.set_blocking(fd, True)  # opened without waiting; now a full pipe may make writes wait
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:
            yield out
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise FileRefused("unwritable", path=path, reason=exc.strerror or exc) from None


# ----------------------------------------------------------------------- input


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of `path`, if it is a regular file of at most `limit` bytes (see `open_input`).

    Raises:
        FileRefused: missing, unreadable, not a regular file, or too large.
    """
    with open_input(path, limit) as source:
        try:
            size = os.fstat(source.fileno()).st_size
            data = source.read(size + 1)  # no buffer of `limit` bytes for a small file
            if len(data) > size:  # it grows while being read
                data += source.read(limit + 1 - len(data))
        except OSError as exc:
            raise FileRefused("unreadable", path=path, reason=exc.strerror or exc) from None
    if len(data) > limit:
        raise FileRefused("too_large", path=path, limit=_size(limit))
    return data


@contextmanager
def open_input(path: Path, limit: int) -> Iterator[BinaryIO]:
    """`path` open for reading bytes, if it is a regular file of at most `limit` bytes so far.

    For input read in a stream (the CSV import), so its memory does not grow
    with the file: the reader counts what it reads against `limit` itself.
    Checked before it is opened, so a device or FIFO is refused at once;
    opened without waiting (O_NONBLOCK) in case it was swapped for a FIFO
    in between, and checked again on the open file.

    Raises:
        FileRefused: missing, unreadable, not a regular file, or too large.
    """
    try:
        mode = os.stat(path).st_mode
        _check_regular(path, mode)
        fd = os.open(path, os.O_RDONLY | _NO_WAIT)
    except OSError as exc:
        raise FileRefused("unreadable", path=path, reason=exc.strerror or exc) from None
    with open(fd, "rb") as source:
        try:
            info = os.fstat(fd)
        except OSError as exc:
            raise FileRefused("unreadable", path=path, reason=exc.strerror or exc) from None
        _check_regular(path, info.st_mode)
        if info.st_size > limit:
            raise FileRefused("too_large", path=path, limit=_size(limit))
        yield source


def too_large(path: Path, limit: int) -> FileRefused:
    """The refusal of a file that grew beyond `limit` bytes while `open_input`'s reader read it."""
    return FileRefused("too_large", path=path, limit=_size(limit))


def read_toml(path: Path) -> dict:
    """A settings file (config, call script) read with `read_input` and parsed as UTF-8 TOML.

    Raises:
        FileRefused: unreadable, not UTF-8, or not valid TOML, however
            pathological (the message names the file and, where tomllib
            says so, the line).
    """
    data = read_input(path, SETTINGS_LIMIT)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused("not_utf8", path=path, position=exc.start) from None
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise FileRefused("too_deep", path=path) from None
    except ValueError as exc:  # TOMLDecodeError, and int()'s digit limit, which tomllib lets through
        raise FileRefused("toml", path=path, reason=exc) from None


def _check_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "folder"
        if stat.S_ISDIR(mode)
        else "pipe"
        if stat.S_ISFIFO(mode)
        else "socket"
        if stat.S_ISSOCK(mode)
        else "device"
    )
    raise FileRefused("not_regular", path=path, kind=kind)


def _size(limit: int) -> str:
    """1048576 -> "1 MiB"."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if limit >= size:
            return f"{limit / size:g} {unit}"
    return f"{limit} B"
