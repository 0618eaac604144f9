"""Snapshots of the main screen: both languages, small and large terminals.

Built from the fixture database with a fixed date, so they change only when
what the user sees changes. Update deliberately with
`pytest tests/test_ui_snapshots.py --snapshot-update` and look at the
report before committing.
"""

from __future__ import annotations

import pytest
from ui_helpers import fill, make_app

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_inbox_with_the_top_offer(snap_compare, store, lang, size):
    """The inbox in urgency order, the card of the most urgent offer."""
    fill(store)
    assert snap_compare(make_app(store, lang), terminal_size=size)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_call_under_way_at_80x24(snap_compare, store, lang):
    """Third step of a call on a small terminal: the answers stay in view."""
    fill(store)
    assert snap_compare(make_app(store, lang), press=["enter", "2", "enter", "3", "enter"], terminal_size=(80, 24))


def test_first_run_empty_state(snap_compare, store):
    """No offers at all: how to add or import them."""
    assert snap_compare(make_app(store, "en"), terminal_size=(80, 24))
