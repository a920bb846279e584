"""Where things live: the user's data folder and the bundled resources.

The only module that knows where `resources/` is, in the source tree or in a frozen bundle.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "TDKT Xa"
ORG_NAME = "TDKT Xa"
DATABASE_NAME = "tdkt-xa.sqlite"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return base / "resources"


@dataclass(frozen=True)
class AppPaths:
    data: Path

    @classmethod
    def for_user(cls) -> AppPaths:
        return cls(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False)))

    @property
    def database(self) -> Path:
        return self.data / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.data / "backups"
