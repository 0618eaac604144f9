"""Run the real `nachhaken` TUI with one planted bug, for the crash-handling test.

    python tui_with_fault.py NACHHAKEN-ARGS...

The offer card works when the app opens and raises for any other offer (the
user moves the selection): a RuntimeError whose message quotes the client's
name and phone number, as a careless f-string in real code would. The test
(test_faults_errors.py) checks what the user sees on the terminal afterwards
and that crash.log holds the code locations but none of that personal data.
"""

from __future__ import annotations

import sys

from nachhaken_tui.ui.widgets.offer_card import OfferCard

_original = OfferCard.show
_first: list[int] = []


def _show(self, offer, *args, **kwargs):
    if offer is not None:
        _first[:] = _first or [offer.id]
        if offer.id != _first[0]:
            raise RuntimeError(f"cannot show {offer.client}, {offer.phone}, {offer.email}")
    return _original(self, offer, *args, **kwargs)


OfferCard.show = _show

if __name__ == "__main__":
    from nachhaken_tui.cli import main

    sys.argv = ["nachhaken", *sys.argv[1:]]
    main()
