"""``GET /metrics``: Prometheus text format, for the operator's scraper only.

Request counts and latency histograms come from Litestar's Prometheus middleware (prometheus-client)
with ``group_path``: the label is the route *template* (``/calendar/{filename}``, where the feed token goes), never the path
a client sent, so no token, id or name reaches a label. Unhandled paths never reach a route's middleware,
so a scanner cannot grow the label set either. The gauges below are read when the scraper asks.

The endpoint is off (404) unless ``TRAINING_HUB_METRICS_TOKEN`` is set, and answers 401 without
``Authorization: Bearer <that token>``: the figures say how busy the office is and when jobs fail.
"""

from __future__ import annotations

import hmac

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.plugins.prometheus import PrometheusConfig
from litestar.response import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Gauge, generate_latest

from training_hub.core.db import fetch_all, get_engine, pool_usage
from training_hub.core.jobs import job_successes
from training_hub.core.settings import get_settings

PROMETHEUS = PrometheusConfig(
    app_name="training_hub",
    prefix="training_hub",
    group_path=True,
    exclude=["^/metrics$", "^/static/"],
    # Seconds: pages take a few ms, PDFs and exports up to seconds.
    buckets=[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
)

OUTBOX = Gauge("training_hub_outbox_messages", "Messaggi nell'outbox per stato", ["status"])
POOL = Gauge("training_hub_db_pool_connections", "Connessioni al database del processo", ["state"])
JOB_LAST_SUCCESS = Gauge(
    "training_hub_job_last_success_timestamp_seconds", "Ultima esecuzione riuscita di un'attività periodica",
    ["job"],
)

_OUTBOX_SQL = "SELECT status, COUNT(*) AS n FROM outbox WHERE status IN ({}, {}) GROUP BY status"


async def refresh_gauges() -> None:
    """Read the figures that live in the database or the process, right before a scrape."""
    counts = {"pending": 0, "failed": 0}
    for row in await fetch_all(_OUTBOX_SQL, "pending", "failed"):
        counts[row["status"]] = int(row["n"])
    for status, count in counts.items():
        OUTBOX.labels(status=status).set(count)
    for state, count in pool_usage(get_engine()).items():
        POOL.labels(state=state).set(count)
    for job, at in job_successes().items():
        JOB_LAST_SUCCESS.labels(job=job).set(at)


def _authorised(request: Request) -> bool:
    token = get_settings().metrics_token
    if not token:
        raise NotFoundException()
    given = request.headers.get("authorization", "")
    return given[:7].lower() == "bearer " and hmac.compare_digest(given[7:].strip().encode(), token.encode())


class MetricsController(Controller):
    path = "/metrics"
    include_in_schema = False

    @get()
    async def metrics(self, request: Request) -> Response[bytes]:
        if not _authorised(request):
            # A plain 401 for a machine, not the sign-in page a browser would be sent to.
            return Response(b"", status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        await refresh_gauges()
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST,
                        headers={"Cache-Control": "no-store"})
