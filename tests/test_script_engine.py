"""The call script engine and the shipped scripts.

Every branch of the default script is walked in both languages down to its
outcome; broken scripts are written to tmp_path and must be refused with a
message naming the file, the step and the problem.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nachhaken_tui.core.models import Answer, Offer, Outcome, Reached, Status
from nachhaken_tui.core.safe_files import FileRefused
from nachhaken_tui.core.script.loader import load_default_script, load_script
from nachhaken_tui.core.script.model import END, AnswerError, Kind, Script, ScriptError
from nachhaken_tui.core.script.placeholders import placeholders_for
from nachhaken_tui.core.script.run import ScriptRun

LANGS = ("de", "en")
DATE = dt.date(2026, 12, 3)
FULL = {
    "client": "Berger Bau GmbH",
    "contact": "Frau Berger",
    "phone": "+49 30 1234567",
    "email": "berger@example.com",
    "title": "Website-Relaunch",
    "offer": "2026-048 ‘Website-Relaunch’",
    "value": "4.800 €",
    "sent_on": "Di 17. Nov 2026",
    "sent_ago": "vor 9 Tagen",
    "first_talk_on": "Mo 9. Nov 2026",
    "first_talk_ago": "vor 17 Tagen",
}
FALLBACKS = {
    "de": {"contact": "deine Ansprechperson", "sent_ago": "kürzlich", "first_talk_ago": "vorher"},
    "en": {"contact": "your contact", "sent_ago": "recently", "first_talk_ago": "beforehand"},
}
NOTE_TITLES = {
    "de": {
        "wrap_up": "Notizen",
        "wrong_number": "Falsche Nummer",
        "questions": "Offene Fragen",
        "adapt": "Was sich ändern soll",
        "voicemail": "Mailbox",
    },
    "en": {
        "wrap_up": "Notes",
        "wrong_number": "Wrong number",
        "questions": "Their questions",
        "adapt": "What to change",
        "voicemail": "Voicemail",
    },
}

# Paths through the default script: (answers, expected steps in order).
WON = ["pushy", 4, "yes", "no_questions", "fits", "yes", 2, "no", "Kick-off on Monday"]
WON_STEPS = [
    "fear",
    "reframe_pushy",
    "dial",
    "opening",
    "fit",
    "decision",
    "after_won",
    "fear_check",
    "wrap_up",
]


def lost(reason: str, *extra: str) -> list:
    return ["no", 5, "yes", "questions", "Asked about hosting", "fits", "no", reason, *extra, 3, "yes", ""]


def walk(lang: str, answers: list, placeholders: dict | None = None, **kwargs) -> ScriptRun:
    run = ScriptRun(load_default_script(lang), FULL if placeholders is None else placeholders, **kwargs)
    for value in answers:
        assert not run.finished, f"finished before answering {value!r}"
        run.answer(value)
    assert run.finished
    return run


def shown_texts(run_answers: list, lang: str, placeholders: dict) -> list[str]:
    """Every text shown along a path: titles, says, questions and option labels."""
    run = ScriptRun(load_default_script(lang), placeholders)
    texts = []
    for value in run_answers:
        step = run.current
        texts += [step.title, step.say, step.question, *(option.label for option in step.options)]
        run.answer(value)
    return texts


ALL_PATHS = [
    WON,
    lost("price"),
    lost("other", "Budget frozen"),
    ["none", 2, "yes", "questions", "", "fits", "not_yet", DATE, 1, ""],
    ["needy", 3, "yes", "not_arrived", DATE, 2, "no", ""],
    ["needy", 3, "yes", "no_questions", "adapt", "Shorter timeline", DATE, 2, "no", ""],
    ["none", 1, "voicemail", "", 1],
    ["no", 4, "no_answer", 4],
    ["needy", 2, "wrong_number", "Try the switchboard", 2],
]
FADED = {"coaching": "faded", "calibration": "on"}
"""The context after calm calls: one step before the call, one after."""
CONTEXT_PATHS = [
    (FADED, ["dial", "yes", "no_questions", "fits", "not_yet", DATE, 2]),
    (FADED, ["coaching", "no", "70", 3, "no_answer", 2]),
    ({"coaching": "full", "calibration": "on"}, ["needy", "30", 2, "voicemail", "", 1]),
]


# ---------------------------------------------------------------- outcomes


@pytest.mark.parametrize("lang", LANGS)
def test_won_records_every_field_and_the_answers_as_shown(lang):
    run = walk(lang, WON, started_at="2026-11-26T10:00:00+01:00")
    draft = run.draft()
    assert draft.outcome is Outcome.WON
    assert draft.reached is Reached.YES
    assert (draft.fear, draft.fear_came_true) == ("pushy", False)
    assert (draft.hesitation_before, draft.hesitation_after) == (4, 2)
    assert draft.next_due is None and draft.loss_reason is None
    assert draft.notes == f"{NOTE_TITLES[lang]['wrap_up']}: Kick-off on Monday"
    assert draft.started_at == "2026-11-26T10:00:00+01:00"
    assert [a.step for a in draft.answers] == WON_STEPS
    script = load_default_script(lang)
    decision = script.steps["decision"]
    yes_label = next(o.label for o in decision.options if o.key == "yes")
    assert draft.answers[5] == Answer("decision", decision.question, yes_label)
    assert draft.answers[1].answer == "4"
    dial = draft.answers[2]
    assert "Frau Berger" in dial.question and "{contact}" not in dial.question


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "reason", ["price", "timing", "competitor", "scope", "no_budget", "no_need", "none_given"]
)
def test_lost_records_the_reason_key(lang, reason):
    draft = walk(lang, lost(reason)).draft()
    assert draft.outcome is Outcome.LOST
    assert draft.loss_reason == reason
    assert draft.reached is Reached.YES
    assert (draft.fear, draft.fear_came_true) == ("no", True)
    assert (draft.hesitation_before, draft.hesitation_after) == (5, 3)
    assert draft.notes == f"{NOTE_TITLES[lang]['questions']}: Asked about hosting"
    assert draft.answers[-1].step == "fear_check"  # the skipped notes are not an answer


@pytest.mark.parametrize("lang", LANGS)
def test_lost_for_another_reason_keeps_the_typed_text(lang):
    draft = walk(lang, lost("other", "  Budget frozen until March ")).draft()
    assert draft.outcome is Outcome.LOST
    assert draft.loss_reason == "Budget frozen until March"
    assert ("loss_other", "Budget frozen until March") in [(a.step, a.answer) for a in draft.answers]


@pytest.mark.parametrize("lang", LANGS)
def test_lost_for_another_reason_without_text_says_other(lang):
    assert walk(lang, lost("other", "")).draft().loss_reason == "other"


@pytest.mark.parametrize("lang", LANGS)
def test_not_yet_agrees_a_follow_up_date(lang):
    draft = walk(lang, ALL_PATHS[3]).draft()
    assert draft.outcome is Outcome.FOLLOW_UP
    assert draft.next_due == DATE
    assert draft.fear == "none" and draft.fear_came_true is None
    assert draft.notes is None
    assert ("follow_up_date", DATE.isoformat()) in [(a.step, a.answer) for a in draft.answers]
    assert "questions" not in [a.step for a in draft.answers]  # skipped, so not recorded


@pytest.mark.parametrize("lang", LANGS)
def test_offer_not_arrived_resend_and_follow_up(lang):
    draft = walk(lang, ALL_PATHS[4]).draft()
    assert draft.outcome is Outcome.FOLLOW_UP
    assert draft.next_due == DATE
    assert "resend" in [a.step for a in draft.answers]


@pytest.mark.parametrize("lang", LANGS)
def test_adapt_means_revise_with_what_and_when(lang):
    draft = walk(lang, ALL_PATHS[5]).draft()
    assert draft.outcome is Outcome.REVISE
    assert draft.next_due == DATE
    assert draft.reached is Reached.YES
    assert draft.notes == f"{NOTE_TITLES[lang]['adapt']}: Shorter timeline"
    assert (draft.fear, draft.fear_came_true) == ("needy", False)


@pytest.mark.parametrize("lang", LANGS)
def test_voicemail(lang):
    run = ScriptRun(load_default_script(lang), FULL)
    for value in ["none", 1, "voicemail"]:
        run.answer(value)
    assert run.current.id == "voicemail"
    assert "Website-Relaunch" in run.current.say and "vor 9 Tagen" in run.current.say
    for value in ["Left a short message", 1]:  # the notes were asked once, with the message
        run.answer(value)
    draft = run.draft()
    assert draft.outcome is Outcome.VOICEMAIL
    assert draft.reached is Reached.VOICEMAIL
    assert draft.next_due is None
    assert draft.notes == f"{NOTE_TITLES[lang]['voicemail']}: Left a short message"
    assert draft.fear_came_true is None


@pytest.mark.parametrize("lang", LANGS)
def test_no_answer(lang):
    draft = walk(lang, ALL_PATHS[7]).draft()
    assert draft.outcome is Outcome.NO_ANSWER
    assert draft.reached is Reached.NO_ANSWER
    # nobody answered: nothing could show whether the worry came true, so it is not asked
    assert [a.step for a in draft.answers] == ["fear", "reframe_no", "dial", "after_unreached"]
    assert draft.fear_came_true is None
    assert (draft.hesitation_before, draft.hesitation_after) == (4, 4)


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_number(lang):
    draft = walk(lang, ALL_PATHS[8]).draft()
    assert draft.outcome is Outcome.NO_ANSWER
    assert draft.reached is Reached.WRONG_NUMBER
    assert draft.notes == f"{NOTE_TITLES[lang]['wrong_number']}: Try the switchboard"


@pytest.mark.parametrize("lang", LANGS)
def test_notes_of_several_steps_are_one_line_each(lang):
    answers = ["needy", 3, "yes", "questions", "Hosting?", "adapt", "Fewer pages", DATE, 2, "no"]
    answers.append("Call earlier")
    titles = NOTE_TITLES[lang]
    assert walk(lang, answers).draft().notes.splitlines() == [
        f"{titles['questions']}: Hosting?",
        f"{titles['adapt']}: Fewer pages",
        f"{titles['wrap_up']}: Call earlier",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_the_paths_cover_every_step(lang):
    seen = set()
    for answers in ALL_PATHS + [lost(r) for r in ("timing", "competitor")]:
        seen |= {a.step for a in walk(lang, answers).history}
    for context, answers in CONTEXT_PATHS:
        seen |= {a.step for a in walk(lang, answers, context=context).history}
    seen |= {a.step for a in walk(lang, WON, context={"situation": "expiring"}).history}
    for situation in ("agreed", "revised", "unanswered"):  # the opener by situation
        run = walk(lang, WON, context={"situation": situation})
        assert f"opening_{situation}" in [a.step for a in run.history]
        seen |= {a.step for a in run.history}
    assert seen == set(load_default_script(lang).steps)


@pytest.mark.parametrize("lang", LANGS)
def test_options_can_be_picked_by_number(lang):
    run = ScriptRun(load_default_script(lang), FULL)
    options = run.current.options
    assert [o.number for o in options] == list(range(1, len(options) + 1))
    run.answer(2)
    assert run.current.id == "reframe_pushy"
    run.answer(3)
    run.answer(4)  # dial: wrong number
    assert run.current.id == "wrong_number"


# ------------------------------------------------------------- run mechanics


def test_back_undoes_the_last_answer():
    run = ScriptRun(load_default_script("en"), FULL)
    assert run.back() is False
    assert run.position == 1
    run.answer("needy")
    run.answer(3)
    assert run.current.id == "dial" and run.position == 3
    assert run.back() is True
    assert run.current.id == "reframe_needy" and run.position == 2
    assert run.back() is True
    assert run.current.id == "fear" and run.history == ()
    run.answer("none")  # a different branch this time
    assert run.current.id == "reframe_none"
    for value in [5, "no_answer", 5]:
        run.answer(value)
    assert run.finished
    assert run.back() is True
    assert not run.finished and run.current.id == "after_unreached"
    run.answer(2)
    draft = run.draft()
    assert draft.fear == "none" and (draft.hesitation_before, draft.hesitation_after) == (5, 2)
    assert [a.step for a in draft.answers].count("fear") == 1


def test_back_undoes_fields_set_by_the_undone_answer():
    run = ScriptRun(load_default_script("en"), FULL)
    for value in ["needy", 3, "yes", "no_questions", "fits", "no"]:
        run.answer(value)
    run.back()  # no longer lost
    for value in ["yes", 1, "no", ""]:
        run.answer(value)
    draft = run.draft()
    assert draft.outcome is Outcome.WON and draft.loss_reason is None


def test_position_and_estimate():
    run = ScriptRun(load_default_script("en"), FULL)
    assert run.position == 1
    assert run.remaining == run.estimated_total == 4  # fear, reframe, dial, after (unreached)
    run.answer("needy")
    assert run.position == 2 and run.estimated_total == 4
    run.answer(3)
    run.answer("yes")  # reached: at least opening, fit, decision come on top
    assert run.estimated_total > 4
    while not run.finished:
        step = run.current
        run.answer({Kind.CHOICE: 1, Kind.TEXT: "", Kind.DATE: DATE, Kind.SCALE: 1}[step.kind])
    assert run.remaining == 0 and run.estimated_total == len(run.history) == run.position


def test_draft_before_the_end_and_answers_after_it_are_refused():
    run = ScriptRun(load_default_script("en"), FULL)
    run.answer("needy")
    with pytest.raises(RuntimeError):
        run.draft()
    finished = walk("en", WON)
    with pytest.raises(RuntimeError):
        finished.answer("x")
    with pytest.raises(RuntimeError):
        _ = finished.current


def _run_at(step_id: str, **kwargs) -> ScriptRun:
    prefix = {
        "fear": [],
        "reframe_needy": ["needy"],
        "wrap_up": ["none", 3, "yes", "no_questions", "fits", "yes", 3],
        "adapt": ["needy", 3, "yes", "no_questions", "adapt"],
        "follow_up_date": ["needy", 3, "yes", "no_questions", "fits", "not_yet"],
    }[step_id]
    run = ScriptRun(load_default_script("en"), FULL, **kwargs)
    for value in prefix:
        run.answer(value)
    assert run.current.id == step_id
    return run


@pytest.mark.parametrize(
    ("step_id", "value", "problem"),
    [
        ("fear", 0, "pick_number"),
        ("fear", 5, "pick_number"),
        ("fear", "wonn", "pick_key"),
        ("fear", 1.0, "type_choice"),
        ("fear", True, "type_choice"),
        ("reframe_needy", 0, "scale_range"),
        ("reframe_needy", 6, "scale_range"),
        ("reframe_needy", "3", "type_scale"),
        ("reframe_needy", True, "type_scale"),
        ("adapt", "   ", "text_empty"),
        ("adapt", 3, "type_text"),
        ("follow_up_date", "2026-12-03", "type_date"),
    ],
)
def test_invalid_answers_raise_value_error_and_change_nothing(step_id, value, problem):
    run = _run_at(step_id)
    before = (run.position, run.history)
    with pytest.raises(ValueError) as caught:
        run.answer(value)
    assert isinstance(caught.value, AnswerError) and caught.value.key == problem
    assert caught.value.message("de") != caught.value.message("en")
    assert (run.position, run.history) == before and run.current.id == step_id


def test_invalid_answer_messages_are_clear():
    with pytest.raises(ValueError, match="Pick a number from 1 to 4"):
        _run_at("fear").answer(9)
    with pytest.raises(ValueError, match='no answer "wonn".*needy, pushy, no, none'):
        _run_at("fear").answer("wonn")
    with pytest.raises(ValueError, match="from 1 to 5"):
        _run_at("reframe_needy").answer(7)


def test_a_past_date_is_refused_when_today_is_known():
    run = _run_at("follow_up_date", today=dt.date(2026, 11, 26))
    with pytest.raises(ValueError, match="2026-11-25.*past"):
        run.answer(dt.date(2026, 11, 25))
    run.answer(dt.date(2026, 11, 26))
    assert run.history[-1].answer == "2026-11-26"


def test_optional_text_may_be_skipped_but_required_text_not():
    run = _run_at("wrap_up")
    run.answer("")
    assert run.finished and run.draft().notes is None
    with pytest.raises(ValueError):
        _run_at("adapt").answer("")


# -------------------------------------------------------------- placeholders


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("missing", [{}, dict.fromkeys(FULL), dict.fromkeys(FULL, "  ")])
def test_missing_data_reads_naturally(lang, missing):
    texts = []
    for answers in ALL_PATHS:
        texts += shown_texts(answers, lang, missing)
    joined = "\n".join(texts)
    for fallback in FALLBACKS[lang].values():
        assert fallback in joined
    assert "{" not in joined and "}" not in joined
    assert "None" not in joined
    for line in joined.splitlines():  # no gap where a value went missing
        assert "  " not in line and " ." not in line and " ," not in line, line


@pytest.mark.parametrize("lang", LANGS)
def test_offer_facts_fill_the_reframe(lang):
    run = ScriptRun(load_default_script(lang), FULL)
    run.answer("needy")
    say = run.current.say
    assert "Frau Berger" in say and "vor 17 Tagen" in say and "vor 9 Tagen" in say
    run.answer(2)
    assert run.current.id == "dial"  # the panel shows the number itself, large, above this text
    assert "Frau Berger" in run.current.say


@pytest.mark.parametrize("lang", LANGS)
def test_the_same_time_ago_is_not_said_twice_and_a_missing_contact_is_the_client(lang):
    offer = Offer(
        id=1,
        client="Müller Bau GmbH",
        title="Logo",
        sent_on=dt.date(2026, 10, 29),
        status=Status.OPEN,
        attempts=0,
        first_talk_on=dt.date(2026, 10, 27),
    )
    facts = placeholders_for(offer, lang, dt.date(2026, 11, 26))
    assert facts["sent_ago"] == ("vor 4 Wochen" if lang == "de" else "4 weeks ago")
    assert facts["first_talk_ago"] == ("kurz vor dem Versand" if lang == "de" else "shortly before")
    assert facts["contact"] == "Müller Bau GmbH"
    run = ScriptRun(load_default_script(lang), facts)
    run.answer("none")
    assert run.current.say.count(facts["sent_ago"]) == 1
    if lang == "de":  # the person asked, said the German way round
        assert (
            "Müller Bau GmbH hat dich um dieses Angebot gebeten, nachdem ihr kurz vor dem Versand"
            in run.current.say
        )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fear", ["needy", "pushy", "no"])
def test_after_the_call_the_worry_named_before_is_quoted(lang, fear):
    """The step after the call holds the user's own worry up against what happened."""
    script = load_default_script(lang)
    label = next(o.label for o in script.steps["fear"].options if o.key == fear)
    run = ScriptRun(script, FULL)
    for value in [fear, 3, "yes", "no_questions", "fits", "yes", 3]:
        run.answer(value)
    assert run.current.id == "fear_check"
    opening, closing = ("„", "“") if lang == "de" else ("“", "”")
    assert f"{opening}{label}{closing}" in run.current.say
    while run.back():
        pass
    run.answer("pushy" if fear != "pushy" else "needy")  # answered again: the new worry is quoted
    for value in [3, "yes", "no_questions", "fits", "yes", 3]:
        run.answer(value)
    assert label not in run.current.say


