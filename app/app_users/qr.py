"""ODK Collect settings QR codes for app users.

Collect reads a QR code as Base64 text of zlib-compressed JSON (Java's ``Deflater``
with its default zlib wrapper). The JSON needs ``general`` and ``admin`` objects and
may name the project (``project``: ``name``, ``color``, ``icon``). Settings it leaves
out return to their defaults when scanned. See
https://docs.getodk.org/collect-import-export/ for the format.
"""

import base64
import hashlib
import io
import json
import zlib
from typing import Any

import segno

# Distinct mid-tone colours that stay readable behind Collect's white project letter.
PROJECT_COLOURS = (
    "#1e88e5",
    "#43a047",
    "#e53935",
    "#8e24aa",
    "#fb8c00",
    "#00897b",
    "#3949ab",
    "#6d4c41",
    "#d81b60",
    "#546e7a",
    "#7cb342",
    "#f4511e",
)


def server_url(base_url: str, token: str, project_id: int) -> str:
    return f"{base_url}/v1/key/{token}/projects/{project_id}"


def project_colour(name: str) -> str:
    """Pick a colour from the project name, the same one on every server and run."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return PROJECT_COLOURS[digest[0] % len(PROJECT_COLOURS)]


def project_icon(name: str) -> str:
    """Return the project's first letter or digit, upper-cased, as Collect's icon."""
    stripped = name.strip()
    first = next((ch for ch in stripped if ch.isalnum()), stripped[:1] or "?")
    return first.upper()


def collect_settings(
    base_url: str, token: str, project_id: int, project_name: str
) -> dict:
    """Build the settings of a managed device: this project, exact form sync, autosend."""
    return {
        "general": {
            "server_url": server_url(base_url, token, project_id),
            # Collect then removes blank forms the server no longer lists.
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {
            "name": project_name,
            "color": project_colour(project_name),
            "icon": project_icon(project_name),
        },
    }


def encode_payload(settings: dict[str, Any]) -> str:
    """Encode settings as the QR text Collect expects: JSON, zlib, then Base64."""
    data = json.dumps(settings, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(data)).decode("ascii")


def decode_payload(payload: str) -> dict[str, Any]:
    """Reverse ``encode_payload``, as Collect does when it scans the code."""
    return json.loads(zlib.decompress(base64.b64decode(payload)).decode("utf-8"))


def qr_png(payload: str, scale: int = 6) -> bytes:
    """Draw the payload as a PNG QR code with error correction level L, like Central."""
    # boost_error=False keeps level L even where a higher level would fit in the same
    # symbol size, so the code matches Central's and stays as sparse as possible.
    code = segno.make_qr(payload, error="l", boost_error=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
