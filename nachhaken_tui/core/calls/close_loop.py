"""Closing the loop: a short, polite e-mail after several unanswered calls.

When the cadence says enough attempts went unanswered
(`Cadence.should_close_loop`), nachhaken suggests one last message instead of
another call, so an offer ends in a decision or a clear ending rather than in
silence. In the spirit of the seed story: the client showed interest and asked
for the offer; a friendly note signals interest and reliability, makes
answering easy (yes / later / no), and leaves the door open. No pressure, no
guilt, no fake deadline.

No Textual here. `close_loop_message` writes the text; `close_loop_call`
builds what the app records once the user has sent it.
"""

from __future__ import annotations

import datetime as dt

from nachhaken_tui.core.calls.memory import greeting as greeting_for
from nachhaken_tui.core.config import Profile
from nachhaken_tui.core.models import Answer, CallDraft, Offer, Outcome
from nachhaken_tui.core.schedule.cadence import BusinessCalendar
from nachhaken_tui.core.text.i18n import Catalog, format_date
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import offer_name

__all__ = ["CLOSE_LOOP_STEP", "MESSAGES", "REPLY_DAYS", "close_loop_call", "close_loop_message", "long_date"]

CLOSE_LOOP_STEP = "close_loop"
"""The `answers.step` of a recorded close-the-loop message."""

REPLY_DAYS = 5
"""Business days the message leaves the client to answer before the offer
comes back once, for the user's decision (won, lost, or one more call)."""

MESSAGES = Catalog(
    {
        "subject": {
            "de": "Ihr Angebot {offer} – kurze Rückfrage",
            "en": "My offer {offer} – a quick question",
        },
        "greeting_neutral": {"de": "Guten Tag,", "en": "Hello,"},
        "sent_after_talk": {
            "de": "nach unserem Gespräch am {first_talk} habe ich Ihnen am {sent} mein Angebot "
            "{offer} geschickt.",
            "en": "after our conversation on {first_talk}, I sent you my offer {offer} on {sent}.",
        },
        "sent": {
            "de": "am {sent} habe ich Ihnen mein Angebot {offer} geschickt.",
            "en": "on {sent} I sent you my offer {offer}.",
        },
        "tried": {
            "de": "Seitdem habe ich einige Male versucht, Sie telefonisch zu erreichen, "
            "leider ohne Erfolg. Ich weiß, wie voll die Tage sein können.",
            "en": "Since then I have tried to reach you by phone a few times, without luck. "
            "I know how full the days can get.",
        },
        "ask": {
            "de": "Ich möchte nicht drängeln. Damit ich gut planen kann, genügt mir eine kurze Antwort:",
            "en": "I don't want to chase you. So that I can plan, a short reply is all I need:",
        },
        "option_yes": {"de": "Ja, lassen Sie uns starten.", "en": "Yes, let's go ahead."},
        "option_later": {
            "de": "Später: Bitte melden Sie sich um den … wieder.",
            "en": "Later: please get back to me around …",
        },
        "option_no": {
            "de": "Nein, danke (gern mit einem Satz, woran es liegt).",
            "en": "No, thank you (a line on why would help me, if you don't mind).",
        },
        "adapt": {
            "de": "Jede dieser Antworten hilft mir, auch ein Nein. Und wenn sich bei Ihnen etwas "
            "geändert hat, passe ich das Angebot gern an.",
            "en": "Any of these helps me, a no included. And if something has changed on your side, "
            "I'm glad to adapt the offer.",
        },
        "door_open": {
            "de": "Höre ich nichts von Ihnen, gehe ich davon aus, dass der Zeitpunkt gerade nicht "
            "passt, und melde mich nicht weiter. Die Tür bleibt offen: Sie können jederzeit "
            "auf mich zukommen.",
            "en": "If I don't hear from you, I'll take it that the timing isn't right and won't "
            "chase you further. The door stays open: you can come back to me any time.",
        },
        "sign_off": {"de": "Viele Grüße", "en": "Best regards"},
        "date_this_year": {"de": "{day}. {month}", "en": "{day} {month}"},
        "date_other_year": {"de": "{day}. {month} {year}", "en": "{day} {month} {year}"},
        # the recorded attempt, shown in the history
        "answer_question_1": {
            "de": "Abschluss-E-Mail nach einem Versuch ohne Antwort",
            "en": "Close-the-loop e-mail after one unanswered attempt",
        },
        "answer_question": {
            "de": "Abschluss-E-Mail nach {attempts} Versuchen ohne Antwort",
            "en": "Close-the-loop e-mail after {attempts} unanswered attempts",
        },
        "answer_sent": {
            "de": "gesendet (Betreff: {subject}); ohne Antwort bis {date} entscheidest du",
            "en": "sent (subject: {subject}); without a reply by {date}, you decide",
        },
    }
)

