"""Benchmark data: nachhaken databases and a CSV file of offers, fast.

Two kinds of database: the realistic one (`build_database`, below) and the
worst case of issue 14 (`build_all_due`: every offer open and due, with a
Saturday and a one-client variant). Each gets the real schema from the
migrations and is filled with plain `executemany` in one transaction, which
takes a few seconds for 100,000 offers and 300,000 calls; the migrations
after `_DATA_SCHEMA` run after the rows are in, as on a user's file. The CSV
(`build_csv`) takes about 5 s for a million rows. Files are cached in the
temp folder, keyed by kind, variant, size, today's date, the generator
version and the migrations, so a rerun on the same day starts at once.

The realistic spread imitates an agency that has used nachhaken for eight years
(about 35 offers a business day at 100,000): offers sent over that time, a
little denser recently; those older than a quarter closed (won, lost,
archived) but for a few forgotten ones still open; two thirds of the recent
ones open. Of the open offers about 30% are due: today, or overdue by a few
days (a backlog with a long tail of weeks), a few on an agreed weekend date;
the rest fall due over the next six weeks. Values are log-spread from a few
hundred to tens of thousands of euros, some unknown. Calls are spread over
the offers, three per offer on average, with outcomes that fit the offer.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ONE_CLIENT", "VARIANTS", "Dataset", "build_all_due", "build_csv", "build_database", "cache_dir"]

GENERATOR_VERSION = 7
"""Bump when the data changes, so cached files are rebuilt."""

_SURNAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
]
_FIRST_NAMES = [
    "Anna",
    "Sabine",
    "Julia",
    "Katrin",
    "Petra",
    "Laura",
    "Miriam",
    "Nina",
    "Claudia",
    "Sandra",
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Markus",
    "Jan",
    "Tobias",
    "Frank",
    "Martin",
    "Jörg",
    "Lena",
    "Sophie",
    "Paul",
    "Felix",
    "Lukas",
    "Jonas",
    "Karin",
    "Ute",
    "Heike",
    "Birgit",
]
_TRADES = [
    "Bau",
    "Design",
    "Consulting",
    "Elektro",
    "Medien",
    "Logistik",
    "Gastro",
    "Immobilien",
    "Software",
    "Druck",
    "Holzbau",
    "Haustechnik",
    "Beratung",
    "Events",
    "Reisen",
    "Optik",
    "Dental",
    "Recht",
    "Steuer",
    "Marketing",
    "Architektur",
    "Garten",
    "Kommunikation",
    "Personal",
    "Maschinenbau",
    "Physio",
    "Fotografie",
    "Übersetzungen",
    "Akademie",
    "Werkstatt",
]
_FORMS = ("GmbH", "GmbH & Co. KG", "AG", "KG", "& Partner", "e.K.", "UG", "")
_TITLES = (
    "Website-Relaunch",
    "Workshop Teamführung",
    "Coaching-Paket 10 Sitzungen",
    "Imagefilm",
    "Logo und Corporate Design",
    "SEO-Audit",
    "Messestand",
    "Onlineshop",
    "Strategietag",
    "Schulung Excel für Fortgeschrittene",
    "Bürosanierung 2. OG",
    "Datenschutz-Beratung",
    "Fotoshooting Produktkatalog",
    "Newsletter-Betreuung",
    "Moderation Jahresauftakt",
    "Social-Media-Paket",
    "Leadership-Training",
    "Heizungstausch",
    "Übersetzung Handbuch",
    "App-Prototyp",
    "Mediation Gesellschafter",
    "Podcast-Produktion",
    "Trockenbau Halle 3",
)
_NOTES = (
    "Erstgespräch sehr positiv, Budget noch unklar.",
    "Entscheidet mit dem Geschäftsführer zusammen.",
    "Hat zwei weitere Angebote eingeholt.",
    "Start frühestens im nächsten Quartal.",
    "Fragte nach Ratenzahlung.",
    "Empfehlung von einem Bestandskunden.",
    "Will vor der Entscheidung Referenzen sehen.",
)
_LOSS = ("price", "timing", "competitor", "scope", "no_budget", "no_need", "none_given")
_CLOSING = {"won": "won", "lost": "lost", "archived": "no_answer"}
_ALWAYS_DUE = 12
"""The first offers are open and due whatever the size, so even 10 offers make an inbox."""


@dataclass(frozen=True)
class Dataset:
    """A generated database and what the benchmark needs to know about it."""

    path: Path
    offers: int
    calls: int
    today: dt.date


CACHE_DIR: Path | None = None
"""Where generated files are kept between runs; None: `nachhaken-bench` in the temp folder."""


def cache_dir() -> Path:
    """Where generated files are kept between runs (`CACHE_DIR`)."""
    folder = CACHE_DIR or Path(tempfile.gettempdir()) / "nachhaken-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _migration_key() -> str:
    from sqlite_utils import Database

    from nachhaken_tui.core.db.migrations import migrations

    names = [m.name for m in migrations.pending(Database(memory=True, execute_plugins=False))]
    return f"m{len(names)}-{names[-1] if names else 'none'}"


_DATA_SCHEMA = "m007_reference_views"
"""The last migration whose schema the generated rows are written for.

