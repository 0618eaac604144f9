"""The call script: a small state machine stored as data, and one run through it.

The script lives in TOML files (`assets/scripts/de.toml`, `en.toml`, or the
user's own file) so that wording can change without touching widgets, and so
that a user can write their own. Because a user can write one, everything is
checked on load and every problem is reported with the file, the step and
what is wrong: a call should never die halfway through on a typo.

Format
------
`[placeholders]` maps each placeholder a text uses to its fallback, the words
shown when the offer lacks that fact (e.g. `contact = "your contact"`). Known
names: see `PLACEHOLDERS`. Texts write `{name}`; `{{` and `}}` are literal
braces. Sentences are written so that value and fallback both read naturally.

`[[steps]]`, in order; the first one is where a call starts. Every step has
`id`, `kind`, `title`, `question` and optionally `say` (what to read or say).

- `kind = "choice"`: `options = [{ key, label, next?, outcome?, reached?,
  fear?, loss_reason?, fear_came_true? }, ...]`. `key` is stored, `label` is
  shown. An option leads to `next`; without `next` it finishes the call, so it
  must then set an `outcome`.
- `kind = "text"`: `field` is "notes" (collected, one line per step, prefixed
  with the step's title), "loss_reason", or "phone" (a number typed there
  becomes the offer's new number; any other text is kept as a note);
  `optional = true` allows an empty answer, which sets nothing. `next` is
  required.
- `kind = "date"`: `field = "next_due"`; `next` is required.
- `kind = "scale"`: `field` is "hesitation_before" or "hesitation_after";
  optional `min`/`max` (default 1 and 5, within 1..5); `next` is required.

`next = "end"` finishes the call. On load the script must also make sense as a
whole: every step reachable, no loop without a way to "end", every path to
"end" sets an outcome, and every path ending in an outcome that needs a date
(follow_up, revise) passes a date step.

Conditions: a step or an option may carry `when = { fact = ["value", ...] }`;
it applies only if every named fact has one of the listed values. Facts come
from the context the caller gives when a call starts (`situation`, ...) and
from earlier answers of the same call (`reached`, `outcome`, `fear`,
`loss_reason`, as set by the options picked so far); `FACTS` is the one table
of known facts and values. An option whose `when` does not hold is not shown.
A step whose `when` does not hold is skipped: the call goes on to its `skip`
step (required with `when`; `skip` may be "end" or another conditional step).
The path check above walks every combination of context values, so a script
is refused if any situation could loop, strand a step without a visible
option, or reach the end without an outcome.

Placeholder values come from user data, so filling is one regex pass over the
template only: a client called "{contact}" or "{__class__}" stays literal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn, cast

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.models import Answer, CallDraft, Offer, Outcome, Reached
from nachhaken_tui.core.paths import asset_path
from nachhaken_tui.core.safe_files import read_toml
from nachhaken_tui.core.text.i18n import LANGUAGES, Catalog, format_date_long, format_money, humanize_date
from nachhaken_tui.core.text.wording import offer_name

__all__ = [
    "CONTEXT_FACTS",
    "END",
    "FACTS",
    "LIKELIHOODS",
    "PLACEHOLDERS",
    "AnswerError",
    "Kind",
    "Option",
    "Script",
    "ScriptError",
    "ScriptRun",
    "ShownOption",
    "ShownStep",
    "Step",
    "load_default_script",
    "load_script",
    "placeholders_for",
]

END = "end"
"""The `next` that finishes a call."""

PLACEHOLDERS = (
    "client",
    "contact",
    "phone",
    "email",
    "title",
    "offer",
    "value",
    "sent_on",
    "sent_ago",
    "first_talk_on",
    "first_talk_ago",
    "valid_until",
    "fear",
    "fear_record",
    "greeting",
    "my_name",
    "my_phone",
    "suggested_day",
    "agreed_on",
    "revised_sent_on",
    "last_attempt_on",
)
"""Facts a script may use: the offer's, filled by `placeholders_for`; `fear`,
the worry the user picked before the call (the label of the option that set
`fear`), so that the step after the call can hold it up against what happened;
`fear_record`, the user's own record for that fear, worded by the caller
(see `core.calls.coaching.fear_records`); and the memory between calls and the
user's own details, filled by `core.calls.memory.memory_placeholders` (greeting,
my_name, my_phone, suggested_day, agreed_on, revised_sent_on,
last_attempt_on)."""

LIKELIHOODS = (10, 30, 50, 70, 90)
"""The guesses an option may set as `fear_likelihood` (percent): coarse on purpose."""


FACTS: Mapping[str, tuple[str, ...] | None] = MappingProxyType(
    {
        # given by the caller when a call starts (the context)
        "situation": ("first", "agreed", "revised", "unanswered", "expiring"),
        "coaching": ("full", "faded"),
        "calibration": ("on", "off"),
        # set by options picked earlier in the same call
        "reached": tuple(Reached),
        "outcome": tuple(Outcome),
        "fear": None,
        "loss_reason": None,
    }
)
"""Every fact a `when` may name, with its values: the one table to extend.

