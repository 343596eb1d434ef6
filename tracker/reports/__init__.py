"""PDF reports: the status report as of a date, the plan document, and summaries.

Data is gathered into plain dicts (:mod:`tracker.reports.data`), rendered into HTML by a Jinja
template and into PDF by WeasyPrint (:mod:`tracker.reports.render`), cached by content
(:mod:`tracker.reports.services`); large reports are built in the background
(:mod:`tracker.reports.jobs`).
"""