Rows go in at this migration, and every later one is applied afterwards, as
it would be to a user's file: a migration that adds and backfills a column
(a stored rank, a search index) then finds real rows, so the generated file
is what an upgraded user's file looks like, not one whose new columns are
empty because plain INSERTs bypassed the store.
"""


def build_database(offers: int, calls: int, today: dt.date | None = None, *, fresh: bool = False) -> Dataset:
    """The cached database for this size and day, generated if missing."""
    today = today or dt.date.today()
    name = f"bench-o{offers}-c{calls}-{today.isoformat()}-v{GENERATOR_VERSION}-{_migration_key()}.db"
    path = cache_dir() / name
    keep = f"-{today.isoformat()}-v{GENERATOR_VERSION}-"
    _cached(
        path,
        f"bench-o{offers}-c{calls}-*.db",
        keep,
        lambda partial: _generate(partial, offers, calls, today),
        fresh,
    )
    return Dataset(path, offers, calls, today)


def _cached(
    path: Path, family: str, keep: str, generate: Callable[[Path], None], fresh: bool = False
) -> None:
    """Make `path` with `generate(partial)` if it is missing (or `fresh`).

    Several benchmarks may share the cache (worktrees of several branches,
    one temp folder): each writes a partial file of its own and moves it
    into place at once, and only files of the `family` (a glob) without
    `keep` in their name (another day, another generator version) are
    pruned, never another branch's files of other migrations.
    """
    if not fresh and path.exists():
        return
    for stale in cache_dir().glob(family):
        if keep not in stale.name:
            stale.unlink(missing_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    generate(partial)
    os.replace(partial, path)


def _generate(path: Path, offers: int, calls: int, today: dt.date) -> None:
    from nachhaken_tui.core.schedule.cadence import Cadence

    cadence = Cadence()
    calendar = cadence.calendar
    rng = random.Random(offers * 7919 + calls)
    stamp = f"{today.isoformat()}T08:00:00+01:00"
    span_days = 8 * 365
    offer_rows = []
    due_kinds = []
    for offer_id in range(1, offers + 1):
        last, first = rng.choice(_SURNAMES), rng.choice(_FIRST_NAMES)
        form = rng.choice(_FORMS)
        client = f"{rng.choice(_SURNAMES)} {rng.choice(_TRADES)} {form}".strip()
        age = int(span_days * (1 - rng.random() ** 1.2))  # a little denser recently
        sent = today - dt.timedelta(days=age)
        value = None if rng.random() < 0.08 else round(10 ** rng.uniform(2.5, 4.7)) * 100
        if offer_id <= _ALWAYS_DUE:  # a tiny database is a freelancer's: recent, all open
            age = rng.randint(4, 30)
            sent = today - dt.timedelta(days=age)
        if age > 90:  # a few forgotten ones stay open
            status = (
                "open" if rng.random() < 0.008 else rng.choices(["won", "lost", "archived"], [3, 5, 2])[0]
            )
        else:
            status = "open" if rng.random() < 0.65 else rng.choices(["won", "lost", "archived"], [3, 5, 2])[0]
        attempts, next_due, due_kind, closed_at, loss = 0, None, None, None, None
        if offer_id <= _ALWAYS_DUE:
            status = "open"
        if status == "open":
            roll = 0.0 if offer_id <= _ALWAYS_DUE else rng.random()
            attempts = rng.choice((0, 0, 1, 1, 2, 3))
            due_kind = "first" if attempts == 0 else rng.choice(("retry", "retry", "agreed"))
            if roll < 0.3:  # due: today or overdue, mostly by a few days
                back = min(int(rng.expovariate(1 / 5)), 120)
                next_due = calendar.add_business_days(today - dt.timedelta(days=back), 0)
                next_due = min(next_due, today)
                if rng.random() < 0.03:  # an agreed date on a weekend is kept as agreed
                    next_due = today - dt.timedelta(days=(today.weekday() + 2) % 7 or 7)
            else:  # upcoming, over the next weeks
                next_due = today + dt.timedelta(days=rng.randint(1, 45))
            if due_kind == "first" and next_due < sent:
                next_due = sent
        else:
            closed = sent + dt.timedelta(days=rng.randint(3, 60))
            closed_at = f"{min(closed, today).isoformat()}T16:30:00+01:00"
            loss = rng.choice(_LOSS) if status == "lost" else None
        n = offer_id
        email_domain = client.split()[0].lower().translate(str.maketrans("äöüß", "aous"))
        offer_rows.append(
            (
                offer_id,
                client,
                f"{first} {last}",
                f"+49 {rng.randint(30, 9999)} {n:07d}",
                f"{first[0].lower()}.{n}@{email_domain}.example",
                rng.choice(_TITLES),
                value,
                "EUR",
                sent.isoformat(),
                (sent - dt.timedelta(days=rng.randint(1, 20))).isoformat() if rng.random() < 0.7 else None,
                status,
                next_due.isoformat() if next_due else None,
                due_kind,
                attempts,
                loss,
                rng.choice(_NOTES) if rng.random() < 0.5 else None,
                stamp,
                stamp,
                closed_at,
            )
        )
        due_kinds.append((status, sent, attempts))
    call_rows = []
    # every call belongs to an offer; offers with more history get more calls
    for call_id in range(1, calls + 1):
        offer_id = rng.randint(1, offers)
        status, sent, attempts = due_kinds[offer_id - 1]
        ended = min(sent + dt.timedelta(days=rng.randint(2, 40)), today)
        outcome = rng.choice(("no_answer", "voicemail", "follow_up", "snoozed"))
        if status != "open" and rng.random() < 0.3:
            outcome = _CLOSING[status]
        call_rows.append(_call_row(rng, call_id, offer_id, ended, outcome))
    _write(path, offer_rows, call_rows)


def _call_row(rng: random.Random, call_id: int, offer_id: int, ended: dt.date, outcome: str) -> tuple:
    """A call's row for `_write`: ended that day, with the hesitation and fear a user would give."""
    reached = {"no_answer": "no_answer", "voicemail": "voicemail"}.get(outcome, "yes")
    before = rng.randint(1, 5)
    return (
        call_id,
        offer_id,
        f"{ended.isoformat()}T10:00:00+01:00",
        f"{ended.isoformat()}T10:0{rng.randint(1, 9)}:00+01:00",
        reached,
        outcome,
        None,
        None,
        rng.choice(("needy", "pushy", "no", "none")),
        before,
        max(1, before - rng.randint(0, 2)),
        rng.choice((0, 0, 0, 1)),
        None,
    )


