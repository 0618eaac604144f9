"""Files in and out: CSV import, JSON/CSV export, the calendar (ICS)."""
