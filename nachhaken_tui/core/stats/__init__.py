"""The user's own numbers, counted from the file, and the same numbers in words."""
