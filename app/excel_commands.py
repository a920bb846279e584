"""`tdkt import`, `tdkt export` and `tdkt template`: the register to and from Excel."""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the Excel subcommands on the `tdkt` parser."""
