"""The one service the screens and `tdkt package` use for the packages sent to the province.

Exporting is in app/package/export.py, acknowledgements in acks.py, the states and lists in
status.py, verification in verify.py; this class binds them to one database and user. They
are imported when first used: the window and every command start without the zip, schema
and drawing machinery.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.package.context import Cancelled, PackageContext, Report, never_cancelled, no_report

if TYPE_CHECKING:
    from app.package.acks import AckPreview, AckResult
    from app.package.adopt import AdoptResult
    from app.package.export import Candidate, ExportResult
    from app.package.status import PackageRow, RecordRow
    from app.package.verify import Verification


class PackageService:
    def __init__(self, ctx: PackageContext) -> None:
        self._ctx = ctx

    def candidates(self, year: int | None = None) -> list[Candidate]:
        """Nominations for the province with whether each is ready to go, and why not."""
        from app.package import export
        return export.candidates(self._ctx, year)

    def export(self, nomination_ids: Sequence[int], folder: Path, data_folder: Path,
               report: Report = no_report, cancelled: Cancelled = never_cancelled) -> ExportResult:
        """Write a package of these nominations into `folder`, verify it, then record it."""
        from app.package import export
        return export.export(self._ctx, nomination_ids, folder, data_folder, report, cancelled)

    def verify(self, path: Path, report: Report = no_report) -> Verification:
        """Check a package file: zip safety, hashes, schemas, and its place in this commune's sequence."""
        from app.package import export
        return export.verify_against_database(self._ctx, path, report)

    def adopt(self, path: Path, data_folder: Path) -> AdoptResult:
        """Record a package this commune sent that the database no longer knows (lost with a
        restore from a backup), so the next export continues its numbering."""
        from app.package import adopt
        return adopt.adopt(self._ctx, path, data_folder)

    def preview_ack(self, path: Path) -> AckPreview:
        """What an acknowledgement would change, read only: shown to the officer before applying."""
        from app.package import acks
        return acks.preview_ack(self._ctx, path)

    def import_ack(self, path: Path, expected_sha256: str | None = None) -> AckResult:
        """Apply an acknowledgement (biên nhận) from the province: all of it, or nothing.
        With `expected_sha256` (from the preview), refused if the file changed since."""
        from app.package import acks
        return acks.import_ack(self._ctx, path, expected_sha256)

    def packages(self) -> list[PackageRow]:
        from app.package import status
        return status.packages(self._ctx)

    def records(self, package_id: int) -> list[RecordRow]:
        from app.package import status
        return status.records(self._ctx, package_id)

    def unacknowledged(self, older_than_days: int) -> list[PackageRow]:
        """Packages still waiting for an answer `older_than_days` days or more after export."""
        from app.package import status
        return status.unacknowledged(self._ctx, older_than_days)

    def nomination_status(self, nomination_uuids: Sequence[str]) -> dict[str, str]:
        """The honest sending status of each nomination, in words ("" when never exported)."""
        from app.package import status
        return status.nomination_status(self._ctx, nomination_uuids)
