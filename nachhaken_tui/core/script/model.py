"""The call script's vocabulary: steps, options and scripts as data, the facts and
placeholders a script may name, and the errors of loading and answering.

It exists so that the loader (`loader`), the filling of texts (`placeholders`)
and one run through a script (`run`) share one set of types and tables
without importing each other; everything here is plain data, with no file
access and no state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.models import Outcome, Reached
from nachhaken_tui.core.text.i18n import Catalog

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
    "ShownOption",
    "ShownStep",
    "Step",
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


_OPTION_SETS = ("outcome", "reached", "fear", "loss_reason", "fear_came_true", "fear_likelihood")
CONTEXT_FACTS = tuple(name for name in FACTS if name not in _OPTION_SETS)
"""The facts the caller gives when a call starts; the others come from answers."""


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


# ------------------------------------------- shared by the loader and the run


def _holds(when: Mapping[str, frozenset[str]] | None, facts: Mapping[str, str | None]) -> bool:
    """True if every fact named in `when` has one of its listed values (no `when` always holds)."""
    return when is None or all(facts.get(fact) in values for fact, values in when.items())


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
