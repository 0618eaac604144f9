"""The floor: the smallest Textual app of nachhaken's shape.

A Header, a DataTable of 40 rows beside a Static that shows the highlighted
row, and a Footer. The benchmark runs it beside nachhaken and compares:
whatever this costs is what Textual itself costs.

The first row's client is `BASELINE_FIRST` (the startup marker); the Static
shows `detail <n>@baseline.example` for row n (the keystroke marker).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static

ROWS = 40
BASELINE_FIRST = "Baseline Client 00"


def detail(row: int) -> str:
    """What the Static shows for row `row` (unique per row)."""
    return f"Client {row:02d}\nContact {row}\ndetail {row}@baseline.example\nValue {row * 100} EUR"


class BaselineApp(App):
    """Header, DataTable beside Static, Footer."""

    CSS = """
    DataTable { width: 2fr; height: 1fr; }
    #detail { width: 3fr; padding: 0 1; }
    Horizontal { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield DataTable(cursor_type="row")
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Client", "Value", "Reason")
        for row in range(ROWS):
            table.add_row(
                "Baseline Client 00" if row == 0 else f"Baseline Client {row:02d}",
                f"{row * 100} EUR",
                f"overdue {row} business days",
            )
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#detail", Static).update(detail(event.cursor_row))


if __name__ == "__main__":
    BaselineApp().run()
