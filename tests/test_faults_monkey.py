"""The monkey: random keys from each of several seeded generators against the real app.

The suite sends `KEYS // 8` of them per seed; `pytest --slow` runs the long
run of all `KEYS`.

Every binding of every screen, digits, Enter, Esc, Tab, arrows and typing,
on the demo database plus a few hostile offers. The app must never crash,
and afterwards the file must pass `PRAGMA integrity_check` with every saved
call complete: a valid outcome, its answers in order, the dates and reasons
its outcome needs, and its offer in a state that agrees with it.

Keys are sent without `Pilot.press`'s wait for an idle CPU (see
`fault_helpers.quick_press`), so they also arrive faster than a person types
while saves run in their worker threads. `q` and Ctrl+Q/Ctrl+C are left out
so the app keeps running; should it end anyway (the command palette's
"Quit" can be typed), a new app is opened on the same file and the keys go
on. A failure names the seed and the last keys pressed.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3

import pytest
from conftest import TODAY
from fault_helpers import quick_press
from ui_helpers import make_app

from nachhaken_tui.core.demo import build_demo
from nachhaken_tui.core.models import OfferDraft

SEEDS = [20261126, 20261130, 7]
"""Each seed is its own run: a crash that one sequence of keys misses, another may find."""
KEYS = 3000
"""Keys of the long run (`pytest --slow`); the suite's short run sends an eighth of them."""

BINDINGS = [
    "w",
    "l",
    "n",
    "s",
    "a",
    "e",
    "b",
    "y",
    "h",
    "k",
    "m",
    "t",
    "X",
    "d",
    "r",
    "v",
    "o",
    "slash",
    "question_mark",
    "ctrl+p",
    "ctrl+s",
    "j",
    "g",
    "G",
    "c",
    "x",
]
NAVIGATION = ["up", "down", "pageup", "pagedown", "home", "end", "tab", "shift+tab", "left", "right"]
CONFIRM = ["enter", "escape", "escape", "enter", "backspace", "space"]
DIGITS = list("1234567890")
TYPING = list("abcdefghijmnoprstvwxyz+-.:/@ ") + ["left_square_bracket", "right_square_bracket", "ä", "€"]
"""No "u": in the inbox it undoes, and at random it would take back the very calls
the data check below looks for (undo has tests of its own, tests/test_ui_undo.py)."""
POOL = [(BINDINGS, 4), (NAVIGATION, 2), (CONFIRM, 4), (DIGITS, 4), (TYPING, 3)]

OUTCOMES = {"won", "lost", "follow_up", "revise", "voicemail", "no_answer", "snoozed"}


def _keys(rng: random.Random, count: int) -> list[str]:
    """Random keys; now and then a run of digits and Enter that walks a whole
    call script (a monkey rarely finishes one by chance), typed text and dates
    included, so saving from the script is exercised too."""
    groups = [group for group, weight in POOL for _ in range(weight)]
    keys: list[str] = []
    while len(keys) < count:
        if rng.random() < 0.03:
            keys.append("enter")
            for _ in range(14):
                keys += [rng.choice("123"), "enter"] if rng.random() < 0.8 else ["plus", "3", "enter"]
            keys.append("enter")
        else:
            keys.append(rng.choice(rng.choice(groups)))
    return keys[:count]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "count", [KEYS // 8, pytest.param(KEYS, marks=pytest.mark.slow)], ids=["short", "long"]
)
async def test_random_keys_never_break_the_app_or_the_data(store, db_path, count, seed):
    build_demo(store, TODAY)
    for text in ("[/]", "[@click=app.quit]x", "\x1b]0;PWNED\x07", "\u202eevil"):
        store.add_offer(
            OfferDraft(
                client=text,
                contact=text,
                title=text,
                notes=text,
                phone="+49 30 1234567",
                email="a@b.example",
                sent_on=dt.date(2026, 11, 2),
            )
        )
    demo_calls = store.db.execute("SELECT max(id) FROM calls").fetchone()[0]  # the demo's own history
    rng = random.Random(seed)
    keys = ["n", *_keys(rng, count)]  # a first quick outcome, so a saved call proves the keys reach the app
    pressed = 0
    opened_urls: list[str] = []
    apps = 0
    while pressed < len(keys):
        app = make_app(store)
        app.open_url = lambda url, new_tab=True: opened_urls.append(url)  # no browser in tests
        apps += 1
        try:
            async with app.run_test(size=(100, 30)) as pilot:
                while pressed < len(keys) and app.is_running:
                    batch = keys[pressed : pressed + 10]
                    await quick_press(pilot, *batch)
                    pressed += len(batch)
                await app.workers.wait_for_complete()
        except Exception as error:
            raise AssertionError(
                f"seed {seed}, within keys {pressed - 10}..{pressed}: {keys[max(0, pressed - 40) : pressed]}"
            ) from error
        assert app.return_code in (None, 0), f"app ended with {app.return_code}: {app.crash_message}"
        assert apps < 20, "the app kept quitting"

    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        calls = conn.execute("SELECT * FROM calls").fetchall()
        made_here = [call for call in calls if call["id"] > demo_calls]
        # How many calls get saved varies from run to run (the palette filters
        # as it is typed into, saves finish in threads); the first key alone
        # saves one, so none at all would mean the keys do not reach the app.
        assert made_here, "the monkey saved no call: do the keys reach the app?"
        for call in calls:
            assert call["outcome"] in OUTCOMES, dict(call)
            positions = [
                row[0]
                for row in conn.execute(
                    "SELECT position FROM answers WHERE call_id = ? ORDER BY position", [call["id"]]
                )
            ]
            assert positions == list(range(1, len(positions) + 1)), dict(call)
            if call["id"] > demo_calls:  # every call saved in the app says how it was made
                assert positions, dict(call)
            if call["outcome"] in ("follow_up", "revise", "snoozed"):
                assert call["next_due"], dict(call)
            if call["outcome"] == "lost":
                assert call["loss_reason"], dict(call)
        for offer in conn.execute("SELECT * FROM offers"):
            if offer["status"] == "open":
                assert offer["next_due"], dict(offer)
            else:
                assert offer["closed_at"] and offer["next_due"] is None, dict(offer)
        orphans = conn.execute("SELECT count(*) FROM answers WHERE call_id NOT IN (SELECT id FROM calls)")
        assert orphans.fetchone()[0] == 0
