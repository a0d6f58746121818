"""What the CodePipeline worker tests share: the gate's custom action type and artifacts as CodePipeline hands
them (zip files in S3). The job-worker fake in front of moto is the ``jobs`` fixture (tests/conftest.py)."""

from __future__ import annotations

import io
import zipfile

ACTION = {"category": "Test", "owner": "Custom", "provider": "DevopsGate", "version": "1"}
MANUAL = {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"}


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def artifact(name: str, bucket: str, key: str) -> dict[str, object]:
    return {"name": name, "location": {"type": "S3", "s3Location": {"bucketName": bucket, "objectKey": key}}}
