"""Industry indices."""
