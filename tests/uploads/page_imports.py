"""The "Import" buttons of the supply and reconciliation pages, driven as a user would."""

from io import BytesIO

from uploads.models import UploadBatch


def page_import(client, user, address: str, content: bytes, name: str = "in.csv"):
    """Post a file on a page's import form; the page answered, and the batch it previewed."""
    client.force_login(user)
    upload = BytesIO(content)
    upload.name = name
    page = client.post(address, {"file": upload}, follow=True)
    return page, UploadBatch.objects.order_by("-pk").first()


def commit_on_page(client, batch: UploadBatch, **fields) -> str:
    """Press "Commit" on the upload's preview page."""
    return client.post(f"/uploads/{batch.pk}/commit/", fields, follow=True).content.decode()
