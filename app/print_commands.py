"""`tdkt print KIND`: write a printed document to a file without opening the window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_OK, signed_in_services
from app.documents.kinds import KIND_LABELS, KIND_OWNERS, OWNER_LABELS, Kind, Owner
from app.documents.model import DocumentError

_CERTIFICATE_MODES = {Kind.CERTIFICATE: "full", Kind.CERTIFICATE_BLANK: "blank"}


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `tdkt print` on the `tdkt` parser."""
    kinds = "; ".join(f"{kind.value}: {KIND_LABELS[kind]} (theo {_owner_options(kind)})"
                      for kind in Kind)
    printing = commands.add_parser(
        "print", help="in một văn bản ra tệp PDF (báo cáo thành tích, tờ trình cả ra .docx)",
        description=f"Loại văn bản — {kinds}.")
    printing.add_argument("kind", choices=[kind.value for kind in Kind], metavar="LOẠI",
                          help="loại văn bản: " + ", ".join(kind.value for kind in Kind))
    owners = printing.add_mutually_exclusive_group(required=True)
    owners.add_argument("--nomination", metavar="SỐ", help="mã đề nghị (nhiều mã cách nhau bằng dấu phẩy: "
                        "in chung một tệp)")
    owners.add_argument("--session", metavar="SỐ", help="mã phiên họp Hội đồng (một mã)")
    owners.add_argument("--decision", metavar="SỐ", help="mã quyết định (một mã)")
    printing.add_argument("--out", type=Path, required=True, metavar="TỆP",
                          help="tệp kết quả: .pdf, hoặc .docx cho báo cáo thành tích và tờ trình")
    printing.add_argument("--reason", default="", metavar="LÝ_DO",
                          help="lý do in lại (Giấy khen đã in trước đây)")
    printing.set_defaults(handler=_cmd_print)


def _owner_options(kind: Kind) -> str:
    return " hoặc ".join(f"--{owner}" for owner in KIND_OWNERS[kind])


def _cmd_print(args: argparse.Namespace) -> int:
    kind = Kind(args.kind)
    owner_type, text = next((name, getattr(args, name)) for name in ("nomination", "session", "decision")
                            if getattr(args, name) is not None)
    if owner_type not in KIND_OWNERS[kind]:
        raise DocumentError(f"{KIND_LABELS[kind]} không in theo {OWNER_LABELS[owner_type]}; "
                            f"hãy dùng {_owner_options(kind)}.")
    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise DocumentError(f"Tệp kết quả phải có đuôi .pdf hoặc .docx, không phải “{args.out.name}”.")
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise DocumentError(f"Hãy cho mã {OWNER_LABELS[owner_type]} cần in.")
    if len(parts) > 1 and owner_type != "nomination":
        raise DocumentError(f"{KIND_LABELS[kind]} chỉ in theo một mã {OWNER_LABELS[owner_type]}; "
                            "nhiều mã cách nhau bằng dấu phẩy chỉ dùng với --nomination.")
    with signed_in_services(args) as services:
        # The same nomination named twice prints once, where it was first named.
        ids = list(dict.fromkeys(_id(services, owner_type, part) for part in parts))
        owners = [Owner(owner_type, id_) for id_ in ids]
        if kind in _CERTIFICATE_MODES:
            if suffix != ".pdf":
                raise DocumentError("Giấy khen chỉ in ra tệp PDF.")
            items = services.certificates.printable(ids[0])
            pages = services.certificates.write(ids[0], items, _CERTIFICATE_MODES[kind], args.out,
                                                reason=args.reason)
        elif suffix == ".docx":
            if len(owners) != 1:
                raise DocumentError("Tệp Word chỉ chứa một văn bản; hãy cho một mã.")
            services.printing.write_docx(kind, owners[0], args.out)
            print(f"Đã ghi {KIND_LABELS[kind].lower()} ra {args.out}.")
            return EXIT_OK
        else:
            pages = services.printing.write_pdf(kind, owners, args.out, _progress(len(owners)))
    print(f"Đã ghi {KIND_LABELS[kind].lower()} ({pages} trang) ra {args.out}.")
    return EXIT_OK


def _id(services: object, owner_type: str, text: str) -> int:
    """A nomination by id or UUID (as `tdkt nomination show`); sessions and decisions by id."""
    text = text.strip()
    if owner_type == "nomination":
        return services.nominations.find(text)  # type: ignore[attr-defined]
    if not text.isdigit():
        raise DocumentError(f"Mã {OWNER_LABELS[owner_type]} “{text}” phải là một số.")
    return int(text)


def _progress(count: int):  # noqa: ANN202 - a report callable or None
    """Progress on stderr for batches, silent for one document."""
    if count < 5:
        return None

    def report(done: int, total: int) -> None:
        print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr)
    return report