Facts that options can set (`reached`, `outcome`, `fear`, `loss_reason`) come
from earlier answers of the same call; None marks one whose values are
whatever the script's own options set. Every other fact is context, given by
the caller when a call starts (see `CONTEXT_FACTS`). A new context fact or
value is one line here; the loader and the path check pick it up."""


class Kind(StrEnum):
    """What a step asks for, and so which widget the UI shows."""

    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"
    SCALE = "scale"


_FIELDS = {
    Kind.TEXT: ("notes", "loss_reason", "phone"),
    Kind.DATE: ("next_due",),
    Kind.SCALE: ("hesitation_before", "hesitation_after"),
}
_OPTION_SETS = ("outcome", "reached", "fear", "loss_reason", "fear_came_true", "fear_likelihood")
_STATS_SETS = ("fear_came_true", "fear_likelihood")
"""Option effects that feed the user's own numbers: their steps get no pre-selected answer."""
CONTEXT_FACTS = tuple(name for name in FACTS if name not in _OPTION_SETS)
"""The facts the caller gives when a call starts; the others come from answers."""
_STEP_KEYS = (
    "id",
    "kind",
    "title",
    "say",
    "question",
    "options",
    "field",
    "next",
    "optional",
    "min",
    "max",
    "when",
    "skip",
)
_OPTION_KEYS = ("key", "label", "next", "when", *_OPTION_SETS)
_ONLY_FOR = {
    "options": (Kind.CHOICE,),
    "field": tuple(_FIELDS),
    "next": tuple(_FIELDS),
    "optional": (Kind.TEXT,),
    "min": (Kind.SCALE,),
    "max": (Kind.SCALE,),
}
_PHONE = re.compile(r"(?:tel:)?\s*\+?[\d\s()./\-]*\d[\d\s()./\-]*")
"""What a `phone` text answer must look like to become the offer's new number."""
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")


class ScriptError(UserError):
    """A script file cannot be used; the message names the file, the step and the problem.

    Attributes:
        file: the script's path as given.
        step: the step id (or "#n" for a step without one); None for the whole file.
        option: the option key (or "#n") when the problem is in one option.
    """

    catalog = Catalog(
        {
            "where_step": {"de": 'Schritt "{step}"', "en": 'step "{step}"'},
            "where_option": {"de": 'Option "{option}"', "en": 'option "{option}"'},
            "unknown_top": {
                "de": 'unbekannter Schlüssel "{key}" (bekannt: placeholders, steps)',
                "en": 'unknown top-level key "{key}" (known: placeholders, steps)',
            },
            "no_steps": {
                "de": "enthält keine Schritte; es braucht mindestens eine [[steps]]-Tabelle",
                "en": "has no steps; it needs at least one [[steps]] table",
            },
            "missing": {"de": '"{key}" fehlt', "en": 'missing "{key}"'},
            "not_text": {
                "de": '"{key}" muss ein nicht leerer Text sein, nicht {value}',
                "en": '"{key}" must be a non-empty text, not {value}',
            },
            "not_int": {
                "de": '"{key}" muss eine ganze Zahl sein, nicht {value}',
                "en": '"{key}" must be a whole number, not {value}',
            },
            "not_bool": {
                "de": '"{key}" muss true oder false sein, nicht {value}',
                "en": '"{key}" must be true or false, not {value}',
            },
            "not_table": {
                "de": '"{key}" muss eine Tabelle sein, nicht {value}',
                "en": '"{key}" must be a table, not {value}',
            },
            "not_options": {
                "de": '"options" muss eine nicht leere Liste von Optionen sein, nicht {value}',
                "en": '"options" must be a non-empty list of options, not {value}',
            },
            "unknown_key": {
                "de": 'unbekannter Schlüssel "{key}" (bekannt: {known})',
                "en": 'unknown key "{key}" (known: {known})',
            },
            "not_for_kind": {
                "de": '"{key}" gehört nicht in einen Schritt der Art "{kind}"',
                "en": '"{key}" does not belong in a "{kind}" step',
            },
            "kind": {
                "de": 'unbekannte Art "{value}" (bekannt: {known})',
                "en": 'unknown kind "{value}" (known: {known})',
            },
            "field": {
                "de": 'ein Schritt der Art "{kind}" kann "{value}" nicht füllen (möglich: {known})',
                "en": 'a "{kind}" step cannot fill "{value}" (it can fill: {known})',
            },
            "bad_value": {
                "de": '"{key}" muss eins von {known} sein, nicht {value}',
                "en": '"{key}" must be one of {known}, not {value}',
            },
            "reserved": {
                "de": 'die id "end" ist reserviert: sie beendet das Skript',
                "en": 'the id "end" is reserved: it finishes the script',
            },
            "duplicate_step": {
                "de": "diese id hat schon ein früherer Schritt",
                "en": "an earlier step already uses this id",
            },
            "duplicate_option": {
                "de": "diesen key hat schon eine frühere Option dieses Schritts",
                "en": "an earlier option of this step already uses this key",
            },
            "dead_option": {
                "de": 'hat weder "next" noch "outcome"',
                "en": 'has neither "next" nor "outcome"',
            },
            "unknown_next": {
                "de": 'führt zu unbekanntem Schritt "{target}"',
                "en": 'leads to unknown step "{target}"',
            },
            "unknown_placeholder": {
                "de": 'unbekannter Platzhalter {name} in "{part}" (bekannt: {known})',
                "en": 'unknown placeholder {name} in "{part}" (known: {known})',
            },
            "no_fallback": {
                "de": 'Platzhalter {name} in "{part}" hat keinen Ersatztext in [placeholders]',
                "en": 'placeholder {name} in "{part}" has no fallback text in [placeholders]',
            },
            "unknown_fallback": {
                "de": '[placeholders] nennt unbekannten Platzhalter "{key}" (bekannt: {known})',
                "en": '[placeholders] names unknown placeholder "{key}" (known: {known})',
            },
            "brace": {
                "de": 'einzelnes "{brace}" in "{part}"; "{brace}{brace}" schreibt eine Klammer',
                "en": 'single "{brace}" in "{part}"; write "{brace}{brace}" for a literal brace',
            },
            "scale_range": {
                "de": 'der Bereich {low}–{high} geht nicht: er muss in 1–5 liegen, "min" kleiner als "max"',
                "en": 'the range {low}–{high} is invalid: it must lie within 1–5, with "min" below "max"',
            },
            "unreachable": {
                "de": 'ist vom ersten Schritt "{start}" aus nicht erreichbar',
                "en": 'cannot be reached from the first step "{start}"',
            },
            "loop": {
                "de": 'von hier aus führt kein Weg zu "end" (die Schritte drehen sich im Kreis)',
                "en": 'no way on from here ever reaches "end" (the steps loop)',
            },
            "no_outcome": {
                "de": 'der Weg {path} erreicht "end", ohne ein outcome zu setzen',
                "en": 'the path {path} reaches "end" without setting an outcome',
            },
            "when_shape": {
                "de": '"when" muss eine Tabelle fakt = ["wert", ...] mit nicht leeren Listen sein, '
                "nicht {value}",
                "en": '"when" must be a table fact = ["value", ...] with non-empty lists, not {value}',
            },
            "when_fact": {
                "de": '"when" nennt unbekannten Fakt "{key}" (bekannt: {known})',
                "en": '"when" names unknown fact "{key}" (known: {known})',
            },
            "when_value": {
                "de": '"when" nennt für "{key}" unbekannten Wert {value} (bekannt: {known})',
                "en": '"when" names unknown value {value} for "{key}" (known: {known})',
            },
            "skip_missing": {
                "de": 'ein Schritt mit "when" braucht "skip": wohin es geht, wenn die Bedingung nicht gilt',
                "en": 'a step with "when" needs "skip": where the call goes when the condition does not hold',
            },
            "skip_alone": {
                "de": '"skip" gilt nur zusammen mit "when"',
                "en": '"skip" only applies together with "when"',
            },
            "skip_loop": {
                "de": "auf dem Weg {path} überspringen sich Schritte im Kreis ({chain})",
                "en": "on the path {path} skipped steps lead in a circle ({chain})",
            },
            "no_option": {
                "de": 'auf dem Weg {path} ist hier keine Option sichtbar: jedes "when" gilt nicht',
                "en": 'on the path {path} no option is shown here: every "when" fails',
            },
            "no_date": {
                "de": 'der Weg {path} endet mit outcome "{outcome}", das ein Datum braucht, '
                'aber kein Datums-Schritt füllt unterwegs "next_due"',
                "en": 'the path {path} ends with outcome "{outcome}", which needs a date, '
                'but no date step fills "next_due" on the way',
            },
        }
    )

    def __init__(
        self, file: str, step: str | None, problem: str, /, option: str | None = None, **facts: object
    ):
        self.file = file
        self.step = step
        self.option = option
        super().__init__(problem, **facts)

    @property
    def problem(self) -> str:
        """The problem's message key, e.g. "unknown_next" (stable, for tests and tools)."""
        return self.key

    def message(self, lang: str) -> str:
        """`file: step "x": option "y": problem`, in `lang`."""
        parts = [self.file]
        if self.step is not None:
            parts.append(self.catalog.text(lang, "where_step", step=self.step))
        if self.option is not None:
            parts.append(self.catalog.text(lang, "where_option", option=self.option))
        parts.append(self.catalog.text(lang, self.key, **self.fields))
        return ": ".join(parts)


