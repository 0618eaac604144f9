"""Add or edit an offer in a modal form, checked as you type by the CLI's rules.

`OfferForm` dismisses with a validated `OfferDraft` (Ctrl+S) or None (Esc);
the caller writes it (`store.add_offer` / `store.update_offer`), so the form
never touches the database. Every field goes through `offer_check.check_offer`,
the gate `nachhaken add` uses too: the same required fields, amounts read as
the import reads them, dates typed as people say them (`gestern`, `3.11.`),
and the phone normalised to E.164 for the configured country where possible.

What the user sees per field: after a field has been left once (or Ctrl+S
was pressed), why it is refused, right under it, updated as they type; as
they type, what a good value will be saved as (the resolved date beside a
date field, the amount and the E.164 number under theirs); and the hint when
a phone number is kept as typed. Everything the user typed is shown as plain
text, never markup.

With contacts from a vCard import, the contact and client fields suggest
them as you type (→ takes the suggestion); a contact taken fills the empty
client, phone and e-mail fields from its card, a client with one person on
file fills the empty contact, phone and e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static, TextArea

from nachhaken_tui.core.input.fields import REQUIRED_FIELDS, field_label, fold
from nachhaken_tui.core.input.offer_check import OfferCheck, check_offer
from nachhaken_tui.core.models import Contact, Offer, OfferDraft
from nachhaken_tui.core.text.currencies import minor_digits
from nachhaken_tui.core.text.i18n import Catalog, format_date_long, format_money
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.ui.screens.dialogs import ConfirmDialog
from nachhaken_tui.ui.text import plain

__all__ = ["FORM", "OfferForm"]

FORM = Catalog(
    {
        "add_title": {"de": "Neues Angebot", "en": "New offer"},
        "edit_title": {"de": "Angebot bearbeiten:", "en": "Edit offer:"},
        "keys": {
            "de": "Strg+S speichert · Esc bricht ab · Tab/Umschalt+Tab: Feld · * Pflicht",
            "en": "Ctrl+S saves · Esc cancels · Tab/Shift+Tab moves · * required",
        },
        "not_saved": {
            "de": "Nicht gespeichert – bitte prüfen: {fields}",
            "en": "Not saved – please check: {fields}",
        },
        "resolved": {"de": "→ {value}", "en": "→ {value}"},
        "stored_as": {"de": "wird gespeichert als {value}", "en": "saved as {value}"},
        "placeholder_value": {"de": "z. B. 4.800,50 €", "en": "e.g. €4,800.50"},
        "placeholder_pick": {
            "de": "tippen: Vorschläge aus deinen Kontakten, → übernimmt",
            "en": "type: suggestions from your contacts, → takes one",
        },
        "placeholder_date": {
            "de": "z. B. 3.11.2026, 3.11., gestern",
            "en": "e.g. 2026-11-03, 3.11., yesterday",
        },
        "placeholder_phone": {"de": "z. B. 030 1234567", "en": "e.g. +44 20 7946 0958"},
        "placeholder_salutation": {"de": "z. B. Frau Brenner oder Katrin", "en": "e.g. Ms Brenner or Katrin"},
        "placeholder_currency": {"de": "{code} (Standard)", "en": "{code} (default)"},
        "placeholder_valid_until": {
            "de": "z. B. 18.12. oder +14 (optional)",
            "en": "e.g. 2026-12-18 or +14 (optional)",
        },
        "discard_title": {"de": "Eingaben verwerfen?", "en": "Discard your changes?"},
        "discard_body": {
            "de": "Das Formular enthält Änderungen, die noch nicht gespeichert sind.",
            "en": "The form has changes that are not saved.",
        },
        "discard_yes": {"de": "Verwerfen", "en": "Discard"},
        "discard_no": {"de": "Weiter bearbeiten", "en": "Keep editing"},
    }
)
"""The form's own words; field names come from `fields.field_label`."""

LINE_FIELDS = (
    "client",
    "title",
    "reference",
    "contact",
    "salutation",
    "phone",
    "email",
    "value",
    "currency",
    "sent_on",
    "first_talk_on",
    "valid_until",
)
"""The one-line fields, in the order they are shown (notes follow)."""
DATE_FIELDS = ("sent_on", "first_talk_on", "valid_until")
ALL_FIELDS = (*LINE_FIELDS, "notes")


