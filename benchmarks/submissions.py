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
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync import Attachment, OpenRosaClient  # noqa: E402

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


def run_clients(clients: int, per_client: int, work) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client_loop(number: int) -> None:
        mine = []
        session = work(number)
        barrier.wait()
        for index in range(per_client):
            started = time.perf_counter()
            session(index)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def report(name: str, elapsed: float, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
    print(
        f"{name:12s} {len(ordered):5d} requests in {elapsed:6.2f} s: "
        f"{len(ordered) / elapsed:7.1f}/s, p50 {p50:6.1f} ms, p95 {p95:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="PostgreSQL server URL.")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--submissions", type=int, default=100, help="Per client.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    database_url = create_database(args.database)
    data_dir = Path(tempfile.mkdtemp(prefix="kazi-bench-"))
    server = start_server(database_url, data_dir, args.port, args.workers)
    try:
        server_url = set_up(f"http://127.0.0.1:{args.port}")
        image = random.randbytes(20_000)

        def head_work(_number: int):
            client = httpx.Client(timeout=60)
            url = f"{server_url}/submission"
            headers = {"X-OpenRosa-Version": "1.0"}
            return lambda _index: client.head(url, headers=headers).raise_for_status()

        def submit_work(number: int):
            client = OpenRosaClient(server_url, device_id=f"collect:bench{number}")
            client.accept_content_length()
            photo = [Attachment("photo.jpg", image, "image/jpeg")]
            bodies = [
                submission_xml(f"uuid:{uuid.uuid4()}") for _ in range(args.submissions)
            ]
            return lambda index: client.send(bodies[index], photo)

        print(f"{args.clients} clients, {args.workers} workers, {os.cpu_count()} CPUs")
        report("baseline", *run_clients(args.clients, args.submissions, head_work))
        report("submissions", *run_clients(args.clients, args.submissions, submit_work))
    finally:
        server.terminate()
        server.wait(timeout=30)
        drop_database(database_url)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
