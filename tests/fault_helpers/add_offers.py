"""Insert many offers in one `Store.add_offers` transaction and stall inside it.

    python add_offers.py DB --rows N --stall-at K

The bulk insert behind `nachhaken import`, without reading a CSV first (the
real command is killed in test_faults_crash.py too; this one stops at a known
row so the kill is certainly mid-transaction). Prints "stalled K" once K rows
are written but not committed, then sleeps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.schedule.cadence import Cadence


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--stall-at", type=int, required=True)
    args = parser.parse_args()
    store = Store.open(args.db, Cadence())
    drafts = (
        OfferDraft(
            client=f"Bulk client {i}",
            title=f"Offer {i}",
            sent_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
            value_cents=i * 100,
            notes="x" * 50,
        )
        for i in range(args.rows)
    )

    def progress(done: int) -> None:
        if done == args.stall_at:
            print(f"stalled {done}", flush=True)
            time.sleep(120)

    store.add_offers(drafts, progress=progress)
    print("committed", flush=True)


if __name__ == "__main__":
    sys.exit(main())
