"""The inbox: quick outcomes, views, empty states, hostile text, help, German."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from ui_helpers import fill, make_app, notifications, right_pane, screen_text, settle

from nachhaken_tui.core.models import CallDraft, DueKind, OfferDraft, Outcome, Status

MUELLER = 1


def only_call(store) -> dict:
    [call] = list(store.db.query("SELECT * FROM calls"))
    return call


async def test_quick_won_closes_the_top_offer(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        assert "Congratulations on the job! Saved: Müller Bau GmbH – won · u undoes it" in notifications(app)
    assert store.get_offer(MUELLER).status is Status.WON
    call = only_call(store)
    assert call["outcome"] == "won"
    [answer] = store.db.query("SELECT * FROM answers WHERE call_id = ?", [call["id"]])
    assert (answer["step"], answer["answer"]) == ("quick", "won")


async def test_quick_lost_asks_the_reason_by_number(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        assert "Lost – why?" in screen_text(app)
        await pilot.press("2")  # timing
        await settle(pilot)
    offer = store.get_offer(MUELLER)
    assert (offer.status, offer.loss_reason) == (Status.LOST, "timing")


async def test_quick_lost_with_a_reason_of_ones_own(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "8", *"moved abroad".replace(" ", "_"), "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).loss_reason == "moved_abroad"


async def test_quick_lost_cancelled_with_escape_writes_nothing(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "escape")
        await settle(pilot)
    assert store.get_offer(MUELLER).status is Status.OPEN
    assert store.db["calls"].count == 0


async def test_quick_no_answer_counts_the_attempt_and_reschedules(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert "1 due today" in screen_text(app)
    offer = store.get_offer(MUELLER)
    assert (offer.attempts, offer.next_due, offer.due_kind) == (1, dt.date(2026, 11, 30), DueKind.RETRY)
    assert (only_call(store)["outcome"], only_call(store)["reached"]) == ("no_answer", "no_answer")


async def test_quick_snooze_takes_a_spoken_date_and_a_reason(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", *"next", "space", *"week")
        assert "→ Mon 30 Nov 2026" in screen_text(app)
        await pilot.press("enter", *"holiday", "enter")
        await settle(pilot)
    offer = store.get_offer(MUELLER)
    assert (offer.next_due, offer.due_kind, offer.status) == (
        dt.date(2026, 11, 30),
        DueKind.AGREED,
        Status.OPEN,
    )
    call = only_call(store)
    assert (call["outcome"], call["next_due"], call["notes"]) == ("snoozed", "2026-11-30", "holiday")


def left_pane(app) -> str:
    """The inbox side of the screen."""
    return "\n".join(line.split("▕")[0] for line in screen_text(app).splitlines())


async def test_views_cycle_due_upcoming_open_closed(store):
    fill(store)
    store.record_call(2, CallDraft(outcome=Outcome.WON), today=TODAY)  # Northwind won
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the counts come from the background
        assert "Due 1" in left_pane(app) and "Upcoming 1" in left_pane(app)
        assert "Bäckerei" not in left_pane(app)
        await pilot.press("v")  # Upcoming: due within 7 days
        assert "Bäckerei Schröder" in left_pane(app) and "due Mon 30 Nov" in left_pane(app)
        assert "Müller" not in left_pane(app)
        await pilot.press("v")  # Open
        assert "Müller Bau GmbH" in left_pane(app) and "Bäckerei Schröder" in left_pane(app)
        assert "Northwind" not in left_pane(app)
        await pilot.press("v")  # Closed
        assert "Northwind Studio" in left_pane(app) and "won " in left_pane(app)
        await pilot.press("w")  # quick outcomes do not apply to closed offers
        await settle(pilot)
        await pilot.press("v")
        assert "Due 1" in left_pane(app)
    assert store.db["calls"].count == 1


async def test_sort_by_value_then_sent_date(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v")  # Open: Müller (due first), Northwind, Bäckerei
        clients = lambda: [r.client for r in (app.screen.inbox.row_at(i) for i in range(3))]  # noqa: E731
        assert clients() == ["Müller Bau GmbH", "Northwind Studio", "Bäckerei Schröder"]
        await pilot.press("o")
        assert "↕ value" in left_pane(app)
        assert clients() == ["Müller Bau GmbH", "Northwind Studio", "Bäckerei Schröder"]  # 4800 > 1200 > 900
        await pilot.press("o")
        assert clients() == ["Bäckerei Schröder", "Northwind Studio", "Müller Bau GmbH"]  # newest first


async def test_search_filters_as_you_type_and_escape_clears(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v", "slash", *"emma")  # contact of Northwind, in the Open view
        assert "Northwind Studio" in left_pane(app)
        assert "Müller" not in left_pane(app) and "Bäckerei" not in left_pane(app)
        assert "Open 1" in left_pane(app)
        await pilot.press("enter")  # keep the filter, back to the list
        assert app.focused.id == "inbox"
        assert "/ emma" in left_pane(app)
        await pilot.press("slash", "backspace", "backspace", "backspace", "backspace", *"zzz")
        assert "Nothing found for “zzz”." in left_pane(app)
        await pilot.press("escape")
        assert "Müller Bau GmbH" in left_pane(app) and "Bäckerei Schröder" in left_pane(app)


async def test_the_search_field_is_ready_before_the_first_slash(store):
    """Keys typed right after the first `/` go into the field, never to the inbox's
    bindings (`e` opened the offer form while a field mounted on `/` was not yet
    focusable): the field is there, hidden, once the first frame is shown."""
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#search")
        assert not field.display
        await pilot.press("slash", *"bäck")
        assert app.focused is field and field.value == "bäck"
        assert "Müller Bau GmbH" not in left_pane(app)  # the search filters: the bakery is upcoming, not due
        assert "Due 0" in left_pane(app) and "Upcoming 1" in left_pane(app)


@pytest.mark.parametrize(
    ("lang", "nothing", "elsewhere"),
    [
        ("en", "Nothing found for “bäckerei”.", "In other views: Upcoming 1, Open 1. v switches the view."),
        (
            "de",
            "Nichts gefunden für „bäckerei“.",
            "In anderen Ansichten: Demnächst 1, Offen 1. v wechselt die Ansicht.",
        ),
    ],
)
async def test_a_search_that_finds_nothing_here_says_which_views_have_matches(
    store, lang, nothing, elsewhere
):
    fill(store)  # Bäckerei Schröder is upcoming, not due
    app = make_app(store, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"bäckerei")
        text = " ".join(left_pane(app).split())
        assert nothing in text and elsewhere in text
        await pilot.press("enter", "v")
        assert "Bäckerei Schröder" in left_pane(app)


async def test_search_matches_notes_and_treats_wildcards_literally(store):
    fill(store)
    store.add_offer(OfferDraft(client="Percent 100%", title="T", sent_on=dt.date(2026, 11, 16)))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"spring")  # in Müller's notes
        assert "Müller Bau GmbH" in left_pane(app) and "Northwind" not in left_pane(app)
        await pilot.press("escape", "slash", "0", "percent")
        assert "Percent 100%" in left_pane(app) and "Müller" not in left_pane(app)


async def test_archive_asks_then_hides_and_reopen_brings_it_back(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        assert "Archive?" in screen_text(app)
        await pilot.press("escape")
        assert store.get_offer(MUELLER).status is Status.OPEN
        await pilot.press("d", "tab", "enter")
        await pilot.pause()
        assert store.get_offer(MUELLER).status is Status.ARCHIVED
        assert "Müller" not in left_pane(app)
        await pilot.press("v", "v", "v")  # Closed
        assert "Müller Bau GmbH" in left_pane(app) and "archived " in left_pane(app)
        await pilot.press("r")
        await pilot.pause()
    offer = store.get_offer(MUELLER)
    assert (offer.status, offer.next_due, offer.closed_at) == (Status.OPEN, TODAY, None)


async def test_first_run_empty_state_says_how_to_start(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "No offers yet." in text
    assert "Press a to add one," in text
    assert "nachhaken import FILE.csv" in text


async def test_nothing_due_names_the_next_follow_up(store):
    store.add_offer(OfferDraft(client="Bäckerei Schröder", title="Logo", sent_on=dt.date(2026, 11, 25)))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "Nothing due today." in text
    assert "Next follow-up Mon 30 Nov:" in text
    assert "Bäckerei Schröder" in text
    assert "Pick an offer" not in text


HOSTILE = [
    "[/]",
    "[bold red]x",
    "[@click=app.quit]quit",
    "\x1b[31mred\x1b[0m",
    "{contact} {0} {__class__}",
    "عميل \u202eevil",
]


@pytest.mark.parametrize("name", HOSTILE)
async def test_hostile_names_are_shown_literally_and_never_act(store, name):
    store.add_offer(
        OfferDraft(
            client=name,
            contact=name,
            title=name,
            notes=name,
            sent_on=dt.date(2026, 11, 16),
            phone="[red]0[/red]",
        )
    )
    shown = name.replace("\x1b", "\ufffd").replace("\u202e", "\ufffd")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert shown[:12] in screen_text(app)  # inbox and card
        await pilot.press("enter")  # the script fills placeholders with the name
        await pilot.press("2", "3")  # pushy, a 50 % guess: the reframe
        said = str(app.query_one("#say").content)
        assert f"Remember that {shown} took time" in said  # the script's {contact}
        text = screen_text(app)
        assert "\x1b" not in text and "\u202e" not in text
        await pilot.click("#card")  # a live [@click=...] would act here
        await pilot.click("#say")
        await pilot.pause()
        assert app.is_running


async def test_help_shows_the_keymap_and_closes(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        text = screen_text(app)
        assert "Keymap" in text and "Snooze to a date" in text
        await pilot.press("escape")
        assert "Keymap" not in screen_text(app)


async def test_german_inbox_card_and_script(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the header's count comes from the background
        text = screen_text(app)
        assert "2 heute fällig" in text
        assert "5 Werktage überfällig · erstes Nachfassen" in text
        assert "4.800 €" in text
        assert "vor 10 Tagen" in text
        await pilot.press("enter")
        assert "Vor dem Anruf" in screen_text(app)
        await pilot.press("escape", "n")
        await settle(pilot)
        # what was saved, and when the offer comes back (two business days on)
        saved = "Gespeichert: Müller Bau GmbH – nicht erreicht · wieder dran am Mo 30. Nov · u macht es rückgängig"
        assert saved in notifications(app)


async def test_other_processes_writes_appear_without_losing_the_selection(store, db_path):
    from nachhaken_tui.core.db.store import Store

    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down")  # Northwind
        other = Store.open(db_path)
        other.add_offer(OfferDraft(client="Zeta Late", title="Audit", sent_on=dt.date(2026, 11, 2)))
        other.close()
        app.screen._poll_for_changes()
        await pilot.pause()
        text = screen_text(app)
        assert "Zeta Late" in text
        assert "3 due today" in text
        assert app.screen.inbox.current.client == "Northwind Studio"


async def test_command_palette_lists_actions_in_the_language_and_runs_them(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert "Befehl suchen" in screen_text(app)
        await pilot.press(*"archiv")
        await pilot.pause(0.3)
        assert "Archivieren" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Archivieren?" in screen_text(app)  # the confirmation of `d`


async def test_y_copies_the_number_in_the_inbox_and_during_a_call(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        assert app.clipboard == "+49 171 2345678"
        await pilot.press("down", "enter", "4", "1")  # Northwind, on the dial step
        assert "☎ +44 20 7946 0958" in screen_text(app)
        await pilot.press("y")
        assert app.clipboard == "+44 20 7946 0958"
        assert "Copied: +44 20 7946 0958" in notifications(app)


async def test_phone_numbers_are_tel_links(store):
    from nachhaken_tui.ui.widgets.offer_card import phone_link

    assert phone_link("+49 171 2345678", "DE").style.link == "tel:+491712345678"
    assert phone_link("n/a", "DE").style.link is None


@pytest.mark.parametrize(("size", "dated"), [((60, 20), False), ((80, 24), True)])
async def test_the_header_gives_the_count_room_on_a_narrow_terminal(store, size, dated):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        header = screen_text(app).splitlines()[0]
        assert "2 due today" in header and "…" not in header
        assert ("Thu 26 Nov 2026" in header) is dated


@pytest.mark.parametrize(
    ("lang", "tabs"),
    [
        ("en", ["Due 2", "Upcoming 1", "Open 3", "Closed 0"]),
        ("de", ["Fällig 2", "Demnächst 1", "Offen 3", "Erledigt 0"]),
    ],
)
@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_every_view_tab_stays_visible_on_a_small_terminal(store, lang, tabs, size):
    fill(store)
    app = make_app(store, lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for tab in tabs:
            assert tab in left_pane(app), (tab, left_pane(app))


async def test_a_wide_terminal_shows_each_rows_reason_and_age_whole(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        assert "Sabine Müller · Website-Relaunch" in left_pane(app) and "sent 10 days ago" in left_pane(app)
        assert "overdue 5 business days · first follow-up" in left_pane(app)


@pytest.mark.parametrize(
    ("lang", "reopen", "call", "closed"),
    [
        ("en", "r Reopen", "⏎ Call", "This offer is closed (won). r reopens it, h shows its calls."),
        (
            "de",
            "r Wieder öffnen",
            "⏎ Anrufen",
            "Dieses Angebot ist abgeschlossen (gewonnen). r öffnet es wieder",
        ),
    ],
)
async def test_the_closed_view_offers_reopen_not_a_call(store, lang, reopen, call, closed):
    fill(store)
    store.record_call(2, CallDraft(outcome=Outcome.WON), today=TODAY)
    app = make_app(store, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):  # the first frame, however busy the machine
            await pilot.pause()
            if screen_text(app).splitlines()[-1].strip():
                break
        footer = screen_text(app).splitlines()[-1]
        assert call in footer and reopen not in footer
        await pilot.press("v", "v", "v")
        text = screen_text(app)
        footer = text.splitlines()[-1]
        assert reopen in footer and call not in footer
        assert closed in right_pane(app)
        await pilot.press("enter")  # nothing to call
        assert app.screen.script_panel.run is None
        await pilot.press("r")  # won: was the closing call a mistake?
        await pilot.press("enter")  # "No, just reopen" has the focus
        await settle(pilot)
    assert store.get_offer(2).status is Status.OPEN


async def test_after_an_empty_view_the_next_one_shows_its_first_offer_on_top(store):
    """Due → Upcoming (empty, the list hidden) → Open: the list starts at the offer the card shows.

    The hidden list has no height; scrolling the cursor "into view" there
    scrolled the next view's list one row down, its highlighted first offer
    out of sight while the card showed it.
    """
    for n in range(30):  # all due (the oldest first), more than the list has room for: Upcoming is empty
        store.add_offer(OfferDraft(client=f"Client {n:02d}", title="Logo", sent_on=dt.date(2026, 10, 1 + n)))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        assert "This view is empty." in left_pane(app)
        await pilot.press("v")
        await pilot.pause()
        assert app.screen.inbox.scroll_y == 0
        rows = [line for line in left_pane(app).splitlines() if "Client " in line]
        assert "Client 00" in rows[0]
        assert "Client 00" in right_pane(app)
