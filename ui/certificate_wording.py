"""The certificate service in the shape `DocumentTextDialog` edits a document's text through.

The dialog was written for `PrintService` (`save_texts`, `reset_texts` and `documents` taking
a kind and an owner); the wording of a decision's Giấy khen is kept by `CertificateService`
per decision. After saving, the dialog builds the document once to catch what would stop it
printing; here that is drawing the decision's certificates as the preview does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.certificates import CertificateService
from app.documents.kinds import Kind, Owner


class CertificateWording:
    def __init__(self, certificates: CertificateService, item_ids: Sequence[int]) -> None:
        self._certificates = certificates
        self._item_ids = list(item_ids)  # the decision's certificates that can still print

    def save_texts(self, _kind: Kind, owner: Owner, values: Mapping[str, str]) -> None:
        self._certificates.save_texts(owner.id, values)

    def reset_texts(self, _kind: Kind, owner: Owner) -> None:
        self._certificates.reset_texts(owner.id)

    def documents(self, _kind: Kind, owners: Sequence[Owner]) -> None:
        """Raise the DocumentError that would stop the certificates printing (a date typed
        wrongly, a reason whose «[thành tích]» has no summary to take)."""
        if not self._item_ids:
            return
        for owner in owners:
            self._certificates.preview(owner.id, self._item_ids, "full")