def _write(path: Path, offer_rows: list[tuple], call_rows: list[tuple]) -> None:
    """A new database file at `path` with these rows, every migration applied.

    The schema up to `_DATA_SCHEMA` first, then the rows in one transaction
    (plain `executemany`: seconds for 100,000 offers), then the remaining
    migrations, then `Store.open` (WAL, the checks a user's launch makes).
    """
    from sqlite_utils import Database

    from nachhaken_tui.core.db.migrations import migrations
    from nachhaken_tui.core.db.store import Store

    db = Database(path, execute_plugins=False)
    names = [m.name for m in migrations.pending(db)]
    later = names[names.index(_DATA_SCHEMA) + 1 :]
    migrations.apply(db, stop_before=later or None)
    conn = db.conn
    try:
        with conn:
            conn.executemany(
                "INSERT INTO offers (id, client, contact, phone, email, title, value_cents, currency, sent_on,"
                " first_talk_on, status, next_due, due_kind, attempts, loss_reason, notes, created_at,"
                " updated_at, closed_at) VALUES (" + ", ".join("?" * 19) + ")",
                offer_rows,
            )
            conn.executemany(
                "INSERT INTO calls (id, offer_id, started_at, ended_at, reached, outcome, next_due,"
                " loss_reason, fear, hesitation_before, hesitation_after, fear_came_true, notes)"
                " VALUES (" + ", ".join("?" * 13) + ")",
                call_rows,
            )
        migrations.apply(db)
    finally:
        conn.close()
    Store.open(path).close()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no ANALYZE: users' files have no statistics either
    finally:
        conn.close()


