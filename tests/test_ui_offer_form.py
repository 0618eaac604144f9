"""The add/edit form as a user drives it: typing, Tab, Ctrl+S, Esc; what is saved and what is shown."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import asynccontextmanager

import pytest
from conftest import TODAY
from ui_helpers import FIXTURE_OFFERS, make_app, screen_text

from nachhaken_tui.core.models import Offer, OfferDraft
from nachhaken_tui.ui.screens.offer_form import OfferForm

D = dt.date
ROOMY = (84, 50)
"""Every field and message of the form on screen at once; the form as wide as the screen."""
_FRAME = re.compile(r"[█▀▄▁▂▃▅▆▇▔▕▏]")


class FormRun:
    """A form pushed onto the real app; its result is written as the main screen will write it."""

    def __init__(self, app, pilot, store, offer: Offer | None):
        self.app, self.pilot, self.store, self.offer = app, pilot, store, offer
        self.results: list[OfferDraft | None] = []

    def saved(self, draft: OfferDraft | None) -> None:
        self.results.append(draft)
        if draft is None:
            return
        if self.offer is None:
            self.store.add_offer(draft)
        else:
            self.store.update_offer(self.offer.id, draft)

    @property
    def form(self) -> OfferForm:
        return self.app.screen

    @property
    def focused(self) -> str | None:
        return self.app.focused.id if self.app.focused else None

    @property
    def text(self) -> str:
        """The screen as one line of words: frames dropped, wrapped messages joined."""
        return " ".join(_FRAME.sub(" ", screen_text(self.app)).split())

    async def type(self, field: str, text: str) -> None:
        """Focus `field`, clear it as a user would (End, Ctrl+U) and type `text` key by key."""
        self.app.screen.query_one(f"#field-{field}").focus()
        await self.pilot.pause()
        if field != "notes":
            await self.pilot.press("end", "ctrl+u")
        keys = ["space" if char == " " else "enter" if char == "\n" else char for char in text]
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def fill(self, **fields: str) -> None:
        for field, text in fields.items():
            await self.type(field, text)

    async def save(self) -> None:
        await self.pilot.press("ctrl+s")
        await self.pilot.pause()


@asynccontextmanager
async def form(store, *, lang="en", offer: Offer | None = None, size=ROOMY, country="DE"):
    app = make_app(store, lang)
    async with app.run_test(size=size) as pilot:
        run = FormRun(app, pilot, store, offer)
        app.push_screen(OfferForm(lang, TODAY, country=country, currency="EUR", offer=offer), run.saved)
        await pilot.pause()
        yield run


def only_offer(store) -> dict:
    [row] = list(store.db.query("SELECT * FROM offers"))
    return row


# ------------------------------------------------------------ adding


async def test_a_new_offer_is_saved_with_todays_date_and_the_defaults(store):
    async with form(store) as run:
        assert "New offer" in run.text and "→ Thu 26 Nov 2026" in run.text
        assert run.focused == "field-client"
        await run.pilot.press(*"Bau", "tab", *"Logo", "tab")
        await run.save()
        assert run.results == [OfferDraft(client="Bau", title="Logo", sent_on=TODAY, currency="EUR")]
    row = only_offer(store)
    assert (row["client"], row["title"], row["sent_on"], row["currency"], row["status"]) == (
        "Bau",
        "Logo",
        "2026-11-26",
        "EUR",
        "open",
    )


async def test_every_field_is_saved_as_the_cli_would_save_it(store):
    async with form(store) as run:
        await run.fill(
            client="Müller Bau GmbH",
            title="Website-Relaunch",
            contact="Sabine Müller",
            phone="030 1234567",
            email="sabine@mueller-bau.de",
            value="4.800,50 €",
            sent_on="16.11.2026",
            first_talk_on="10.11.",
            notes="Shop\nin spring [b]x[/b]",
        )
        await run.save()
    row = only_offer(store)
    assert {key: row[key] for key in ("client", "contact", "phone", "email", "title", "notes")} == {
        "client": "Müller Bau GmbH",
        "contact": "Sabine Müller",
        "phone": "+49301234567",
        "email": "sabine@mueller-bau.de",
        "title": "Website-Relaunch",
        "notes": "Shop\nin spring [b]x[/b]",
    }
    assert (row["value_cents"], row["currency"], row["sent_on"], row["first_talk_on"]) == (
        480_050,
        "EUR",
        "2026-11-16",
        "2026-11-10",
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"value": "4.800,50 €"}, {"value_cents": 480_050, "currency": "EUR"}),
        ({"value": "€1,250"}, {"value_cents": 125_000, "currency": "EUR"}),
        ({"value": "$300"}, {"value_cents": 30_000, "currency": "USD"}),
        ({"value": "1.200", "currency": "chf"}, {"value_cents": 120_000, "currency": "CHF"}),
        ({"sent_on": "2026-11-03"}, {"sent_on": D(2026, 11, 3)}),
        ({"sent_on": "3.11.26"}, {"sent_on": D(2026, 11, 3)}),
        ({"sent_on": "3.11."}, {"sent_on": D(2026, 11, 3)}),
        ({"sent_on": "gestern"}, {"sent_on": D(2026, 11, 25)}),
        ({"sent_on": "today"}, {"sent_on": TODAY}),
        ({"sent_on": "monday"}, {"sent_on": D(2026, 11, 23)}),
        ({"first_talk_on": "-2w"}, {"first_talk_on": D(2026, 11, 12)}),
        ({"phone": "0171 2345678"}, {"phone": "+491712345678"}),
        ({"phone": "+44 20 7946 0958"}, {"phone": "+442079460958"}),
        ({"phone": "ask reception"}, {"phone": "ask reception"}),
        ({"email": " a@b.de "}, {"email": "a@b.de"}),
        ({"contact": "[red]Anna[/red]"}, {"contact": "[red]Anna[/red]"}),
        ({"title": "q? /v"}, {"title": "q? /v"}),  # keys that act elsewhere are just letters here
    ],
)
async def test_valid_input_is_read_like_the_cli_reads_it(store, fields, expected):
    async with form(store) as run:
        await run.fill(**{"client": "A", "title": "T", **fields})
        await run.save()
        [draft] = run.results
    assert {key: getattr(draft, key) for key in expected} == expected


@pytest.mark.parametrize(
    ("fields", "bad", "message"),
    [
        ({"client": ""}, "client", "Client: is required"),
        ({"title": "   "}, "title", "Title: is required"),
        ({"sent_on": ""}, "sent_on", "Sent on: is required"),
        ({"value": "abc"}, "value", "Value: 'abc' is not an amount (e.g. 4800, 4.800,50 € or 4,800.50)"),
        ({"value": "-5"}, "value", "Value: '-5' is negative; an offer has no negative value"),
        ({"value": "1,2345"}, "value", "Value: '1,2345' has more than two decimals"),
        ({"email": "nope"}, "email", "E-mail: 'nope' is not an e-mail address"),
        ({"currency": "EU"}, "currency", "Currency: 'EU' is not an ISO 4217 currency code like EUR or CHF"),
        (
            {"value": "$300", "currency": "EUR"},
            "currency",
            "Currency: the amount says USD but the currency is EUR",
        ),
        ({"sent_on": "31.2.2026"}, "sent_on", "Sent on: '31.2.2026' is not a real day"),
        ({"sent_on": "soon"}, "sent_on", "Sent on: 'soon' is not a date; try e.g. 3.11., 2026-11-03, today"),
        (
            {"first_talk_on": "1.1.1900"},
            "first_talk_on",
            "First talk: '1.1.1900' is not between 1970 and 2100",
        ),
    ],
)
async def test_invalid_input_is_not_saved_and_the_field_says_why(store, fields, bad, message):
    async with form(store) as run:
        await run.fill(**{"client": "A", "title": "T", **fields})
        await run.save()
        assert run.results == []
        assert message in run.text
        assert run.focused == f"field-{bad}"
        assert "Not saved – please check:" in run.text
    assert store.db["offers"].count == 0


async def test_save_names_every_bad_field_and_focuses_the_first(store):
    async with form(store) as run:
        await run.fill(email="x", value="abc")
        await run.save()
        assert "Not saved – please check: Client, E-mail, Title, Value" in run.text
        assert run.focused == "field-client"
        for message in (
            "Client: is required",
            "Title: is required",
            "E-mail: 'x' is not",
            "Value: 'abc' is not",
        ):
            assert message in run.text
        await run.fill(client="A", title="T", email="a@b.de", value="5")
        assert "Not saved" not in run.text
        await run.save()
    assert only_offer(store)["value_cents"] == 500


async def test_a_problem_shows_once_the_field_is_left_and_follows_the_typing(store):
    async with form(store) as run:
        await run.type("value", "ab")
        assert "is not an amount" not in run.text  # still typing
        await run.pilot.press("tab")
        await run.pilot.pause()
        assert "Value: 'ab' is not an amount" in run.text
        await run.type("value", "1.250")
        assert "is not an amount" not in run.text
        assert "→ €1,250" in run.text  # how the amount was read
        await run.type("client", "")
        await run.pilot.press("tab")
        await run.pilot.pause()
        assert "Client: is required" in run.text
        assert "Title: is required" not in run.text  # never visited


async def test_dates_show_the_day_they_resolve_to(store):
    async with form(store, lang="de") as run:
        assert "→ Do 26. Nov 2026" in run.text
        await run.type("sent_on", "gestern")
        assert "→ Mi 25. Nov 2026" in run.text
        await run.type("first_talk_on", "letzten Montag")
        assert "→ Mo 23. Nov 2026" in run.text
        await run.type("first_talk_on", "bald")
        assert "→ Mo 23. Nov 2026" not in run.text


async def test_the_phone_shows_what_is_saved_or_why_it_is_kept(store):
    async with form(store) as run:
        await run.type("phone", "030 1234567")
        assert "saved as +49301234567" in run.text
        await run.type("phone", "12")
        await run.pilot.press("tab")
        await run.pilot.pause()
        assert "Phone: kept as typed: not a valid number for DE" in run.text
        await run.fill(client="A", title="T")
        await run.save()  # a hint, not a refusal
    assert only_offer(store)["phone"] == "12"


async def test_a_name_typed_into_the_phone_field_is_explained_as_a_name(store):
    async with form(store, lang="de") as run:
        await run.type("phone", "Frau Özdemir")
        await run.pilot.press("tab")
        await run.pilot.pause()
        assert "keine Ziffern darin – ein Name gehört ins Feld Ansprechpartner" in " ".join(run.text.split())


async def test_the_phone_is_read_for_the_configured_country(store):
    async with form(store, country="AT", lang="de") as run:
        await run.fill(client="A", title="T", phone="01 5880000")
        assert "wird gespeichert als +4315880000" in run.text
        await run.save()
    assert only_offer(store)["phone"] == "+4315880000"


# ------------------------------------------------------------ keys


async def test_tab_and_shift_tab_move_through_every_field_in_order(store):
    order = [
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
        "notes",
    ]
    async with form(store) as run:
        seen = [run.focused]
        for _ in order[1:]:
            await run.pilot.press("tab")
            seen.append(run.focused)
        assert seen == [f"field-{name}" for name in order]
        await run.pilot.press(*"line one", "enter", *"line two")  # Enter in notes is a new line
        await run.pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert run.focused == "field-sent_on"
        assert "Ctrl+S saves · Esc cancels · Tab/Shift+Tab moves" in run.text


async def test_escape_on_an_untouched_form_closes_it_and_writes_nothing(store):
    async with form(store) as run:
        await run.pilot.press("escape")
        await run.pilot.pause()
        assert run.results == [None]
        assert not isinstance(run.app.screen, OfferForm)
    assert store.db["offers"].count == 0


async def test_escape_after_typing_asks_before_throwing_it_away(store):
    async with form(store) as run:
        await run.pilot.press(*"Bau")
        await run.pilot.press("escape")
        await run.pilot.pause()
        assert "Discard your changes?" in run.text
        await run.pilot.press("enter")  # the safe answer has the focus: keep editing
        await run.pilot.pause()
        assert run.results == [] and isinstance(run.app.screen, OfferForm)
        assert run.form.texts()["client"] == "Bau"
        await run.pilot.press("escape", "tab", "enter")  # now: Discard
        await run.pilot.pause()
        assert run.results == [None]
        assert not isinstance(run.app.screen, OfferForm)
    assert store.db["offers"].count == 0


async def test_usable_at_80x24_the_form_scrolls_to_the_bad_field(store):
    async with form(store, size=(80, 24)) as run:
        assert "Ctrl+S saves" in run.text  # the keys stay in view
        await run.fill(title="T", value="abc", notes="called twice")
        assert "Client *" not in run.text  # scrolled down to the notes
        await run.save()
        assert run.focused == "field-client"
        assert "Client: is required" in run.text
        assert "Not saved – please check: Client, Value" in run.text
        await run.type("client", "A")
        await run.type("value", "1.000")
        await run.save()
    assert (only_offer(store)["client"], only_offer(store)["value_cents"]) == ("A", 100_000)


# ------------------------------------------------------------ editing


async def test_edit_is_prefilled_and_saves_only_what_changed(store):
    store.add_offer(FIXTURE_OFFERS[0])
    offer = store.get_offer(1)
    async with form(store, offer=offer) as run:
        text = run.text
        assert "Edit offer: Müller Bau GmbH" in text
        for shown in (
            "Website-Relaunch",
            "Sabine Müller",
            "+49 171 2345678",
            "4,800",
            "2026-11-16",
            "2026-11-10",
        ):
            assert shown in text
        assert "Wants the shop online before spring." in text
        await run.type("title", "Website relaunch and shop")
        await run.save()
    row = only_offer(store)
    assert row["title"] == "Website relaunch and shop"
    assert (row["client"], row["value_cents"], row["sent_on"], row["first_talk_on"]) == (
        "Müller Bau GmbH",
        480_000,
        "2026-11-16",
        "2026-11-10",
    )
    assert row["phone"] == "+491712345678"  # the same check as for a new offer
    assert (row["status"], row["next_due"]) == ("open", "2026-11-19")


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_editing_without_changes_gives_back_the_same_offer(store, lang):
    store.add_offer(
        OfferDraft(
            client="Northwind",
            title="Workshop",
            sent_on=D(2026, 11, 3),
            value_cents=123_456_78,
            currency="GBP",
            first_talk_on=D(2026, 10, 1),
            notes="a\nb",
            contact="Emma",
            email="e@n.uk",
            phone="+442079460958",
        )
    )
    offer = store.get_offer(1)
    async with form(store, offer=offer, lang=lang) as run:
        await run.pilot.press("escape")  # nothing changed: closes without asking
        await run.pilot.pause()
        assert run.results == [None]
    async with form(store, offer=offer, lang=lang) as run:
        await run.save()
        [draft] = run.results
    assert draft == OfferDraft(
        client="Northwind",
        title="Workshop",
        sent_on=D(2026, 11, 3),
        value_cents=123_456_78,
        currency="GBP",
        first_talk_on=D(2026, 10, 1),
        notes="a\nb",
        contact="Emma",
        email="e@n.uk",
        phone="+442079460958",
    )


async def test_german_edit_shows_german_numbers_and_dates(store):
    store.add_offer(FIXTURE_OFFERS[0])
    async with form(store, lang="de", offer=store.get_offer(1)) as run:
        text = run.text
        assert "Angebot bearbeiten: Müller Bau GmbH" in text
        assert "4.800" in text and "16.11.2026" in text and "→ Mo 16. Nov 2026" in text
        assert "Kunde *" in text and "Strg+S speichert · Esc bricht ab" in text
        await run.type("client", "")
        await run.save()
        assert "Kunde: fehlt" in run.text and "Nicht gespeichert – bitte prüfen: Kunde" in run.text


async def test_hostile_text_is_shown_literally(store):
    hostile = "[b]x[/] [@click=app.quit]y[/] \x1b[31m"
    store.add_offer(OfferDraft(client=hostile, title="[/]", sent_on=TODAY, notes="[link=http://x]z[/link]"))
    async with form(store, offer=store.get_offer(1)) as run:
        assert "Edit offer: [b]x[/] [@click=app.quit]y[/] �[31m" in run.text
        assert "[link=http://x]z[/link]" in run.text
        await run.type("email", "[b]@[/b]")
        await run.pilot.press("tab")
        await run.pilot.pause()
        assert "E-mail: '[b]@[/b]' is not an e-mail address" in run.text
        assert run.app.is_running


@pytest.mark.parametrize(
    ("fields", "bad", "message"),
    [
        (
            {"sent_on": "2099-01-01"},
            "sent_on",
            "Sent on: '2099-01-01' is after today (2026-11-26); record an offer once it has been sent",
        ),
        (
            {"sent_on": "10.11.2026", "first_talk_on": "20.11.2026"},
            "first_talk_on",
            (
                "First talk: '20.11.2026' is after the sent date 2026-11-10; "
                "the first talk comes before the offer"
            ),
        ),
    ],
)
async def test_a_sent_date_after_today_or_a_first_talk_after_it_is_not_saved(store, fields, bad, message):
    async with form(store) as run:
        await run.fill(**{"client": "A", "title": "T", **fields})
        await run.save()
        assert run.results == []
        assert message in run.text
        assert run.focused == f"field-{bad}"
    assert store.db["offers"].count == 0
