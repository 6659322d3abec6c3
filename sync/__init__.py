"""A small OpenRosa client that sends submissions the way ODK Collect does.

It does not import the server package, so it can run on a machine with only httpx.
"""

from sync.client import (
    Attachment,
    OpenRosaClient,
    SendError,
    SendResult,
    ServerURLError,
    batches,
)
from sync.urls import redact_token, validate_server_url

__all__ = [
    "Attachment",
    "OpenRosaClient",
    "SendError",
    "SendResult",
    "ServerURLError",
    "batches",
    "redact_token",
    "validate_server_url",
]
