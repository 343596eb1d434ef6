"""Comment threads on measures and steps, with @mentions."""