class AnswerError(UserError, ValueError):
    """An answer the current step cannot take; the UI shows `message(lang)` and asks again."""

    catalog = Catalog(
        {
            "pick_number": {
                "de": "Wähle eine Zahl von 1 bis {count}.",
                "en": "Pick a number from 1 to {count}.",
            },
            "pick_key": {
                "de": 'Hier gibt es keine Antwort "{value}"; möglich sind: {known}.',
                "en": 'There is no answer "{value}" here; pick one of: {known}.',
            },
            "type_choice": {
                "de": "Dieser Schritt erwartet eine Optionsnummer oder einen key, nicht {value}.",
                "en": "This step expects an option number or key, not {value}.",
            },
            "type_text": {
                "de": "Dieser Schritt erwartet Text, nicht {value}.",
                "en": "This step expects text, not {value}.",
            },
            "type_date": {
                "de": "Dieser Schritt erwartet ein Datum, nicht {value}.",
                "en": "This step expects a date, not {value}.",
            },
            "type_scale": {
                "de": "Dieser Schritt erwartet eine ganze Zahl, nicht {value}.",
                "en": "This step expects a whole number, not {value}.",
            },
            "text_empty": {
                "de": "Bitte schreib ein paar Worte; dieser Schritt braucht eine Antwort.",
                "en": "Please type a few words; this step needs an answer.",
            },
            "date_past": {
                "de": "Das Datum {value} liegt in der Vergangenheit; wähle heute oder später.",
                "en": "The date {value} is in the past; pick today or later.",
            },
            "scale_range": {
                "de": "Wähle eine Zahl von {low} bis {high}.",
                "en": "Pick a number from {low} to {high}.",
            },
        }
    )


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a choice step: its stored `key`, shown `label`, and effects.

    `sets` holds the record fields it sets (outcome, reached, fear,
    loss_reason, fear_came_true); `next` is END when the option finishes;
    `when` (fact -> allowed values) hides it unless every fact matches.
    """

    key: str
    label: str
    next: str
    sets: Mapping[str, object]
    when: Mapping[str, frozenset[str]] | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One step as written in the file (templates unfilled).

    A step with `when` is shown only if every named fact has one of the
    listed values; otherwise the call goes on to `skip`.
    """

    id: str
    kind: Kind
    title: str
    say: str
    question: str
    options: tuple[Option, ...] = ()
    field: str | None = None
    next: str | None = None
    optional: bool = False
    low: int | None = None
    high: int | None = None
    when: Mapping[str, frozenset[str]] | None = None
    skip: str | None = None

    def targets(self) -> tuple[str, ...]:
        """Where answering this step can lead (END included); `skip` is not an answer."""
        return tuple(option.next for option in self.options) if self.options else (self.next or END,)

    def edges(self) -> tuple[str, ...]:
        """Everywhere a call can go on from here: `targets()` plus `skip`."""
        return self.targets() + ((self.skip,) if self.skip else ())


