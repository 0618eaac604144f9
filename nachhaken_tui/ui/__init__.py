"""The Textual user interface: the app, its screens and widgets.

Nothing outside this package imports it except `nachhaken_tui.tui`, which the
command line calls only when the TUI opens.
"""
