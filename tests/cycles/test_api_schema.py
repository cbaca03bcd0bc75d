"""The OpenAPI schema, with the cycle actions, builds without a warning."""

from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/cycles/{id}/advance/", "/api/cycles/{id}/send-back/", "/api/audit/"):
        assert path in schema
