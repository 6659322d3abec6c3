"""Measure submission throughput: Collect-like clients against `kazi serve --workers 2`.

Run from the repository root:

    .venv/bin/python benchmarks/submissions.py --database postgresql://postgres@127.0.0.1:5432/postgres

The script creates a fresh PostgreSQL database, starts Kazi on a loopback port with
fsync on, publishes a form with an image question and an app user, then runs two
phases with the same clients:

- baseline: each client sends authenticated HEAD /submission requests, the pre-flight
  Collect sends before uploading. It authenticates the app user token against the
  database and returns headers, so it is the floor a submission request cannot beat
  on this machine;
- submissions: each client sends N submissions (about 4 KB of XML and a 20 KB image)
  through the sync package, as multipart POSTs.

It prints requests per second and p50/p95 latency for both, then drops the database.
"""

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync.client import USER_AGENT, collect_date  # noqa: E402

ADMIN = ("bench@kazi.test", "benchmark password 1234")
FORM = (
    '<?xml version="1.0"?><h:html xmlns="http://www.w3.org/2002/xforms" '
    'xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">'
    '<h:head><h:title>Bench</h:title><model><instance><data id="bench" version="1">'
    "<notes/><photo/><meta><instanceID/></meta></data></instance>"
    '<bind nodeset="/data/notes" type="string"/>'
    '<bind nodeset="/data/photo" type="binary"/>'
    '<bind nodeset="/data/meta/instanceID" type="string" jr:preload="uid"/>'
    '</model></h:head><h:body><input ref="/data/notes"><label>Notes</label></input>'
    '<upload ref="/data/photo" mediatype="image/*"><label>Photo</label></upload>'
    "</h:body></h:html>"
)


def submission_xml(instance_id: str) -> bytes:
    notes = "".join(random.choice("abcdefghij ") for _ in range(3900))
    return (
        f'<?xml version="1.0"?><data id="bench" version="1"><notes>{notes}</notes>'
        f"<photo>photo.jpg</photo><meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def create_database(base_url: str) -> str:
    base = make_url(base_url).set(drivername="postgresql+psycopg")
    name = f"kazi_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(
            text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        )
    engine.dispose()


