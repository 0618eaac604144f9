"""Conditions in the call script: `when` on steps and options, `skip`, and their checks.

One mechanism serves every situation-dependent part of a script (the opener
by situation, coaching that fades, an offer about to expire): a step or an
option applies only if every fact it names has one of the listed values.
These tests write small scripts to tmp_path and walk them with `ScriptRun`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nachhaken_tui.core.models import Outcome
from nachhaken_tui.core.script.loader import load_default_script, load_script
from nachhaken_tui.core.script.model import CONTEXT_FACTS, END, FACTS, AnswerError, ScriptError
from nachhaken_tui.core.script.run import ScriptRun

SCRIPT = """
[placeholders]
contact = "your contact"

[[steps]]
id = "dial"
kind = "choice"
title = "Dial"
question = "Reached?"
options = [
  { key = "yes", label = "Yes", reached = "yes", next = "open_agreed" },
  { key = "no_answer", label = "No answer", reached = "no_answer", outcome = "no_answer", next = "retry" },
]

[[steps]]
id = "open_agreed"
kind = "choice"
title = "Agreed call"
say = "We agreed I would call you today."
question = "How is it?"
when = { situation = ["agreed"] }
skip = "open_first"
options = [
  { key = "won", label = "Yes", outcome = "won", next = "notes" },
  { key = "later", label = "Later", outcome = "follow_up", next = "when_date" },
]

[[steps]]
id = "open_first"
kind = "choice"
title = "First call"
say = "Has my offer reached you?"
question = "How is it?"
options = [
  { key = "won", label = "Yes", outcome = "won", next = "notes" },
  { key = "revised_sent", label = "About the revised offer", when = { situation = ["revised"] }, outcome = "won", next = "notes" },
  { key = "lost", label = "No", outcome = "lost", next = "notes" },
]

[[steps]]
id = "retry"
kind = "text"
title = "Retry"
question = "Where else to try?"
field = "notes"
optional = true
when = { reached = ["no_answer", "wrong_number"] }
skip = "notes"
next = "notes"

[[steps]]
id = "when_date"
kind = "date"
title = "When"
question = "When?"
field = "next_due"
next = "notes"

