"""Workflow events and notifications: one model for hand-overs and deadline reminders."""
