"""``GET /metrics`` behind its token, with route templates as labels, and the access log: one line per
request with its request id, and no password, feed token or special-category text in any line."""

from __future__ import annotations

import json
import logging

import pytest

from tests.factories import make_person
from tests.support import as_user, bearer, login
from training_hub.calendars.tokens import current_feed_url
from training_hub.core.jobs import record_job_success
from training_hub.core.logs import JsonFormatter
from training_hub.core.security import hash_password
from training_hub.core.settings import get_settings

METRICS_TOKEN = "metrics-token-for-the-tests-0123456789"


@pytest.fixture
def metrics_on(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_METRICS_TOKEN", METRICS_TOKEN)
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("TRAINING_HUB_METRICS_TOKEN")
    get_settings.cache_clear()


async def test_metrics_are_off_without_a_token_setting(client):
    assert (await client.get("/metrics")).status_code == 404


async def test_metrics_need_the_bearer_token(client, metrics_on):
    assert (await client.get("/metrics")).status_code == 401
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    # An API token of the office is not the scraper's token either.
    admin = await make_person("admin")
    assert (await client.get("/metrics", headers=await bearer(admin))).status_code == 401


async def test_metrics_label_routes_by_template_never_by_token_or_id(client, metrics_on):
    worker = await make_person()
    feed = await current_feed_url(as_user(worker), "personal")
    token = feed.rsplit("/", 1)[1].removesuffix(".ics")
    assert (await client.get(feed)).status_code == 200
    assert (await client.get(f"/api/people/{worker.id}/accessibility-needs", headers=await bearer(worker))).status_code == 200

    record_job_success("notifications")
    response = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert 'path="/calendar/{filename}"' in body and 'status_code="200"' in body
    assert 'path="/api/people/{person_id}/accessibility-needs"' in body
    assert "training_hub_request_duration_seconds_bucket" in body
    assert 'training_hub_outbox_messages{status="pending"}' in body
    assert 'training_hub_outbox_messages{status="failed"}' in body
    assert 'training_hub_db_pool_connections{state="in_use"}' in body
    assert 'training_hub_job_last_success_timestamp_seconds{job="notifications"}' in body
    assert token not in body and worker.email not in body and f"/people/{worker.id}/" not in body
    assert 'path="/metrics"' not in body  # the scraper does not count itself


async def test_every_request_leaves_one_access_line_with_its_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="training_hub.access")
    response = await client.get("/healthz", headers={"X-Request-ID": "proxy-id-0001"})
    assert response.headers["x-request-id"] == "proxy-id-0001"
    odd = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert odd.headers["x-request-id"] != "bad id\nwith newline" and len(odd.headers["x-request-id"]) == 16

    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "training_hub.access"]
    first = next(line for line in lines if line["request_id"] == "proxy-id-0001")
    assert first["route"] == "/healthz" and first["status"] == 200 and first["method"] == "GET"
    assert first["duration_ms"] >= 0


async def test_no_log_line_carries_a_password_a_feed_token_or_needs(client, caplog):
    caplog.set_level(logging.DEBUG)
    password = "Correct-Horse-Battery-Staple-77"
    worker = await make_person(email="zoe@coop.test", password_hash=hash_password(password))
    await login(client, "zoe@coop.test", password)
    await client.post("/login", data={"email": "zoe@coop.test", "password": "wrong-" + password})
    feed = await current_feed_url(as_user(worker), "personal")
    token = feed.rsplit("/", 1)[1].removesuffix(".ics")
    await client.get(feed)
    await client.get(feed.replace(token, token[:-2] + "xx"))  # an unknown token: 404, logged too
    needs = "Sedia a rotelle: serve rampa al secondo piano"
    headers = await bearer(worker)
    saved = await client.put(f"/api/people/{worker.id}/accessibility-needs", json={"notes": needs}, headers=headers)
    assert saved.status_code == 200

    text = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "training_hub.access" in text
    for secret in (password, token, needs, headers["Authorization"].split()[1]):
        assert secret not in text
