"""Run by tests as its own process: one signed-in POST while the broker is unreachable.

Arguments: a JSON object with the user's id, the path, form fields and files to attach.
Prints the answer's status and page as JSON. REDIS_URL points at a closed port.
"""

import json
import sys
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402  (after setup)
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402

request = json.loads(sys.argv[1])
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(pk=request["user"]))
data = dict(request["data"])
for field, path in request["files"].items():
    data[field] = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
answer = client.post(request["path"], data, follow=True)
print(json.dumps({"status": answer.status_code, "page": answer.content.decode()}))
