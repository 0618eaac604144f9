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
  with the step's title) or "loss_reason"; `optional = true` allows an empty
  answer, which sets nothing. `next` is required.
- `kind = "date"`: `field = "next_due"`; `next` is required.
- `kind = "scale"`: `field` is "hesitation_before" or "hesitation_after";
  optional `min`/`max` (default 1 and 5, within 1..5); `next` is required.

`next = "end"` finishes the call. On load the script must also make sense as a
whole: every step reachable, no loop without a way to "end", every path to
"end" sets an outcome, and every path ending in an outcome that needs a date
(follow_up, revise) passes a date step.

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
from nachhaken_tui.core.i18n import LANGUAGES, Catalog, format_date_long, format_money, humanize_date
from nachhaken_tui.core.models import Answer, CallDraft, Offer, Outcome, Reached
from nachhaken_tui.core.paths import asset_path
from nachhaken_tui.core.safe_files import read_toml
from nachhaken_tui.core.wording import offer_name

__all__ = [
    "END",
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
    "fear",
)
"""Facts a script may use: the offer's, filled by `placeholders_for`, and `fear`,
the worry the user picked before the call (the label of the option that set
`fear`), so that the step after the call can hold it up against what happened."""


class Kind(StrEnum):
    """What a step asks for, and so which widget the UI shows."""

    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"
    SCALE = "scale"


