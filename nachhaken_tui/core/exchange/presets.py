"""Import presets: how another tool's export reads, as a TOML data file.

A CRM or invoicing tool names its columns in its own words, writes dates and
amounts its own way and has its own statuses. A preset says all of that once,
so `nachhaken import --preset pipedrive deals.csv` needs no `--map` line per
column. The shipped presets are in `assets/presets/`; a user's own file is
used with `--preset FILE`. The format is documented at the top of
`assets/presets/pipedrive.toml`:

- `name` (text, required): the tool, for messages.
- `delimiter`, `encoding`, `decimal_comma`: as the options of the same name;
  the command line wins over them, and what is left out is detected.
- `date_formats`: strptime formats (`%m/%d/%Y`) tried before the built-in
  ones (`2026-11-03`, `3.11.2026`, an ISO time after the date is ignored).
- `[columns]`: column header (UI label or API name) = field, `status`,
  `loss_reason` or `-` (ignore). Several columns may name the same field; the
  first one the file has is used, the others are ignored. Columns the file
  lacks are fine; columns the preset leaves out still match the built-in
  aliases.
- `[status]`: a status value (compared without case) = `open`, `won`,
  `lost` or `skip` (not imported, e.g. a draft that was never sent); `"*"`
  is the answer for any value not listed. Without a `[status]` table the
  values are open / won / lost (German offen / gewonnen / verloren).
- `[fill]`: field = template, used when the field's cell is empty; it may
  name other fields in braces (`title = "Angebot {reference}"`).

Everything here is pure core; a broken preset raises `PresetError` naming the
file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.fields import FIELDS, ParseError, fold, quote
from nachhaken_tui.core.models import Status
from nachhaken_tui.core.paths import asset_path
from nachhaken_tui.core.safe_files import read_toml
from nachhaken_tui.core.text.i18n import Catalog

__all__ = [
    "CLOSING_TARGETS",
    "IGNORE",
    "SKIP",
    "Preset",
    "PresetError",
    "StatusError",
    "load_preset",
    "shipped_presets",
]

IGNORE = "-"
"""`--map "Column=-"` (or a preset's column = "-") ignores a column, e.g. one of two date columns."""
CLOSING_TARGETS = ("status", "loss_reason")
"""What a column may feed besides the offer's fields: a won or lost offer arrives closed."""
SKIP = "skip"
"""A status value whose rows are not imported (drafts never sent)."""
ANY = "*"
_STATUS_ANSWERS = (Status.OPEN.value, Status.WON.value, Status.LOST.value, SKIP)
_DEFAULT_STATUSES = {
    "open": "open",
    "won": "won",
    "lost": "lost",
    "offen": "open",
    "gewonnen": "won",
    "verloren": "lost",
}
_KEYS = ("name", "delimiter", "encoding", "decimal_comma", "date_formats", "columns", "status", "fill")


class PresetError(UserError):
    """A preset cannot be used; the message names the file and the key."""

    catalog = Catalog(
        {
            "unknown": {
                "de": "Es gibt keine Vorlage {name}. Mitgeliefert: {names}; oder den Pfad einer "
                "eigenen TOML-Datei angeben.",
                "en": "There is no preset {name}. Shipped: {names}; or give the path of your own TOML file.",
            },
            "key": {
                "de": "{path}: unbekannter Schlüssel {key} (bekannt: {known}).",
                "en": "{path}: unknown key {key} (known: {known}).",
            },
            "type": {
                "de": "{path}: {key} muss {expected} sein, nicht {value}.",
                "en": "{path}: {key} must be {expected}, not {value}.",
            },
            "target": {
                "de": "{path}: {key} = {value}: kein Feld; möglich: {fields}.",
                "en": "{path}: {key} = {value}: not a field; possible: {fields}.",
            },
            "status": {
                "de": "{path}: {key} = {value}: erwartet open, won, lost oder skip.",
                "en": "{path}: {key} = {value}: expected open, won, lost or skip.",
            },
            "date_format": {
                "de": "{path}: {key}: {value} ist kein Datumsformat wie %d.%m.%Y.",
                "en": "{path}: {key}: {value} is not a date format like %m/%d/%Y.",
            },
            "template": {
                "de": "{path}: {key} = {value}: nur Feldnamen in geschweiften Klammern, z. B. {{reference}}.",
                "en": "{path}: {key} = {value}: only field names in braces, e.g. {{reference}}.",
            },
        }
    )


class StatusError(ParseError):
    """A status value the preset does not know: the row is refused, naming the value."""

    catalog = Catalog(
        {
            "status_unknown": {
                "de": "{text} ist kein bekannter Status; die Vorlage kennt {known}",
                "en": "{text} is not a known status; the preset knows {known}",
            },
        }
    )


@dataclass(frozen=True, slots=True)
class Preset:
    """How one tool's export reads (see the module docstring for the file format)."""

    name: str
    path: Path | None = None
    columns: tuple[tuple[str, str], ...] = ()
    """(column header, target) in the file's order: earlier columns win."""
    statuses: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_STATUSES))
    """Folded status value -> open | won | lost | skip; `ANY` for the rest."""
    status_names: tuple[str, ...] = tuple(_DEFAULT_STATUSES)
    """The status values as the preset spells them, for messages."""
    fill: Mapping[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    encoding: str | None = None
    decimal_comma: bool | None = None
    date_formats: tuple[str, ...] = ()

    def status_of(self, value: str) -> str:
        """open, won, lost or skip for a cell of the status column.

        An empty cell is open unless the preset answers `*`.

        Raises:
            StatusError: a value the preset does not know.
        """
        folded = fold(value)
        if folded in self.statuses:
            return self.statuses[folded]
        if ANY in self.statuses:
            return self.statuses[ANY]
        if not folded:
            return Status.OPEN.value
        known = ", ".join(quote(name) for name in self.status_names)
        raise StatusError("status_unknown", text=quote(value.strip()), known=known)

    def read_date(self, text: str) -> dt.date | None:
        """The date in `text` by one of `date_formats`, or None to leave it to the built-in rules."""
        cleaned = " ".join(text.split())
        for pattern in self.date_formats:
            try:
                return dt.datetime.strptime(cleaned, pattern).date()
            except ValueError:
                continue
        return None

    def filled(self, target: str, values: Mapping[str, str | None]) -> str | None:
        """The `[fill]` template for `target` with the row's other cells, or None without one.

        A template naming an empty field gives None, so "Angebot " never
        becomes a title.
        """
        template = self.fill.get(target)
        if template is None:
            return None
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        if any(not (values.get(name) or "").strip() for name in names):
            return None
        return template.format_map({name: (values.get(name) or "").strip() for name in names})


def shipped_presets() -> list[str]:
    """The names of the presets in `assets/presets/`, sorted."""
    return sorted(path.stem for path in asset_path("presets").glob("*.toml"))


_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def load_preset(name_or_path: str) -> Preset:
    """A shipped preset by name (`pipedrive`), or the user's TOML file by path.

    Raises:
        PresetError: no such preset, or the file is broken (the message names the key).
        FileRefused: the file cannot be read, or is no UTF-8 TOML (the message names the file).
    """
    shipped = name_or_path.strip().lower()
    if _NAME.fullmatch(shipped) and not Path(name_or_path).is_file():
        if shipped not in shipped_presets():
            raise PresetError("unknown", name=quote(name_or_path), names=", ".join(shipped_presets()))
        path = asset_path("presets", f"{shipped}.toml")
    else:
        path = Path(name_or_path).expanduser()
    return _preset(read_toml(path), path)


def _preset(data: dict, path: Path) -> Preset:
    def fail(key: str, problem: str = "type", **facts: object) -> PresetError:
        return PresetError(problem, path=path, key=key, **facts)

    def expect(key: str, value: object, kind: type, expected: str) -> None:
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            raise fail(key, expected=expected, value=quote(repr(value)))

    for key in data:
        if key not in _KEYS:
            raise fail(quote(key), "key", known=", ".join(_KEYS))
    name = data.get("name")
    expect("name", name, str, "a text")
    for key in ("delimiter", "encoding"):
        if key in data:
            expect(key, data[key], str, "a text")
    if "decimal_comma" in data:
        expect("decimal_comma", data["decimal_comma"], bool, "true or false")
    formats = data.get("date_formats", [])
    expect("date_formats", formats, list, "a list of texts")
    for index, pattern in enumerate(formats):
        key = f"date_formats[{index}]"
        expect(key, pattern, str, "a text")
        if "%" not in pattern:
            raise fail(key, "date_format", value=quote(pattern))
    targets = (*FIELDS, *CLOSING_TARGETS, IGNORE)
    columns = []
    for column, target in _table(data, "columns", fail).items():
        key = f"columns.{quote(column)}"
        expect(key, target, str, "a text")
        if target.strip().lower() not in targets:
            raise fail(key, "target", value=quote(target), fields=", ".join(targets))
        columns.append((column, target.strip().lower()))
    statuses = dict(_DEFAULT_STATUSES) if "status" not in data else {}
    names = list(statuses)
    for value, answer in _table(data, "status", fail).items():
        key = f"status.{quote(value)}"
        expect(key, answer, str, "a text")
        if answer.strip().lower() not in _STATUS_ANSWERS:
            raise fail(key, "status", value=quote(answer))
        statuses[value if value == ANY else fold(value)] = answer.strip().lower()
        names.append(value)
    fill = {}
    for target, template in _table(data, "fill", fail).items():
        key = f"fill.{quote(target)}"
        expect(key, template, str, "a text")
        if target not in FIELDS:
            raise fail(key, "target", value=quote(target), fields=", ".join(FIELDS))
        try:
            names = [part[1] for part in string.Formatter().parse(template) if part[1] is not None]
        except ValueError:
            names = ["{"]
        if any(name not in FIELDS for name in names):
            raise fail(key, "template", value=quote(template))
        fill[target] = template
    return Preset(
        name=str(name).strip(),
        path=path,
        columns=tuple(columns),
        statuses=statuses,
        status_names=tuple(names),
        fill=fill,
        delimiter=data.get("delimiter"),
        encoding=data.get("encoding"),
        decimal_comma=data.get("decimal_comma"),
        date_formats=tuple(formats),
    )


def _table(data: dict[str, Any], key: str, fail: Callable[..., PresetError]) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise fail(key, expected="a table", value=quote(repr(table)))
    return table
