"""Demo data: about 25 realistic offers, dated relative to `today`.

`nachhaken --demo` opens the app on a fresh demo database, and
`nachhaken demo --db PATH` writes one, so that a first look at nachhaken
shows a real working day: first follow-ups due today, offers overdue by a day
and by weeks, a call-back agreed for today, retries after unanswered calls,
offers coming up in the next days, and won, lost and archived offers with
their call history.

All dates are counted in business days back from `today` (or the last
business day before it), so the demo looks fresh whenever it is built. Each
past call is walked through the shipped call script (`ScriptRun`) and saved
with `Store.record_call` on its own day, so its answers, notes and the offer's
next date are exactly what the app would have produced. Nothing is random:
the same `today` gives the same data.

The phone numbers come from the ranges reserved for films and examples
(Bundesnetzagentur 030 23125…, 040 66969…, 069 90009…, 0221 4710…,
089 99998…; Ofcom 020 7946 0…, 0161 496 0…, 07700 900…; US 555-01…) and the
e-mail domains end in `.example`: nobody real is called or written to.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.models import CallDraft, Offer, OfferDraft, Outcome, Reached, Status
from nachhaken_tui.core.paths import DEMO_FOLDER_PREFIX
from nachhaken_tui.core.schedule.cadence import BusinessCalendar, Cadence
from nachhaken_tui.core.script.loader import load_default_script
from nachhaken_tui.core.script.placeholders import placeholders_for
from nachhaken_tui.core.script.run import ScriptRun
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["DemoError", "build_demo", "demo_database"]


class DemoError(UserError):
    """The demo refuses to write into a database that already holds offers."""

    catalog = Catalog(
        {
            "not_empty": {
                "de": "{path} enthält schon Angebote ({count}); die Demo schreibt nur in eine leere "
                "Datenbank, damit deine Daten nie mit Demo-Daten vermischt werden.",
                "en": "{path} already holds offers ({count}); the demo only writes to an empty "
                "database, so your data is never mixed with demo data.",
            },
        }
    )


class _Call(NamedTuple):
    """One past call; `day` and `agreed` in business days relative to today."""

    day: int
    outcome: Outcome
    reached: Reached | None = None
    fear: str | None = None
    before: int | None = None
    after: int | None = None
    came_true: bool | None = None
    agreed: int | None = None
    loss: str | None = None
    heard: str | None = None
    """What the client said: typed into the script step where it fits."""


class _Offer(NamedTuple):
    """One demo offer; `sent` and `talk` in business days relative to today.

    `due` is where the cadence should put the offer's next date (offers whose
    date comes from the cadence, not from an agreement); with a user's own
    cadence the whole story shifts so that it still lands there.
    """

    lang: str
    """The language of the notes, and of the script the calls were made with."""
    client: str
    contact: str | None
    phone: str | None
    email: str | None
    title: str
    value: int
    currency: str
    sent: int
    talk: int | None
    notes: str
    calls: tuple[_Call, ...] = ()
    due: int | None = None
    archived: bool = False


_NA, _VM, _YES = Reached.NO_ANSWER, Reached.VOICEMAIL, Reached.YES
_O = Outcome

# fmt: off
_OFFERS: tuple[_Offer, ...] = (
    # --- first follow-up due today
    _Offer("de", "Müller Bau GmbH", "Sabine Müller", "+49 30 23125 014",
           "s.mueller@mueller-bau.example", "Website-Relaunch mit Projektgalerie", 12_400, "EUR", -3, -8,
           "Erstgespräch im Büro, sehr konkret: Die alte Seite ist nicht mobilfähig, Bewerbungen von "
           "Azubis sollen über die Website kommen. Entscheidet mit ihrem Mann, Start gern im Frühjahr.",
           due=0),
    _Offer("en", "Northwind Studio", "Emma Clarke", "+44 20 7946 0321",
           "emma@northwind-studio.example", "Brand workshop series (3 half-days)", 4_500, "GBP", -3, -7,
           "Great energy in the first call. Team of six, rebranding after a merger; Emma wants the "
           "sessions done before the January kick-off.",
           due=0),
    # --- first follow-up overdue by 1, 2, 3, 9 and 14 business days
    _Offer("de", "Bäckerei Schröder", "Klaus Schröder", "+49 40 66969 231",
           "info@baeckerei-schroeder.example", "Logo und Verpackungsdesign", 2_800, "EUR", -4, -9,
           "Drei Filialen, Logo von 1987. Herr Schröder mochte die Skizzen, fragte aber zweimal nach "
           "dem Preis.",
           due=-1),
    _Offer("en", "Studio [Nord]", "Nils Nordmann", "+49 40 66969 404",
           "hallo@studio-nord.example", "Corporate design [relaunch] – phase 1/2", 7_200, "EUR", -5, -9,
           "Wants the logo in [b]bold[/b] and no [red]red[/red]. Their old CMS prints a raw "
           "[@click=app.quit]Beenden[/] link. nachhaken shows all of this literally 🚀",
           due=-2),
    _Offer("de", "Alpenblick Treuhand AG", "Reto Meier", None,
           "r.meier@alpenblick-treuhand.example", "Jahresabschluss-Workshop fürs Team",
           6_200, "CHF", -6, -10,
           "Kam über eine Empfehlung. Telefonnummer fehlt noch – per E-Mail nachfragen.",
           due=-3),
    _Offer("de", "Zahnarztpraxis Dr. Aydın", "Dr. Leyla Aydın", "+49 69 90009 412",
           "praxis@zahnarzt-aydin.example", "Website mit Online-Terminbuchung", 6_900, "EUR", -12, -16,
           "Vier Behandlungszimmer. Wichtig: Datenschutz und eine barrierefreie Seite. Sie meinte, "
           "sie melde sich nach den Praxisferien.",
           due=-9),
    _Offer("de", "Gemeinde Wiesental", "Jörg Brandt", "+49 221 4710 318",
           "buergerservice@wiesental.example", "Teamtraining Bürgerservice (2 Tage)", 8_600, "EUR", -17, -24,
           "Unter der Vergabegrenze, Herr Brandt braucht noch die Zustimmung des Hauptamts. "
           "Zwei Termine im Februar wären ideal.",
           due=-14),
    # --- call-back or revised offer agreed for today, and one agreed date missed
    _Offer("de", "Kanzlei Hoffmann & Partner", "Dr. Jens Hoffmann", "+49 89 99998 127",
           "j.hoffmann@kanzlei-hoffmann.example", "Buchhaltung einrichten mit DATEV-Anbindung",
           3_200, "EUR", -10, -13,
           "Zwei Partner, bisher alles auf Papier beim Steuerbüro. Will ab Januar selbst buchen.",
           (_Call(-7, _O.FOLLOW_UP, _YES, "needy", 4, 2, False, agreed=0,
                  heard="Angebot passt; er bespricht es noch mit seiner Partnerin. Ich soll mich melden."),)),
    _Offer("en", "Bright Path Coaching", "Olivia Bennett", "+44 161 496 0754",
           "olivia@brightpath.example", "Leadership coaching package (6 sessions)", 1_800, "GBP", -9, -12,
           "Runs a small coaching practice and wants supervision for herself. Mentioned a tight "
           "budget this quarter.",
           (_Call(-6, _O.REVISE, _YES, "pushy", 3, 1, False, agreed=0,
                  heard="Likes the approach but wants 4 sessions instead of 6, and a payment plan."),)),
    _Offer("de", "Hotel Seeblick", "Maria Gruber", "+49 89 99998 342",
           "m.gruber@hotel-seeblick.example", "Fotoshooting Zimmer und Restaurant", 2_400, "EUR", -8, -11,
           "Saisonstart im April, die Fotos werden bis März gebraucht.",
           (_Call(-5, _O.FOLLOW_UP, _YES, "no", 3, 2, False, agreed=-2,
                  heard="Sie braucht erst die Termine der Renovierung, dann sagt sie zu oder ab."),)),
    # --- retries after one, two and three unanswered calls
    _Offer("de", "Schreinerei Vogel", "Thomas Vogel", "+49 221 4710 562",
           "kontakt@schreinerei-vogel.example", "Imagefilm Werkstatt (2 Minuten)", 4_200, "EUR", -6, -10,
           "Familienbetrieb in dritter Generation, sucht Azubis. Mag keine E-Mails, lieber Telefon.",
           (_Call(-2, _O.NO_ANSWER, _NA, "needy", 3, 3),), due=0),
    _Offer("en", "Harbour & Finch Ltd", "James Whitaker", "+44 20 7946 0888",
           "j.whitaker@harbourfinch.example", "Sales training for account managers", 9_800, "GBP", -8, -12,
           "Head of sales; eight account managers, weak renewal rates. Asked for the offer by "
           "Friday, so he is in a hurry.",
           (_Call(-5, _O.VOICEMAIL, _VM, "pushy", 4, 4), _Call(-2, _O.NO_ANSWER, _NA, "needy", 4, 3)),
           due=0),
    _Offer("de", "Agentur Pixelwerk", "Lena Krause", "+49 30 23125 777",
           "lena.krause@pixelwerk.example", "Social-Media-Redaktionsplan Q1", 5_500, "EUR", -12, -15,
           "Die Agentur braucht Unterstützung für einen Gastro-Kunden. Lena war sehr interessiert, "
           "ist aber oft in Kundenterminen.",
           (_Call(-9, _O.NO_ANSWER, _NA, "needy", 3, 3), _Call(-7, _O.VOICEMAIL, _VM, "pushy", 4, 3),
            _Call(-3, _O.NO_ANSWER, _NA, "pushy", 4, 4)),
           due=-1),
    # --- coming up in the next days
    _Offer("en", "Greenleaf Catering", "Tom Fletcher", "+44 7700 900461",
           "tom@greenleaf-catering.example", "Menu photography (half day)", 950, "GBP", -5, -8,
           "New seasonal menu in spring; Tom wants natural light, no studio look.",
           (_Call(-1, _O.VOICEMAIL, _VM, "needy", 2, 2),), due=1),
    _Offer("de", "Physiotherapie Lange", "Anke Lange", "+49 221 4710 239",
           "praxis@physio-lange.example", "Praxis-Website mit Online-Rezeptanfrage", 3_900, "EUR", -1, -5,
           "Übernimmt die Praxis von ihrem Vater; die Website soll jünger wirken, ohne die "
           "Stammpatienten zu verschrecken.",
           due=2),
    _Offer("en", "Meridian Labs", "Priya Shah", "+1 202 555 0147",
           "priya@meridianlabs.example", "UX audit of the onboarding flow", 7_500, "USD", 0, -3,
           "SaaS for clinics; trial users drop off at step 3. Priya owns the budget and wants a fixed price.",
           due=3),
    _Offer("de", "Weingut Sommer", "Julia Sommer", "+49 69 90009 777",
           "julia@weingut-sommer.example", "Etikettendesign Jahrgang 2027", 1_600, "EUR", -7, -11,
           "Junges Weingut, übernimmt 2027 den Vertrieb selbst.",
           (_Call(-4, _O.REVISE, _YES, "none", 2, 1, agreed=3,
                  heard="Gefällt ihr, aber lieber drei statt fünf Etiketten, dazu eine Sonderedition."),)),
    _Offer("de", "Stadtwerke Neuhaus", "Petra Schulz", "+49 69 90009 150",
           "p.schulz@stadtwerke-neuhaus.example", "Workshopreihe Change-Kommunikation (5 Termine)",
           18_500, "EUR", -9, -14,
           "Umstellung auf neue Abrechnung, viel Unruhe im Kundenservice. Frau Schulz leitet das Projekt.",
           (_Call(-3, _O.FOLLOW_UP, _YES, "no", 4, 2, False, agreed=5,
                  heard="Fachlich überzeugt; der Vorstand entscheidet in der Sitzung nächste Woche."),)),
    _Offer("de", "Bergmann Coaching", "Claudia Bergmann", "+49 30 23125 990",
           "c.bergmann@bergmann-coaching.example", "Teamcoaching Vertrieb (4 Sessions)",
           2_900, "EUR", -11, -14,
           "Coacht selbst, sucht Unterstützung für ihr neues Vertriebsteam.",
           (_Call(-8, _O.SNOOZED, agreed=12, heard="Abwesenheitsnotiz: im Urlaub bis Monatsmitte."),)),
    # --- won
    _Offer("de", "Kita Sonnenschein e.V.", "Ayşe Yılmaz", "+49 221 4710 870",
           "vorstand@kita-sonnenschein.example", "Moderation Elternabend und Teamtag", 650, "EUR", -20, -23,
           "Vorstand ehrenamtlich, entscheidet schnell, wenn man nachfragt.",
           (_Call(-17, _O.WON, _YES, "needy", 3, 1, False,
                  heard="Nur eine Frage zum Ablauf des Teamtags – sie hatte schon auf meinen "
                        "Anruf gewartet."),)),
    _Offer("de", "Fischer Logistik GmbH", "Markus Fischer", "+49 40 66969 118",
           "m.fischer@fischer-logistik.example", "Führungskräftetraining (3 Module)",
           24_800, "EUR", -25, -30,
           "40 Teamleiter an zwei Standorten. Herr Fischer will Praxis statt Theorie.",
           (_Call(-22, _O.VOICEMAIL, _VM, "pushy", 5, 4),
            _Call(-20, _O.WON, _YES, "pushy", 4, 2, False,
                  heard="Er hatte Fragen zu Modul 2; nach kurzer Klärung Zusage am Telefon."))),
    # --- lost, with reasons
    _Offer("de", "Café Morgenrot", "Jana Peters", "+49 30 23125 456",
           "jana@cafe-morgenrot.example", "Website mit Speisekarte und Reservierung", 1_900, "EUR", -15, -18,
           "Kleines Café, eröffnet im März. Jana macht Social Media selbst.",
           (_Call(-12, _O.LOST, _YES, "no", 4, 2, True, loss="price",
                  heard="Zu teuer für den Anfang; sie nimmt erst einen Baukasten. Im Herbst darf ich "
                        "wieder anrufen."),)),
    _Offer("en", "Atlas Legal LLP", "Daniel Hughes", "+44 20 7946 0555",
           "d.hughes@atlaslegal.example", "Website copywriting (12 pages)", 3_600, "GBP", -18, -22,
           "Partner at a small firm; wants plain English instead of legalese.",
           (_Call(-15, _O.NO_ANSWER, _NA, "needy", 3, 3),
            _Call(-13, _O.LOST, _YES, "needy", 3, 2, False, loss="competitor",
                  heard="They went with an agency that also does their SEO. He liked our samples and "
                        "asked to stay in touch."))),
    _Offer("de", "Musikschule Klangraum", "Stefan Roth", "+49 69 90009 233",
           "s.roth@klangraum.example", "Beratung Förderantrag Digitalisierung", 1_200, "EUR", -14, -17,
           "Hängt an einer Landesförderung; ohne Zuschuss schwierig.",
           (_Call(-11, _O.VOICEMAIL, _VM, "no", 3, 3),
            _Call(-8, _O.LOST, _YES, "no", 3, 1, False, loss="no_budget",
                  heard="Der Förderbescheid kam nicht; ohne Zuschuss kein Budget. Er meldet sich "
                        "zur nächsten Runde."))),
    # --- archived
    _Offer("de", "Autohaus Berger", "Frank Berger", "+49 89 99998 610",
           "f.berger@autohaus-berger.example", "Messestand-Grafik Frühjahrsmesse", 3_400, "EUR", -30, -33,
           "Die Messe wurde abgesagt; im Herbst neu anfragen.", archived=True),
)
# fmt: on


def build_demo(store: Store, today: dt.date) -> int:
    """Fill an empty store with the demo offers; returns how many were written.

    One transaction: a half-built demo never exists, and a store that already
    holds offers is refused before anything is written (`DemoError`).
    """
    calendar = store.cadence.calendar
    anchor = _shift(calendar, today, 0)
    with store.transaction():
        existing = store.count_offers()
        if existing:
            raise DemoError("not_empty", path=store.path or ":memory:", count=existing)
        for number, offer in enumerate(_OFFERS):
            _write_offer(store, calendar, anchor, number, offer)
    return len(_OFFERS)


def demo_database(today: dt.date, cadence: Cadence | None = None) -> Path:
    """A fresh demo database in a new private temporary folder; returns its path.

    Used by `nachhaken --demo`, so a demo never touches the user's real
    database; `run_tui` removes the folder when the app ends.
    """
    folder = Path(tempfile.mkdtemp(prefix=DEMO_FOLDER_PREFIX))
    store = Store.open(folder / "demo.db", cadence)
    try:
        build_demo(store, today)
    finally:
        store.close()
    return folder / "demo.db"


def _write_offer(
    store: Store, calendar: BusinessCalendar, anchor: dt.date, number: int, offer: _Offer
) -> None:
    """Add one offer, replay its calls on their days, and archive it if it was."""
    shift = _cadence_shift(store.cadence, offer)

    def day(offset: int) -> dt.date:
        return _shift(calendar, anchor, offset + shift)

    sent_on = day(offer.sent)
    offer_id = store.add_offer(
        OfferDraft(
            client=offer.client,
            title=offer.title,
            sent_on=sent_on,
            contact=offer.contact,
            phone=offer.phone,
            email=offer.email,
            value_cents=offer.value * 100,
            currency=offer.currency,
            first_talk_on=None if offer.talk is None else day(offer.talk),
            notes=offer.notes,
        )
    )
    # Timestamps as if the offer had been entered when it was sent, so the
    # same `today` always gives the same file.
    entered = _at(sent_on, 8, 15).isoformat(timespec="seconds")
    store.db.table("offers").update(offer_id, {"created_at": entered, "updated_at": entered})
    for position, call in enumerate(offer.calls):
        call_day = day(call.day)
        agreed = None if call.agreed is None else _shift(calendar, anchor, call.agreed)
        ended = _at(call_day, 9 + (number + 2 * position) % 8, (number * 17 + position * 23) % 60)
        started = ended - dt.timedelta(minutes=9 if call.reached is Reached.YES else 1)
        saved = store.get_offer(offer_id)
        assert saved is not None  # added above
        draft = _walk_script(saved, offer.lang, call, call_day, agreed)
        draft.started_at = started.isoformat(timespec="seconds")
        store.record_call(offer_id, draft, today=call_day, ended_at=ended.isoformat(timespec="seconds"))
    if offer.archived:
        store.db.table("offers").update(
            offer_id,
            {"status": Status.ARCHIVED.value, "next_due": None, "due_kind": None, "closed_at": entered},
        )


def _cadence_shift(cadence: Cadence, offer: _Offer) -> int:
    """Business days to move an offer's story so its cadence date lands on `due`.

    With the default cadence (first call after 3, retry after 2 business days)
    this is 0; with a user's own cadence the story moves, but never into the
    future.
    """
    if offer.due is None:
        return 0
    unanswered = [call.day for call in offer.calls if call.outcome.is_unanswered]
    if unanswered:
        predicted = max(unanswered) + cadence.retry_days
    else:
        predicted = offer.sent + cadence.first_followup_days
    latest = max([offer.sent, *(call.day for call in offer.calls)])
    return min(offer.due - predicted, -latest)


def _walk_script(offer: Offer, lang: str, call: _Call, day: dt.date, agreed: dt.date | None) -> CallDraft:
    """The call as the user would have walked it through the shipped script.

    Driving the real `ScriptRun` gives the history exactly the step ids,
    questions and notes a call made in the app has. A snooze is a quick
    outcome from the inbox, without the script.
    """
    if call.outcome is Outcome.SNOOZED:
        return CallDraft(outcome=call.outcome, next_due=agreed, notes=call.heard)
    context = {"coaching": "full", "calibration": "on"}  # the demo's user is still learning
    run = ScriptRun(load_default_script(lang), placeholders_for(offer, lang, day), today=day, context=context)
    fear = call.fear or "none"
    # every scripted call of the demo's story says these (see _OFFERS)
    assert call.reached is not None and call.before is not None and call.after is not None
    conversation = iter(_conversation(call, agreed)) if call.reached is Reached.YES else iter(())
    while not run.finished:
        step = run.current.id
        if step == "fear":
            run.answer(fear)
        elif step == "likelihood":
            run.answer("70" if fear == "no" else "50")  # a guess above what happens, as is typical
        elif step.startswith("reframe_"):
            run.answer(call.before)
        elif step == "dial":
            run.answer(call.reached.value)
        elif step in ("after_won", "after_hesitation", "after_unreached"):
            run.answer(call.after)
        elif step == "fear_check":
            run.answer("yes" if call.came_true else "no")
        elif step == "wrap_up":
            run.answer((call.heard or "") if call.outcome is Outcome.LOST else "")
        elif step in ("voicemail", "wrong_number"):
            run.answer("")
        else:
            run.answer(next(conversation))
    return run.draft()


def _conversation(call: _Call, agreed: dt.date | None) -> list[Any]:
    """Answers from "opening" to the decision; what the client said goes where it fits."""
    if call.outcome is Outcome.REVISE:
        return ["no_questions", "adapt", call.heard, agreed]
    if call.outcome is Outcome.LOST:
        return ["no_questions", "fits", "no", call.loss]
    decision = ["yes"] if call.outcome is Outcome.WON else ["not_yet", agreed]
    return ["questions", call.heard, "fits", *decision]


def _shift(calendar: BusinessCalendar, day: dt.date, offset: int) -> dt.date:
    """The business day `offset` business days from `day` (0: `day`, or the last business day before it)."""
    step = dt.timedelta(days=1 if offset > 0 else -1)
    while not calendar.is_business_day(day):
        day -= dt.timedelta(days=1)
    for _ in range(abs(offset)):
        day += step
        while not calendar.is_business_day(day):
            day += step
    return day


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """A local time on `day` with its offset (German time, as the demo user's)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_ZONE)


def _zone() -> dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Berlin")
    except (ImportError, LookupError):  # no tz database (Windows without tzdata): winter time
        return dt.timezone(dt.timedelta(hours=1))


_ZONE = _zone()