class OfferForm(ModalScreen[OfferDraft | None]):
    """Every field of an offer the user owns; add when `offer` is None, else edit it.

    Args:
        lang: "de" or "en".
        today: the day a date like `gestern` is read against; the default
            sent date of a new offer.
        country: the config's country, for phone numbers without a country code.
        currency: the config's currency, used when neither the currency field
            nor the amount names one.
        offer: the offer to edit (its fields are filled in), or None to add one.
        contacts: the user's contacts (from a vCard import), suggested in the
            contact and client fields.

    Dismisses with the validated `OfferDraft` (its `currency` always set), or
    None when cancelled.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, show=False),
        Binding("escape", "cancel", "Cancel", priority=True, show=False),
    ]

    def __init__(
        self,
        lang: str,
        today: dt.date,
        *,
        country: str,
        currency: str,
        offer: Offer | None = None,
        contacts: Sequence[Contact] = (),
    ) -> None:
        super().__init__()
        self.contacts = {fold(contact.name): contact for contact in reversed(contacts)}
        """Contacts by folded name (the first of equal names wins)."""
        self.people_at: dict[str, list[Contact]] = {}
        """Folded organisation -> the people on file there."""
        for contact in contacts:
            if contact.organisation and contact.name != contact.organisation:
                self.people_at.setdefault(fold(contact.organisation), []).append(contact)
        self.suggestions = {
            "contact": sorted({contact.name for contact in contacts}),
            "client": sorted({contact.organisation for contact in contacts if contact.organisation}),
        }
        self.lang = lang
        self.today = today
        self.country = country
        self.currency = currency
        self.offer = offer
        self.initial = _initial_texts(offer, today, lang)
        """What each field held when the form opened (to tell whether Esc loses anything)."""
        self.touched: set[str] = set()
        """Fields whose problems are shown: left at least once, or all after Ctrl+S."""

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-form", classes="dialog"):
            yield Static(self._title(), classes="dialog-title")
            with VerticalScroll(id="offer-fields", can_focus=False):
                for name in LINE_FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Static(Text(self._label(name)), classes="form-label")
                        yield Input(
                            self.initial[name],
                            placeholder=self._placeholder(name),
                            id=f"field-{name}",
                            compact=True,
                            suggester=self._suggester(name),
                        )
                        if name in DATE_FIELDS:
                            yield Static(id=f"resolved-{name}", classes="form-resolved")
                    yield Static(id=f"msg-{name}", classes="form-msg -empty")
                yield Static(Text(self._label("notes")), classes="form-label form-notes-label")
                yield TextArea(self.initial["notes"], id="field-notes", soft_wrap=True, compact=True)
                yield Static(id="msg-notes", classes="form-msg -empty")
            yield Static(id="form-status", classes="form-status -empty")
            yield Static(Text(FORM.text(self.lang, "keys")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#field-client", Input).focus()
        self._show(self._check())

    def _title(self) -> Text:
        if self.offer is None:
            return Text(FORM.text(self.lang, "add_title"), style="bold")
        return Text.assemble((FORM.text(self.lang, "edit_title"), "bold"), " ", plain(self.offer.client))

    def _label(self, name: str) -> str:
        label = field_label(name, self.lang)
        label = label[:1].upper() + label[1:]
        return f"{label} *" if name in REQUIRED_FIELDS else label

    def _placeholder(self, name: str) -> str:
        if name == "valid_until":
            return FORM.text(self.lang, "placeholder_valid_until")
        if name in DATE_FIELDS:
            return FORM.text(self.lang, "placeholder_date")
        if name in ("value", "phone", "salutation"):
            return FORM.text(self.lang, f"placeholder_{name}")
        if name == "currency":
            return FORM.text(self.lang, "placeholder_currency", code=self.currency)
        if self.suggestions.get(name):
            return FORM.text(self.lang, "placeholder_pick")
        return ""

    def _suggester(self, name: str) -> SuggestFromList | None:
        names = self.suggestions.get(name)
        return SuggestFromList(names, case_sensitive=False) if names else None

    @on(Input.Changed, "#field-contact")
    def contact_picked(self, event: Input.Changed) -> None:
        """A contact on file: its client, phone and e-mail fill the fields still empty."""
        if (contact := self.contacts.get(fold(event.value))) is not None:
            self._fill_empty(client=contact.organisation, phone=contact.phone, email=contact.email)

    @on(Input.Changed, "#field-client")
    def client_picked(self, event: Input.Changed) -> None:
        """A client with exactly one person on file: that person fills the empty fields."""
        people = self.people_at.get(fold(event.value), [])
        if len(people) == 1 and not self.query_one("#field-contact", Input).value.strip():
            self._fill_empty(contact=people[0].name, phone=people[0].phone, email=people[0].email)

    def _fill_empty(self, **values: str | None) -> None:
        for name, value in values.items():
            field = self.query_one(f"#field-{name}", Input)
            if value and not field.value.strip():
                field.value = terminal_safe(value)

    # ------------------------------------------------------------ checking

    def texts(self) -> dict[str, str]:
        """Every field as it is typed right now."""
        texts = {name: self.query_one(f"#field-{name}", Input).value for name in LINE_FIELDS}
        texts["notes"] = self.query_one("#field-notes", TextArea).text
        return texts

    def _check(self) -> OfferCheck:
        return check_offer(self.texts(), phone_country=self.country, today=self.today, currency=self.currency)

    def _show(self, check: OfferCheck) -> None:
        """Put each field's problem, hint or resolved value on screen."""
        texts = self.texts()
        for name in ALL_FIELDS:
            message, kind = self._message(name, check, texts[name])
            line = self.query_one(f"#msg-{name}", Static)
            line.update(Text(message))
            line.set_classes(f"form-msg -{kind}" if message else "form-msg -empty")
            if name != "notes":
                self.query_one(f"#field-{name}", Input).set_class(
                    name in self.touched and check.problem(name) is not None, "-bad"
                )
        for name in DATE_FIELDS:
            day = check.values.get(name)
            shown = (
                FORM.text(self.lang, "resolved", value=format_date_long(day, self.lang))
                if isinstance(day, dt.date)
                else ""
            )
            self.query_one(f"#resolved-{name}", Static).update(Text(shown))
        if check.draft is not None:
            self._status("")

    def _message(self, name: str, check: OfferCheck, typed: str) -> tuple[str, str]:
        """(text, kind) under field `name`: kind is error, note or info."""
        label = self._label(name).removesuffix(" *")
        if name in self.touched:
            if (problem := check.problem(name)) is not None:
                return problem.message(self.lang, label), "error"
            if (note := check.note(name)) is not None:
                return note.message(self.lang, label), "note"
        value = check.values.get(name)
        if name == "phone" and value and value != typed.strip() and check.note(name) is None:
            return FORM.text(self.lang, "stored_as", value=value), "info"
        if name == "value" and isinstance(value, int):
            currency = str(check.values.get("currency") or self.currency)
            return FORM.text(self.lang, "resolved", value=format_money(value, currency, self.lang)), "info"
        return "", "empty"

    def _status(self, message: str) -> None:
        status = self.query_one("#form-status", Static)
        status.update(Text(message))
        status.set_classes("form-status" if message else "form-status -empty")

    @on(Input.Changed)
    @on(TextArea.Changed)
    def changed(self) -> None:
        self._show(self._check())

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        widget_id = event.widget.id or ""
        if widget_id.startswith("field-") and self.is_attached:
            self.touched.add(widget_id.removeprefix("field-"))
            self._show(self._check())

    # ------------------------------------------------------------ actions

    def action_save(self) -> None:
        """Ctrl+S: dismiss with the offer if every field is good, else show why."""
        check = self._check()
        self.touched.update(ALL_FIELDS)
        self._show(check)
        if check.draft is None:
            first = check.problems[0].field
            names = ", ".join(self._label(problem.field).removesuffix(" *") for problem in check.problems)
            self._status(FORM.text(self.lang, "not_saved", fields=names))
            self.query_one(f"#field-{first}").focus()
            self.call_after_refresh(self.query_one(f"#msg-{first}").scroll_visible, animate=False)
            return
        self.dismiss(replace(check.draft, currency=check.draft.currency or self.currency))

    def action_cancel(self) -> None:
        """Esc: close without saving; ask first if anything was changed."""
        self.confirm_discard_then(lambda: self.dismiss(None))

    def confirm_discard_then(self, proceed: Callable[[], object]) -> None:
        """Run `proceed`, first asking if changes would be lost (Esc, and quitting the app)."""
        if self.texts() == self.initial:
            proceed()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                proceed()

        self.app.push_screen(
            ConfirmDialog(
                self.lang,
                FORM.text(self.lang, "discard_title"),
                FORM.text(self.lang, "discard_body"),
                FORM.text(self.lang, "discard_yes"),
                FORM.text(self.lang, "discard_no"),
            ),
            answered,
        )


