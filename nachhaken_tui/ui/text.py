"""Every word the TUI shows, in German and English, and how user text is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from nachhaken_tui.core.text.cells import cell_stable
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.core.text.terminal import terminal_safe

if TYPE_CHECKING:
    from nachhaken_tui.core.script.model import Step

__all__ = ["UI", "plain", "screen_safe", "step_label"]


def screen_safe(text: str | None, *, keep_lines: bool = False) -> str:
    """User text for a sentence on screen: `terminal_safe`, and as wide on
    every terminal as the layout measures it (`cell_stable`), so a wide emoji
    sequence cannot shift a pane's border."""
    return cell_stable(terminal_safe(text, keep_lines=keep_lines))


def plain(text: str | None, style: str | Style = "") -> Text:
    """User text for a widget: never parsed as markup, never able to steer the terminal
    or to push a pane's border (see `screen_safe`).

    Every name, note or imported cell goes through here (or through
    `screen_safe` before it is built into a sentence).
    """
    return Text(screen_safe(text, keep_lines=True), style=style)


def step_label(step: Step) -> str:
    """How the summary and the history label an answer of a script `Step`: by its title
    ("Entscheidung"), not by a question several steps share ("Was ist die Antwort?");
    a 1–5 rating by its question without the scale ("Wie groß ist deine Hemmung jetzt?")."""
    if step.kind.value == "scale":
        return str(step.question).split(" (")[0]
    return str(step.title)


