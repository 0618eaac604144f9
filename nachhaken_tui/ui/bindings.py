"""Footer labels in the user's language.

Textual reads `BINDINGS` at class creation, when the language is not known
yet. Classes here name each binding's description by a `UI` catalog key, and
`localize_bindings` swaps in the words once the node exists.
"""

from __future__ import annotations

import dataclasses

from textual.binding import BindingsMap
from textual.dom import DOMNode

from nachhaken_tui.ui.text import UI

__all__ = ["localize_bindings"]


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Replace catalog keys in `node`'s binding descriptions with text in `lang`."""
    localized = {
        key: [
            dataclasses.replace(binding, description=UI.text(lang, binding.description))
            if binding.description.startswith("key_")
            else binding
            for binding in bindings
        ]
        for key, bindings in node._bindings.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(localized)