@dataclass(frozen=True, slots=True)
class Script:
    """A loaded, validated script. Immutable, so one load serves every call.

    Attributes:
        path: the file it came from, as given.
        start: the first step's id.
        steps: id -> step, in file order.
        placeholders: placeholder name -> fallback text.
        remaining: id -> fewest steps from there to the end (the step itself
            included), for "step 3 of ~6".
    """

    path: str
    start: str
    steps: Mapping[str, Step]
    placeholders: Mapping[str, str]
    remaining: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class ShownOption:
    """An option as the UI shows it: `number` is the key to press (1..n)."""

    number: int
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class ShownStep:
    """The current step with placeholders filled; everything the UI renders.

    `optional` is for text steps (Enter on empty skips); `low`/`high` bound a
    scale step. `preselect` is False for a question whose answer feeds the
    user's own numbers (a hesitation rating, "did it happen?"): the UI then
    highlights nothing, so a stray Enter cannot record an answer.
    """

    id: str
    kind: Kind
    title: str
    say: str
    question: str
    options: tuple[ShownOption, ...] = ()
    optional: bool = False
    low: int | None = None
    high: int | None = None
    preselect: bool = True


# --------------------------------------------------------------------- loading


def load_script(path: Path) -> Script:
    """Read and validate a script file.

    Raises:
        FileRefused: not a regular file, larger than 1 MiB, not UTF-8, or not
            valid TOML (with its line); the message names the file.
        ScriptError: any structural problem; the message names file, step
            and problem.
    """
    return _build(str(path), read_toml(Path(path)))


def load_default_script(lang: str) -> Script:
    """The shipped script in `lang` ("de" or "en"; anything else gets English).

    Loaded once per language: a Script is immutable, and every call uses it.
    """
    return _load_shipped(lang if lang in LANGUAGES else "en")


@cache
def _load_shipped(lang: str) -> Script:
    return load_script(asset_path("scripts", f"{lang}.toml"))