_FIELDS = {
    Kind.TEXT: ("notes", "loss_reason"),
    Kind.DATE: ("next_due",),
    Kind.SCALE: ("hesitation_before", "hesitation_after"),
}
_OPTION_SETS = ("outcome", "reached", "fear", "loss_reason", "fear_came_true")
_STEP_KEYS = ("id", "kind", "title", "say", "question", "options", "field", "next", "optional", "min", "max")
_OPTION_KEYS = ("key", "label", "next", *_OPTION_SETS)
_ONLY_FOR = {
    "options": (Kind.CHOICE,),
    "field": tuple(_FIELDS),
    "next": tuple(_FIELDS),
    "optional": (Kind.TEXT,),
    "min": (Kind.SCALE,),
    "max": (Kind.SCALE,),
}
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
                "de": 'der Bereich {low}–{high} geht nicht: er muss in 1–5 liegen, '
                '"min" kleiner als "max"',
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
    loss_reason, fear_came_true); `next` is END when the option finishes.
    """

    key: str
    label: str
    next: str
    sets: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Step:
    """One step as written in the file (templates unfilled)."""

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

    def targets(self) -> tuple[str, ...]:
        """Where this step can lead (END included)."""
        return tuple(option.next for option in self.options) if self.options else (self.next or END,)


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
    scale step.
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
        if kind is Kind.CHOICE:
            return Step(sid, kind, title, say, question, options=self.options(sid, raw, fallbacks))
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
        return Step(sid, kind, title, say, question, field=field, next=target, optional=optional,
                    low=low if scale else None, high=high if scale else None)

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
            if "fear_came_true" in sets and not isinstance(sets["fear_came_true"], bool):
                self.fail(sid, "not_bool", key, key="fear_came_true", value=_show(sets["fear_came_true"]))
            if "next" not in item and "outcome" not in item:
                self.fail(sid, "dead_option", key)
            target = self.text(item, "next", sid, key) if "next" in item else END
            options[key] = Option(key, label, target, MappingProxyType(sets))
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
    start = next(iter(steps))
    _check_graph(load, start, steps)
    return Script(file, start, MappingProxyType(steps), MappingProxyType(dict(fallbacks)),
                  MappingProxyType(_distances_to_end(steps)))


def _distances_to_end(steps: Mapping[str, Step]) -> dict[str, int]:
    """Fewest steps from each step to the end, by breadth-first search backwards."""
    sources: dict[str, set[str]] = {}
    for step in steps.values():
        for target in step.targets():
            sources.setdefault(target, set()).add(step.id)
    distance = {END: 0}
    queue = deque([END])
    while queue:
        here = queue.popleft()
        for source in sorted(sources.get(here, ())):
            if source not in distance:
                distance[source] = distance[here] + 1
                queue.append(source)
    del distance[END]
    return distance


def _check_graph(load: _Loader, start: str, steps: Mapping[str, Step]) -> None:
    """Reachability, loops without exit, and outcome/date on every path to the end.

    The path check walks states (step, outcome so far, date given so far);
    there are few of them, so every path is covered, not just a sample.
    """
    reachable = {start}
    queue = deque([start])
    while queue:
        for target in steps[queue.popleft()].targets():
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

    State = tuple[str, str | None, bool]
    first: State = (start, None, False)
    parent: dict[State, State | None] = {first: None}
    queue_states = deque([first])

    def path_to(state: State) -> str:
        ids: list[str] = []
        current: State | None = state
        while current is not None:
            ids.append(current[0])
            current = parent[current]
        return " → ".join(reversed(ids))

    while queue_states:
        state = queue_states.popleft()
        sid, outcome, dated = state
        step = steps[sid]
        dated = dated or step.field == "next_due"
        for option, target in zip(step.options or (None,), step.targets(), strict=True):
            new_outcome = cast("str | None", option.sets.get("outcome", outcome)) if option else outcome
            if target == END:
                if new_outcome is None:
                    load.fail(sid, "no_outcome", path=path_to(state))
                if Outcome(new_outcome).needs_date and not dated:
                    load.fail(sid, "no_date", path=path_to(state), outcome=new_outcome)
                continue
            following: State = (target, new_outcome, dated)
            if following not in parent:
                parent[following] = state
                queue_states.append(following)


# ------------------------------------------------------------------ placeholders


def placeholders_for(offer: Offer, lang: str, today: dt.date) -> dict[str, str | None]:
    """The values of `PLACEHOLDERS` for one offer; None where the offer lacks the fact.

    Dates come twice: `sent_on` as a date ("Di 1. Dez 2026") and `sent_ago`
    relative to `today` ("vor 9 Tagen"), because a sentence reads better with
    one or the other. `offer` is the offer as the client knows it: its number,
    if it has one, and its title in quotes ("2026-048 ‚Website-Relaunch‘").
    """
    return {
        "client": offer.client,
        "contact": offer.contact,
        "phone": offer.phone,
        "email": offer.email,
        "title": offer.title,
        "offer": offer_name(offer.title, offer.reference, lang, nested=True),
        "value": format_money(offer.value_cents, offer.currency, lang) or None,
        "sent_on": format_date_long(offer.sent_on, lang),
        "sent_ago": humanize_date(offer.sent_on, today, lang),
        "first_talk_on": format_date_long(offer.first_talk_on, lang) if offer.first_talk_on else None,
        "first_talk_ago": humanize_date(offer.first_talk_on, today, lang) if offer.first_talk_on else None,
    }


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
    """

    def __init__(
        self,
        script: Script,
        placeholders: Mapping[str, str | None],
        started_at: str | None = None,
        *,
        today: dt.date | None = None,
    ):
        self.script = script
        self.started_at = started_at
        self._today = today
        self._values = {}
        for name, fallback in script.placeholders.items():
            value = placeholders.get(name)
            value = "" if value is None else str(value).strip()
            self._values[name] = value or fallback
        self._entries: list[_Entry] = []

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
                for number, option in enumerate(step.options, start=1)
            ),
            optional=step.optional,
            low=step.low,
            high=step.high,
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
            ("outcome", "reached", "next_due", "loss_reason", "fear", "fear_came_true",
             "hesitation_before", "hesitation_after")
        )
        notes: list[str] = []
        for entry in self._entries:
            step, value = entry.step, entry.value
            if isinstance(value, Option):
                record.update(value.sets)
            elif step.field == "notes":
                if value:
                    notes.append(f"{entry.title}: {value}")
            elif value != "":
                record[step.field] = value  # type: ignore[index]  # a step with a value has a field (loader)
        outcome, reached = record.pop("outcome"), record.pop("reached")
        return CallDraft(
            outcome=Outcome(cast(str, outcome)),
            reached=Reached(cast(str, reached)) if reached else None,
            notes="\n".join(notes) or None,
            started_at=self.started_at,
            answers=[entry.answer for entry in self._entries if entry.answer.answer],
            **record,  # type: ignore[arg-type]  # the loader checked each field's values
        )

    # helpers ---------------------------------------------------------------

    def _next_id(self) -> str:
        if not self._entries:
            return self.script.start
        last = self._entries[-1]
        if isinstance(last.value, Option):
            return last.value.next
        return last.step.next or END

    def _step(self) -> Step:
        sid = self._next_id()
        if sid == END:
            raise RuntimeError("the call script is finished; nothing left to answer")
        return self.script.steps[sid]

    def _fill(self, template: str) -> str:
        values = self._values
        for entry in reversed(self._entries):
            if isinstance(entry.value, Option) and "fear" in entry.value.sets and "fear" in values:
                values = {**values, "fear": entry.answer.answer}
                break
        return _fill(template, values)

    @staticmethod
    def _pick(step: Step, value: object) -> Option:
        if type(value) is int:
            if not 1 <= value <= len(step.options):
                raise AnswerError("pick_number", count=len(step.options))
            return step.options[value - 1]
        if isinstance(value, str):
            for option in step.options:
                if option.key == value:
                    return option
            raise AnswerError("pick_key", value=value, known=", ".join(o.key for o in step.options))
        raise AnswerError("type_choice", value=_show(value))
