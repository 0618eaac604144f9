"""Reads and the single writer have connections of their own (as in Datasette).

While a write waits for another program's lock, reads on another thread go
on; a write tells whoever asked (`reporting_waits`) that it is waiting; and
reads inside a write see that write's own changes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

from conftest import TODAY
from fault_helpers import HELPERS

from nachhaken_tui.core.db.inbox import InboxQuery
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome


def _offer(store, client: str = "Müller Bau GmbH") -> int:
    return store.add_offer(OfferDraft(client=client, title="Website", sent_on=dt.date(2026, 11, 16)))


def test_reads_go_on_while_a_write_waits_for_another_program(store, db_path):
    offer_id = _offer(store)
    holder = subprocess.Popen(
        [sys.executable, str(HELPERS / "hold_write_lock.py"), str(db_path), "--seconds", "60"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    waiting = threading.Event()
    saved: list[int] = []

    def save() -> None:
        with store.reporting_waits(waiting.set):
            saved.append(store.record_call(offer_id, CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY))

    writer = threading.Thread(target=save)
    writer.start()
    try:
        assert waiting.wait(30)  # the write said it waits …
        # … and meanwhile this thread reads, on its own connection, without waiting
        assert store.get_offer(offer_id).attempts == 0
        assert [due.offer.client for due in store.page(InboxQuery(), TODAY)] == ["Müller Bau GmbH"]
        assert store.calls_for(offer_id) == []
        assert writer.is_alive() and holder.poll() is None  # (the lock was held all along)
    finally:
        holder.communicate("go\n", timeout=30)
        writer.join(30)
    assert saved and store.get_offer(offer_id).attempts == 1


def test_a_write_that_finds_the_file_free_does_not_say_it_waits(store):
    offer_id = _offer(store)
    told: list[bool] = []
    with store.reporting_waits(lambda: told.append(True)):
        store.record_call(offer_id, CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY)
    assert told == []
    assert store.get_offer(offer_id).attempts == 1


def test_reads_inside_a_write_see_its_own_changes_and_others_do_not_yet(store):
    seen_elsewhere: list[int] = []
    with store.transaction():
        offer_id = _offer(store, "Inside")
        assert store.get_offer(offer_id).client == "Inside"  # this thread: the writer's view
        reader = threading.Thread(target=lambda: seen_elsewhere.append(store.count_offers()))
        reader.start()
        reader.join(10)
    assert seen_elsewhere == [0]  # another thread read the file as committed, without waiting
    assert store.count_offers() == 1