HOSTILE = [
    "{contact}",
    "{0}",
    "{__class__}",
    "{title.__class__}",
    "{{x}}",
    "{",
    "[bold]x[/]",
    "%s \\1 \\g<0>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_appear_literally(hostile):
    values = dict(FULL, contact=hostile, title=hostile, offer=f"‘{hostile}’", sent_ago=hostile)
    run = ScriptRun(load_default_script("en"), values)
    assert run.current.question == f"What worries you most about calling {hostile}?"
    for value in ["needy", 3, "yes"]:
        run.answer(value)
    assert f"my offer ‘{hostile}’, which I sent you {hostile}." in run.current.say
    for value in ["questions", hostile, "fits", "yes", 1, "no", ""]:
        run.answer(value)
    draft = run.draft()
    assert draft.notes == f"Their questions: {hostile}"
    assert f"calling {hostile}?" in draft.answers[0].question


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "It is valid until Fri 11 Dec 2026, and I wanted to check with you before it runs out."),
        ("de", "Es gilt bis Fr 11. Dez 2026, und ich wollte mich bei Ihnen melden, bevor es ausläuft."),
    ],
)
def test_an_offer_that_runs_out_gets_its_own_opener(lang, said):
    offer = Offer(
        id=1,
        client="Berger Bau",
        title="Relaunch",
        sent_on=dt.date(2026, 11, 17),
        status=Status.OPEN,
        attempts=0,
        valid_until=dt.date(2026, 12, 11),
    )
    values = placeholders_for(offer, lang, dt.date(2026, 12, 9))
    run = ScriptRun(load_default_script(lang), values, context={"situation": "expiring"})
    for answer in ("none", 2, "yes"):
        run.answer(answer)
    assert run.current.id == "opening_expiring"
    assert said in run.current.say
    plain = ScriptRun(load_default_script(lang), values, context={"situation": "first"})
    for answer in ("none", 2, "yes"):
        plain.answer(answer)
    assert plain.current.id == "opening"


