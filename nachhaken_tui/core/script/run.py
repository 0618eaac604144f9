"""One run through a call script: answers in, a `CallDraft` out.

Kept apart from loading because a run is pure state, used once per call,
while a loaded `Script` is immutable and serves every call.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from nachhaken_tui.core.models import Answer, CallDraft, Outcome, Reached
from nachhaken_tui.core.script.model import (
    CONTEXT_FACTS,
    END,
    FACTS,
    AnswerError,
    Kind,
    Option,
    Script,
    ShownOption,
    ShownStep,
    Step,
    _holds,
    _show,
)
from nachhaken_tui.core.script.placeholders import _fill

__all__ = ["ScriptRun"]

_STATS_SETS = ("fear_came_true", "fear_likelihood")
"""Option effects that feed the user's own numbers: their steps get no pre-selected answer."""
_PHONE = re.compile(r"(?:tel:)?\s*\+?[\d\s()./\-]*\d[\d\s()./\-]*")
"""What a `phone` text answer must look like to become the offer's new number."""


def _feeds_stats(step: Step) -> bool:
    """A hesitation rating, or a choice that records how a fear turned out."""
    return step.kind is Kind.SCALE or any(
        name in option.sets for option in step.options for name in _STATS_SETS
    )


def _is_phone(value: object) -> bool:
    """A text answer that is a number to dial (at least 5 digits, only separators between)."""
    return (
        isinstance(value, str)
        and _PHONE.fullmatch(value) is not None
        and sum(char.isdigit() for char in value) >= 5
    )


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