def _initial_texts(offer: Offer | None, today: dt.date, lang: str) -> dict[str, str]:
    """The fields as the form opens: empty with today's date, or the offer's values."""
    texts = dict.fromkeys(ALL_FIELDS, "")
    if offer is None:
        texts["sent_on"] = _date_text(today, lang)
        return texts
    # Input and TextArea draw their text as it is: an 8-bit CSI or a bidi
    # override in a stored name would reach the terminal. Shown (and, if
    # saved, stored) as "�" instead (issue 7).
    texts.update(
        client=terminal_safe(offer.client),
        title=terminal_safe(offer.title),
        reference=terminal_safe(offer.reference),
        contact=terminal_safe(offer.contact),
        salutation=terminal_safe(offer.salutation),
        phone=terminal_safe(offer.phone),
        email=terminal_safe(offer.email),
        value=_amount_text(offer.value_cents, offer.currency, lang),
        currency=offer.currency,
        sent_on=_date_text(offer.sent_on, lang),
        first_talk_on=_date_text(offer.first_talk_on, lang),
        valid_until=_date_text(offer.valid_until, lang),
        notes=terminal_safe(offer.notes, keep_lines=True),
    )
    return texts


def _date_text(day: dt.date | None, lang: str) -> str:
    """A date as a user of `lang` types it: "3.11.2026" / "2026-11-03"."""
    if day is None:
        return ""
    return f"{day.day}.{day.month}.{day.year}" if lang == "de" else day.isoformat()


def _amount_text(cents: int | None, currency: str | None, lang: str) -> str:
    """An amount without its currency, read back to the same minor units: "4.800,50" / "4,800.50"."""
    if cents is None:
        return ""
    digits = minor_digits(currency)
    whole, rest = divmod(cents, 10**digits)
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    text = f"{whole:,}".replace(",", thousands)
    return f"{text}{decimal}{rest:0{digits}d}" if rest else text
