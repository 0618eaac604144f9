"""Above the inbox: which view, how many in each, the order, and the search field.

The search field appears with `/`; every keystroke posts `SearchChanged` so the
inbox filters as the user types. Enter keeps the filter and returns to the
list; Esc clears it. The field is mounted just after the first frame: that
frame never shows it, and an Input (its CSS, its widget) is start-up time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from nachhaken_tui.core.db.inbox import InboxQuery, Sort, View
from nachhaken_tui.ui.text import UI, plain

__all__ = ["VIEWS", "InboxBar"]

VIEWS = (View.DUE, View.UPCOMING, View.OPEN, View.CLOSED)
"""The views in the order `v` cycles through them."""


class InboxBar(Vertical):
    """View tabs with counts, the sort order, and the search field."""

    DEFAULT_CSS = """
    InboxBar { height: auto; }
    InboxBar #views { height: auto; padding: 0 1; }
    InboxBar #filters { height: 1; padding: 0 1; }
    InboxBar #filters { color: $text-muted; }
    InboxBar #search { display: none; border: none; height: 1; padding: 0 1; }
    InboxBar.searching #search { display: block; }
    """

    BINDINGS = [Binding("escape", "clear_search", "key_clear_search", show=False)]

    @dataclass
    class SearchChanged(Message):
        """The search text changed (typed or cleared)."""

        text: str

    class SearchDone(Message):
        """Enter or Esc in the search field: back to the list."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self._tabs: list[tuple[str, bool]] = []
        """Each view's label with its count, and whether it is the one shown."""
        self._drawn: tuple[list[tuple[str, bool]], int, str] | None = None
        """The tabs, width and filter line last drawn: a search keystroke mostly changes neither."""

    def compose(self) -> ComposeResult:
        yield Static(id="views")
        yield Static(id="filters")

    def show(self, query: InboxQuery, counts: dict[View, int] | None) -> None:
        """Draw the tabs for `query`, with how many offers each view holds (once counted: see MainScreen)."""
        self._tabs = [
            (
                f" {UI.text(self.lang, 'view_' + view.value)}{'' if counts is None else f' {counts[view]}'} ",
                view is query.view,
            )
            for view in VIEWS
        ]
        filters = Text()
        if query.sort is not Sort.URGENCY:
            filters.append(f"↕ {UI.text(self.lang, 'sort_' + query.sort.value)}  ")
        if query.search and not self.has_class("searching"):
            filters.append("/ ")
            filters.append(plain(query.search, style="bold"))
        views = self.query_one("#views", Static)
        drawn = (self._tabs, views.content_region.width, filters.markup)
        if drawn == self._drawn:
            return  # nothing changed: redrawing would lay the screen out again for nothing
        self._drawn = drawn
        self._draw_tabs()
        self.query_one("#filters", Static).update(filters)
        self.query_one("#filters").display = bool(filters)

    def on_resize(self) -> None:
        self._draw_tabs()

    def _draw_tabs(self) -> None:
        """The tabs on as many lines as the width needs, never cutting one.

        At 80 columns the inbox is 30 wide, less than the four tabs take
        (in German even more); a cut-off tab would hide which view is shown.
        """
        views = self.query_one("#views", Static)
        width = views.content_region.width or 1_000
        tabs = Text()
        used = 0
        for label, shown in self._tabs:
            if used and used + cell_len(label) > width:
                tabs.append("\n")
                used = 0
            tabs.append(label, style="reverse bold" if shown else "dim")
            used += cell_len(label)
        views.update(tabs)

    def mount_search(self) -> Input:
        """The search field, mounted (hidden) if it is not yet: after the first frame, which never shows it.

        Not on the first `/`: a field mounted then takes the focus only once it
        is mounted, and the keys typed right after `/` would reach the inbox's
        bindings (`e` opened the offer form)."""
        field = next(self.query("#search").results(Input), None)
        if field is None:
            field = Input(placeholder=UI.text(self.lang, "search_placeholder"), id="search")
            self.mount(field)
        return field

    def open_search(self) -> None:
        """Show the search field and put the cursor in it, at once.

        `Widget.focus()` moves the focus later (`call_later`), after the keys
        already waiting: typed in one burst, "/Wies" sent its `e` to the
        inbox, which opened the offer form. `Screen.set_focus` moves it now.
        """
        self.add_class("searching")
        self.screen.set_focus(self.mount_search())

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.SearchChanged(event.value))

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.remove_class("searching")
        self.post_message(self.SearchDone())

    def action_clear_search(self) -> None:
        self.remove_class("searching")
        for search in self.query("#search").results(Input):
            if search.value:
                search.value = ""  # posts SearchChanged("")
        self.post_message(self.SearchDone())
