"""Command-line access to the Uzbek language engine (``flask text ...``)."""

from __future__ import annotations

from tracker.text.cli import text_cli

__all__ = ["text_cli"]
