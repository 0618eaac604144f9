"""Contacts from a vCard file: fill the offers' contact, phone and e-mail, and keep a list to pick from.

People keep their clients in an address book (phone, Outlook, Thunderbird,
Google Contacts) and export it as a `.vcf`. `nachhaken import --vcard FILE`
reads it with vobject, which handles what those programs really write:
vCard 2.1, 3.0 and 4.0, folded lines, escaped commas, quoted-printable and
`tel:` URIs. Then, in one transaction:

- every person (or company card) is kept in `contacts`, so the offer form
  suggests them while typing the contact or client;
- open offers get what they lack, never losing what is there: an offer whose
  contact is a card's name gets that card's phone and e-mail; an offer
  without a contact whose client is a card's organisation gets the contact,
  phone and e-mail of that card, if it is the only person there (with
  several, the user picks in the form).

Pure core: no click, no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nachhaken_tui.core.db.store import now_iso
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.exchange.csv_read import read_text
from nachhaken_tui.core.input.fields import TEXT_LIMIT, fold, quote
from nachhaken_tui.core.input.phone import normalise_phone
from nachhaken_tui.core.models import Contact
from nachhaken_tui.core.text.i18n import Catalog

if TYPE_CHECKING:
    from sqlite_utils import Database

    from nachhaken_tui.core.db.store import Store

__all__ = ["ContactsReport", "VCardError", "import_vcards", "read_vcards", "report_lines"]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class VCardError(UserError):
    """The file cannot be read as vCards; nothing was written."""

    catalog = Catalog(
        {
            "broken": {
                "de": "{path} ist keine lesbare vCard-Datei: {reason}",
                "en": "{path} is not a readable vCard file: {reason}",
            },
            "none": {
                "de": "{path} enthält keine vCard mit Namen oder Firma.",
                "en": "{path} holds no vCard with a name or organisation.",
            },
        }
    )


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass(slots=True)
class ContactsReport:
    """What a vCard import found and did."""

    cards: int = 0
    """Cards with a name or organisation."""
    new_contacts: int = 0
    filled: dict[int, list[str]] = field(default_factory=dict)
    """Offer id -> the fields filled in it (contact, phone, email)."""
    dry_run: bool = False


def read_vcards(path: Path) -> list[Contact]:
    """The people and companies in a .vcf file, in file order.

    A card without a name uses its organisation as its name; a card with
    neither is left out.

    Raises:
        ImportFileError: the file cannot be read as text.
        VCardError: it is no vCard file.
    """
    import vobject  # type: ignore[import-untyped]  # only for this command: the CLI and the TUI start without it

    text = read_text(path)
    contacts: list[Contact] = []
    try:
        for card in vobject.readComponents(text):
            if card.name != "VCARD":
                continue
            contact = _contact(card)
            if contact is not None:
                contacts.append(contact)
    except vobject.base.ParseError as exc:
        reason = re.sub(r"^At line \d+: ", "", str(exc))
        raise VCardError("broken", path=path, reason=quote(reason, 120)) from None
    if not contacts:
        raise VCardError("none", path=path)
    return contacts


def _contact(card: Any) -> Contact | None:  # a vobject component (untyped)
    def values(key: str) -> list:
        return list(card.contents.get(key, []))

    def line(value: object) -> str | None:
        text = " ".join(str(value).split())[:TEXT_LIMIT]
        return text or None

    organisation = None
    for org in values("org"):
        parts = org.value if isinstance(org.value, list) else [org.value]
        organisation = line(parts[0]) if parts else None
        if organisation:
            break
    name = next((line(fn.value) for fn in values("fn") if line(fn.value)), None)
    if name is None:
        for n in values("n"):
            name = line(
                " ".join(
                    part
                    for part in (n.value.prefix, n.value.given, n.value.additional, n.value.family)
                    if part and isinstance(part, str)
                )
            )
            if name:
                break
    if name is None and organisation is None:
        return None
    phone = _preferred(values("tel"))
    if phone is not None:
        phone = line(phone.removeprefix("tel:"))
    email = _preferred(values("email"))
    if email is not None and not _EMAIL.fullmatch(email.strip()):
        email = None
    return Contact(
        name=name or organisation or "",
        organisation=organisation,
        phone=phone,
        email=email.strip() if email else None,
    )


def _preferred(lines: list) -> str | None:
    """The value marked preferred (vCard 3 TYPE=pref, vCard 4 PREF=1), else the first."""

    def preferred(content: Any) -> bool:
        types = ",".join(content.params.get("TYPE", [])).lower().split(",")
        return "pref" in types or content.params.get("PREF", ["100"])[0] == "1"

    for content in sorted(lines, key=lambda content: not preferred(content)):
        value = str(content.value).strip()
        if value:
            return value
    return None


def import_vcards(
    store: Store, contacts: Iterable[Contact], *, country: str, dry_run: bool = False
) -> ContactsReport:
    """Keep the contacts and fill the open offers from them, in one transaction.

    Args:
        store: the open store.
        contacts: from `read_vcards`.
        country: the config's country, for phone numbers without a country code
            (stored as E.164 where valid, as the offer form does).
        dry_run: report what would happen, write nothing.
    """
    report = ContactsReport(dry_run=dry_run)
    cards = [_normalised(contact, country) for contact in contacts]
    report.cards = len(cards)
    by_name: dict[str, Contact] = {}
    by_organisation: dict[str, list[Contact]] = {}
    for contact in cards:
        by_name.setdefault(fold(contact.name), contact)
        if contact.organisation and contact.name != contact.organisation:
            by_organisation.setdefault(fold(contact.organisation), []).append(contact)
        elif contact.organisation:
            by_organisation.setdefault(fold(contact.organisation), [])
    companies = {fold(c.organisation): c for c in cards if c.organisation and c.name == c.organisation}
    stamp = now_iso()
    with suppress(_DryRun), store.transaction() as db:
        for contact in cards:
            report.new_contacts += _keep(db, contact)
        rows = db.execute(
            "SELECT id, client, contact, phone, email FROM offers WHERE status = 'open' ORDER BY id"
        ).fetchall()
        for offer_id, client, person, phone, email in rows:
            card = by_name.get(fold(person)) if person else None
            if card is None and not person:
                people = by_organisation.get(fold(client), [])
                card = people[0] if len(people) == 1 else companies.get(fold(client)) if not people else None
            if card is None:
                continue
            changes = {}
            if not person and card.name != card.organisation:
                changes["contact"] = card.name
            if not phone and card.phone:
                changes["phone"] = card.phone
            if not email and card.email:
                changes["email"] = card.email
            if changes:
                db.table("offers").update(offer_id, {**changes, "updated_at": stamp})
                report.filled[offer_id] = list(changes)
        if dry_run:
            raise _DryRun
    return report


def _normalised(contact: Contact, country: str) -> Contact:
    if contact.phone is None:
        return contact
    return Contact(
        contact.name, contact.organisation, normalise_phone(contact.phone, country).value, contact.email
    )


def _keep(db: Database, contact: Contact) -> int:
    """Insert or update the contact (same name and organisation); 1 if it is new."""
    row = db.execute(
        "SELECT id, phone, email FROM contacts WHERE name = ? AND coalesce(organisation, '') = ?",
        [contact.name, contact.organisation or ""],
    ).fetchone()
    if row is None:
        db.table("contacts").insert(
            {
                "name": contact.name,
                "organisation": contact.organisation,
                "phone": contact.phone,
                "email": contact.email,
            }
        )
        return 1
    contact_id, phone, email = row
    db.table("contacts").update(
        contact_id, {"phone": contact.phone or phone, "email": contact.email or email}
    )
    return 0


_REPORT = Catalog(
    {
        "summary": {
            "de": "vCards gelesen: {cards} · neue Kontakte: {new} · Angebote ergänzt: {offers}",
            "en": "vCards read: {cards} · new contacts: {new} · offers completed: {offers}",
        },
        "summary_dry": {
            "de": "Probelauf, nichts gespeichert. vCards: {cards} · würde neue Kontakte anlegen: {new} · "
            "würde Angebote ergänzen: {offers}",
            "en": "Dry run, nothing written. vCards: {cards} · would add contacts: {new} · "
            "would complete offers: {offers}",
        },
        "filled": {"de": "Angebot {id}: {fields}", "en": "offer {id}: {fields}"},
    }
)
_FIELD_WORDS = {
    "de": {"contact": "Ansprechpartner", "phone": "Telefon", "email": "E-Mail"},
    "en": {"contact": "contact", "phone": "phone", "email": "e-mail"},
}


def report_lines(report: ContactsReport, lang: str) -> tuple[list[str], str]:
    """(one note per completed offer, the summary line)."""
    words = _FIELD_WORDS.get(lang, _FIELD_WORDS["en"])
    notes = [
        _REPORT.text(lang, "filled", id=offer_id, fields=", ".join(words[name] for name in fields))
        for offer_id, fields in report.filled.items()
    ]
    key = "summary_dry" if report.dry_run else "summary"
    summary = _REPORT.text(lang, key, cards=report.cards, new=report.new_contacts, offers=len(report.filled))
    return notes, summary