def start_server(database_url: str, data_dir: Path, port: int, workers: int):
    env = {
        **os.environ,
        "KAZI_DATABASE_URL": database_url,
        "KAZI_DATA_DIR": str(data_dir),
        "KAZI_FORMS_DIR": str(data_dir / "no-forms"),
        "KAZI_ADMIN_EMAIL": ADMIN[0],
        "KAZI_ADMIN_PASSWORD": ADMIN[1],
        "KAZI_LOG_LEVEL": "WARNING",
        "KAZI_FSYNC": "true",
    }
    kazi = Path(sys.executable).parent / "kazi"
    command = [str(kazi), "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError("kazi serve did not answer /healthz within 60 s")


def set_up(base: str) -> str:
    """Publish the form and create an app user; return Collect's server URL."""
    with httpx.Client(base_url=base, timeout=60) as client:
        token = client.post(
            "/v1/sessions", json={"email": ADMIN[0], "password": ADMIN[1]}
        ).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        created = client.post(
            "/v1/projects/1/forms?publish=true",
            content=FORM.encode(),
            headers={"Content-Type": "application/xml"},
        )
        created.raise_for_status()
        app_user = client.post("/v1/projects/1/app-users", json={"displayName": "bench"})
        app_user.raise_for_status()
        body = app_user.json()
        client.post(
            f"/v1/projects/1/forms/bench/assignments/2/{body['id']}"
        ).raise_for_status()
    return f"{base}/v1/key/{body['token']}/projects/1"


class Connection:
    """One keep-alive HTTP/1.1 connection that sends pre-built requests.

    Raw asyncio streams keep the client's CPU cost per request to a few microseconds,
    so on a shared 2-CPU machine almost all of the CPU goes to the server.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def send(self, request: bytes, expected: int) -> None:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await self.reader.readexactly(length) if length else b""
        if status != expected:
            raise RuntimeError(f"status {status}, expected {expected}: {body[:300]!r}")

    def close(self) -> None:
        self.writer.close()


def request_bytes(
    method: str, path: str, host: str, body: bytes = b"", content_type: str = ""
) -> bytes:
    """Build a request with the headers ODK Collect (okhttp) sends."""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}",
        f"User-Agent: {USER_AGENT}",
        "X-OpenRosa-Version: 1.0",
        f"Date: {collect_date()}",
        "Accept-Encoding: gzip",
        "Connection: Keep-Alive",
    ]
    if method == "POST":
        lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def multipart(xml: bytes, image: bytes) -> tuple[str, bytes]:
    """Encode one submission as okhttp does: the XML part, then the image part."""
    boundary = str(uuid.uuid4())
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="xml_submission_file"; '
            b'filename="submission.xml"\r\n',
            b"Content-Type: text/xml\r\n",
            f"Content-Length: {len(xml)}\r\n\r\n".encode(),
            xml,
            f"\r\n--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="photo.jpg"; filename="photo.jpg"\r\n',
            b"Content-Type: image/jpeg\r\n",
            f"Content-Length: {len(image)}\r\n\r\n".encode(),
            image,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return f"multipart/form-data; boundary={boundary}", body


def run_clients(
    host: str, port: int, scripts: list[list[tuple[bytes, int, bool]]], timeout: float
) -> tuple[float, list[float]]:
    """Run one connection per script at once; time the requests marked as timed.

    Each script step is (request, expected status, timed). The phase fails after
    ``timeout`` seconds, so the benchmark always ends.
    """

    async def client(script, latencies, start: asyncio.Event) -> None:
        connection = Connection(host, port)
        await connection.open()
        await start.wait()
        try:
            for request, expected, timed in script:
                started = time.perf_counter()
                await connection.send(request, expected)
                if timed:
                    latencies.append(time.perf_counter() - started)
        finally:
            connection.close()

    async def run() -> tuple[float, list[float]]:
        latencies: list[float] = []
        start = asyncio.Event()
        tasks = [asyncio.create_task(client(s, latencies, start)) for s in scripts]
        await asyncio.sleep(0.2)  # let every connection open before the clock starts
        started = time.perf_counter()
        start.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout)
        return time.perf_counter() - started, latencies

    return asyncio.run(run())


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server and its worker processes."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        pending += [int(child) for child in children.split()]
    return total


def report(name: str, elapsed: float, latencies: list[float], cpu: float) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
    print(
        f"{name:12s} {len(ordered):5d} requests in {elapsed:6.2f} s: "
        f"{len(ordered) / elapsed:7.1f}/s, p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, "
        f"server CPU {cpu / len(ordered) * 1000:5.2f} ms/request"
    )


def count_submissions(database_url: str) -> int:
    engine = create_engine(make_url(database_url))
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM submission")).scalar_one()
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="PostgreSQL server URL.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--submissions", type=int, default=100, help="Per client.")
    parser.add_argument(
        "--per-session",
        type=int,
        default=10,
        help="Submissions per upload session; each session starts with one HEAD.",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--timeout", type=float, default=300, help="Seconds allowed for each phase."
    )
    args = parser.parse_args()

    database_url = create_database(args.database)
    data_dir = Path(tempfile.mkdtemp(prefix="kazi-bench-"))
    server = None
    try:
        server = start_server(database_url, data_dir, args.port, args.workers)
        server_url = set_up(f"http://127.0.0.1:{args.port}")
        host = f"127.0.0.1:{args.port}"
        path = urlsplit(server_url).path + "/submission"
        image = random.randbytes(20_000)

        def head(number: int) -> bytes:
            return request_bytes("HEAD", f"{path}?deviceID=collect%3Abench{number}", host)

        baseline = [
            [(head(n), 204, True)] * args.submissions for n in range(args.clients)
        ]
        submissions = []
        for number in range(args.clients):
            script = []
            for index in range(args.submissions):
                if index % args.per_session == 0:
                    script.append((head(number), 204, False))
                content_type, body = multipart(
                    submission_xml(f"uuid:{uuid.uuid4()}"), image
                )
                post = request_bytes(
                    "POST",
                    f"{path}?deviceID=collect%3Abench{number}",
                    host,
                    body,
                    content_type,
                )
                script.append((post, 201, True))
            submissions.append(script)

        print(f"{args.clients} clients, {args.workers} workers, {os.cpu_count()} CPUs")
        for name, scripts in (("baseline", baseline), ("submissions", submissions)):
            cpu = server_cpu_seconds(server.pid)
            elapsed, latencies = run_clients(
                "127.0.0.1", args.port, scripts, args.timeout
            )
            report(name, elapsed, latencies, server_cpu_seconds(server.pid) - cpu)
        stored = count_submissions(database_url)
        expected = args.clients * args.submissions
        if stored != expected:
            raise RuntimeError(f"{stored} submissions stored, expected {expected}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(database_url)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
