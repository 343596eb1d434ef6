"""Dashboards, the unit rating, the plan calendar and timeline, and iCalendar feeds."""