UI = Catalog(
    {
        # header and views
        "due_today_0": {"de": "nichts fällig", "en": "nothing due"},
        "due_today_n": {"de": "{n} heute fällig", "en": "{n} due today"},
        "view_due": {"de": "Fällig", "en": "Due"},
        "view_upcoming": {"de": "Demnächst", "en": "Upcoming"},
        "view_open": {"de": "Offen", "en": "Open"},
        "view_closed": {"de": "Erledigt", "en": "Closed"},
        "sort_urgency": {"de": "Dringlichkeit", "en": "urgency"},
        "sort_value": {"de": "Wert", "en": "value"},
        "sort_sent": {"de": "Versanddatum", "en": "sent date"},
        "search_placeholder": {
            "de": "Suchen: Kunde, Kontakt, Titel, Angebotsnr., Notizen",
            "en": "Search: client, contact, title, offer no., notes",
        },
        "empty_search": {"de": "Nichts gefunden für „{text}“.", "en": "Nothing found for “{text}”."},
        "empty_search_elsewhere": {
            "de": "In anderen Ansichten: {where}. v wechselt die Ansicht.",
            "en": "In other views: {where}. v switches the view.",
        },
        # empty states
        "empty_first_run": {
            "de": "Noch keine Angebote.\n\nDrück a, um eines anzulegen,\noder importiere deine Liste:\n"
            "nachhaken import DATEI.csv",
            "en": "No offers yet.\n\nPress a to add one,\nor import your list:\nnachhaken import FILE.csv",
        },
        "empty_due_next": {
            "de": "Heute ist nichts fällig.\n\nNächstes Nachfassen {date}:\n{client}",
            "en": "Nothing due today.\n\nNext follow-up {date}:\n{client}",
        },
        "empty_due_none": {
            "de": "Heute ist nichts fällig,\nund kein offenes Angebot wartet.",
            "en": "Nothing due today,\nand no open offer is waiting.",
        },
        "empty_view": {"de": "Diese Ansicht ist leer.", "en": "This view is empty."},
        "no_selection": {
            "de": "Wähl links ein Angebot (↑/↓) und drück Enter für den Gesprächsleitfaden.",
            "en": "Pick an offer on the left (↑/↓) and press Enter for the call script.",
        },
        # inbox rows
        "due_on": {"de": "fällig {date}", "en": "due {date}"},
        "sent_ago": {"de": "gesendet {when}", "en": "sent {when}"},
        "closed_on": {"de": "{status} {when}", "en": "{status} {when}"},
        # offer card
        "card_contact": {"de": "Kontakt", "en": "Contact"},
        "card_reference": {"de": "Angebotsnr.", "en": "Offer no."},
        "card_phone": {"de": "Telefon", "en": "Phone"},
        "card_email": {"de": "E-Mail", "en": "E-mail"},
        "card_value": {"de": "Wert", "en": "Value"},
        "card_sent": {"de": "Gesendet", "en": "Sent"},
        "card_first_talk": {"de": "Erstgespräch", "en": "First talk"},
        "card_attempts": {"de": "Versuche", "en": "Attempts"},
        "card_next": {"de": "Nächstes", "en": "Next"},
        "card_valid_until": {"de": "Gültig bis", "en": "Valid until"},
        "card_expired": {
            "de": "abgelaufen am {date}: x verlängert oder schließt es",
            "en": "expired {date}: x extends or closes it",
        },
        "card_after_validity": {
            "de": "⚠ Der vereinbarte Termin liegt nach dem Ende der Gültigkeit ({date}).",
            "en": "⚠ The agreed date is after the offer runs out ({date}).",
        },
        "card_status": {"de": "Status", "en": "Status"},
        "card_last_call": {"de": "Letzter Anruf", "en": "Last call"},
        "card_notes": {"de": "Notizen", "en": "Notes"},
        "card_none": {"de": "–", "en": "–"},
        "card_no_calls": {"de": "noch keiner", "en": "none yet"},
        "card_unanswered": {"de": "{n}× nicht erreicht", "en": "{n} unanswered"},
        # script panel
        "script_step": {"de": "Schritt {n}", "en": "Step {n}"},
        "script_hint_choice": {
            "de": "Zahl wählt · Enter bestätigt · Esc zurück",
            "en": "number picks · Enter confirms · Esc goes back",
        },
        "block_plan": {"de": "Dein Plan für diesen Block", "en": "Your plan for this block"},
        "script_pick_first": {
            "de": "Hier ist nichts vorausgewählt: drück eine Zahl von {low} bis {high}.",
            "en": "Nothing is picked here yet: press a number from {low} to {high}.",
        },
        "script_hint_input": {
            "de": "Enter weiter · Esc zurück",
            "en": "Enter goes on · Esc goes back",
        },
        "script_start": {
            "de": "Enter startet den Gesprächsleitfaden für dieses Angebot.",
            "en": "Press Enter to start the call script for this offer.",
        },
        "script_closed": {
            "de": "Dieses Angebot ist abgeschlossen ({status}). r öffnet es wieder, h zeigt seine Anrufe.",
            "en": "This offer is closed ({status}). r reopens it, h shows its calls.",
        },
        "script_optional": {"de": "(optional – Enter überspringt)", "en": "(optional – Enter skips)"},
        "script_date_hint": {
            "de": "z. B. 3.12., +3, morgen, Montag, nächste Woche",
            "en": "e.g. 2026-12-03, +3, tomorrow, monday, next week",
        },
        "script_date_resolved": {"de": "→ {date}", "en": "→ {date}"},
        "date_not_business": {
            "de": "{what}; Enter behält ihn, ↓ nimmt {better}",
            "en": "{what}; Enter keeps it, ↓ picks {better}",
        },
        "weekday_5": {"de": "ein Samstag", "en": "a Saturday"},
        "weekday_6": {"de": "ein Sonntag", "en": "a Sunday"},
        "a_holiday": {"de": "ein Feiertag", "en": "a public holiday"},
        "summary_title": {"de": "Zusammenfassung", "en": "Summary"},
        "summary_outcome": {"de": "Ergebnis", "en": "Outcome"},
        "summary_next": {"de": "Nächstes Nachfassen", "en": "Next follow-up"},
        "summary_next_cadence": {"de": "nach Rhythmus ({date})", "en": "by the cadence ({date})"},
        "summary_hesitation": {"de": "Hemmung vorher → nachher", "en": "Hesitation before → after"},
        "summary_save": {"de": "Enter speichert · Esc zurück", "en": "Enter saves · Esc goes back"},
        "saved": {"de": "Gespeichert: {client} – {outcome}", "en": "Saved: {client} – {outcome}"},
        "congratulations": {"de": "Glückwunsch zum Auftrag!", "en": "Congratulations on the job!"},
        "saved_next": {"de": "wieder dran am {date}", "en": "back on {date}"},
        "close_loop_saved": {"de": "Abschluss-Mail vermerkt", "en": "close-the-loop e-mail noted"},
        "save_failed": {"de": "Nicht gespeichert: {reason}", "en": "Not saved: {reason}"},
        "save_waiting": {
            "de": "Ein anderes Programm schreibt gerade – warte …",
            "en": "Waiting for another program to finish writing…",
        },
        "save_pending": {
            "de": "{client} wird noch gespeichert.",
            "en": "{client} is still being saved.",
        },
        "save_retry": {
            "de": "Deine Antworten bleiben erhalten: Enter speichert noch einmal.",
            "en": "Your answers are kept: Enter saves again.",
        },
        # dialogs
        "discard_title": {"de": "Antworten verwerfen?", "en": "Discard answers?"},
        "discard_body": {
            "de": "Du hast den Leitfaden für {client} angefangen (Antworten bisher: {n}). Verwerfen?",
            "en": "The script for {client} is under way (answers so far: {n}). Discard them?",
        },
        "yes_discard": {"de": "Verwerfen", "en": "Discard"},
        "no_keep": {"de": "Abbrechen", "en": "Cancel"},
        "discard_no": {"de": "Weiter im Leitfaden", "en": "Back to the script"},
        "block_end_no": {"de": "Weiter telefonieren", "en": "Keep calling"},
        "lost_title": {"de": "Verloren – warum?", "en": "Lost – why?"},
        "lost_other_placeholder": {"de": "Grund in eigenen Worten", "en": "Reason in your own words"},
        "snooze_title": {"de": "Verschieben bis …", "en": "Snooze until …"},
        "snooze_reason": {"de": "Grund (optional)", "en": "Reason (optional)"},
        "confirm_keys": {
            "de": "{yes}/n antworten · ←/→ wählen · Enter bestätigt · Esc bricht ab",
            "en": "{yes}/n answer · ←/→ choose · Enter confirms · Esc cancels",
        },
        "snooze_client_away": {"de": "Kunde ist bis zu diesem Tag weg", "en": "Client away until this date"},
        "dialog_keys": {"de": "Enter bestätigt · Esc bricht ab", "en": "Enter confirms · Esc cancels"},
        "block_progress": {"de": "Block {progress}", "en": "Block {progress}"},
        "block_minutes_left": {"de": "noch {n} Min.", "en": "{n} min left"},
        "block_end_title": {"de": "Block beenden?", "en": "End the block?"},
        "block_end_body": {
            "de": "Anrufe in diesem Block: {n}. Jetzt beenden und die Bilanz sehen?",
            "en": "Calls in this block: {n}. End it now and see the summary?",
        },
        "block_end_yes": {"de": "Beenden", "en": "End it"},
        "archive_title": {"de": "Archivieren?", "en": "Archive?"},
        "archive_body": {
            "de": "{client} verlässt alle Listen außer „Erledigt“ und kann dort wieder geöffnet werden (r).",
            "en": "{client} leaves every list but Closed, where it can be reopened (r).",
        },
        "archive_yes": {"de": "Archivieren", "en": "Archive"},
        "archived": {"de": "Archiviert: {client}", "en": "Archived: {client}"},
        "reopened": {"de": "Wieder offen, heute fällig: {client}", "en": "Open again, due today: {client}"},
        "quick_question": {"de": "Ergebnis ohne Leitfaden", "en": "Outcome without the script"},
        "snooze_question": {"de": "Verschoben, Grund", "en": "Snoozed, reason"},
        "not_open": {
            "de": "Nur offene Angebote haben ein Ergebnis.",
            "en": "Only open offers take an outcome.",
        },
        "date_invalid": {"de": "Unbekanntes Datum", "en": "Not a date I know"},
        "date_past": {"de": "Das Datum liegt in der Vergangenheit.", "en": "That date is in the past."},
        "data_changed": {"de": "Neue Daten geladen.", "en": "New data loaded."},
        # undo, memory between calls, your own details (issue 11)
        "undo_hint": {"de": "u macht es rückgängig", "en": "u undoes it"},
        "undone": {"de": "Rückgängig gemacht: {client} – {what}", "en": "Undone: {client} – {what}"},
        "undo_nothing": {
            "de": "Nichts rückgängig zu machen: seit dem Start ist nichts gespeichert.",
            "en": "Nothing to undo: nothing was saved since the app was opened.",
        },
        "undo_failed": {"de": "Nicht rückgängig gemacht: {reason}", "en": "Not undone: {reason}"},
        "what_archived": {"de": "archiviert", "en": "archived"},
        "what_reopened": {"de": "wieder geöffnet", "en": "reopened"},
        "what_edited": {"de": "bearbeitet", "en": "edited"},
        "what_revised_sent": {"de": "überarbeitetes Angebot verschickt", "en": "revised offer sent"},
        "key_undo": {"de": "Rückgängig", "en": "Undo"},
        "help_undo": {
            "de": "Letzte Änderung seit dem Start rückgängig machen (mehrfach: weiter zurück)",
            "en": "Undo the last change since the app was opened (again: one further back)",
        },
        "reopen_title": {"de": "War der letzte Anruf ein Versehen?", "en": "Was the closing call a mistake?"},
        "reopen_body": {
            "de": "{client} ist {status}. War dieser Abschluss ein Versehen, wird der Anruf entfernt "
            "und das Angebot steht wieder wie davor. Sonst wird es nur wieder geöffnet, heute fällig.",
            "en": "{client} is {status}. If that was a mistake, the call is removed and the offer is back "
            "as it was before it. Otherwise it is just reopened, due today.",
        },
        "reopen_mistake": {"de": "Ja, Versehen", "en": "Yes, a mistake"},
        "reopen_plain": {"de": "Nein, nur öffnen", "en": "No, just reopen"},
        "card_last_call_on": {"de": "{when}: {outcome}", "en": "{when}: {outcome}"},
        "card_agreed": {"de": "für {date}", "en": "for {date}"},
        "card_todo": {"de": "Zu tun", "en": "To do"},
        "todo_revise": {
            "de": "überarbeitetes Angebot bis {date} schicken – S, sobald es raus ist",
            "en": "send the revised offer by {date} – S once it is out",
        },
        "todo_wrong_number": {
            "de": "Nummer ist falsch: e trägt die richtige ein, m oder eine Mail fragt danach",
            "en": "the number is wrong: e enters the right one, or ask for it by e-mail",
        },
        "todo_no_phone": {
            "de": "keine Telefonnummer: e trägt sie ein, sonst per E-Mail nachfassen",
            "en": "no phone number: e adds it, or follow up by e-mail",
        },
        "card_salutation": {"de": "Anrede", "en": "Salutation"},
        "key_revised_sent": {"de": "Überarbeitung verschickt", "en": "Revised offer sent"},
        "help_revised_sent": {
            "de": "Überarbeitetes Angebot ist raus: Nachfassen in ein paar Werktagen planen",
            "en": "The revised offer is out: plan the follow-up a few business days later",
        },
        "revised_sent": {
            "de": "Vermerkt: überarbeitetes Angebot an {client} verschickt · Anruf am {date}",
            "en": "Noted: revised offer sent to {client} · call on {date}",
        },
        "key_profile": {"de": "Meine Angaben", "en": "My details"},
        "help_profile": {
            "de": "Dein Name, deine Nummer, deine E-Mail-Signatur für Leitfaden und Mails",
            "en": "Your name, number and e-mail signature for the script and e-mails",
        },
        "profile_title": {"de": "Deine Angaben", "en": "Your details"},
        "profile_intro": {
            "de": "Damit Mailbox-Text, Einstieg und Abschluss-Mail deinen Namen und deine Nummer nennen. "
            "Alles optional; später über die Befehlsliste (Strg+P) änderbar.",
            "en": "So that the voicemail text, the opener and the close-the-loop e-mail name you and your "
            "number. All optional; change it later from the command list (Ctrl+P).",
        },
        "profile_name": {"de": "Dein Name", "en": "Your name"},
        "profile_phone": {"de": "Deine Telefonnummer", "en": "Your phone number"},
        "profile_signature": {
            "de": "E-Mail-Signatur (unter „Viele Grüße“)",
            "en": "E-mail signature (under “Best regards”)",
        },
        "profile_keys": {"de": "Enter speichert · Esc überspringt", "en": "Enter saves · Esc skips"},
        "profile_saved": {"de": "Deine Angaben sind gespeichert.", "en": "Your details are saved."},
        "block_no_phone": {
            "de": "Ohne (richtige) Nummer, per E-Mail nachfassen: {clients}",
            "en": "No (working) number, follow up by e-mail: {clients}",
        },
        # bindings
        "key_quit": {"de": "Beenden", "en": "Quit"},
        "ctrl_c_hint": {
            "de": "Beenden mit q oder Strg+Q (Strg+C kopiert in Eingabefeldern).",
            "en": "Quit with q or Ctrl+Q (Ctrl+C copies in text fields).",
        },
        "key_help": {"de": "Hilfe", "en": "Help"},
        "key_view": {"de": "Ansicht", "en": "View"},
        "key_start": {"de": "Anrufen", "en": "Call"},
        "key_won": {"de": "Gewonnen", "en": "Won"},
        "key_lost": {"de": "Verloren", "en": "Lost"},
        "key_no_answer": {"de": "Nicht erreicht", "en": "No answer"},
        "key_snooze": {"de": "Verschieben", "en": "Snooze"},
        "key_back": {"de": "Zurück", "en": "Back"},
        "key_confirm": {"de": "Weiter", "en": "Next"},
        "key_inbox": {"de": "Posteingang", "en": "Inbox"},
        "key_search": {"de": "Suchen", "en": "Search"},
        "key_palette": {"de": "Befehle", "en": "Commands"},
        "palette_no_matches": {"de": "Keine Treffer", "en": "No matches found"},
        "palette_placeholder": {"de": "Befehl suchen …", "en": "Search for a command …"},
        "key_block": {"de": "Block", "en": "Block"},
        "key_copy_phone": {"de": "Nummer kopieren", "en": "Copy number"},
        "key_history": {"de": "Verlauf", "en": "History"},
        "key_add": {"de": "Neu", "en": "Add"},
        "key_edit": {"de": "Bearbeiten", "en": "Edit"},
        "help_add": {"de": "Neues Angebot erfassen", "en": "Add an offer"},
        "help_edit": {"de": "Angebot bearbeiten", "en": "Edit the offer"},
        "offer_saved": {"de": "Gespeichert: {client}", "en": "Saved: {client}"},
        "key_stats": {"de": "Zahlen", "en": "Numbers"},
        "key_forget": {"de": "Daten löschen", "en": "Forget"},
        "help_stats": {
            "de": "Deine eigenen Zahlen: Anrufe, Ergebnisse, Hemmung, Geld",
            "en": "Your own numbers: calls, outcomes, hesitation, money",
        },
        "help_forget": {
            "de": "Alle Daten dieses Kunden endgültig löschen (mit Rückfrage)",
            "en": "Erase all data of this client for good (asks first)",
        },
        "forget_title": {"de": "Endgültig löschen?", "en": "Erase for good?"},
        "forget_body": {
            "de": "Alle Angebote von {client} ({offers}) werden mit allen Anrufen und Antworten gelöscht, "
            "ohne Spur in der Datei. Das lässt sich nicht rückgängig machen.",
            "en": "Every offer of {client} ({offers}), with every call and answer, will be erased, leaving "
            "no trace in the file. This cannot be undone.",
        },
        "forget_yes": {"de": "Löschen", "en": "Erase"},
        "forgotten": {
            "de": "Gelöscht: {client} (Angebote: {offers}, Anrufe: {calls})",
            "en": "Erased: {client} (offers: {offers}, calls: {calls})",
        },
        "key_qr": {"de": "QR-Code", "en": "QR code"},
        "key_close_loop": {"de": "Abschluss-Mail", "en": "Close-the-loop e-mail"},
        "help_history": {
            "de": "Verlauf: alle Anrufe zum Angebot mit Antworten",
            "en": "History: every call about the offer, with its answers",
        },
        "help_qr": {
            "de": "Nummer als QR-Code (mit dem Handy wählen)",
            "en": "The number as a QR code (dial from a phone)",
        },
        "help_close_loop": {
            "de": "Nach mehreren vergeblichen Versuchen: kurze Mail, die um eine klare Antwort bittet",
            "en": "After several unanswered attempts: a short e-mail asking for a clear answer",
        },
        "close_loop_hint": {
            "de": "{n}× nicht erreicht – m: kurze Abschluss-Mail statt weiterer Anrufe",
            "en": "{n} unanswered – m: a short close-the-loop e-mail instead of more calls",
        },
        "no_phone": {
            "de": "☎ Keine Telefonnummer gespeichert: Schlag sie vor dem Anrufen nach.",
            "en": "☎ No phone number stored: look it up before you call.",
        },
        "copy_number": {"de": "kopiert die Nummer", "en": "copies the number"},
        "copied": {"de": "Kopiert: {phone}", "en": "Copied: {phone}"},
        "help_copy_phone": {"de": "Telefonnummer in die Zwischenablage", "en": "Copy the phone number"},
        "key_sort": {"de": "Sortieren", "en": "Sort"},
        "key_archive": {"de": "Archivieren", "en": "Archive"},
        "key_reopen": {"de": "Wieder öffnen", "en": "Reopen"},
        "key_validity": {"de": "Abgelaufen", "en": "Expired"},
        "key_away": {"de": "Abwesenheiten", "en": "Time away"},
        "key_clear_search": {"de": "Suche leeren", "en": "Clear search"},
        # help screen
        "help_title": {"de": "Tastenbelegung", "en": "Keymap"},
        "help_inbox": {"de": "Posteingang", "en": "Inbox"},
        "help_script": {"de": "Gesprächsleitfaden", "en": "Call script"},
        "help_everywhere": {"de": "Überall", "en": "Everywhere"},
        "help_move": {"de": "Auswahl bewegen", "en": "Move the selection"},
        "help_start": {"de": "Leitfaden für das Angebot starten", "en": "Start the script for the offer"},
        "help_view": {
            "de": "Ansicht wechseln: Fällig / Demnächst (7 Tage) / Offen / Erledigt",
            "en": "Switch view: Due / Upcoming (7 days) / Open / Closed",
        },
        "help_sort": {
            "de": "Sortieren: Dringlichkeit / Wert / Versanddatum",
            "en": "Sort: urgency / value / sent date",
        },
        "help_search": {
            "de": "Suchen (Kunde, Kontakt, Titel, Angebotsnr., Notizen); Esc leert",
            "en": "Search (client, contact, title, offer no., notes); Esc clears",
        },
        "help_archive": {"de": "Archivieren (mit Rückfrage)", "en": "Archive (asks first)"},
        "help_block": {
            "de": "Anrufblock starten (n Anrufe / m Minuten, mit Plan) oder beenden",
            "en": "Start a call block (n calls / m minutes, with a plan) or end it",
        },
        "help_reopen": {"de": "In „Erledigt“: wieder öffnen", "en": "In Closed: reopen"},
        "help_validity": {
            "de": "Abgelaufenes Angebot: verlängern oder als verloren schließen",
            "en": "Expired offer: extend it or close it as lost",
        },
        "help_away": {
            "de": "Abwesenheiten eintragen, ansehen, löschen: kein Nachfassen an diesen Tagen",
            "en": "Enter, list and remove time away: no follow-up on those days",
        },
        "help_won": {"de": "Gewonnen (ohne Leitfaden)", "en": "Won (without the script)"},
        "help_lost": {"de": "Verloren, mit Grund", "en": "Lost, with a reason"},
        "help_no_answer": {
            "de": "Nicht erreicht: Versuch zählen, neu planen",
            "en": "No answer: count the attempt, reschedule",
        },
        "help_snooze": {"de": "Auf ein Datum verschieben", "en": "Snooze to a date"},
        "help_pick": {"de": "Antwort wählen", "en": "Pick an answer"},
        "help_confirm": {
            "de": "Bestätigen und weiter; am Ende speichern",
            "en": "Confirm and go on; at the end, save",
        },
        "help_back": {
            "de": "Einen Schritt zurück; vom ersten Schritt zum Posteingang",
            "en": "Back one step; from the first step to the inbox",
        },
        "help_focus": {
            "de": "Zwischen Posteingang und Leitfaden wechseln",
            "en": "Switch between inbox and script",
        },
        "help_help": {"de": "Diese Hilfe", "en": "This help"},
        "help_palette": {"de": "Alle Befehle nach Namen", "en": "Every command by name"},
        "help_quit": {"de": "Beenden", "en": "Quit"},
        "help_footer": {
            "de": "Alle Tasten; die Fußzeile zeigt nur, was passt.",
            "en": "Every key; the footer shows only what fits.",
        },
        "help_close": {"de": "Esc oder ? schließt", "en": "Esc or ? closes"},
    }
)