[[steps]]
id = "notes"
kind = "text"
title = "Notes"
question = "Notes"
field = "notes"
optional = true
next = "end"
"""


def _load(tmp_path: Path, text: str = SCRIPT):
    path = tmp_path / "script.toml"
    path.write_text(text, encoding="utf-8")
    return load_script(path)


def _replaced(old: str, new: str) -> str:
    assert old in SCRIPT, old
    return SCRIPT.replace(old, new, 1)


def test_a_step_whose_condition_holds_is_shown(tmp_path):
    run = ScriptRun(_load(tmp_path), {}, context={"situation": "agreed"})
    run.answer("yes")
    assert run.current.id == "open_agreed"
    assert run.current.say == "We agreed I would call you today."


@pytest.mark.parametrize("context", [{"situation": "first"}, {"situation": "unanswered"}, {}])
def test_a_step_whose_condition_fails_is_skipped_to_its_skip(tmp_path, context):
    run = ScriptRun(_load(tmp_path), {}, context=context)
    run.answer("yes")
    assert run.current.id == "open_first"
    run.answer("won")
    run.answer("")
    assert run.finished
    assert [answer.step for answer in run.history] == ["dial", "open_first", "notes"]


def test_an_option_whose_condition_fails_is_not_shown_and_cannot_be_picked(tmp_path):
    run = ScriptRun(_load(tmp_path), {}, context={"situation": "first"})
    run.answer("yes")
    assert [(o.number, o.key) for o in run.current.options] == [(1, "won"), (2, "lost")]
    with pytest.raises(AnswerError) as caught:
        run.answer("revised_sent")
    assert caught.value.key == "pick_key"
    run.answer(2)  # numbers count the shown options only
    run.answer("")
    assert run.draft().outcome is Outcome.LOST


def test_an_option_whose_condition_holds_is_shown_in_file_order(tmp_path):
    run = ScriptRun(_load(tmp_path), {}, context={"situation": "revised"})
    run.answer("yes")
    assert [o.key for o in run.current.options] == ["won", "revised_sent", "lost"]


def test_facts_set_by_earlier_answers_decide_later_steps(tmp_path):
    run = ScriptRun(_load(tmp_path), {})
    run.answer("no_answer")
    assert run.current.id == "retry"
    assert run.facts == {"reached": "no_answer", "outcome": "no_answer"}
    run.back()
    run.answer("yes")
    assert run.facts == {"reached": "yes"}


def test_back_over_a_skipped_step_returns_to_the_last_answered_one(tmp_path):
    run = ScriptRun(_load(tmp_path), {}, context={"situation": "first"})
    run.answer("yes")
    run.answer("won")
    assert run.current.id == "notes"
    assert run.back() and run.current.id == "open_first"
    assert run.back() and run.current.id == "dial"


def test_the_first_step_itself_may_be_conditional(tmp_path):
    text = SCRIPT.replace(
        '[[steps]]\nid = "dial"',
        '[[steps]]\nid = "intro"\nkind = "text"\ntitle = "Intro"\nquestion = "?"\nfield = "notes"\n'
        'optional = true\nnext = "dial"\nwhen = { situation = ["agreed"] }\nskip = "dial"\n\n'
        '[[steps]]\nid = "dial"',
        1,
    )
    script = _load(tmp_path, text)
    assert ScriptRun(script, {}, context={"situation": "first"}).current.id == "dial"
    assert ScriptRun(script, {}, context={"situation": "agreed"}).current.id == "intro"


def test_a_context_with_an_unknown_fact_or_value_is_a_caller_bug(tmp_path):
    script = _load(tmp_path)
    with pytest.raises(ValueError, match="situation"):
        ScriptRun(script, {}, context={"situation": "someday"})
    with pytest.raises(ValueError, match="weather"):
        ScriptRun(script, {}, context={"weather": "sunny"})
    with pytest.raises(ValueError, match="reached"):
        ScriptRun(script, {}, context={"reached": "yes"})  # set by answers, not by the caller


def test_the_facts_table_is_the_one_place_that_names_facts_and_values():
    assert "situation" in CONTEXT_FACTS
    assert set(FACTS["situation"]) >= {"first", "agreed", "revised", "unanswered"}
    assert {"reached", "outcome", "fear", "loss_reason"} <= set(FACTS) - set(CONTEXT_FACTS)


def test_a_new_context_value_in_the_table_is_accepted_by_loader_and_engine(tmp_path, monkeypatch):
    import nachhaken_tui.core.script.loader as loader_module
    import nachhaken_tui.core.script.run as run_module

    extended = {**FACTS, "situation": (*FACTS["situation"], "someday")}
    monkeypatch.setattr(loader_module, "FACTS", extended)
    monkeypatch.setattr(run_module, "FACTS", extended)
    text = _replaced('when = { situation = ["agreed"] }', 'when = { situation = ["someday"] }')
    run = ScriptRun(_load(tmp_path, text), {}, context={"situation": "someday"})
    run.answer("yes")
    assert run.current.id == "open_agreed"


BROKEN = [
    # (case, text, step, option, fragment of the English message)
    (
        "unknown_fact",
        _replaced('when = { situation = ["agreed"] }', 'when = { weather = ["sunny"] }'),
        "open_agreed",
        None,
        'unknown fact "weather" (known: situation,',
    ),
    (
        "unknown_value",
        _replaced('when = { situation = ["agreed"] }', 'when = { situation = ["agred"] }'),
        "open_agreed",
        None,
        "unknown value 'agred' for \"situation\" (known: first, agreed, revised",
    ),
    (
        "option_value",
        _replaced('when = { situation = ["revised"] }', 'when = { reached = ["maybe"] }'),
        "open_first",
        "revised_sent",
        "unknown value 'maybe' for \"reached\"",
    ),
    (
        "free_text_value",
        _replaced('when = { reached = ["no_answer", "wrong_number"] }', 'when = { fear = ["pushy"] }'),
        "retry",
        None,
        "unknown value 'pushy' for \"fear\" (known: -)",
    ),
    (
        "shape",
        _replaced('when = { situation = ["agreed"] }', 'when = { situation = "agreed" }'),
        "open_agreed",
        None,
        '"when" must be a table fact = ["value", ...]',
    ),
    (
        "empty_list",
        _replaced('when = { situation = ["agreed"] }', "when = { situation = [] }"),
        "open_agreed",
        None,
        '"when" must be a table',
    ),
    ("skip_missing", _replaced('skip = "open_first"\n', ""), "open_agreed", None, 'needs "skip"'),
    (
        "skip_alone",
        _replaced('id = "when_date"\n', 'id = "when_date"\nskip = "notes"\n'),
        "when_date",
        None,
        '"skip" only applies together with "when"',
    ),
    (
        "skip_unknown",
        _replaced('skip = "open_first"', 'skip = "open_frist"'),
        "open_agreed",
        None,
        'leads to unknown step "open_frist"',
    ),
    # open_first is reachable only by the skip: without it, it is unreachable
    (
        "skip_counts_for_reach",
        _replaced('skip = "open_first"', 'skip = "notes"'),
        "open_first",
        None,
        "cannot be reached",
    ),
    (
        "no_option",
        _replaced(
            '{ key = "won", label = "Yes", outcome = "won", next = "notes" },\n  { key = "revised_sent"',
            '{ key = "won", label = "Yes", outcome = "won", next = "notes", '
            'when = { situation = ["first"] } },\n  { key = "revised_sent"',
        ).replace(
            '{ key = "lost", label = "No", outcome = "lost", next = "notes" },',
            '{ key = "lost", label = "No", outcome = "lost", next = "notes", '
            'when = { situation = ["first"] } },',
        ),
        "open_first",
        None,
        "no option is shown here",
    ),
]


@pytest.mark.parametrize(("case", "text", "step", "option", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_conditions_are_refused_naming_file_step_and_problem(
    tmp_path, case, text, step, option, fragment
):
    with pytest.raises(ScriptError) as caught:
        _load(tmp_path, text)
    error = caught.value
    message = str(error)
    assert message.startswith(f"{tmp_path / 'script.toml'}: ")
    assert error.step == step
    assert error.option == option
    assert fragment in message
    assert error.message("de") != message


def test_a_skip_to_the_end_that_ends_without_an_outcome_is_refused(tmp_path):
    text = _replaced('skip = "open_first"', 'skip = "end"').replace(
        '{ key = "yes", label = "Yes", reached = "yes", next = "open_agreed" },',
        '{ key = "yes", label = "Yes", reached = "yes", next = "open_agreed" },\n'
        '  { key = "first", label = "First", next = "open_first" },',
    )
    with pytest.raises(ScriptError) as caught:
        _load(tmp_path, text)
    assert caught.value.problem == "no_outcome"
    assert caught.value.step == "open_agreed"
    assert "dial" in str(caught.value)


def test_skips_in_a_circle_are_refused(tmp_path):
    text = (
        _replaced('skip = "open_first"', 'skip = "retry"')
        .replace('skip = "notes"\nnext = "notes"', 'skip = "open_agreed"\nnext = "notes"')
        .replace(
            '{ key = "yes", label = "Yes", reached = "yes", next = "open_agreed" },',
            '{ key = "yes", label = "Yes", reached = "yes", next = "open_agreed" },\n'
            '  { key = "first", label = "First", reached = "yes", next = "open_first" },',
        )
    )
    with pytest.raises(ScriptError) as caught:
        _load(tmp_path, text)
    assert caught.value.problem == "skip_loop"
    assert "open_agreed → retry → open_agreed" in str(caught.value)


def test_a_step_without_any_visible_option_in_some_situation_names_the_path(tmp_path):
    case = next(b for b in BROKEN if b[0] == "no_option")
    with pytest.raises(ScriptError) as caught:
        _load(tmp_path, case[1])
    assert "dial → open_first" in str(caught.value)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_shipped_scripts_run_in_every_situation(lang):
    script = load_default_script(lang)
    for situation in (*FACTS["situation"], None):
        context = {"situation": situation} if situation else {}
        run = ScriptRun(script, {}, context=context)
        assert run.current.id != END
