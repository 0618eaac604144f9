"""`python -m nachhaken_tui` does what the `nachhaken` command does."""

from nachhaken_tui.quick_start import main

main()
