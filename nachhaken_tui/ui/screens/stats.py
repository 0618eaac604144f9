"""`t`: the user's own numbers, the same figures and words as `nachhaken stats`.

The figures are counted in a thread worker (a large file takes a moment) and
worded by `core.stats.words`; this screen only lays them out, with a sparkline
of the calls per week above the weekly list. Every line is plain text, so a
loss reason typed as "[red]" stays exactly that.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Sparkline, Static

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.stats.figures import Stats, compute_stats
from nachhaken_tui.core.stats.words import describe
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.ui.bindings import localize_bindings
from nachhaken_tui.ui.text import plain
from nachhaken_tui.ui.widgets.fitting_footer import FittingFooter

__all__ = ["StatsScreen"]

_TEXT = Catalog(
    {
        "counting": {"de": "Zähle …", "en": "Counting …"},
    }
)


class StatsScreen(Screen[None]):
    """The stats of `store` as of `today`, in `lang`; Esc or q closes it.

    Args:
        store: the open database.
        lang: "de" or "en".
        today: the day the figures are counted for (tests pin it).
        since: count only offers sent on or after this day.
    """

    DEFAULT_CSS = """
    StatsScreen #stats {
        padding: 1 2;
    }
    StatsScreen .stats-title {
        margin-top: 1;
        text-style: bold;
    }
    StatsScreen .stats-title:first-child {
        margin-top: 0;
    }
    StatsScreen Sparkline {
        width: 24;
    }
    """

    BINDINGS = [Binding("escape,q", "close", "key_back")]

    def __init__(self, store: Store, lang: str, today: dt.date, since: dt.date | None = None) -> None:
        super().__init__()
        self.store = store
        self.lang = lang
        self.today = today
        self.since = since
        localize_bindings(self, lang)

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        with VerticalScroll(id="stats"):
            yield Static(_TEXT.text(self.lang, "counting"), id="counting")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._count()

    @work(thread=True, exclusive=True)
    def _count(self) -> None:
        stats = compute_stats(self.store, self.today, self.since)
        self.app.call_from_thread(self._show, stats)

    def _show(self, stats: Stats) -> None:
        if not self.is_mounted:  # closed while counting
            return
        body = self.query_one("#stats", VerticalScroll)
        body.remove_children()
        widgets: list[Widget] = []
        for section in describe(stats, self.lang):
            widgets.append(Static(Text(section.title), classes="stats-title"))
            if section.key == "weeks":
                widgets.append(Sparkline([week.calls for week in stats.weeks], id="calls-per-week"))
            widgets.append(Static(plain("\n".join(section.lines)), classes=f"stats-{section.key}"))
        body.mount_all(widgets)

    def action_close(self) -> None:
        self.dismiss(None)
