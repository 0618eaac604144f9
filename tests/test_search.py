"""Search (`/`) finds what the user typed in client, contact, title or notes,
ignoring case in every script, not only for ASCII letters (SQLite's LIKE)."""

from __future__ import annotations

import pytest
from conftest import TODAY
from ui_helpers import make_app, screen_text

from nachhaken_tui.core.db.inbox import InboxQuery, View
from nachhaken_tui.core.models import OfferDraft

OFFERS = [
    OfferDraft(
        client="Übersetzungsbüro Weber", contact="Özlem Yıldız", title="Fachübersetzung", sent_on=TODAY
    ),
    OfferDraft(client="Müller Bau GmbH", contact="Sabine Müller", title="Website", sent_on=TODAY),
    OfferDraft(client="Mueller Consulting", title="Workshop", sent_on=TODAY, notes="Straße 5, ÆØÅ-Import"),
    OfferDraft(client="Ελληνικά Έπιπλα", title="Κατάλογος", sent_on=TODAY),
    OfferDraft(client="100% Ökostrom_AG", title="Tarif", sent_on=TODAY),
]


def found(store, text: str) -> list[str]:
    query = InboxQuery(View.OPEN, text)
    rows = store.page(query, TODAY, limit=50)
    assert store.count(query, TODAY) == len(rows)
    return sorted(due.offer.client for due in rows)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("über", ["Übersetzungsbüro Weber"]),
        ("ÜBER", ["Übersetzungsbüro Weber"]),
        ("özlem", ["Übersetzungsbüro Weber"]),
        ("MÜLLER", ["Müller Bau GmbH"]),
        ("müller", ["Müller Bau GmbH"]),
        ("mueller", ["Mueller Consulting"]),
        ("æøå", ["Mueller Consulting"]),  # in the notes
        ("έπιπλα", ["Ελληνικά Έπιπλα"]),
        ("κατάλογος", ["Ελληνικά Έπιπλα"]),
        ("% ök", ["100% Ökostrom_AG"]),  # the user's % is a percent sign, not a wildcard
        ("m_ller", []),  # and _ an underscore, also next to other letters
        ("ökostrom_ag", ["100% Ökostrom_AG"]),
        ("bau", ["Müller Bau GmbH"]),
    ],
)
def test_search_ignores_case_in_every_script(store, typed, expected):
    for draft in OFFERS:
        store.add_offer(draft)
    assert found(store, typed) == expected


async def test_typing_an_umlaut_search_in_the_app_finds_the_offer(store):
    for draft in OFFERS:
        store.add_offer(draft)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v", "slash", *"özlem")
        left = "\n".join(line.split("▕")[0] for line in screen_text(app).splitlines())
        assert "Übersetzungsbüro Weber" in left and "Müller" not in left
