"""Deadline reminders: policy, the sweep that claims them, in-app notifications, e-mail and the scheduler."""
