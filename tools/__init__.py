"""Developer tools that work on the built site (not part of the handbook)."""
