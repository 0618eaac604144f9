"""The call script: steps as data, loaded and checked, and one run through it."""
