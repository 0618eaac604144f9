"""The inbox: a virtual list that renders only the rows on screen.

With 100,000 offers a DataTable or ListView would build a widget or a row
object per offer. This follows Textualize's toolong instead: a `ScrollView`
with the line API, whose `render_line` asks the `InboxSource` for the one
page of rows it needs (cached), so cost depends on the screen, not the table.

Each offer takes three lines:
    client ........................ value
    contact · title ........ sent 9 days ago
    reason
The reason has a line of its own, so at 120 columns it is whole; the age
yields its place to contact and title when the pane is too narrow for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nachhaken_tui.core.db.inbox import View
from nachhaken_tui.ui.bindings import localize_bindings
from nachhaken_tui.ui.inbox_source import InboxRow, InboxSource

__all__ = ["ROW_HEIGHT", "InboxList"]

ROW_HEIGHT = 3
PAGE_SIZE = 60
_MIN_WHO = 24
"""Cells contact and title keep on a row's second line before its age is left out."""


class InboxList(ScrollView, can_focus=True):
    """A cursor over the rows of one inbox view."""

    DEFAULT_CSS = """
    InboxList { background: $surface; overflow-x: hidden; }
    InboxList > .inbox--client { text-style: bold; }
    InboxList > .inbox--dim { color: $text-muted; }
    InboxList > .inbox--overdue { color: $error; }
    InboxList > .inbox--due { color: $warning; }
    InboxList > .inbox--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    InboxList > .inbox--cursor-blurred { background: $block-cursor-blurred-background; color: $text; }
    """

    COMPONENT_CLASSES = {
        "inbox--client",
        "inbox--dim",
        "inbox--overdue",
        "inbox--due",
        "inbox--cursor",
        "inbox--cursor-blurred",
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "key_start"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row in the current view."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another offer (or to none)."""

        offer_id: int | None

    @dataclass
    class Selected(Message):
        """Enter (or a click) chose an offer."""

        offer_id: int

    def __init__(self, source: InboxSource, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        localize_bindings(self, source.lang)
        self.source = source
        self.total = 0
        self.total_known = True
        """Whether `total` is the view's count, not a first page's stand-in (see `reload`)."""
        self._pages: dict[int, list[InboxRow]] = {}
        self._highlighted: int | None = None
        """The offer the last `Highlighted` named."""
        self._bindings_state: tuple | None = None
        self._strips: dict[tuple, Strip] = {}
        """Rendered lines by (row, line, width, highlight): see `render_line`."""

    # ------------------------------------------------------------ data

    def reload(self, keep_offer: int | None = None, *, top: bool = False, total: int | None = None) -> None:
        """Re-read the view; keep the cursor on `keep_offer` if it is still visible there,
        else on the same position (on the first row if `top`).

        `total` is how many rows the view holds, if the caller knows it.
        Otherwise it is counted here, unless a search is on: counting a
        search reads the whole table (120 ms at 100,000 offers), so the
        first page stands in for it (exact when it is not full), and the
        screen's count in the background brings the rest (`set_total`).
        """
        self._pages.clear()
        self._strips.clear()
        if total is None and self.source.query.search.strip():
            first = self.row_page(0)
            self.total_known = len(first) < PAGE_SIZE
            total = len(first)
        else:
            self.total_known = True
        self.total = self.source.count() if total is None else total
        self.virtual_size = Size(self.size.width, self.total * ROW_HEIGHT)
        target = 0 if top else self.cursor
        if keep_offer is not None:
            for index in self._indexes_loaded_near(self.cursor):
                row = self.row_at(index)
                if row is not None and row.offer_id == keep_offer:
                    target = index
                    break
        self.cursor = max(0, min(target, self.total - 1))
        self.refresh()
        # Which keys apply (and so the footer) depends on whether the view has
        # rows and which view it is, not on the rows themselves: a search
        # keystroke that changes neither should not rebuild the footer.
        bindings_state = (self.total > 0, self.source.query.view)
        if bindings_state != self._bindings_state:
            self._bindings_state = bindings_state
            self.refresh_bindings()

    def set_total(self, total: int) -> None:
        """The view's count, come after a `reload` that could only guess it: the list reaches all its rows."""
        if self.total_known:
            return
        self.total_known = True
        self.total = total
        self.virtual_size = Size(self.size.width, self.total * ROW_HEIGHT)
        self.refresh()

    def _indexes_loaded_near(self, index: int) -> range:
        return range(max(0, index - PAGE_SIZE), min(self.total, index + PAGE_SIZE))

    def row_at(self, index: int) -> InboxRow | None:
        """The row at `index`, loading its page if needed."""
        if not 0 <= index < self.total:
            return None
        page_number, within = divmod(index, PAGE_SIZE)
        page = self.row_page(page_number)
        return page[within] if within < len(page) else None

    def row_page(self, page_number: int) -> list[InboxRow]:
        """The rows of page `page_number` (`PAGE_SIZE` to a page), loaded if not yet."""
        page = self._pages.get(page_number)
        if page is None:
            page = self.source.page(page_number * PAGE_SIZE, PAGE_SIZE)
            if len(self._pages) > 20:
                self._pages.clear()
            self._pages[page_number] = page
        return page

    @property
    def current(self) -> InboxRow | None:
        """The highlighted row, if any."""
        return self.row_at(self.cursor)

    # ------------------------------------------------------------ cursor

    def watch_cursor(self, old: int, new: int) -> None:
        # Only the rows losing and gaining the highlight need redrawing (a
        # scroll redraws the rest).
        self.refresh_lines(old * ROW_HEIGHT, ROW_HEIGHT)
        self.refresh_lines(new * ROW_HEIGHT, ROW_HEIGHT)
        self._scroll_cursor_into_view()
        row = self.current
        offer_id = row.offer_id if row else None
        if offer_id != self._highlighted:
            # Only a move to another offer is news: a reload that keeps the
            # cursor on the same offer would otherwise have the screen fetch
            # and redraw the card again (twice per search keystroke).
            self._highlighted = offer_id
            self.post_message(self.Highlighted(offer_id))

    def _scroll_cursor_into_view(self) -> None:
        top = self.cursor * ROW_HEIGHT
        height = self.scrollable_content_region.height
        if height <= 0:
            # Hidden (an empty view) or not laid out yet: no room to scroll into, and scrolling
            # as if there were would push the next view's first row out of sight. The resize
            # when the list shows again brings the cursor into view.
            return
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + ROW_HEIGHT > self.scroll_y + height:
            self.scroll_to(y=top + ROW_HEIGHT - height, animate=False)

    def action_cursor(self, step: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, self.cursor + step))

    def action_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // ROW_HEIGHT)
        self.action_cursor(direction * rows)

    def action_jump(self, index: int) -> None:
        if index < 0 and not self.total_known:  # the last row needs the count now
            self.set_total(self.source.count())
        if self.total:
            self.cursor = index if index >= 0 else self.total - 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select":  # a closed offer gets no call; `r` reopens it (the footer says so)
            return self.total > 0 and self.source.query.view is not View.CLOSED
        return True

    def action_select(self) -> None:
        if (row := self.current) is not None:
            self.post_message(self.Selected(row.offer_id))

    async def _on_click(self, event: events.Click) -> None:
        index = (event.y + int(self.scroll_y)) // ROW_HEIGHT
        if 0 <= index < self.total:
            if index == self.cursor and event.chain >= 2 and (row := self.current) is not None:
                self.post_message(self.Selected(row.offer_id))
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total * ROW_HEIGHT)
        self._scroll_cursor_into_view()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ------------------------------------------------------------ rendering

    def notify_style_update(self) -> None:
        self._strips.clear()  # a theme or CSS change restyles every line
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """Line `y` of the visible part, from the cache of rendered lines when it has it.

        Textual redraws every visible line whenever the layout changes (the
        card beside the list does, with each keystroke), and building a line
        costs some 70 µs, 3 ms for a screenful. A row's lines change only with
        its data (a reload clears the cache), the width and the highlight,
        which are in the key (a cache of strips, as toolong keeps).
        """
        index, line = divmod(y + int(self.scroll_y), ROW_HEIGHT)
        width = self.scrollable_content_region.width
        highlight = (2 if self.has_focus else 1) if index == self.cursor else 0
        key = (index, line, width, highlight)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 2000:
                self._strips.clear()
            strip = self._strips[key] = self._render_line(index, line, width, highlight)
        return strip

    def _render_line(self, index: int, line: int, width: int, highlight: int) -> Strip:
        style = self.rich_style
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, style)
        text = self._line_text(row, line, width)
        if highlight:
            cursor = self.get_component_rich_style(
                "inbox--cursor" if highlight == 2 else "inbox--cursor-blurred", partial=True
            )
            style += cursor
            text.stylize(cursor)  # on top: the cursor's colours win over red/yellow
        return Strip(text.render(self.app.console)).crop_extend(0, width, None).apply_style(style)

    def _line_text(self, row: InboxRow, line: int, width: int) -> Text:
        """One of a row's three lines; user text goes in as plain `Text`, never markup."""
        dim = self.get_component_rich_style("inbox--dim", partial=True)
        if line == 0:
            value = Text(row.value)
            room = max(1, width - 2 - value.cell_len - 1)
            client = Text(
                " " + row.client, style=self.get_component_rich_style("inbox--client", partial=True)
            )
            client.truncate(room, overflow="ellipsis")
            padding = max(1, width - client.cell_len - value.cell_len - 1)
            return Text.assemble(client, " " * padding, value, " ")
        if line == 1:
            parts = [part for part in (row.contact, row.title) if part]
            text = Text(" " + " · ".join(parts), style=dim)
            age = Text(row.age, style=dim)
            if width - age.cell_len - 2 >= _MIN_WHO:  # the age goes right, as the value above it
                text.truncate(width - age.cell_len - 2, overflow="ellipsis")
                return Text.assemble(text, " " * (width - text.cell_len - age.cell_len - 1), age, " ")
        else:
            key = "inbox--overdue" if row.overdue_days > 0 else "inbox--due"
            text = Text(" " + row.reason, style=self.get_component_rich_style(key, partial=True))
        text.truncate(width, overflow="ellipsis")
        return text