def test_placeholders_for_an_offer():
    offer = Offer(
        id=1,
        client="Berger Bau",
        title="Relaunch",
        sent_on=dt.date(2026, 11, 17),
        status=Status.OPEN,
        attempts=0,
        contact="Frau Berger",
        value_cents=480000,
        first_talk_on=dt.date(2026, 11, 14),
    )
    values = placeholders_for(offer, "de", dt.date(2026, 11, 26))
    assert values["sent_ago"] == "vor 9 Tagen"
    assert values["first_talk_ago"] == "vor 12 Tagen"
    assert values["contact"] == "Frau Berger" and values["phone"] is None
    assert values["value"] == "4.800 €"
    bare = Offer(id=2, client="X", title="Y", sent_on=dt.date(2026, 11, 25), status=Status.OPEN, attempts=0)
    values = placeholders_for(bare, "en", dt.date(2026, 11, 26))
    assert values["sent_ago"] == "yesterday"
    assert values["first_talk_on"] is values["first_talk_ago"] is values["value"] is None
    run = ScriptRun(load_default_script("en"), values)
    run.answer("needy")
    assert "talk with you beforehand" in run.current.say and "you sent yesterday" in run.current.say


# ----------------------------------------------------------- shipped scripts


def _structure(lang: str):
    script = load_default_script(lang)
    return (
        script.start,
        sorted(script.placeholders),
        [
            (
                s.id,
                s.kind,
                s.field,
                s.next,
                s.optional,
                s.low,
                s.high,
                s.when,
                s.skip,
                [(o.key, o.next, dict(o.sets), o.when) for o in s.options],
            )
            for s in script.steps.values()
        ],
    )


