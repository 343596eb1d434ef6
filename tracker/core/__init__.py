"""Code shared by every feature: audit trail, permissions, forms, i18n, time."""
