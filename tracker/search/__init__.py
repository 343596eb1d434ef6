"""Script-insensitive search over measures, steps, status notes and plans (see docs/search.md)."""
