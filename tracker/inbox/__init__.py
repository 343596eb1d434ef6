"""Each role's first page: what is theirs to do today."""
