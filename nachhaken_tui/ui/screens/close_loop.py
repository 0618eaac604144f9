"""`m`: the close-the-loop e-mail, ready to copy or to open in the mail program.

Shown after `max_attempts` unanswered attempts (`Cadence.should_close_loop`).
The dialog only shows the text and hands it on; it dismisses with "sent" when
the user says the message went out (the caller then records it, see
`core.calls.close_loop.close_loop_call`) and with None when they cancel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nachhaken_tui.core.calls.close_loop import close_loop_message
from nachhaken_tui.core.calls.dial import mailto_uri
from nachhaken_tui.core.config import Profile
from nachhaken_tui.core.models import Offer
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.ui.text import plain

__all__ = ["CLOSE_LOOP_TEXT", "CloseLoopDialog"]

CLOSE_LOOP_TEXT = Catalog(
    {
        "title": {"de": "Den Kreis schließen", "en": "Close the loop"},
        "intro_1": {
            "de": "Ein Versuch blieb ohne Antwort. Statt eines weiteren Anrufs: eine kurze, "
            "freundliche E-Mail, die um ein Ja, Später oder Nein bittet.",
            "en": "One attempt went unanswered. Instead of another call: a short, friendly e-mail "
            "that asks for a yes, a later or a no.",
        },
        "intro_n": {
            "de": "{n} Versuche blieben ohne Antwort. Statt eines weiteren Anrufs: eine kurze, "
            "freundliche E-Mail, die um ein Ja, Später oder Nein bittet.",
            "en": "{n} attempts went unanswered. Instead of another call: a short, friendly e-mail "
            "that asks for a yes, a later or a no.",
        },
        "to": {"de": "An", "en": "To"},
        "subject": {"de": "Betreff", "en": "Subject"},
        "no_email": {"de": "keine E-Mail-Adresse hinterlegt", "en": "no e-mail address on file"},
        "keys": {
            "de": "y Text kopieren · s Betreff kopieren · o im Mailprogramm öffnen\n"
            "Enter als gesendet vermerken · Esc abbrechen",
            "en": "y copy the text · s copy the subject · o open in your mail program\n"
            "Enter mark as sent · Esc cancel",
        },
        "keys_no_email": {
            "de": "y Text kopieren · s Betreff kopieren · (o: keine E-Mail-Adresse)\n"
            "Enter als gesendet vermerken · Esc abbrechen",
            "en": "y copy the text · s copy the subject · (o: no e-mail address)\n"
            "Enter mark as sent · Esc cancel",
        },
        "copied_body": {
            "de": "Text kopiert. Nach dem Senden: Enter.",
            "en": "Text copied. Once it is sent: Enter.",
        },
        "copied_subject": {"de": "Betreff kopiert.", "en": "Subject copied."},
        "opened": {
            "de": "Im Mailprogramm geöffnet. Nach dem Senden: Enter.",
            "en": "Opened in your mail program. Once it is sent: Enter.",
        },
        "key_copy": {"de": "Text kopieren", "en": "Copy text"},
        "key_copy_subject": {"de": "Betreff kopieren", "en": "Copy subject"},
        "key_open": {"de": "Im Mailprogramm öffnen", "en": "Open in mail program"},
        "key_sent": {"de": "Als gesendet vermerken", "en": "Mark as sent"},
        "key_cancel": {"de": "Abbrechen", "en": "Cancel"},
    }
)


class CloseLoopDialog(ModalScreen[str | None]):
    """The close-the-loop e-mail for one offer.

    Keys: y copies the body, s the subject, o opens a `mailto:` link (only
    with an e-mail address), Enter dismisses with "sent", Esc with None.

    Args:
        offer: the offer whose calls went unanswered.
        lang: "de" or "en".
        today: decides how dates in the message read.
    """

    BINDINGS = [
        Binding("y", "copy_body", "key_copy"),
        Binding("s", "copy_subject", "key_copy_subject"),
        Binding("o", "open_mail", "key_open"),
        Binding("enter", "sent", "key_sent"),
        Binding("escape", "cancel", "key_cancel"),
    ]

    def __init__(self, offer: Offer, lang: str, today: dt.date, profile: Profile | None = None) -> None:
        super().__init__()
        self.offer = offer
        self.lang = lang
        self.subject, self.body = close_loop_message(offer, lang, today, profile)
        self.email = (offer.email or "").strip() or None
        """Where the message goes; None disables `o`."""
        self._localize_bindings()

    def _localize_bindings(self) -> None:
        """Binding descriptions are keys of this module's catalog (as `ui.bindings` does for `UI`)."""
        self._bindings = BindingsMap.from_keys(
            {
                key: [
                    replace(binding, description=self.t(binding.description))
                    if binding.description.startswith("key_")
                    else binding
                    for binding in bindings
                ]
                for key, bindings in self._bindings.key_to_bindings.items()
            }
        )

    def t(self, key: str, **fields: object) -> str:
        return CLOSE_LOOP_TEXT.text(self.lang, key, **fields)

    def compose(self) -> ComposeResult:
        attempts = self.offer.attempts
        intro = self.t("intro_1") if attempts == 1 else self.t("intro_n", n=attempts)
        head = Text()
        head.append(f"{self.t('to')}: ", style="dim")
        head.append(plain(self.email) if self.email else Text(self.t("no_email"), style="italic"))
        head.append(f"\n{self.t('subject')}: ", style="dim")
        head.append(plain(self.subject, style="bold"))
        with Vertical(classes="dialog close-loop-dialog"):
            yield Static(Text(self.t("title"), style="bold"), classes="dialog-title")
            yield Static(Text(intro, style="dim"), id="close-loop-intro")
            yield Static(head, id="close-loop-head")
            with VerticalScroll(id="close-loop-scroll"):
                yield Static(plain(self.body), id="close-loop-body")
            yield Static(id="close-loop-status", classes="hidden")
            yield Static(self.t("keys" if self.email else "keys_no_email"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#close-loop-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_mail" and self.email is None:
            return None  # shown as unavailable; the key does nothing
        return True

    def _status(self, key: str) -> None:
        status = self.query_one("#close-loop-status", Static)
        status.update(Text(self.t(key), style="bold"))
        status.remove_class("hidden")

    def action_copy_body(self) -> None:
        self.app.copy_to_clipboard(self.body)
        self._status("copied_body")

    def action_copy_subject(self) -> None:
        self.app.copy_to_clipboard(self.subject)
        self._status("copied_subject")

    def action_open_mail(self) -> None:
        if self.email is None:
            return
        self.app.open_url(mailto_uri(self.email, self.subject, self.body))
        self._status("opened")

    def action_sent(self) -> None:
        self.dismiss("sent")

    def action_cancel(self) -> None:
        self.dismiss(None)
