"""Which column of a CSV file feeds which field of an offer.

A file's headers are matched to the field names and their German aliases,
case- and umlaut-insensitively, a preset's column names and `--map` win over
the aliases, and a field that two columns claim is refused. This is the
import's step between reading the file (`core.exchange.csv_read`) and checking
its rows (`core.exchange.csv_import`); it has a module of its own because the
rules of who wins are a topic in themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nachhaken_tui.core.exchange.csv_read import ImportFileError
from nachhaken_tui.core.exchange.presets import CLOSING_TARGETS, IGNORE, Preset
from nachhaken_tui.core.input.fields import FIELDS, REQUIRED_FIELDS, fold, quote

__all__ = [
    "ALIASES",
    "fold_header",
    "list_columns",
    "match_columns",
    "parse_mappings",
]

ALIASES: dict[str, tuple[str, ...]] = {
    "client": ("client", "company", "customer", "kunde", "firma"),
    "contact": ("contact", "contact person", "ansprechpartner", "ansprechpartnerin", "kontakt"),
    "salutation": ("salutation", "anrede", "greeting", "briefanrede"),
    "phone": ("phone", "telephone", "tel", "telefon", "telefonnummer"),
    "email": ("email", "e-mail", "mail"),
    "title": ("title", "offer", "angebot", "titel"),
    "reference": (
        "reference",
        "offer number",
        "offer no.",
        "angebotsnr.",
        "angebotsnummer",
        "angebots-nr.",
        "vouchernumber",
        "ordernumber",
        "deal - id",
    ),
    "value": ("value", "amount", "betrag", "wert"),
    "currency": ("currency", "währung"),
    "sent_on": ("sent_on", "sent", "sent on", "date", "gesendet am", "gesendet", "datum"),
    "first_talk_on": ("first_talk_on", "first talk", "erstgespräch", "erstgespräch am"),
    # lexoffice's quotations call it expirationDate, HubSpot's quotes hs_expiration_date
    "valid_until": (
        "valid_until",
        "valid until",
        "gültig bis",
        "bindefrist",
        "expirationDate",
        "hs_expiration_date",
        "expiration date",
    ),
    "notes": ("notes", "note", "notizen", "notiz", "bemerkung", "bemerkungen"),
}
"""Header names (folded when compared) that mean each field."""


def parse_mappings(items: Iterable[str]) -> dict[str, str]:
    """`--map` values ("Deal - Title=title") as {column: field}; fields are checked on import.

    The last `=` separates, so a column name may itself contain one.

    Raises:
        ImportFileError: an item without `=` or with an empty column.
    """
    mapping: dict[str, str] = {}
    for item in items:
        column, equals, target = item.rpartition("=")
        if not equals or not column.strip():
            raise ImportFileError("map_syntax", mapping=quote(item))
        mapping[column.strip()] = target.strip()
    return mapping


def match_columns(
    header: list[str], mapping: Mapping[str, str], preset: Preset | None = None
) -> tuple[dict[str, int], list[str]]:
    """Field -> column index, and the headers that feed no field.

    A `--map` wins over the preset, and both over the aliases: mapping
    "Deal - Title" to title leaves a column called "Titel" ignored instead of
    making the field ambiguous.
    """
    mapped = _preset_columns(header, preset) if preset is not None else {}
    by_preset = set(mapped)
    targets = (*FIELDS, *CLOSING_TARGETS)
    for source, wanted in mapping.items():
        shown = quote(f"{source}={wanted}")
        target_field = wanted.strip().lower()
        if target_field != IGNORE and target_field not in targets:
            raise ImportFileError("map_field", mapping=shown, field=quote(wanted), fields=", ".join(targets))
        indexes = [i for i, name in enumerate(header) if fold_header(name) == fold_header(source)]
        if not indexes:
            raise ImportFileError(
                "map_column", mapping=shown, column=quote(source), columns=list_columns(header)
            )
        if target_field != IGNORE:  # --map wins over the preset's column for the same field
            mapped.update({index: _ALTERNATIVE for index in by_preset if mapped[index] == target_field})
        mapped.update(dict.fromkeys(indexes, target_field))
    by_alias = {fold_header(name): target for target, names in ALIASES.items() for name in names}
    found: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        target: str | None = None
        if mapped.get(index) == _ALTERNATIVE:
            ignored.append(name)
        elif index in mapped:
            target = mapped[index]
        else:
            target = by_alias.get(fold_header(name))
            if target in mapped.values():
                target = None
            if target is None and name:
                ignored.append(name)
        if target is not None and target != IGNORE:
            found.setdefault(target, []).append(index)
    for target, indexes in found.items():
        if len(indexes) > 1:
            raise ImportFileError(
                "ambiguous", field=target, columns=", ".join(quote(header[i]) for i in indexes)
            )
    fillable = preset.fill if preset is not None else {}  # e.g. a title made from the offer number
    missing = [name for name in REQUIRED_FIELDS if name not in found and name not in fillable]
    if missing:
        raise ImportFileError("missing", fields=", ".join(missing), columns=list_columns(header))
    return {target: indexes[0] for target, indexes in found.items()}, ignored


_ALTERNATIVE = "\x00alternative"
"""A preset's column for a field that an earlier column (or `--map`) already feeds: ignored."""


def _preset_columns(header: list[str], preset: Preset) -> dict[int, str]:
    """Column index -> target by the preset; columns the file lacks are no error.

    The first listed column the file has feeds its field; later ones for the
    same field are alternatives (another tool version's name) and ignored.
    """
    mapped: dict[int, str] = {}
    taken: set[str] = set()
    for source, target in preset.columns:
        for index, name in enumerate(header):
            if index in mapped or fold_header(name) != fold_header(source):
                continue
            if target != IGNORE and target in taken:
                mapped[index] = _ALTERNATIVE
            else:
                mapped[index] = target
                taken.add(target)
    return mapped


def fold_header(name: str) -> str:
    return fold(name.replace("_", " ").replace("-", " "))


_LISTED_COLUMNS = 20


def list_columns(header: list[str]) -> str:
    """The header's names for a message; a 200,000-column line is not printed whole (issue 7)."""
    names = [quote(name) for name in header if name]
    if len(names) > _LISTED_COLUMNS:
        names = [*names[:_LISTED_COLUMNS], f"… ({len(names)})"]
    return ", ".join(names) or "–"
