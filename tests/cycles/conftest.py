"""Fixtures only the cycles tests use (the shared cycle and walk: tests/fixtures/cycles.py)."""

import pytest

from tests.fixtures.compare import compared  # noqa: F401  (fixture)


@pytest.fixture
def built_csv(eager_celery, django_capture_on_commit_callbacks, settings, tmp_path):
    """build(client, cycle_id, version) -> the CSV text, asked for as the Versions page does
    (a POST that records the intent) and built by the task in-process (eager)."""
    settings.MEDIA_ROOT = tmp_path

    def build(client, cycle_id: int, version) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(f"/cycles/{cycle_id}/versions/{version}.csv")
        assert asked.status_code == 302, asked.content.decode()[:500]
        page = client.get(asked.url).content.decode()
        assert 'id="export-download"' in page, page
        download = client.get(f"{asked.url}file/")
        assert download.status_code == 200
        return b"".join(download.streaming_content).decode()

    return build
