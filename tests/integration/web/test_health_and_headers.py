from training_hub.core.db import engine_from_url


async def test_healthz_needs_no_database(client, monkeypatch):
    import training_hub.home.pages as pages

    monkeypatch.setattr(pages, "get_engine", lambda: (_ for _ in ()).throw(AssertionError("no database")))
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_pings_the_database(client):
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


async def test_readyz_is_503_when_the_database_is_unreachable(client, monkeypatch, database):
    import training_hub.home.pages as pages

    if database.engine_type == "sqlite":
        unreachable = engine_from_url("sqlite:////nonexistent-folder/for/training-hub.sqlite3")
    else:
        unreachable = engine_from_url("postgresql://postgres@127.0.0.1:1/nowhere")
    monkeypatch.setattr(pages, "get_engine", lambda: unreachable)
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


async def test_security_headers_on_pages_errors_and_api(client):
    for url in ("/login", "/non-esiste", "/api/me", "/healthz"):
        response = await client.get(url)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp, url
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert response.headers["x-content-type-options"] == "nosniff", url


async def test_openapi_schema_lists_the_api_but_not_pages(client):
    schema = (await client.get("/schema/openapi.json")).json()
    paths = schema["paths"]
    assert "/api/auth/tokens" in paths and "/api/people" in paths and "/api/me" in paths
    assert not any(path.startswith(("/login", "/admin", "/profile")) for path in paths)


async def test_static_files_are_served_locally(client):
    response = await client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "text/css" in response.headers["content-type"]
