"""The database file: its schema and migrations, opening it safely, every read and write."""