def test_de_and_en_have_identical_ids_keys_and_structure():
    assert _structure("de") == _structure("en")
    ids = list(load_default_script("en").steps)
    assert ids[0] == "ready" and len(ids) == len(set(ids))


def test_the_shipped_scripts_have_the_documented_option_keys():
    steps = load_default_script("en").steps
    keys = {sid: [o.key for o in step.options] for sid, step in steps.items() if step.options}
    assert keys == {
        "ready": ["dial", "coaching"],
        "fear": ["needy", "pushy", "no", "none"],
        "likelihood": ["10", "30", "50", "70", "90"],
        "dial": ["yes", "voicemail", "no_answer", "wrong_number"],
        "opening_expiring": ["questions", "no_questions", "not_arrived"],
        "opening_agreed": ["questions", "no_questions"],
        "opening_revised": ["questions", "no_questions", "not_arrived"],
        "opening_unanswered": ["questions", "no_questions", "not_arrived"],
        "opening": ["questions", "no_questions", "not_arrived"],
        "fit": ["fits", "adapt"],
        "decision": ["yes", "not_yet", "no"],
        "loss_reason": [
            "price",
            "timing",
            "competitor",
            "scope",
            "no_budget",
            "no_need",
            "none_given",
            "other",
        ],
        "fear_check": ["yes", "no"],
    }


