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
    from db.integrity import start_check

    path = cli.database_path(args)
    checked = start_check(path)  # reads the whole file; runs while the GUI modules import
    from ui.gui import run_gui

    return run_gui(path, checked, args.user, os.environ.get(cli.PASSWORD_VARIABLE) if args.user else None)


if __name__ == "__main__":
    sys.exit(main())