VARIANTS = ("base", "saturday", "one_client")
"""The "all due" data set's variants (issue 14): `saturday` agrees 3% of the
dates on a Saturday; `one_client` gives `ONE_CLIENT` 100 of the offers."""

ONE_CLIENT = "Kessler Messebau GmbH"
"""The client with 100 offers in the `one_client` variant (`forget --client`)."""
ONE_CLIENT_OFFERS = 100
_ALL_DUE_SPAN = 2 * 365
"""Offers were sent over two years, and are overdue by up to as long."""


def build_all_due(
    offers: int, calls: int, today: dt.date | None = None, variant: str = "base", *, fresh: bool = False
) -> Dataset:
    """The cached "all due" database (issue 14): every offer open and due, generated if missing.

    The worst case a user can still meet: an agency back from a long absence,
    or one that imported its whole history as open. Every offer is open and
    due today or overdue; sent over the last two years, overdue by anything
    from nothing to as long ago as it was sent (a first follow-up is never
    due before the offer was sent). Calls are spread over the offers, three
    per offer on average, none closing. Variants (`VARIANTS`): `saturday`,
    3% of the dates were agreed for a Saturday (which the inbox's order must
    treat as the Monday after); `one_client`, `ONE_CLIENT` has 100 offers
    spread through the file (what `forget --client` erases).
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    today = today or dt.date.today()
    stem = f"alldue-{variant}-o{offers}-c{calls}"
    path = cache_dir() / f"{stem}-{today.isoformat()}-v{GENERATOR_VERSION}-{_migration_key()}.db"
    keep = f"-{today.isoformat()}-v{GENERATOR_VERSION}-"
    _cached(
        path,
        f"{stem}-*.db",
        keep,
        lambda partial: _generate_all_due(partial, offers, calls, today, variant),
        fresh,
    )
    return Dataset(path, offers, calls, today)


def _generate_all_due(path: Path, offers: int, calls: int, today: dt.date, variant: str) -> None:
    from nachhaken_tui.core.schedule.cadence import Cadence

    calendar = Cadence().calendar
    business_day: dict[dt.date, dt.date] = {}  # a due date is the business day on or before (memoised)

    def due_on(day: dt.date) -> dt.date:
        if day not in business_day:
            business_day[day] = calendar.subtract_business_days(day, 0)
        return business_day[day]

    rng = random.Random(offers * 104729 + calls + VARIANTS.index(variant))
    stamp = f"{today.isoformat()}T08:00:00+01:00"
    step = max(1, offers // ONE_CLIENT_OFFERS)
    offer_rows, sent_days = [], []
    for offer_id in range(1, offers + 1):
        last, first = rng.choice(_SURNAMES), rng.choice(_FIRST_NAMES)
        client = f"{rng.choice(_SURNAMES)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}".strip()
        if variant == "one_client" and offer_id % step == 0 and offer_id // step <= ONE_CLIENT_OFFERS:
            client = ONE_CLIENT
        age = rng.randint(1, _ALL_DUE_SPAN)
        sent = today - dt.timedelta(days=age)
        attempts = rng.choice((0, 0, 1, 1, 2, 3, 4))
        due_kind = "first" if attempts == 0 else rng.choice(("retry", "retry", "agreed"))
        next_due = max(due_on(today - dt.timedelta(days=rng.randint(0, age))), sent)
        if variant == "saturday" and rng.random() < 0.03 and age >= 7:  # an agreed Saturday stays agreed
            next_due = today - dt.timedelta(days=(today.weekday() - 5) % 7 or 7)
            due_kind = "agreed"
        value = None if rng.random() < 0.08 else round(10 ** rng.uniform(2.5, 4.7)) * 100
        domain = client.split()[0].lower().translate(str.maketrans("äöüß", "aous"))
        offer_rows.append(
            (
                offer_id,
                client,
                f"{first} {last}",
                f"+49 {rng.randint(30, 9999)} {offer_id:07d}",
                f"{first[0].lower()}.{offer_id}@{domain}.example",
                rng.choice(_TITLES),
                value,
                "EUR",
                sent.isoformat(),
                (sent - dt.timedelta(days=rng.randint(1, 20))).isoformat() if rng.random() < 0.7 else None,
                "open",
                next_due.isoformat(),
                due_kind,
                attempts,
                None,
                rng.choice(_NOTES) if rng.random() < 0.5 else None,
                stamp,
                stamp,
                None,
            )
        )
        sent_days.append(sent)
    call_rows = []
    for call_id in range(1, calls + 1):
        offer_id = rng.randint(1, offers)
        sent = sent_days[offer_id - 1]
        ended = sent + dt.timedelta(days=rng.randint(1, max(1, (today - sent).days)))
        outcome = rng.choice(("no_answer", "voicemail", "follow_up", "snoozed"))
        call_rows.append(_call_row(rng, call_id, offer_id, ended, outcome))
    _write(path, offer_rows, call_rows)


def build_csv(rows: int) -> Path:
    """A cached CSV file of `rows` offers with English headers and point decimals (5 s for a million)."""
    path = cache_dir() / f"import-{rows}-v{GENERATOR_VERSION}.csv"
    _cached(
        path, f"import-{rows}-v*.csv", f"-v{GENERATOR_VERSION}.", lambda partial: _write_csv(partial, rows)
    )
    return path


def _write_csv(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["client", "contact", "phone", "email", "title", "value", "currency", "sent_on", "notes"]
        )
        start = dt.date(2019, 1, 1)
        for n in range(1, rows + 1):
            last, first = rng.choice(_SURNAMES), rng.choice(_FIRST_NAMES)
            writer.writerow(
                [
                    f"{rng.choice(_SURNAMES)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}".strip(),
                    f"{first} {last}",
                    f"+49 30 {n:07d}",
                    f"{first[0].lower()}.{n}@example.de",
                    f"{rng.choice(_TITLES)} {n}",
                    f"{rng.randint(3, 500) * 100}.{rng.choice(('00', '50'))}",
                    "EUR",
                    (start + dt.timedelta(days=rng.randint(0, 2500))).isoformat(),
                    rng.choice(_NOTES) if rng.random() < 0.5 else "",
                ]
            )
