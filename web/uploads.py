"""Reading an uploaded file without ever holding more than the limit."""

from __future__ import annotations

from fastapi import UploadFile

from web.verification import InputError

CHUNK = 1 << 20


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise InputError(f"Fichier trop volumineux ({limit // 1_000_000} Mo au plus).")
        chunks.append(chunk)
    return b"".join(chunks)
