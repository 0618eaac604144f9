"""`nachhaken add`: record a sent offer from the shell, checked like any other.

The fields go through `check_offer` (`validate_offer`'s rules), the same
gate as the import and the TUI's form; a refused offer is reported field by
field, named by its option, and nothing is written. Dates may be typed as in
the form (`gestern`, `3.11.`), and the phone number is stored as E.164 for
the configured country where it is a valid number; otherwise it is kept as
typed and a note says so on stderr.
"""

from __future__ import annotations

from functools import partial

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.input.offer_check import OfferInvalid, check_offer
from nachhaken_tui.core.models import DueOffer
from nachhaken_tui.core.text.i18n import Catalog, format_date_long, humanize_date
from nachhaken_tui.core.text.wording import due_cause_text

__all__ = ["add"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Ein verschicktes Angebot erfassen. Es ist nach den eingestellten Werktagen zum "
            "ersten Nachfassen fällig.",
            "en": "Record an offer you sent. It becomes due for a first follow-up after the "
            "configured number of business days.",
        },
        "client": {"de": "Kunde bzw. Firma (Pflicht).", "en": "Client or company (required)."},
        "title": {"de": "Worum es im Angebot geht (Pflicht).", "en": "What the offer is about (required)."},
        "contact": {"de": "Ansprechpartner.", "en": "Contact person."},
        "salutation": {
            "de": 'Anrede im Gespräch und in Mails, z. B. "Frau Brenner" oder "Katrin".',
            "en": 'How to greet the contact, e.g. "Ms Brenner" or "Katrin".',
        },
        "phone": {
            "de": "Telefonnummer; gültige Nummern werden im Format +4930123456 gespeichert.",
            "en": "Phone number; valid numbers are stored as +4930123456.",
        },
        "email": {"de": "E-Mail-Adresse.", "en": "E-mail address."},
        "value": {
            "de": 'Angebotswert, z. B. 4800, 4.800,50 oder "4.800 €".',
            "en": 'Offer value, e.g. 4800, 4,800.50 or "€4,800".',
        },
        "currency": {
            "de": "Währung (ISO-Code wie EUR; sonst aus dem Betrag oder der Konfiguration).",
            "en": "Currency (ISO code like EUR; else from the value or the config).",
        },
        "sent": {
            "de": "Versanddatum, z. B. 2026-11-03, 3.11.2026, 3.11. oder gestern (Standard: heute).",
            "en": "Date sent, e.g. 2026-11-03, 3.11.2026, 3.11. or yesterday (default: today).",
        },
        "first_talk": {"de": "Datum des Erstgesprächs.", "en": "Date of the first talk."},
        "valid_until": {
            "de": "Letzter Tag, an dem das Angebot gilt, z. B. 18.12., +14 oder 2026-12-18; "
            "das Nachfassen kommt vorher.",
            "en": "Last day the offer is valid, e.g. 18.12., +14 or 2026-12-18; the follow-up comes before it.",
        },
        "notes": {"de": "Notizen aus dem Erstgespräch.", "en": "Notes from the first talk."},
        "reference": {
            "de": "Angebotsnummer, z. B. 2026-048 (durchsuchbar, im Leitfaden und in der E-Mail).",
            "en": "Offer number, e.g. 2026-048 (searchable, used in the script and the e-mail).",
        },
        "saved": {
            "de": "Angebot {id} gespeichert. Erstes Nachfassen: {date} ({relative}).",
            "en": "Offer {id} saved. First follow-up: {date} ({relative}).",
        },
        "saved_due": {
            "de": "Angebot {id} gespeichert. Das Nachfassen ist schon fällig (seit {date}).",
            "en": "Offer {id} saved. Its follow-up is already due (since {date}).",
        },
    }
)
_help = partial(_TEXT.text, help_language())

_OPTION_LABELS = {
    "client": "--client",
    "contact": "--contact",
    "salutation": "--salutation",
    "phone": "--phone",
    "email": "--email",
    "title": "--title",
    "reference": "--reference",
    "value": "--value",
    "currency": "--currency",
    "sent_on": "--sent",
    "first_talk_on": "--first-talk",
    "valid_until": "--valid-until",
    "notes": "--notes",
}


@click.command("add", help=_help("help"))
@common_options
@click.option("--client", metavar="TEXT", help=_help("client"))
@click.option("--title", metavar="TEXT", help=_help("title"))
@click.option("--reference", metavar="TEXT", help=_help("reference"))
@click.option("--contact", metavar="TEXT", help=_help("contact"))
@click.option("--salutation", metavar="TEXT", help=_help("salutation"))
@click.option("--phone", metavar="TEXT", help=_help("phone"))
@click.option("--email", metavar="TEXT", help=_help("email"))
@click.option("--value", metavar="AMOUNT", help=_help("value"))
@click.option("--currency", metavar="CODE", help=_help("currency"))
@click.option("--sent", "sent_on", metavar="DATE", help=_help("sent"))
@click.option("--first-talk", "first_talk_on", metavar="DATE", help=_help("first_talk"))
@click.option("--valid-until", "valid_until", metavar="DATE", help=_help("valid_until"))
@click.option("--notes", metavar="TEXT", help=_help("notes"))
@pass_app
@click.pass_context
def add(ctx: click.Context, app: AppContext, **fields: str | None) -> None:
    raw = {**fields, "sent_on": fields["sent_on"] or app.today}
    check = check_offer(raw, phone_country=app.config.country, today=app.today, currency=app.config.currency)
    if check.draft is None:
        say(OfferInvalid(list(check.problems)).message(app.lang, _OPTION_LABELS), err=True)
        ctx.exit(1)
    draft = check.draft
    for note in check.notes:
        say(note.message(app.lang, _OPTION_LABELS[note.field]), err=True)
    store = app.open_store()
    try:
        offer_id = store.add_offer(draft, currency=app.config.currency)
        offer = store.get_offer(offer_id)
    finally:
        store.close()
    assert offer is not None and offer.next_due is not None  # just added, so open and scheduled
    due = offer.next_due
    if due <= app.today:
        message = _TEXT.text(app.lang, "saved_due", id=offer_id, date=format_date_long(due, app.lang))
    else:
        message = _TEXT.text(
            app.lang,
            "saved",
            id=offer_id,
            date=format_date_long(due, app.lang),
            relative=humanize_date(due, app.today, app.lang),
        )
    if (cause := due_cause_text(DueOffer(offer, 0), app.today, app.lang)) is not None:
        message += f" ({cause})"
    click.echo(message)