def _feeds_stats(step: Step) -> bool:
    """A hesitation rating, or a choice that records how a fear turned out."""
    return step.kind is Kind.SCALE or any(
        name in option.sets for option in step.options for name in _STATS_SETS
    )


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Loader:
    """Turns parsed TOML into a Script, raising on the first problem found."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, step: str | None, problem: str, option: str | None = None, **facts: object) -> NoReturn:
        raise ScriptError(self.file, step, problem, option=option, **facts)

    def text(
        self,
        table: dict,
        key: str,
        step: str | None,
        option: str | None = None,
        *,
        required: bool = True,
        empty_ok: bool = False,
    ) -> str:
        if key not in table:
            if required:
                self.fail(step, "missing", option, key=key)
            return ""
        value = table[key]
        if not isinstance(value, str) or not (empty_ok or value.strip()):
            self.fail(step, "not_text", option, key=key, value=_show(value))
        return value

    def check_keys(
        self, table: dict, known: tuple[str, ...], step: str | None, option: str | None = None
    ) -> None:
        for key in table:
            if key not in known:
                self.fail(step, "unknown_key", option, key=key, known=", ".join(known))

    def template(
        self, text: str, part: str, step: str, option: str | None, fallbacks: Mapping[str, str]
    ) -> None:
        for match in _TOKEN.finditer(text):
            token, name = match.group(0), match.group(1)
            if token in ("{", "}"):
                self.fail(step, "brace", option, brace=token, part=part)
            if name is None:
                continue
            if name not in PLACEHOLDERS:
                known = ", ".join(PLACEHOLDERS)
                self.fail(step, "unknown_placeholder", option, name=token, part=part, known=known)
            if name not in fallbacks:
                self.fail(step, "no_fallback", option, name=token, part=part)

    def step(self, index: int, raw: object, fallbacks: Mapping[str, str]) -> Step:
        where = f"#{index}"
        if not isinstance(raw, dict):
            self.fail(where, "not_table", key="steps", value=_show(raw))
        sid = self.text(raw, "id", where)
        if sid == END:
            self.fail(sid, "reserved")
        self.check_keys(raw, _STEP_KEYS, sid)
        kind_text = self.text(raw, "kind", sid)
        if kind_text not in Kind.__members__.values():
            self.fail(sid, "kind", value=kind_text, known=", ".join(Kind))
        kind = Kind(kind_text)
        for key, kinds in _ONLY_FOR.items():
            if key in raw and kind not in kinds:
                self.fail(sid, "not_for_kind", key=key, kind=kind.value)
        title, question = self.text(raw, "title", sid), self.text(raw, "question", sid)
        say = self.text(raw, "say", sid, required=False, empty_ok=True)
        for part, text in (("title", title), ("say", say), ("question", question)):
            self.template(text, part, sid, None, fallbacks)
        when = self.when(raw, sid, None)
        if when is not None and "skip" not in raw:
            self.fail(sid, "skip_missing")
        if when is None and "skip" in raw:
            self.fail(sid, "skip_alone")
        skip = self.text(raw, "skip", sid) if when is not None else None
        if kind is Kind.CHOICE:
            return Step(
                sid,
                kind,
                title,
                say,
                question,
                options=self.options(sid, raw, fallbacks),
                when=when,
                skip=skip,
            )
        field = self.text(raw, "field", sid)
        if field not in _FIELDS[kind]:
            self.fail(sid, "field", kind=kind.value, value=field, known=", ".join(_FIELDS[kind]))
        target = self.text(raw, "next", sid)
        optional = raw.get("optional", False)
        if not isinstance(optional, bool):
            self.fail(sid, "not_bool", key="optional", value=_show(optional))
        low, high = raw.get("min", 1), raw.get("max", 5)
        for key, number in (("min", low), ("max", high)):
            if type(number) is not int:
                self.fail(sid, "not_int", key=key, value=_show(number))
        if kind is Kind.SCALE and not 1 <= low < high <= 5:
            self.fail(sid, "scale_range", low=low, high=high)
        scale = kind is Kind.SCALE
        return Step(
            sid,
            kind,
            title,
            say,
            question,
            field=field,
            next=target,
            optional=optional,
            low=low if scale else None,
            high=high if scale else None,
            when=when,
            skip=skip,
        )

    def when(self, table: dict, sid: str, option: str | None) -> Mapping[str, frozenset[str]] | None:
        """A `when` table checked against `FACTS` (free-text values later, in `_check_when_values`)."""
        if "when" not in table:
            return None
        raw = table["when"]
        if not isinstance(raw, dict) or not raw:
            self.fail(sid, "when_shape", option, value=_show(raw))
        when: dict[str, frozenset[str]] = {}
        for fact, values in raw.items():
            if fact not in FACTS:
                self.fail(sid, "when_fact", option, key=fact, known=", ".join(FACTS))
            if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
                self.fail(sid, "when_shape", option, value=_show(raw))
            known = FACTS[fact]
            for value in values:
                if known is not None and value not in known:
                    self.fail(sid, "when_value", option, key=fact, value=_show(value), known=", ".join(known))
            when[fact] = frozenset(values)
        return MappingProxyType(when)

    def options(self, sid: str, raw: dict, fallbacks: Mapping[str, str]) -> tuple[Option, ...]:
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or not raw_options:
            self.fail(sid, "not_options", value=_show(raw_options))
        options: dict[str, Option] = {}
        for number, item in enumerate(raw_options, start=1):
            where = f"#{number}"
            if not isinstance(item, dict):
                self.fail(sid, "not_table", where, key="options", value=_show(item))
            key = self.text(item, "key", sid, where)
            if key in options:
                self.fail(sid, "duplicate_option", key)
            self.check_keys(item, _OPTION_KEYS, sid, key)
            label = self.text(item, "label", sid, key)
            self.template(label, "label", sid, key, fallbacks)
            sets = {name: item[name] for name in _OPTION_SETS if name in item}
            for name, allowed in (("outcome", Outcome), ("reached", Reached)):
                if name in sets and sets[name] not in allowed.__members__.values():
                    known = ", ".join(allowed)
                    self.fail(sid, "bad_value", key, key=name, value=_show(sets[name]), known=known)
            for name in ("fear", "loss_reason"):
                if name in sets:
                    self.text(item, name, sid, key)
            if "fear_likelihood" in sets and sets["fear_likelihood"] not in LIKELIHOODS:
                known = ", ".join(map(str, LIKELIHOODS))
                self.fail(
                    sid,
                    "bad_value",
                    key,
                    key="fear_likelihood",
                    value=_show(sets["fear_likelihood"]),
                    known=known,
                )
            if "fear_came_true" in sets and not isinstance(sets["fear_came_true"], bool):
                self.fail(sid, "not_bool", key, key="fear_came_true", value=_show(sets["fear_came_true"]))
            if "next" not in item and "outcome" not in item:
                self.fail(sid, "dead_option", key)
            target = self.text(item, "next", sid, key) if "next" in item else END
            options[key] = Option(key, label, target, MappingProxyType(sets), self.when(item, sid, key))
        return tuple(options.values())


def _build(file: str, data: dict) -> Script:
    load = _Loader(file)
    for key in data:
        if key not in ("placeholders", "steps"):
            load.fail(None, "unknown_top", key=key)
    fallbacks = data.get("placeholders", {})
    if not isinstance(fallbacks, dict):
        load.fail(None, "not_table", key="placeholders", value=_show(fallbacks))
    for name in fallbacks:
        if name not in PLACEHOLDERS:
            load.fail(None, "unknown_fallback", key=name, known=", ".join(PLACEHOLDERS))
        load.text(fallbacks, name, None)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        load.fail(None, "no_steps")
    steps: dict[str, Step] = {}
    for index, raw in enumerate(raw_steps, start=1):
        step = load.step(index, raw, fallbacks)
        if step.id in steps:
            load.fail(step.id, "duplicate_step")
        steps[step.id] = step
    for step in steps.values():
        for option, target in zip(step.options or (None,), step.targets(), strict=True):
            if target != END and target not in steps:
                load.fail(step.id, "unknown_next", option.key if option else None, target=target)
        if step.skip is not None and step.skip != END and step.skip not in steps:
            load.fail(step.id, "unknown_next", target=step.skip)
    _check_when_values(load, steps)
    start = next(iter(steps))
    _check_graph(load, start, steps)
    return Script(
        file,
        start,
        MappingProxyType(steps),
        MappingProxyType(dict(fallbacks)),
        MappingProxyType(_distances_to_end(steps)),
    )


def _check_when_values(load: _Loader, steps: Mapping[str, Step]) -> None:
    """Free-text facts (`fear`, `loss_reason`) may only name values some option sets."""
    set_by_options: dict[str, set[str]] = {}
    for step in steps.values():
        for option in step.options:
            for fact, value in option.sets.items():
                if fact in FACTS and isinstance(value, str):
                    set_by_options.setdefault(fact, set()).add(value)
    for step in steps.values():
        conditions: list[tuple[str | None, Mapping[str, frozenset[str]] | None]] = [
            (None, step.when),
            *((o.key, o.when) for o in step.options),
        ]
        for key, when in conditions:
            for fact, values in (when or {}).items():
                known = set_by_options.get(fact, set())
                for value in sorted(values):
                    if FACTS[fact] is None and value not in known:
                        load.fail(
                            step.id,
                            "when_value",
                            key,
                            key=fact,
                            value=_show(value),
                            known=", ".join(sorted(known)) or "-",
                        )


def _holds(when: Mapping[str, frozenset[str]] | None, facts: Mapping[str, str | None]) -> bool:
    """True if every fact named in `when` has one of its listed values (no `when` always holds)."""
    return when is None or all(facts.get(fact) in values for fact, values in when.items())


def _distances_to_end(steps: Mapping[str, Step]) -> dict[str, int]:
    """Fewest steps from each step to the end; a step that may be skipped costs nothing that way.

    Relaxed until nothing changes (scripts are small): a step costs one plus
    its nearest target, or, if it has a `skip`, the distance of that.
    """
    distance: dict[str, int] = {END: 0}
    changed = True
    while changed:
        changed = False
        for step in steps.values():
            ways = [distance[t] + 1 for t in step.targets() if t in distance]
            if step.skip is not None and step.skip in distance:
                ways.append(distance[step.skip])
            if ways and min(ways) < distance.get(step.id, 1 << 30):
                distance[step.id] = min(ways)
                changed = True
    del distance[END]
    return distance


def _check_graph(load: _Loader, start: str, steps: Mapping[str, Step]) -> None:
    """Reachability, loops without exit, and outcome/date on every path to the end.

    The path check walks states (step, outcome so far, date given so far,
    facts so far) from the start under every combination of context values
    (a context fact may also be missing); there are few of them, so every
    path is covered, not just a sample. Skips are followed as the engine
    follows them, so a skip circle or a step left without a visible option is
    found here rather than during a call.
    """
    reachable = {start}
    queue = deque([start])
    while queue:
        for target in steps[queue.popleft()].edges():
            if target != END and target not in reachable:
                reachable.add(target)
                queue.append(target)
    for sid in steps:
        if sid not in reachable:
            load.fail(sid, "unreachable", start=start)
    finishing = _distances_to_end(steps)
    for sid in steps:
        if sid not in finishing:
            load.fail(sid, "loop")

    named = {
        fact
        for step in steps.values()
        for when in (step.when, *(o.when for o in step.options))
        for fact in (when or {})
    }
    tracked = sorted(named - set(CONTEXT_FACTS))
    Facts = tuple[tuple[str, str | None], ...]
    State = tuple[str, str | None, bool, Facts]
    parent: dict[State, State | None] = {}
    queue_states: deque[State] = deque()
    sources: dict[State, set[State]] = {}
    """State -> the states that lead to it, to find states with no way to the end."""
    finishing_states: set[State] = set()

    def path_to(state: State | None) -> str:
        ids: list[str] = []
        while state is not None:
            ids.append(state[0])
            state = parent[state]
        return " → ".join(reversed(ids)) or start

    def arrive(target: str, outcome: str | None, dated: bool, facts: Facts, came_from: State | None) -> None:
        """Follow skips from `target` like the engine does, then queue the state reached."""
        known = dict(facts)
        chain: list[str] = []
        where = came_from[0] if came_from else start
        while target != END and not _holds(steps[target].when, known):
            if target in chain:
                load.fail(target, "skip_loop", path=path_to(came_from), chain=" → ".join([*chain, target]))
            chain.append(target)
            target = steps[target].skip  # type: ignore[assignment]
        if target == END:
            where = chain[-1] if chain else where
            if came_from is not None:
                finishing_states.add(came_from)
            if outcome is None:
                load.fail(where, "no_outcome", path=path_to(came_from))
            if Outcome(outcome).needs_date and not dated:
                load.fail(where, "no_date", path=path_to(came_from), outcome=outcome)
            return
        state: State = (target, outcome, dated, facts)
        if came_from is not None:
            sources.setdefault(state, set()).add(came_from)
        if state not in parent:
            parent[state] = came_from
            queue_states.append(state)

    def contexts(names: tuple[str, ...]) -> list[dict[str, str | None]]:
        if not names:
            return [{}]
        values = (None, *(FACTS[names[0]] or ()))
        return [{names[0]: value, **rest} for value in values for rest in contexts(names[1:])]

    for context in contexts(CONTEXT_FACTS):
        facts = tuple(sorted({**context, **dict.fromkeys(tracked)}.items()))
        arrive(start, None, False, facts, None)

    while queue_states:
        state = queue_states.popleft()
        sid, outcome, dated, facts = state
        step = steps[sid]
        dated = dated or step.field == "next_due"
        known = dict(facts)
        if not step.options:
            arrive(step.targets()[0], outcome, dated, facts, state)
            continue
        shown = [option for option in step.options if _holds(option.when, known)]
        if not shown:
            load.fail(sid, "no_option", path=path_to(state))
        for option in shown:
            new_outcome = cast("str | None", option.sets.get("outcome", outcome))
            new_facts = facts
            changes = {fact: cast(str, option.sets[fact]) for fact in tracked if fact in option.sets}
            if changes:
                new_facts = tuple(sorted({**known, **changes}.items()))
            arrive(option.next, new_outcome, dated, new_facts, state)

    # With the facts of a call taken into account, a loop may have no exit even
    # though every step on its own can reach "end" (a skip chain that only
    # leads back for one fear, say): every state reached must still reach it.
    can_finish = set(finishing_states)
    queue_states.extend(finishing_states)
    while queue_states:
        for source in sources.get(queue_states.popleft(), ()):
            if source not in can_finish:
                can_finish.add(source)
                queue_states.append(source)
    for state in parent:
        if state not in can_finish:
            load.fail(state[0], "loop")
            new_outcome = cast("str | None", option.sets.get("outcome", outcome))
            new_facts = facts
            changes = {fact: cast(str, option.sets[fact]) for fact in tracked if fact in option.sets}
            if changes:
                new_facts = tuple(sorted({**known, **changes}.items()))
            arrive(option.next, new_outcome, dated, new_facts, state)


# ------------------------------------------------------------------ placeholders


def placeholders_for(offer: Offer, lang: str, today: dt.date) -> dict[str, str | None]:
    """The values of `PLACEHOLDERS` for one offer; None where the offer lacks the fact.

    Dates come twice: `sent_on` as a date ("Di 1. Dez 2026") and `sent_ago`
    relative to `today` ("vor 9 Tagen"), because a sentence reads better with
    one or the other. A first talk as long ago as the offer in words is
    "kurz vor dem Versand", so a sentence never says "vor 4 Wochen" twice.
    Without a contact person the client is named ("Müller Bau GmbH anzurufen"). `offer` is the offer as the client knows it: its number,
    if it has one, and its title in quotes ("2026-048 ‚Website-Relaunch‘").
    """
    sent_ago = humanize_date(offer.sent_on, today, lang)
    talk_ago = humanize_date(offer.first_talk_on, today, lang) if offer.first_talk_on else None
    if talk_ago == sent_ago:  # not "vor 4 Wochen … vor 4 Wochen" in one sentence
        talk_ago = _SHORTLY_BEFORE["de" if lang == "de" else "en"]
    return {
        "client": offer.client,
        "contact": offer.contact or offer.client,  # "Müller Bau GmbH anzurufen", not "deine Ansprechperson"
        "phone": offer.phone,
        "email": offer.email,
        "title": offer.title,
        "offer": offer_name(offer.title, offer.reference, lang, nested=True),
        "value": format_money(offer.value_cents, offer.currency, lang) or None,
        "sent_on": format_date_long(offer.sent_on, lang),
        "sent_ago": sent_ago,
        "first_talk_on": format_date_long(offer.first_talk_on, lang) if offer.first_talk_on else None,
        "first_talk_ago": talk_ago,
        "valid_until": format_date_long(offer.valid_until, lang) if offer.valid_until else None,
    }


_SHORTLY_BEFORE = {"de": "kurz vor dem Versand", "en": "shortly before"}
"""`first_talk_ago` when the talk and the offer are equally long ago in words."""


def _is_phone(value: object) -> bool:
    """A text answer that is a number to dial (at least 5 digits, only separators between)."""
    return (
        isinstance(value, str)
        and _PHONE.fullmatch(value) is not None
        and sum(char.isdigit() for char in value) >= 5
    )


def _fill(template: str, values: Mapping[str, str]) -> str:
    """Substitute in one pass over the template; values are never scanned again."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return values[match.group(1)]

    return _TOKEN.sub(replace, template)


