"""Uploaded roster files kept between the admin's preview and its confirmation.

The file stays on the server under an unguessable token tied to the uploader and organisation,
so the confirmation imports exactly the file that was previewed, without a second upload. It
lives outside MEDIA_ROOT (which may be served publicly) and is removed after the import, or
after a day if the upload is abandoned.
"""

import json
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def upload_dir() -> Path:
    default = Path(tempfile.gettempdir()) / "hegui-roster-uploads"
    return Path(getattr(settings, "ROSTER_UPLOAD_DIR", default))


@dataclass(frozen=True)
class StoredUpload:
    token: str
    user_id: int
    organisation_id: int
    file_name: str

    def read(self) -> bytes:
        return (upload_dir() / f"{self.token}.data").read_bytes()


def upload_store(*, data: bytes, file_name: str, user_id: int, organisation_id: int) -> str:
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _purge_abandoned(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.data").write_bytes(data)
    meta = {"user_id": user_id, "organisation_id": organisation_id, "file_name": file_name}
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def upload_load(*, token: str, user_id: int) -> StoredUpload | None:
    """The upload, if it exists and belongs to this user."""
    if not _TOKEN.match(token):
        return None
    try:
        meta = json.loads((upload_dir() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id or not (upload_dir() / f"{token}.data").exists():
        return None
    return StoredUpload(
        token=token,
        user_id=user_id,
        organisation_id=meta["organisation_id"],
        file_name=meta["file_name"],
    )


def upload_discard(*, token: str) -> None:
    if _TOKEN.match(token):
        for suffix in (".data", ".json"):
            (upload_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def _purge_abandoned(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in directory.glob("*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