_MONTHS = {
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def long_date(day: dt.date, today: dt.date, lang: str) -> str:
    """A date as written in a letter: "16. November" / "16 November"; the year only if not this year."""
    month = _MONTHS.get(lang, _MONTHS["en"])[day.month - 1]
    key = "date_this_year" if day.year == today.year else "date_other_year"
    return MESSAGES.text(lang, key, day=day.day, month=month, year=day.year)


def close_loop_message(
    offer: Offer, lang: str, today: dt.date, profile: Profile | None = None
) -> tuple[str, str]:
    """The close-the-loop e-mail for `offer` in `lang`: (subject, body).

    Greets with the offer's salutation ("Guten Tag Frau Brenner," / "Hallo
    Katrin,"; a neutral greeting without one, never the bare full name),
    names the offer by its number and title ("my offer 2026-048 “Website”"), when it was sent and, if known, the first talk,
    and is signed with the user's signature (or name). Names and titles are
    made single-line and free of control characters, since they end up in a
    subject line and a `mailto:` link.

    Args:
        offer: the offer whose follow-up calls went unanswered.
        lang: "de" or "en".
        today: decides whether dates need their year.
        profile: the user's own details (`[me]`), for the signature.
    """

    def t(key: str, **fields: object) -> str:
        return MESSAGES.text(lang, key, **fields)

    title = offer_name(
        terminal_safe(offer.title).strip(), terminal_safe(offer.reference).strip() or None, lang
    )
    sent = long_date(offer.sent_on, today, lang)
    salutation = greeting_for(terminal_safe(offer.salutation), lang)
    greeting = f"{salutation}," if salutation else t("greeting_neutral")
    if offer.first_talk_on and offer.first_talk_on <= offer.sent_on:
        opening = t(
            "sent_after_talk", first_talk=long_date(offer.first_talk_on, today, lang), sent=sent, offer=title
        )
    else:
        opening = t("sent", sent=sent, offer=title)
    if lang != "de":  # English starts a new sentence after "Hello …,"; German goes on in lower case
        opening = opening[0].upper() + opening[1:]
    options = "\n".join(f"  – {t(key)}" for key in ("option_yes", "option_later", "option_no"))
    body = "\n\n".join(
        [
            greeting,
            f"{opening} {t('tried')}",
            f"{t('ask')}\n\n{options}",
            t("adapt"),
            t("door_open"),
            _signed(t("sign_off"), profile),
        ]
    )
    return t("subject", offer=title), body + "\n"


def _signed(sign_off: str, profile: Profile | None) -> str:
    """The sign-off with the signature under it (the name if no signature; nothing if neither)."""
    if profile is None:
        return sign_off
    signature = profile.signature or profile.name
    lines = [terminal_safe(line).strip() for line in signature.splitlines()]
    return "\n".join([sign_off, *[line for line in lines if line]])


def close_loop_call(offer: Offer, lang: str, today: dt.date, calendar: BusinessCalendar) -> CallDraft:
    """What to record once the user has sent the close-the-loop e-mail.

    The message promises not to chase the client any further, so the offer
    must not come back as another retry in two days: it waits `REPLY_DAYS`
    business days (outcome `snoozed`, which keeps the attempts and is no
    call in the statistics) and is then due once more, for a decision. Its
    one answer row says, in the user's language, that the message went out,
    with which subject and until when, so the history shows it.
    """
    subject, _ = close_loop_message(offer, lang, today)
    decide_on = calendar.add_business_days(today, REPLY_DAYS)
    answer = Answer(
        step=CLOSE_LOOP_STEP,
        question=MESSAGES.text(
            lang, "answer_question_1" if offer.attempts == 1 else "answer_question", attempts=offer.attempts
        ),
        answer=MESSAGES.text(lang, "answer_sent", subject=subject, date=format_date(decide_on, lang)),
    )
    return CallDraft(outcome=Outcome.SNOOZED, reached=None, next_due=decide_on, answers=[answer])
