"""The close-the-loop e-mail: personal, polite, in the user's language; recorded as an attempt."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import TODAY

from nachhaken_tui.core.calls.close_loop import CLOSE_LOOP_STEP, close_loop_call, close_loop_message
from nachhaken_tui.core.config import Profile
from nachhaken_tui.core.models import CallDraft, Offer, OfferDraft, Outcome, Reached, Status
from nachhaken_tui.core.schedule.cadence import Cadence

UNANSWERED = CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER)


MUELLER = Offer(
    id=1,
    client="Müller Bau GmbH",
    title="Website-Relaunch",
    sent_on=dt.date(2026, 11, 16),
    status=Status.OPEN,
    attempts=3,
    contact="Sabine Müller",
    email="sabine@example.com",
    first_talk_on=dt.date(2026, 11, 10),
    salutation="Frau Müller",
)


def offer(**changes) -> Offer:
    """Müller's offer after three unanswered attempts, with `changes`."""
    return dataclasses.replace(MUELLER, **changes)


def test_german_message_with_salutation_names_the_offer_and_when_it_was_sent():
    subject, body = close_loop_message(offer(), "de", TODAY)
    assert subject == "Ihr Angebot „Website-Relaunch“ – kurze Rückfrage"
    assert body.startswith("Guten Tag Frau Müller,\n\n")
    assert (
        "nach unserem Gespräch am 10. November habe ich Ihnen am 16. November mein Angebot "
        "„Website-Relaunch“ geschickt." in body
    )
    # a short yes / later / no, and the door stays open
    assert "  – Ja, lassen Sie uns starten." in body
    assert "  – Später:" in body
    assert "  – Nein, danke" in body
    assert "Die Tür bleibt offen" in body
    assert body.rstrip().endswith("Viele Grüße")


def test_english_message_with_salutation():
    subject, body = close_loop_message(offer(salutation="Ms Müller"), "en", TODAY)
    assert subject == "My offer “Website-Relaunch” – a quick question"
    assert body.startswith(
        "Hello Ms Müller,\n\nAfter our conversation on 10 November, I sent you my offer "
        "“Website-Relaunch” on 16 November."
    )
    for line in ("  – Yes, let's go ahead.", "  – Later:", "  – No, thank you", "The door stays open"):
        assert line in body
    assert body.rstrip().endswith("Best regards")


@pytest.mark.parametrize(
    ("lang", "greeting", "sent"),
    [
        (
            "de",
            "Guten Tag,\n\nam 16. November 2025 habe ich Ihnen mein Angebot „Logo“ geschickt.",
            "16. November 2025",
        ),
        ("en", "Hello,\n\nOn 16 November 2025 I sent you my offer “Logo”.", "16 November 2025"),
    ],
)
def test_without_contact_or_first_talk_a_neutral_greeting_and_the_year_when_it_differs(lang, greeting, sent):
    subject, body = close_loop_message(
        offer(
            contact=None,
            salutation=None,
            email=None,
            first_talk_on=None,
            title="Logo",
            sent_on=dt.date(2025, 11, 16),
        ),
        lang,
        TODAY,
    )
    assert body.startswith(greeting)
    assert "Logo" in subject
    assert "None" not in body


def test_blank_salutation_counts_as_none_and_the_full_name_is_never_the_greeting():
    _, body = close_loop_message(offer(salutation="   "), "en", TODAY)
    assert body.startswith("Hello,\n")
    _, body = close_loop_message(offer(salutation=None), "de", TODAY)
    assert body.startswith("Guten Tag,\n") and "Sabine Müller" not in body


@pytest.mark.parametrize(
    ("salutation", "lang", "greeting"),
    [
        ("Katrin", "de", "Hallo Katrin,"),
        ("Herr Dr. Berg", "de", "Guten Tag Herr Dr. Berg,"),
        ("Katrin", "en", "Hi Katrin,"),
        ("Mr Berg", "en", "Hello Mr Berg,"),
    ],
)
def test_a_first_name_gets_the_informal_greeting_a_title_the_formal_one(salutation, lang, greeting):
    _, body = close_loop_message(offer(salutation=salutation), lang, TODAY)
    assert body.startswith(greeting + "\n\n")


def test_signed_with_the_signature_else_the_name_else_nothing():
    me = Profile(name="Anna Weber", signature="Anna Weber\nWeber Design")
    _, body = close_loop_message(offer(), "de", TODAY, me)
    assert body.endswith("Viele Grüße\nAnna Weber\nWeber Design\n")
    _, body = close_loop_message(offer(), "en", TODAY, Profile(name="Anna Weber"))
    assert body.endswith("Best regards\nAnna Weber\n")
    _, body = close_loop_message(offer(), "en", TODAY, Profile())
    assert body.endswith("Best regards\n")


def test_message_does_not_depend_on_the_email_address():
    assert close_loop_message(offer(email=None), "de", TODAY) == close_loop_message(offer(), "de", TODAY)


def test_names_with_line_breaks_or_escapes_stay_on_one_line_in_the_subject():
    hostile = offer(title="Logo\r\nBcc: x@y.de", salutation="\x1b[2JEve")
    subject, body = close_loop_message(hostile, "en", TODAY)
    assert "\n" not in subject and "\r" not in subject and "\x1b" not in subject
    assert "\x1b" not in body
    assert body.startswith("Hi \ufffd[2JEve,")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_pressure_words(lang):
    _, body = close_loop_message(offer(), lang, TODAY)
    for word in ("letzte Chance", "last chance", "dringend", "urgent", "Frist", "deadline"):
        assert word not in body


@pytest.mark.parametrize(
    ("lang", "question", "answer"),
    [
        (
            "de",
            "Abschluss-E-Mail nach 3 Versuchen ohne Antwort",
            "gesendet (Betreff: Ihr Angebot „Website-Relaunch“ – kurze Rückfrage); "
            "ohne Antwort bis Do 3. Dez entscheidest du",
        ),
        (
            "en",
            "Close-the-loop e-mail after 3 unanswered attempts",
            "sent (subject: My offer “Website-Relaunch” – a quick question); "
            "without a reply by Thu 3 Dec, you decide",
        ),
    ],
)
def test_sent_message_is_recorded_with_its_own_answer_and_a_week_to_reply(store, lang, question, answer):
    offer_id = store.add_offer(
        OfferDraft(
            client="Müller Bau GmbH",
            title="Website-Relaunch",
            sent_on=dt.date(2026, 11, 16),
            contact="Sabine Müller",
            first_talk_on=dt.date(2026, 11, 10),
        )
    )
    for _ in range(3):
        store.record_call(offer_id, UNANSWERED, today=TODAY)
    draft = close_loop_call(store.get_offer(offer_id), lang, TODAY, store.cadence.calendar)
    assert (draft.outcome, draft.reached) == (Outcome.SNOOZED, None)
    call_id = store.record_call(offer_id, draft, today=TODAY)
    call = store.db["calls"].get(call_id)
    assert (call["outcome"], call["reached"], call["next_due"]) == ("snoozed", None, "2026-12-03")
    [row] = store.db.query("SELECT step, question, answer FROM answers WHERE call_id = ?", [call_id])
    assert row == {"step": CLOSE_LOOP_STEP, "question": question, "answer": answer}
    offer = store.get_offer(offer_id)
    assert (offer.attempts, offer.next_due) == (3, dt.date(2026, 12, 3))  # five business days to reply


def test_one_attempt_is_worded_in_the_singular():
    draft = close_loop_call(offer(attempts=1), "en", TODAY, Cadence().calendar)
    assert draft.answers[0].question == "Close-the-loop e-mail after one unanswered attempt"
