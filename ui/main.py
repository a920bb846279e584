"""Entry point of `tdkt`: headless subcommands, or the GUI when none is given.

Qt is imported only on the GUI path so that headless commands start fast.
"""

from __future__ import annotations

import logging
import os
import sys

from app import cli


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        try:
            return cli.run(args)
        except BrokenPipeError:  # `tdkt find … | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return cli.EXIT_OK
    from ui.gui import run_gui

    return run_gui(cli.database_path(args))


if __name__ == "__main__":
    sys.exit(main())
