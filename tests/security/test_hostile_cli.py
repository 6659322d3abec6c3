"""``kazi serve`` failures and shutdown leave short, clear log lines."""

import signal
import socket
import subprocess

from tests.conftest import free_port
from tests.test_cli import KAZI, _wait_until_up, env, kazi  # noqa: F401 - fixture


def test_serve_unreachable_database(env):  # noqa: F811
    port = free_port()
    env["KAZI_DATABASE_URL"] = f"postgresql://kazi@127.0.0.1:{port}/kazi"
    result = kazi(env, "serve")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot connect to the database at 127.0.0.1:{port}/kazi" in lines[0]
    assert "check KAZI_DATABASE_URL" in lines[0]


def test_serve_port_in_use(env):  # noqa: F811
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = kazi(env, "serve", "--port", str(port))
    assert result.returncode == 1
    assert f"server failed to start host=127.0.0.1 port={port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_logs_stop_on_sigterm(env):  # noqa: F811
    env["KAZI_LOG_LEVEL"] = "INFO"
    port = free_port()
    process = subprocess.Popen(
        [str(KAZI), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert "server stopped" in output
    assert process.returncode == 0
    assert "Traceback" not in output
