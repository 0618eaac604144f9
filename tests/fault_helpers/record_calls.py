"""Record follow-up calls in a loop through the core API, as a second process would.

Used by the crash and concurrency tests (tests/test_faults_*.py):

    python record_calls.py DB --offers 1,2,3 [--count N] [--tag T] [--stall-at K]

Each call is an unanswered attempt (the offer stays open, `attempts` grows by
one) with `ANSWERS` script answers and the note "T-n", so a test can match
the rows in the file against what this process says it committed: after each
commit it prints "saved T-n" (flushed). With `--stall-at K`, call K stops
halfway through writing its answers, inside the open transaction, prints
"stalled T-K" and sleeps, so a test can `kill -9` it at exactly that moment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import time

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import Answer, CallDraft, Outcome, Reached
from nachhaken_tui.core.schedule.cadence import Cadence

ANSWERS = 6
TODAY = dt.date(2026, 11, 26)


class StallingAnswers(list):
    """Answers that hang the process halfway through being written."""

    def __init__(self, items, label: str):
        super().__init__(items)
        self.label = label

    def __iter__(self):
        for index, item in enumerate(list.__iter__(self)):
            if index == len(self) // 2:
                print(f"stalled {self.label}", flush=True)
                time.sleep(120)
            yield item


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--offers", required=True)
    parser.add_argument("--count", type=int, default=0, help="0: until killed")
    parser.add_argument("--tag", default="r")
    parser.add_argument("--stall-at", type=int, default=0)
    args = parser.parse_args()
    offers = [int(part) for part in args.offers.split(",")]
    store = Store.open(args.db, Cadence())
    numbers = range(1, args.count + 1) if args.count else itertools.count(1)
    for n in numbers:
        label = f"{args.tag}-{n}"
        answers = [Answer(f"step{i}", f"question {i} of {label}", f"answer {i}") for i in range(ANSWERS)]
        if n == args.stall_at:
            answers = StallingAnswers(answers, label)
        draft = CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER, notes=label)
        draft.answers = answers
        store.record_call(offers[n % len(offers)], draft, today=TODAY)
        print(f"saved {label}", flush=True)
    store.close()


if __name__ == "__main__":
    sys.exit(main())
