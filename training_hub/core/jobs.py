"""When each background job last finished without an error, for ``/metrics`` (``training_hub_job_last_success``).

Per process: every instance runs its own loop (the notifications worker, the hourly housekeeping), and
Prometheus scrapes each instance, so an alert on "no success for two hours" fires for the instance whose
loop is stuck. Kept in ``core`` because the jobs live in several features and the web layer reads it.
"""

from __future__ import annotations

import time

_last_success: dict[str, float] = {}


def record_job_success(job: str) -> None:
    """Note that ``job`` (a fixed name such as ``"notifications"``, never data) has just succeeded."""
    _last_success[job] = time.time()


def job_successes() -> dict[str, float]:
    """Job name → Unix time of its last success in this process."""
    return dict(_last_success)
