"""Pilot waits until the app has handled everything, not until the CPU looks idle.

Textual's Pilot (`pause()`, `press()`) waits with `textual._wait.wait_for_idle`,
which naps in 20 ms steps until the process's CPU time stops growing. On a
busy machine (two cores, xdist workers, other processes) the app gets no CPU
for a while, looks idle, and the test reads a screen that is half drawn: a
blank footer, an old row. When the machine is quiet the naps only cost time.

`wait_until_quiet` asks the app instead: it returns once no message queue
holds or is handling a message, no callback waits for the next refresh, the
screen has nothing left to lay out or paint, and (for a short while) no
worker is running (the views' counts: until they are in). The conftest installs it in place of Textual's wait.

For the same reason text cursors do not blink in tests: a blink every 0.5 s
of wall clock made a snapshot of a form depend on how fast the machine got
there (seen: test_offer_form_at_80x24).
"""

from __future__ import annotations

import asyncio
from time import monotonic

from textual import app as textual_app
from textual import pilot as textual_pilot
from textual._context import active_app
from textual.widgets import Input, TextArea

QUEUE_PATIENCE = 30.0
"""Seconds to wait for messages and refreshes: they always finish, only a
starved process takes long; a wait past this returns (Pilot then fails on
what the screen shows, not here)."""

WORKER_PATIENCE = 1.0
"""Seconds to wait for running workers: a worker may be blocked on purpose
(a save waiting for a lock held by the test), so this is what Textual's own
wait allows too."""


FINISHING_GROUPS = frozenset({"counts"})
"""Worker groups that wait on nothing a test may hold (the main screen counts
the views in one): waited for with `QUEUE_PATIENCE`, so a screenshot taken on
a busy machine shows the counts, as a user sees them a moment after a change."""


def _screen_busy(app: textual_app.App) -> bool:
    screen = app.screen
    return bool(
        screen._callbacks or screen._dirty_widgets or screen._layout_required or screen._repaint_required
    )


def _pump_busy(pump) -> bool:
    """A message waits, or one is being handled (its loop is not parked in `get()`)."""
    if pump._closed:
        return False
    queue = pump._message_queue
    if queue.values or pump._next_callbacks or pump._pending_message is not None:
        return True
    return pump._running and not queue.ready_event._waiters


def _queues_busy(app: textual_app.App) -> bool:
    return any(_pump_busy(pump) for pump in (app, *app._registry))


def _busy(app: textual_app.App, started: float) -> bool:
    if app._exit or app._closing or app._closed or not app._running:
        return False  # an ending app paints no more; its screen stays dirty for good
    if _queues_busy(app) or (app._screen_stack and _screen_busy(app)):
        return True
    running = [worker for worker in app.workers if worker.is_running]
    if any(worker.group in FINISHING_GROUPS for worker in running):
        return True
    return bool(running) and monotonic() - started <= WORKER_PATIENCE


async def wait_until_quiet(min_sleep: float = 0, max_sleep: float = 1) -> None:
    """Return once the active app has nothing left to do (same signature as Textual's wait)."""
    try:
        app = active_app.get()
    except LookupError:
        await asyncio.sleep(min_sleep)
        return
    started = monotonic()
    quiet_rounds = 0
    await asyncio.sleep(0)
    while quiet_rounds < 2 and monotonic() - started < QUEUE_PATIENCE:
        if _busy(app, started):
            quiet_rounds = 0
            await asyncio.sleep(0.002)
        else:
            quiet_rounds += 1
            await asyncio.sleep(0)
    if min_sleep:
        await asyncio.sleep(max(0.0, min_sleep - (monotonic() - started)))


def _steady(self: Input | TextArea) -> None:
    """The blink timer's tick, with the cursor left on."""
    self._cursor_visible = True


def install() -> None:
    """Put `wait_until_quiet` where Pilot and `App._press_keys` look up Textual's wait,
    and stop text cursors from blinking."""
    textual_pilot.wait_for_idle = wait_until_quiet
    textual_app.wait_for_idle = wait_until_quiet
    Input._toggle_cursor = _steady
    TextArea._toggle_cursor_blink_visible = _steady
