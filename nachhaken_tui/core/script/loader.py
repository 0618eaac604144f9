"""Loading a call script: a TOML file in, a checked, immutable `Script` out.

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
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn, cast

from nachhaken_tui.core.models import Outcome, Reached
from nachhaken_tui.core.paths import asset_path, cache_dir
from nachhaken_tui.core.safe_files import read_toml
from nachhaken_tui.core.script import model
from nachhaken_tui.core.script.model import (
    _OPTION_SETS,
    CONTEXT_FACTS,
    END,
    FACTS,
    LIKELIHOODS,
    PLACEHOLDERS,
    Kind,
    Option,
    Script,
    ScriptError,
    Step,
    _holds,
    _show,
)
from nachhaken_tui.core.script.placeholders import _TOKEN
from nachhaken_tui.core.text.i18n import LANGUAGES

__all__ = [
    "load_default_script",
    "load_script",
]

_FIELDS = {
    Kind.TEXT: ("notes", "loss_reason", "phone"),
    Kind.DATE: ("next_due",),
    Kind.SCALE: ("hesitation_before", "hesitation_after"),
}
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
    """The shipped script, its paths checked only the first time this file meets this checker.

    The whole-script path check (`_check_graph`) is nine tenths of loading a
    script, 45 ms of every start of the app; a shipped file does not change
    between starts. So once it passed, a stamp of the file and of the code
    that checked it is kept in the cache folder, and while the stamp matches
    only the checks of each step run. A changed file or a new version is
    checked in full again (and refused as ever if wrong).
    """
    path = asset_path("scripts", f"{lang}.toml")
    marker, stamp = _checked_marker(lang), _stamp(path)
    checked = False
    if marker is not None and stamp is not None:
        try:
            checked = marker.read_text(encoding="utf-8") == stamp
        except (OSError, ValueError):
            pass
    script = _build(str(path), read_toml(path), check_paths=not checked)
    if not checked and marker is not None and stamp is not None:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            partial = marker.with_name(f"{marker.name}.{os.getpid()}")
            partial.write_text(stamp, encoding="utf-8")
            os.replace(partial, marker)
        except OSError:
            pass  # a read-only cache folder costs speed, not correctness
    return script


def _checked_marker(lang: str) -> Path | None:
    """Where the stamp of the shipped script last checked in full is kept."""
    folder = cache_dir("scripts")
    return None if folder is None else folder / f"{lang}.checked"


def _stamp(path: Path) -> str | None:
    """The script file and the checker's code (this module and the model), by path, mtime and size."""
    parts = []
    for file in (path, Path(__file__), Path(model.__file__)):
        try:
            info = file.stat()
        except OSError:
            return None
        parts.append(f"{file}:{info.st_mtime_ns}:{info.st_size}")
    return "\n".join(parts)


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


def _build(file: str, data: dict, *, check_paths: bool = True) -> Script:
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
    if check_paths:
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