# ------------------------------------------------------------------------ runs


@dataclass(frozen=True, slots=True)
class _Entry:
    step: Step
    value: object  # Option, str, date or int
    answer: Answer
    title: str


class ScriptRun:
    """One walk through a script for one call: answers in, a CallDraft out.

    Pure state: no I/O, no clock (except what is passed in). The state is the
    list of answers; everything else (current step, record fields) is derived
    from it, so `back()` is just dropping the last answer.

    Args:
        script: a loaded script.
        placeholders: offer facts by name (see `placeholders_for`); None, empty
            or missing names get the script's fallback text.
        started_at: when the call started (ISO text), passed on to the draft.
        today: if given, date answers before it are refused.
        context: values of `CONTEXT_FACTS` for this call (e.g. situation);
            a fact left out has no value, so no `when` naming it holds.
        fear_records: fear key -> the user's own record for it, in words,
            filling `{fear_record}` once that fear is picked (the script's
            fallback before, and for a fear without an entry).

    Raises:
        ValueError: the context names an unknown fact or value (a caller bug).
    """

    def __init__(
        self,
        script: Script,
        placeholders: Mapping[str, str | None],
        started_at: str | None = None,
        *,
        today: dt.date | None = None,
        context: Mapping[str, str] | None = None,
        fear_records: Mapping[str, str] | None = None,
    ):
        self.script = script
        self.started_at = started_at
        self._today = today
        self._context = dict(context or {})
        self._fear_records = dict(fear_records or {})
        for fact, value in self._context.items():
            if fact not in CONTEXT_FACTS or value not in (FACTS[fact] or ()):
                raise ValueError(f"unknown context fact {fact}={value!r}")
        self._values: dict[str, str] = {}
        self.refill(placeholders)
        self._entries: list[_Entry] = []

    def refill(self, placeholders: Mapping[str, str | None]) -> None:
        """Take new offer facts (after the offer was edited mid-call); answers and step stay."""
        values = {}
        for name, fallback in self.script.placeholders.items():
            given = placeholders.get(name)
            value = "" if given is None else str(given).strip()
            values[name] = value or fallback
        self._values = values

    # state ---------------------------------------------------------------

    @property
    def finished(self) -> bool:
        """True once an answer led to the end; then `draft()` is available."""
        return self._next_id() == END

    @property
    def position(self) -> int:
        """1-based number of the current step (of the last one, once finished)."""
        return len(self._entries) + (0 if self.finished else 1)

    @property
    def remaining(self) -> int:
        """Fewest steps still to answer, the current one included (0 when finished)."""
        return 0 if self.finished else self.script.remaining[self._next_id()]

    @property
    def estimated_total(self) -> int:
        """Steps answered plus the fewest still to come: the "~6" in "step 3 of ~6"."""
        return len(self._entries) + self.remaining

    @property
    def history(self) -> tuple[Answer, ...]:
        """Every step answered so far, as shown (skipped optional texts as "")."""
        return tuple(entry.answer for entry in self._entries)

    @property
    def current(self) -> ShownStep:
        """The step to show now. Raises RuntimeError once finished."""
        step = self._step()
        fill = self._fill
        return ShownStep(
            id=step.id,
            kind=step.kind,
            title=fill(step.title),
            say=fill(step.say),
            question=fill(step.question),
            options=tuple(
                ShownOption(number, option.key, fill(option.label))
                for number, option in enumerate(self._shown_options(step), start=1)
            ),
            optional=step.optional,
            low=step.low,
            high=step.high,
            preselect=not _feeds_stats(step),
        )

    # actions ---------------------------------------------------------------

    def answer(self, value: str | int | dt.date) -> None:
        """Answer the current step and move on.

        `value` by kind: choice -> option key (str) or number (int, 1..n);
        text -> str (surrounding space dropped; "" skips an optional step);
        date -> datetime.date; scale -> int within the step's range.

        Raises:
            AnswerError (a ValueError): the value does not fit; nothing changed.
            RuntimeError: the run is already finished.
        """
        step = self._step()
        kind = step.kind
        stored: object = value
        if kind is Kind.CHOICE:
            stored = option = self._pick(step, value)
            shown = self._fill(option.label)
        elif kind is Kind.TEXT:
            if not isinstance(value, str):
                raise AnswerError("type_text", value=_show(value))
            stored = shown = value.strip()
            if not shown and not step.optional:
                raise AnswerError("text_empty")
        elif kind is Kind.DATE:
            if isinstance(value, dt.datetime):
                stored = value = value.date()
            if not isinstance(value, dt.date):
                raise AnswerError("type_date", value=_show(value))
            if self._today is not None and value < self._today:
                raise AnswerError("date_past", value=value.isoformat())
            shown = value.isoformat()
        else:
            if type(value) is not int:
                raise AnswerError("type_scale", value=_show(value))
            if not step.low <= value <= step.high:  # type: ignore[operator]  # a scale step has both ends (loader)
                raise AnswerError("scale_range", low=step.low, high=step.high)
            shown = str(value)
        answer = Answer(step.id, self._fill(step.question), shown)
        self._entries.append(_Entry(step, stored, answer, self._fill(step.title)))

    def back(self) -> bool:
        """Undo the last answer and return to its step; False at the first step."""
        if not self._entries:
            return False
        self._entries.pop()
        return True

    def draft(self) -> CallDraft:
        """The finished call as a CallDraft (answers as shown, fields as set).

        Raises:
            RuntimeError: the run has not reached the end yet.
        """
        if not self.finished:
            raise RuntimeError("the call script is not finished yet")
        record: dict[str, object] = dict.fromkeys(
            (
                "outcome",
                "reached",
                "next_due",
                "loss_reason",
                "fear",
                "fear_came_true",
                "hesitation_before",
                "hesitation_after",
                "fear_likelihood",
            )
        )
        notes: list[str] = []
        phone: str | None = None
        for entry in self._entries:
            step, value = entry.step, entry.value
            if isinstance(value, Option):
                record.update(value.sets)
            elif step.field == "notes" or (step.field == "phone" and not _is_phone(value)):
                if value:
                    notes.append(f"{entry.title}: {value}")
            elif step.field == "phone":
                phone = cast(str, value)
            elif value != "":
                record[step.field] = value  # type: ignore[index]  # a step with a value has a field (loader)
        outcome, reached = record.pop("outcome"), record.pop("reached")
        coaching = self._context.get("coaching")
        if coaching == "faded" and record["fear"] is not None:
            coaching = "full"  # the user asked for the full coaching on this call
        return CallDraft(
            coaching=coaching,
            outcome=Outcome(cast(str, outcome)),
            reached=Reached(cast(str, reached)) if reached else None,
            notes="\n".join(notes) or None,
            started_at=self.started_at,
            answers=[entry.answer for entry in self._entries if entry.answer.answer],
            phone=phone,
            **record,  # type: ignore[arg-type]  # the loader checked each field's values
        )

    # helpers ---------------------------------------------------------------

    @property
    def facts(self) -> dict[str, str]:
        """The context plus every fact set by the options picked so far (latest wins)."""
        facts = dict(self._context)
        for entry in self._entries:
            if isinstance(entry.value, Option):
                facts.update({k: v for k, v in entry.value.sets.items() if k in FACTS and isinstance(v, str)})
        return facts

    def _next_id(self) -> str:
        if not self._entries:
            target = self.script.start
        else:
            last = self._entries[-1]
            target = last.value.next if isinstance(last.value, Option) else last.step.next or END
        facts = self.facts
        steps = self.script.steps
        while target != END and not _holds(steps[target].when, facts):
            target = steps[target].skip or END  # the loader refuses skip circles
        return target

    def _shown_options(self, step: Step) -> tuple[Option, ...]:
        facts = self.facts
        return tuple(option for option in step.options if _holds(option.when, facts))

    def _step(self) -> Step:
        sid = self._next_id()
        if sid == END:
            raise RuntimeError("the call script is finished; nothing left to answer")
        return self.script.steps[sid]

    def _fill(self, template: str) -> str:
        values = self._values
        for entry in reversed(self._entries):
            if isinstance(entry.value, Option) and "fear" in entry.value.sets:
                values = {**values}
                if "fear" in values:
                    values["fear"] = entry.answer.answer
                record = self._fear_records.get(str(entry.value.sets["fear"]))
                if record and "fear_record" in values:
                    values["fear_record"] = record
                break
        return _fill(template, values)

    def _pick(self, step: Step, value: object) -> Option:
        options = self._shown_options(step)
        if type(value) is int:
            if not 1 <= value <= len(options):
                raise AnswerError("pick_number", count=len(options))
            return options[value - 1]
        if isinstance(value, str):
            for option in options:
                if option.key == value:
                    return option
            raise AnswerError("pick_key", value=value, known=", ".join(o.key for o in options))
        raise AnswerError("type_choice", value=_show(value))