def test_unknown_language_gets_english():
    assert load_default_script("fr") is load_default_script("en")


# ----------------------------------------------------------------- validation

VALID = """
[placeholders]
contact = "your contact"

[[steps]]
id = "ask"
kind = "choice"
title = "Ask"
say = "Use {{braces}} for {contact}"
question = "Reached {contact}?"
options = [
  { key = "yes", label = "Yes", next = "decision" },
  { key = "no", label = "No", outcome = "no_answer" },
]

[[steps]]
id = "decision"
kind = "choice"
title = "Decision"
question = "Well?"
options = [
  { key = "yes", label = "Yes", outcome = "won", next = "notes" },
  { key = "later", label = "Later", outcome = "follow_up", next = "when" },
]

[[steps]]
id = "when"
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

EXTRA_STEP = """
[[steps]]
id = "{id}"
kind = "{kind}"
title = "Extra"
question = "Extra?"
field = "{field}"
next = "{next}"
{more}
"""


def _scale_step(more: str) -> str:
    """An extra scale step "rate" (unreachable, but its range is checked first)."""
    return EXTRA_STEP.format(id="rate", kind="scale", field="hesitation_after", next="end", more=more)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_valid_example_loads_and_runs(tmp_path):
    script = load_script(_write(tmp_path, VALID))
    run = ScriptRun(script, {"contact": "{contact}"})
    assert run.current.say == "Use {braces} for {contact}"
    run.answer("no")
    assert run.finished and run.draft().outcome is Outcome.NO_ANSWER
    assert script.steps["ask"].options[1].next == END


def _replaced(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


BROKEN = [
    # (id, text, step, fragments of the English message)
    ("missing", _replaced('title = "When"\n', ""), "when", ['missing "title"']),
    (
        "kind",
        _replaced('kind = "date"', 'kind = "calendar"'),
        "when",
        ['unknown kind "calendar"', "choice, text"],
    ),
    ("duplicate", _replaced('id = "when"', 'id = "decision"'), "decision", ["already uses this id"]),
    (
        "unknown_next",
        _replaced('outcome = "won", next = "notes"', 'outcome = "won", next = "notez"'),
        "decision",
        ['option "yes": leads to unknown step "notez"'],
    ),
    (
        "unknown_next_text",
        _replaced('next = "end"', 'next = "ende"'),
        "notes",
        ['leads to unknown step "ende"'],
    ),
    (
        "unreachable",
        VALID + EXTRA_STEP.format(id="orphan", kind="text", field="notes", next="end", more=""),
        "orphan",
        ['cannot be reached from the first step "ask"'],
    ),
    (
        "dead_option",
        _replaced('{ key = "no", label = "No", outcome = "no_answer" }', '{ key = "no", label = "No" }'),
        "ask",
        ['option "no": has neither "next" nor "outcome"'],
    ),
    (
        "scale_low",
        VALID + _scale_step("min = 0"),
        "rate",
        ["range 0–5 is invalid"],
    ),
    (
        "scale_high",
        VALID + _scale_step("max = 10"),
        "rate",
        ["range 1–10 is invalid"],
    ),
    (
        "scale_reversed",
        VALID + _scale_step("min = 4\nmax = 2"),
        "rate",
        ["range 4–2 is invalid"],
    ),
    (
        "scale_type",
        VALID + _scale_step('max = "5"'),
        "rate",
        ['"max" must be a whole number'],
    ),
    (
        "no_outcome",
        _replaced(
            '{ key = "yes", label = "Yes", outcome = "won", next = "notes" }',
            '{ key = "yes", label = "Yes", next = "notes" }',
        ),
        "notes",
        ['the path ask → decision → notes reaches "end" without setting an outcome'],
    ),
    (
        "no_date",
        _replaced('outcome = "follow_up", next = "when"', 'outcome = "follow_up", next = "notes"').replace(
            '{ key = "no", label = "No", outcome = "no_answer" }',
            '{ key = "no", label = "No", outcome = "no_answer", next = "when" }',
        ),
        "notes",
        ['ask → decision → notes ends with outcome "follow_up"', "next_due"],
    ),
    (
        "loop",
        _replaced(
            '{ key = "no", label = "No", outcome = "no_answer" }',
            '{ key = "no", label = "No", outcome = "no_answer", next = "spin1" }',
        )
        + EXTRA_STEP.format(id="spin1", kind="text", field="notes", next="spin2", more="")
        + EXTRA_STEP.format(id="spin2", kind="text", field="notes", next="spin1", more=""),
        "spin1",
        ['no way on from here ever reaches "end"'],
    ),
    (
        "unknown_placeholder",
        _replaced("Reached {contact}?", "Reached {contcat}?"),
        "ask",
        ['unknown placeholder {contcat} in "question"'],
    ),
    (
        "no_fallback",
        _replaced("Reached {contact}?", "Reached {phone}?"),
        "ask",
        ['placeholder {phone} in "question" has no fallback'],
    ),
    ("brace", _replaced("Reached {contact}?", "Reached {contact?"), "ask", ['single "{" in "question"']),
    (
        "label_placeholder",
        _replaced('label = "Later"', 'label = "Later, {client}"'),
        "decision",
        ['option "later": placeholder {client} in "label"'],
    ),
    (
        "option_key_typo",
        _replaced('label = "Later", outcome', 'label = "Later", nxt = "when", outcome'),
        "decision",
        ['option "later": unknown key "nxt"'],
    ),
    (
        "bad_outcome",
        _replaced('outcome = "won"', 'outcome = "wonn"'),
        "decision",
        ['option "yes": "outcome" must be one of won, lost', "'wonn'"],
    ),
    (
        "bad_reached",
        _replaced(
            '{ key = "yes", label = "Yes", next = "decision" }',
            '{ key = "yes", label = "Yes", reached = "maybe", next = "decision" }',
        ),
        "ask",
        ['"reached" must be one of yes, voicemail'],
    ),
    (
        "bad_bool",
        _replaced('outcome = "won"', 'outcome = "won", fear_came_true = "yes"'),
        "decision",
        ['"fear_came_true" must be true or false'],
    ),
    (
        "field_for_kind",
        _replaced('field = "next_due"', 'field = "notes"'),
        "when",
        ['a "date" step cannot fill "notes"'],
    ),
    (
        "not_for_kind",
        _replaced('question = "Well?"', 'question = "Well?"\nnext = "notes"'),
        "decision",
        ['"next" does not belong in a "choice" step'],
    ),
    ("reserved", _replaced('id = "notes"', 'id = "end"'), "end", ['"end" is reserved']),
    (
        "duplicate_option",
        _replaced('{ key = "later"', '{ key = "yes"'),
        "decision",
        ['option "yes": an earlier option of this step already uses this key'],
    ),
    ("missing_id", _replaced('id = "when"\n', ""), "#3", ['missing "id"']),
    ("no_steps", VALID.split("[[steps]]")[0], None, ["has no steps"]),
    ("unknown_top", "[step]\nid = 1\n" + VALID, None, ['unknown top-level key "step"']),
    (
        "unknown_fallback",
        _replaced('contact = "your contact"', 'contact = "x"\nkontakt = "x"'),
        None,
        ['[placeholders] names unknown placeholder "kontakt"'],
    ),
]


@pytest.mark.parametrize(("case", "text", "step", "fragments"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_scripts_name_file_step_and_problem(tmp_path, case, text, step, fragments):
    path = _write(tmp_path, text)
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    error = caught.value
    message = str(error)
    assert message.startswith(f"{path}: ")
    assert error.step == step
    if step is not None:
        assert f'step "{step}": ' in message
    for fragment in fragments:
        assert fragment in message
    assert error.message("de").startswith(f"{path}: ")
    if step is not None:
        assert f'Schritt "{step}"' in error.message("de")


def test_empty_options_is_refused(tmp_path):
    text = _replaced(
        """options = [
  { key = "yes", label = "Yes", outcome = "won", next = "notes" },
  { key = "later", label = "Later", outcome = "follow_up", next = "when" },
]""",
        "options = []",
    )
    with pytest.raises(ScriptError, match='step "decision": "options" must be a non-empty list'):
        load_script(_write(tmp_path, text))


def test_invalid_toml_names_the_file_and_the_line(tmp_path):
    text = VALID + "\n[[steps]\n"
    path = _write(tmp_path, text)
    with pytest.raises(FileRefused) as caught:
        load_script(path)
    line = text.splitlines().index("[[steps]") + 1
    assert str(caught.value).startswith(f"{path}: not valid TOML (")
    assert f"(at line {line}," in str(caught.value)
    assert caught.value.message("de").startswith(f"{path}: kein gültiges TOML")


def test_a_missing_file_is_a_script_error(tmp_path):
    with pytest.raises(FileRefused, match="nope.toml: cannot be read"):
        load_script(tmp_path / "nope.toml")


def test_a_file_that_is_not_utf8_is_a_script_error(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("Notes", "Notizen für später").encode("latin-1"))
    with pytest.raises(FileRefused, match="latin1.toml: cannot be read"):
        load_script(path)


def test_a_loop_with_no_exit_for_one_fear_is_refused(tmp_path):
    """reframe_pushy leading back to the likelihood step: each step alone can reach the end, but
    with the fear "pushy" the skips lead round and round; the loader finds it, not the call."""
    text = Path(load_default_script("en").path).read_text(encoding="utf-8")
    start = text.index('id = "reframe_pushy"')
    end = text.index('next = "dial"', start)
    path = tmp_path / "looping.toml"
    path.write_text(text[:end] + 'next = "likelihood"' + text[end + len('next = "dial"') :], encoding="utf-8")
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    assert caught.value.problem == "loop"
    assert "steps loop" in str(caught.value)


def test_shipped_script_paths_checked_in_full_once_per_file_and_checker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Start-up: the shipped script's path check (most of loading it) runs again only when the file
    or the checking code changed; the script is the same either way."""
    from nachhaken_tui.core.script import loader

    checks: list[str] = []
    full_check = loader._check_graph

    def counted(load: object, start: str, steps: object) -> None:
        checks.append(start)
        full_check(load, start, steps)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_check_graph", counted)

    def load() -> Script:
        loader._load_shipped.cache_clear()
        return loader.load_default_script("en")

    try:
        first = load()
        assert len(checks) == 1
        again = load()
        assert len(checks) == 1  # checked before: the stamp in the cache folder matches
        assert again.steps == first.steps and again.start == first.start
        monkeypatch.setattr(loader, "_stamp", lambda path: "another version")
        load()
        assert len(checks) == 2  # another file or checker: checked in full again
    finally:
        loader._load_shipped.cache_clear()
