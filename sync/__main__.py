"""Command line: ``python -m sync send --server URL --dir INSTANCES``."""

import argparse
import logging
import sys
from pathlib import Path

from sync.client import (
    OpenRosaClient,
    SendError,
    ServerURLError,
    instance_dirs,
    read_instance_dir,
)
from sync.urls import validate_server_url

logger = logging.getLogger("sync")


def server_url(text: str) -> str:
    """Validate ``--server`` for argparse ``type=`` and return it unchanged."""
    try:
        validate_server_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def attempt_count(text: str) -> int:
    """Parse ``--attempts``, which must be a whole number of at least 1."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid value {text!r}: expected a whole number"
        ) from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {count}")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    send = commands.add_parser("send", help="Send every instance folder under --dir.")
    send.add_argument(
        "--server",
        required=True,
        type=server_url,
        help="Server URL as Collect stores it, e.g. http://HOST/v1/key/TOKEN/projects/1",
    )
    send.add_argument(
        "--dir", required=True, type=Path, help="Folder of instance folders."
    )
    send.add_argument(
        "--device-id", default=None, help="deviceID sent with each request."
    )
    send.add_argument(
        "--attempts",
        type=attempt_count,
        default=5,
        help="Tries per request, at least 1. Only network errors and 5xx are retried.",
    )
    send.add_argument(
        "--verbose", action="store_true", help="Log each retry and request."
    )
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if not args.dir.is_dir():
        parser.error(f"--dir {args.dir} is not a folder")
    folders = list(instance_dirs(args.dir))
    options = {"max_attempts": args.attempts}
    if args.device_id:
        options["device_id"] = args.device_id
    failed = 0
    processed = 0
    with OpenRosaClient(args.server, **options) as client:
        for number, folder in enumerate(folders, 1):
            processed = number
            try:
                xml, attachments = read_instance_dir(folder)
                result = client.send(xml, attachments)
            except ServerURLError as error:
                # Every other folder would fail the same way, so stop here.
                failed += 1
                logger.error(
                    "send stopped instance=%s not_sent=%d error=%s",
                    folder.name,
                    len(folders) - number,
                    error,
                )
                break
            except SendError as error:
                failed += 1
                logger.error("send failed instance=%s error=%s", folder.name, error)
                continue
            print(
                f"[{number}/{len(folders)}] {folder.name}: {result.status} "
                f"({result.requests} request(s), {len(attachments)} file(s))"
            )
    summary = f"sent {processed - failed} of {len(folders)}; {failed} failed"
    not_sent = len(folders) - processed
    if not_sent:
        summary += f"; {not_sent} not sent"
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
