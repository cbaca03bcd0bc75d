"""The "Import" buttons of the supply and reconciliation pages, driven as a user would.

The request only stores and queues the file; `work_off` then does the worker's part
in this process, and the page the user lands on is read after it.
"""

from io import BytesIO

from tests.fixtures.uploads import work_off
from uploads.models import UploadBatch


def page_import(client, user, address: str, content: bytes, name: str = "in.csv"):
    """Post a file on a page's import form; the page shown once the worker has read it,
    and the batch it previewed."""
    client.force_login(user)
    upload = BytesIO(content)
    upload.name = name
    answer = client.post(address, {"file": upload})
    work_off()
    page = client.get(answer["Location"], follow=True) if answer.status_code == 302 else answer
    return page, UploadBatch.objects.order_by("-pk").first()


def commit_on_page(client, batch: UploadBatch, **fields) -> str:
    """Press "Commit" on the upload's preview page; the page once the worker has written."""
    client.post(f"/uploads/{batch.pk}/commit/", fields)
    work_off()
    return client.get(f"/uploads/{batch.pk}/").content.decode()
