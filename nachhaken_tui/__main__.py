"""`python -m nachhaken_tui` does what the `nachhaken` command does."""

from nachhaken_tui.cli import main

main()
