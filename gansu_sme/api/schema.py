"""OpenAPI additions that hold for every endpoint of the API."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape.",
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "Some fields are invalid."},
        "fields": {
            "type": "object",
            "description": "Messages per input field; empty unless the input was refused.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}

ERRORS = {
    "400": "The input was refused; `fields` says why, per field.",
    "401": "No credentials, or an expired account, revoked or unknown token.",
    "403": "Your role may not do this, or a session request lacked its CSRF token.",
    "404": "No such row in your region.",
    "429": "Too many requests; retry after the seconds in the Retry-After header.",
}


def add_error_responses(result, generator, request, public):
    """Document the one error shape on every operation, with the statuses it can answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = ["401", "403", "429"]
            if "{" in path:
                statuses.append("404")
            queried = any(p["in"] == "query" for p in operation.get("parameters", []))
            if method in ("post", "put", "patch") or queried:
                statuses.append("400")
            for status in statuses:
                operation["responses"].setdefault(
                    status,
                    {
                        "description": ERRORS[status],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
