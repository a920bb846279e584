"""Fixtures the package tests share: the folder a package is written to, and two nominations
ready for the province."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import Services
from tests.app.package.export_builders import RESCUER, proposed_standard
from tests.app.package.package_rows import proposed_sudden



@pytest.fixture
def two(demo_services: Services, tmp_path: Path) -> tuple[int, int]:
    """The standard-procedure nomination (council vote, one scan in `tmp_path`, the data
    folder) and a rescuer's sudden feat (simplified procedure), both ready to go."""
    return proposed_standard(demo_services, tmp_path), proposed_sudden(demo_services, RESCUER)
