"""The problem types of the gateway (RFC 9457): one `title` per `type`, and the problem
responses every operation may answer, as OpenAPI documents them."""

BASE = "https://bth.example.org/problems/"
TITLES = {
    "invalid-input": "Invalid input", "validation-error": "The request is not valid",
    "not-found": "Not found", "conflict": "Conflict", "transition-refused": "Refused in the current state",
    "forbidden": "Forbidden", "unauthenticated": "Not authenticated", "rate-limited": "Rate limited",
    "login-throttled": "Too many failed logins", "method-not-allowed": "Method not allowed",
    "payload-too-large": "Payload too large", "service-unavailable": "Service unavailable",
    "store-unavailable": "Gateway store unavailable", "unavailable": "Service unavailable",
    "upstream-error": "Upstream error", "internal-error": "Internal error", "http-error": "HTTP error",
    "invalid-idempotency-key": "Invalid Idempotency-Key", "idempotency-key-reused": "Idempotency-Key reused",
    "idempotency-in-progress": "Request in progress", "domain-error": "Refused",
    "malformed-request": "Malformed request", "cors-refused": "Cross-origin request refused",
    "oauth-invalid-request": "OAuth: invalid_request", "oauth-invalid-grant": "OAuth: invalid_grant",
    "oauth-invalid-client": "OAuth: invalid_client", "oauth-invalid-scope": "OAuth: invalid_scope",
    "oauth-unsupported-grant-type": "OAuth: unsupported_grant_type",
}

# The problem responses every operation may answer, as OpenAPI documents them (RFC 9457); the
# schemas are components (openapi_doc.py adds them), so clients generate one Problem class.
FIELD_ERROR_SCHEMA = {"type": "object", "title": "FieldError", "properties": {
    "field": {"type": "string"}, "message": {"type": "string"}}}
PROBLEM_SCHEMA = {
    "type": "object", "title": "Problem", "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": f"{BASE}<kind>: one per error kind"},
        "title": {"type": "string", "description": "one title per type"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference", "description": "the request path"},
        "request_id": {"type": "string", "description": "on a 500: the id it was logged with"},
        "field": {"type": ["string", "null"], "description": "the request field at fault, when there is one"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
    },
}
PROBLEM_STATUSES = {400: "Invalid input", 401: "Not authenticated", 403: "Forbidden", 404: "Not found",
                    409: "Conflict (exists already, or refused in the current state)",
                    413: "Body too large", 422: "The request is not valid (names the field)",
                    429: "Rate limited (Retry-After)", 502: "Upstream error",
                    503: "A platform service or store is unavailable (Retry-After)"}
PROBLEM_RESPONSES = {status: {"description": text, "content": {"application/problem+json": {
                     "schema": {"$ref": "#/components/schemas/Problem"}}}}
                     for status, text in PROBLEM_STATUSES.items()}
