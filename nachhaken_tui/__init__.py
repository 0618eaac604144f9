"""nachhaken: make the follow-up call you dread, and learn from it."""

__version__ = "0.1.0"
