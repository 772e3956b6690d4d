"""Bad files through the import page: a clear message, and nothing stored (issue: security, parser)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import ImportJob, PolicyDocument, Requirement
from compliance.tests.parsing.pdfgen import make_text_pdf

pytestmark = pytest.mark.django_db


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    return buf.getvalue()


BAD_FILES = [
    ("empty.txt", lambda: b"", "为空|空文件"),
    ("binary.txt", lambda: bytes(range(256)) * 40, "无法"),
    ("scan.pdf", lambda: make_text_pdf([]), "文字层"),
    ("bomb.docx", _zip_bomb, "压缩|过大"),
    ("huge.txt", lambda: "一、总体要求\n".encode() * (50 * 1024 * 1024 // 19), "过大|上限|MB"),
    ("policy.exe", lambda: b"MZ\x90\x00" + b"\x00" * 4000, "不支持|无法|类型"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[n for n, _, _ in BAD_FILES])
def test_bad_file_through_the_import_page_gives_a_message_and_stores_nothing(client, admin_user, name, make, message):
    import re

    client.force_login(admin_user)
    response = client.post("/import/", {"file": SimpleUploadedFile(name, make())}, follow=True)
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert re.search(message, page), page[:2000]
    assert PolicyDocument.objects.count() == 0
    assert Requirement.objects.count() == 0
    # A job, if one was recorded, says it failed; it never waits for a worker.
    assert not ImportJob.objects.exclude(status="failed").exists()
