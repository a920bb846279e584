"""Commune setup (thiết lập xã): who we are, who signs, which symbols our documents use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app import divisions
from app.audit import AuditTrail, plain
from app.document_style import SYMBOL_RULE, is_valid_symbol, normalize_symbol
from app.errors import ValidationError
from app.roles import Actor, Permission, require
from app.vietnamese import clean
from db.models import CommuneProfile, Official

OFFICIAL_ROLES = {
    "chairman": "Chủ tịch UBND",
    "vice_chairman": "Phó Chủ tịch UBND",
    "council_member": "Thành viên Hội đồng TĐKT",
    "officer": "Công chức phụ trách TĐKT",
}


@dataclass(frozen=True)
class OfficialData:
    role: str
    full_name: str
    title: str = ""


@dataclass(frozen=True)
class CommuneSetup:
    province_code: int
    commune_code: int
    place_name: str
    issuer_symbol: str = "UBND"
    council_symbol: str = "HĐTĐKT"
    officials: tuple[OfficialData, ...] = field(default_factory=tuple)
    # Filled in from the division list when read back.
    province_name: str = ""
    commune_name: str = ""
    commune_kind: str = ""

    def people(self, role: str) -> list[OfficialData]:
        return [o for o in self.officials if o.role == role]

    @property
    def province_title(self) -> str:
        """'tỉnh Đồng Nai', 'thành phố Hồ Chí Minh' (the division list names cities in full)."""
        return province_title(self.province_name)

    @property
    def issuing_body(self) -> str:
        """Second line of the issuing-body block, e.g. 'XÃ PHƯỚC TÂN' (NĐ30 practice)."""
        return self.commune_name.upper()


def province_title(name: str) -> str:
    """A province's name as a sentence says it: 'tỉnh Đồng Nai', 'thành phố Hồ Chí Minh'."""
    return name[:1].lower() + name[1:] if name.startswith("Thành phố") else f"tỉnh {name}"


class CommuneService:
    def __init__(self, sessions: sessionmaker[Session], actor: Actor, audit: AuditTrail) -> None:
        self._sessions = sessions
        self._actor = actor
        self._audit = audit

    def get(self) -> CommuneSetup | None:
        with self._sessions() as session:
            return _read(session)

    def validate(self, setup: CommuneSetup) -> CommuneSetup:
        """The setup as it would be stored (names filled in, text cleaned), or ValidationError.

        Checks run in the order the setup is entered (place, document style, people), so
        the first error names the earliest field to fix.
        """
        province = divisions.province(setup.province_code)
        if province is None:
            raise ValidationError("Hãy chọn tỉnh, thành phố.", "province")
        commune = divisions.commune(setup.province_code, setup.commune_code)
        if commune is None:
            raise ValidationError("Hãy chọn xã, phường thuộc tỉnh đã chọn.", "commune")
        place_name = clean(setup.place_name)
        if not place_name:
            raise ValidationError("Hãy nhập địa danh ghi ở dòng ngày tháng.", "place_name")
        symbols = {}
        for name, label in (("issuer_symbol", "cơ quan"), ("council_symbol", "Hội đồng")):
            value = normalize_symbol(getattr(setup, name))
            if not value:
                raise ValidationError(f"Hãy nhập ký hiệu {label}: {SYMBOL_RULE}.", name)
            if not is_valid_symbol(value):
                raise ValidationError(f"Ký hiệu {label} “{value}” không đúng: {SYMBOL_RULE}.", name)
            symbols[name] = value
        for official in setup.officials:
            if official.role not in OFFICIAL_ROLES:
                raise ValidationError(f"Vai trò không hợp lệ: {official.role}.")
            if not clean(official.full_name) and clean(official.title):
                raise ValidationError(
                    f"Hãy nhập họ và tên của {OFFICIAL_ROLES[official.role]}"
                    f" có chức vụ “{clean(official.title)}”.",
                    official.role,
                )
        officials = tuple(
            OfficialData(o.role, clean(o.full_name), clean(o.title))
            for o in setup.officials
            if clean(o.full_name)
        )
        if sum(o.role == "chairman" for o in officials) != 1:
            raise ValidationError("Hãy nhập đúng một Chủ tịch UBND.", "chairman")
        if sum(o.role == "officer" for o in officials) > 1:
            raise ValidationError("Chỉ nhập một công chức phụ trách TĐKT.", "officer")
        return CommuneSetup(
            province_code=province.code,
            commune_code=commune.code,
            place_name=place_name,
            issuer_symbol=symbols["issuer_symbol"],
            council_symbol=symbols["council_symbol"],
            officials=officials,
            province_name=province.name,
            commune_name=commune.name,
            commune_kind=commune.kind,
        )

    def save(self, setup: CommuneSetup) -> CommuneSetup:
        """Validate and store the setup, replacing the previous one in one transaction, with
        an audit entry holding the old and new setup."""
        require(self._actor, Permission.EDIT_SETUP)
        setup = self.validate(setup)
        with self._sessions.begin() as session:
            old = _read(session)
            if old == setup:
                return old
            profile = session.scalars(select(CommuneProfile)).first() or CommuneProfile()
            profile.province_code = setup.province_code
            profile.province_name = setup.province_name
            profile.commune_code = setup.commune_code
            profile.commune_name = setup.commune_name
            profile.commune_kind = setup.commune_kind
            profile.place_name = setup.place_name
            profile.issuer_symbol = setup.issuer_symbol
            profile.council_symbol = setup.council_symbol
            profile.updated_at = datetime.now()
            session.add(profile)
            session.execute(delete(Official))
            session.add_all(
                Official(role=o.role, full_name=o.full_name, title=o.title, position=i)
                for i, o in enumerate(setup.officials)
            )
            self._audit.record(
                session, self._actor, "create" if old is None else "update", "commune", None,
                f"{'Thiết lập' if old is None else 'Sửa thiết lập'} {setup.commune_name}",
                old=None if old is None else plain(old), new=plain(setup),
            )
        saved = self.get()
        assert saved is not None
        return saved


def _read(session: Session) -> CommuneSetup | None:
    profile = session.scalars(select(CommuneProfile)).first()
    if profile is None:
        return None
    officials = session.scalars(select(Official).order_by(Official.position)).all()
    return CommuneSetup(
        province_code=profile.province_code,
        commune_code=profile.commune_code,
        place_name=profile.place_name,
        issuer_symbol=profile.issuer_symbol,
        council_symbol=profile.council_symbol,
        officials=tuple(OfficialData(o.role, o.full_name, o.title) for o in officials),
        province_name=profile.province_name,
        commune_name=profile.commune_name,
        commune_kind=profile.commune_kind,
    )
