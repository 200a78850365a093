"""The published OpenAPI document: every JSON operation under /api says what it answers.

Outside tools (the cooperatives' own scripts, a funder's import) generate clients from
``/schema/openapi.json``; an operation whose success body is ``{}`` or a bare ``object`` tells them
nothing, so the walk below fails on any such operation.
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def untyped_parts(schema: dict[str, Any], components: dict[str, Any], where: str,
                  seen: set[str]) -> list[str]:
    """Where a schema says nothing: an empty schema, an object without properties, an array of those."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return []
        seen.add(name)
        return untyped_parts(components[name], components, f"{where}<{name}>", seen)
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            return [problem for index, part in enumerate(schema[combinator])
                    for problem in untyped_parts(part, components, f"{where}|{index}", seen)]
    kind = schema.get("type")
    if not kind and "const" not in schema and "enum" not in schema:
        return [f"{where}: empty schema"]
    if kind == "object":
        properties = schema.get("properties")
        values = schema.get("additionalProperties")
        if not properties and not isinstance(values, dict):
            return [f"{where}: object without properties"]
        problems = [problem for name, part in (properties or {}).items()
                    for problem in untyped_parts(part, components, f"{where}.{name}", seen)]
        if isinstance(values, dict):
            problems += untyped_parts(values, components, f"{where}.*", seen)
        return problems
    if kind == "array":
        return untyped_parts(schema.get("items") or {}, components, f"{where}[]", seen)
    return []


def api_operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{method.upper()} {path}", operation)
            for path, item in document["paths"].items() if path.startswith("/api/")
            for method, operation in item.items() if method in METHODS]


def untyped_operations(document: dict[str, Any]) -> dict[str, list[str]]:
    """Operation → what is untyped in its 200/201 JSON body (204 and files have no JSON body)."""
    components = document.get("components", {}).get("schemas", {})
    found: dict[str, list[str]] = {}
    for name, operation in api_operations(document):
        for status in ("200", "201"):
            response = operation.get("responses", {}).get(status)
            if response is None:
                continue
            content = response.get("content") or {}
            json_body = content.get("application/json")
            if json_body is None:
                found.setdefault(name, []).append(f"{status}: no JSON schema")
                continue
            problems = untyped_parts(json_body.get("schema") or {}, components, status, set())
            if problems:
                found.setdefault(name, []).extend(problems)
    return found


async def test_every_api_operation_has_a_typed_response(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    operations = api_operations(document)
    assert len(operations) > 60  # the walk really saw the API
    assert untyped_operations(document) == {}


def test_the_walk_catches_untyped_bodies():
    """The check itself can fail: an empty schema, a bare object, a list of bare objects."""
    document = {
        "paths": {
            "/api/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {}}}}}}},
            "/api/b": {"post": {"responses": {"201": {"content": {"application/json": {
                "schema": {"type": "object"}}}}}}},
            "/api/c": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Loose"}}}}}}}},
            "/api/d": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Tight"}}}}}}},
            "/api/e": {"delete": {"responses": {"204": {"description": "vuoto"}}}},
        },
        "components": {"schemas": {
            "Loose": {"type": "object", "properties": {"x": {}}},
            "Tight": {"type": "object", "properties": {
                "x": {"type": "integer"}, "y": {"oneOf": [{"type": "string"}, {"type": "null"}]}}},
        }},
    }
    assert set(untyped_operations(document)) == {"GET /api/a", "POST /api/b", "GET /api/c"}


async def test_the_bearer_scheme_is_published(client):
    document = (await client.get("/schema/openapi.json")).json()
    bearer = document["components"]["securitySchemes"]["bearer"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearer": []}]
    # Getting a token needs none.
    assert document["paths"]["/api/auth/tokens"]["post"]["security"] == [{}]
