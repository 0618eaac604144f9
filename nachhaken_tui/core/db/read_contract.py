"""The public read contract: the `v1_…` views, described for people and for Datasette.

Users query nachhaken's file with SQL, the `sqlite-utils` CLI or Datasette.
What they may rely on are the read-only views in `migrations.V1_VIEWS`; the
base tables behind them are an internal detail that migrations change. This
module says what every view and column means, in German and English, and
turns that into a Datasette metadata file (`nachhaken datasette-metadata`)
that describes the views and hides the base tables.
"""

from __future__ import annotations

from nachhaken_tui.core.db.migrations import V1_VIEWS
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["DESCRIPTIONS", "datasette_metadata", "view_columns"]

_DATE = {"de": "Datum (JJJJ-MM-TT)", "en": "date (YYYY-MM-DD)"}
_TIME = {"de": "Zeitpunkt mit Zeitzone (ISO 8601)", "en": "time with offset (ISO 8601)"}

DESCRIPTIONS = Catalog(
    {
        "title": {
            "de": "nachhaken: Angebote und Nachfass-Anrufe",
            "en": "nachhaken: offers and follow-up calls",
        },
        "database": {
            "de": "Die Sichten v1_… sind die stabile Schnittstelle: eine neue Version ändert sie nie, "
            "eine andere Form heißt v2_…. Die Tabellen dahinter sind intern und ändern sich.",
            "en": "The v1_… views are the stable interface: a new version never changes them; another "
            "shape becomes v2_…. The tables behind them are internal and change.",
        },
        "v1_offers": {"de": "Ein Angebot je Zeile.", "en": "One offer per row."},
        "v1_calls": {
            "de": "Ein Nachfass-Versuch je Zeile (auch Mailbox, nicht erreicht, verschoben).",
            "en": "One follow-up attempt per row (voicemail, no answer and snoozes included).",
        },
        "v1_answers": {
            "de": "Eine beantwortete Leitfaden-Frage je Zeile, wie sie gezeigt wurde.",
            "en": "One answered script question per row, as it was shown.",
        },
        "v1_blocks": {"de": "Ein Anrufblock je Zeile.", "en": "One call block per row."},
        "v1_offers.id": {"de": "Nummer des Angebots in nachhaken", "en": "the offer's id in nachhaken"},
        "v1_offers.reference": {
            "de": "Angebotsnummer, wie du und die Kundschaft sie nennen (2026-048)",
            "en": "offer number as you and the client quote it (2026-048)",
        },
        "v1_offers.client": {"de": "Kunde oder Firma", "en": "client or company"},
        "v1_offers.contact": {"de": "Ansprechpartner", "en": "contact person"},
        "v1_offers.salutation": {
            "de": "wie du die Ansprechperson grüßt: „Frau Brenner“, „Katrin“",
            "en": "how you greet the contact: “Ms Brenner”, “Katrin”",
        },
        "v1_offers.phone": {"de": "Telefonnummer", "en": "phone number"},
        "v1_offers.email": {"de": "E-Mail-Adresse", "en": "e-mail address"},
        "v1_offers.title": {"de": "worum es im Angebot geht", "en": "what the offer is about"},
        "v1_offers.value_cents": {
            "de": "Wert, exakt in der kleinsten Einheit der Währung (Cent); leer, wenn unbekannt",
            "en": "value, exact in the currency's minor unit (cents); empty if unknown",
        },
        "v1_offers.currency": {"de": "Währung (ISO 4217)", "en": "currency (ISO 4217)"},
        "v1_offers.sent_on": {"de": "verschickt am: " + _DATE["de"], "en": "sent on: " + _DATE["en"]},
        "v1_offers.first_talk_on": {
            "de": "Erstgespräch am: " + _DATE["de"],
            "en": "first talk on: " + _DATE["en"],
        },
        "v1_offers.valid_until": {
            "de": "gültig bis: " + _DATE["de"] + "; leer, wenn das Angebot keine Frist nennt",
            "en": "valid until: " + _DATE["en"] + "; empty if the offer names no date",
        },
        "v1_offers.status": {"de": "open, won, lost oder archived", "en": "open, won, lost or archived"},
        "v1_offers.next_due": {
            "de": "nächstes Nachfassen: " + _DATE["de"] + "; leer, wenn nicht offen",
            "en": "next follow-up: " + _DATE["en"] + "; empty unless open",
        },
        "v1_offers.due_kind": {
            "de": "warum dann: first (erstes Nachfassen), retry (nach einem Versuch ohne Antwort), "
            "agreed (vereinbart)",
            "en": "why then: first (first follow-up), retry (after an unanswered attempt), agreed (with the client)",
        },
        "v1_offers.attempts": {"de": "Versuche ohne Antwort bisher", "en": "unanswered attempts so far"},
        "v1_offers.loss_reason": {
            "de": "price, timing, competitor, scope, no_budget, no_need, none_given oder eigene Worte",
            "en": "price, timing, competitor, scope, no_budget, no_need, none_given or your own words",
        },
        "v1_offers.notes": {"de": "Notizen", "en": "notes"},
        "v1_offers.created_at": {"de": "angelegt: " + _TIME["de"], "en": "created: " + _TIME["en"]},
        "v1_offers.updated_at": {
            "de": "zuletzt geändert: " + _TIME["de"],
            "en": "last changed: " + _TIME["en"],
        },
        "v1_offers.closed_at": {
            "de": "gewonnen, verloren oder abgelegt: " + _TIME["de"],
            "en": "won, lost or archived: " + _TIME["en"],
        },
        "v1_calls.id": {"de": "Nummer des Anrufs", "en": "the call's id"},
        "v1_calls.offer_id": {"de": "→ v1_offers.id", "en": "→ v1_offers.id"},
        "v1_calls.block_id": {
            "de": "→ v1_blocks.id, wenn der Anruf in einem Block war",
            "en": "→ v1_blocks.id when the call was made in a block",
        },
        "v1_calls.started_at": {"de": "begonnen: " + _TIME["de"], "en": "started: " + _TIME["en"]},
        "v1_calls.ended_at": {"de": "gespeichert: " + _TIME["de"], "en": "saved: " + _TIME["en"]},
        "v1_calls.reached": {
            "de": "yes, voicemail, no_answer oder wrong_number",
            "en": "yes, voicemail, no_answer or wrong_number",
        },
        "v1_calls.outcome": {
            "de": "won, lost, follow_up, revise, voicemail, no_answer oder snoozed",
            "en": "won, lost, follow_up, revise, voicemail, no_answer or snoozed",
        },
        "v1_calls.next_due": {
            "de": "das nächste Datum des Angebots nach diesem Anruf",
            "en": "the offer's next date set by this call",
        },
        "v1_calls.loss_reason": {"de": "wie in v1_offers", "en": "as in v1_offers"},
        "v1_calls.fear": {
            "de": "das Zögern vor dem Anruf: needy, pushy, no, none",
            "en": "the hesitation named before the call: needy, pushy, no, none",
        },
        "v1_calls.hesitation_before": {"de": "Zögern vorher, 1–5", "en": "hesitation before, 1–5"},
        "v1_calls.hesitation_after": {"de": "Zögern nachher, 1–5", "en": "hesitation after, 1–5"},
        "v1_calls.fear_came_true": {
            "de": "1, wenn das Befürchtete eintrat, 0 wenn nicht; leer, wenn nicht gefragt",
            "en": "1 if the feared thing happened, 0 if not; empty when not asked",
        },
        "v1_calls.fear_likelihood": {
            "de": "deine Schätzung vor dem Anruf, wie wahrscheinlich die Befürchtung eintritt, in Prozent "
            "(10, 30, 50, 70, 90); leer, wenn nicht geschätzt",
            "en": "your guess before the call how likely the fear was, in percent (10, 30, 50, 70, 90); "
            "empty when not guessed",
        },
        "v1_calls.coaching": {
            "de": "full (ganzes Coaching) oder faded (kurzes); leer bei schnellen Ergebnissen",
            "en": "full (the whole coaching) or faded (the short one); empty for quick outcomes",
        },
        "v1_calls.notes": {"de": "Notizen", "en": "notes"},
        "v1_answers.id": {"de": "Nummer der Antwort", "en": "the answer's id"},
        "v1_answers.call_id": {"de": "→ v1_calls.id", "en": "→ v1_calls.id"},
        "v1_answers.position": {"de": "Reihenfolge im Anruf", "en": "order within the call"},
        "v1_answers.step": {
            "de": "Schritt des Leitfadens (quick für Ergebnisse aus der Liste)",
            "en": "the script step (quick for outcomes from the inbox)",
        },
        "v1_answers.question": {
            "de": "die Frage, wie sie gezeigt wurde",
            "en": "the question as it was shown",
        },
        "v1_answers.answer": {"de": "die Antwort, wie sie gezeigt wurde", "en": "the answer as it was shown"},
        "v1_blocks.id": {"de": "Nummer des Blocks", "en": "the block's id"},
        "v1_blocks.started_at": {"de": "begonnen: " + _TIME["de"], "en": "started: " + _TIME["en"]},
        "v1_blocks.ended_at": {"de": "beendet: " + _TIME["de"], "en": "ended: " + _TIME["en"]},
        "v1_blocks.planned_calls": {"de": "geplante Anrufe", "en": "calls planned"},
        "v1_blocks.planned_minutes": {"de": "geplante Minuten", "en": "minutes planned"},
        "v1_blocks.plan": {
            "de": "der Wenn-dann-Plan, in deinen Worten",
            "en": "the if-then plan, in your words",
        },
        "v1_blocks.plan_kept": {
            "de": "1/0: dein Urteil, ob du den Plan eingehalten hast; leer, wenn nicht gefragt",
            "en": "1/0: your verdict whether you kept the plan; empty when not asked",
        },
    }
)
"""What the contract's views and columns mean: "view" and "view.column" keys."""


def view_columns(view: str) -> list[str]:
    """The columns of a `v1_…` view, in order."""
    columns, _table = V1_VIEWS[view]
    return [name.strip() for name in columns.split(",")]


def datasette_metadata(database: str, lang: str, hidden: list[str]) -> dict:
    """Datasette's metadata (`datasette FILE -m metadata.json`) for the file named `database`.

    Args:
        database: Datasette's name for the file: its name without `.db`.
        lang: the language of the descriptions.
        hidden: the base tables, hidden from Datasette's index (still reachable by URL).
    """

    def text(key: str) -> str:
        return DESCRIPTIONS.text(lang, key)

    tables: dict[str, dict] = {name: {"hidden": True} for name in hidden}
    for view in V1_VIEWS:
        tables[view] = {
            "description": text(view),
            "columns": {column: text(f"{view}.{column}") for column in view_columns(view)},
        }
    return {
        "title": text("title"),
        "databases": {database: {"description": text("database"), "tables": tables}},
    }
