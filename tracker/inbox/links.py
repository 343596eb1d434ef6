"""The links of the inbox's rows, each endpoint asked of Werkzeug once per page
(:func:`tracker.core.links.id_url`)."""

from __future__ import annotations

from tracker.core.links import id_url


class RowLinks:
    """The links of the inbox's rows (a measure, its status forms, an evidence file, a unit's
    overdue list), each endpoint asked of Werkzeug once per page."""

    def __init__(self) -> None:
        self.measure = id_url("plans.measure", "measure_id")
        self.report_measure = id_url("execution.update_measure_status", "measure_id")
        self.report_step = id_url("execution.update_step_status", "step_id")
        self.download = id_url("execution.download", "attachment_id")
        self.overdue_of_unit = id_url("inbox.overdue", "unit")
