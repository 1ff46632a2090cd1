"""The paper forms of the one-stop desk for a dossier (Thông tư 03/2025/TT-VPCP, the family of Thông tư 01/2018
Mẫu 01–06) as DOCX in the Nghị định 30/2020 layout, the tracking book as XLSX, and the QR
code of the public status page.

Kinds: "receipt" (Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả), "supplement" (Mẫu 02
Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ), "rejection" (Mẫu 03 Phiếu từ chối tiếp nhận, giải
quyết hồ sơ), "apology" (Mẫu 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết, the
old Phiếu xin lỗi và hẹn lại ngày trả kết quả), "stop" (Mẫu 05 Thông báo dừng giải quyết hồ
sơ), "control_slip" (Mẫu 06 Phiếu kiểm soát quá trình giải quyết hồ sơ). The tracking book
(Mẫu 07 Sổ theo dõi hồ sơ) is tracking_book.render_tracking_book.

Every form is issued in the name of the receiving unit: the one-stop desk's forms under
"UBND <unit>" / "BỘ PHẬN MỘT CỬA", the apology and the stop notice by the unit's UBND, signed
by its head. The number is the running number of that form in the unit's year (the receipt's
is its "Số thứ tự" in the tracking book), so a reprint carries the same number; the place and
date are the unit's place name and the day of the event the form records. The people named
are those recorded on the events; `actor`, the person printing, stands in where an event
names nobody, and signs the apology and the stop notice when he or she is a leader.

The form titles of TT 03/2025 and the number symbols are not confirmed in the official text
(regulations.md §1, [P]/[NC]): the settings CCHC_FORM_TITLES ({kind: title}) and
CCHC_ONE_STOP_NAME override them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import qrcode
import qrcode.constants
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Length, Mm
from docx.table import _Cell
from qrcode.image.pure import PyPNGImage

from cchc.catalog.constants import TimeUnit
from cchc.dossiers.clock import VN_TZ, local_date
from cchc.dossiers.constants import Channel, EventAction
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.onestop import tracking
from cchc.onestop.tracking import tracking_path
from cchc.org.constants import Role
from cchc.org.models import Unit
from cchc.reports import layout, pdf, sentences
from cchc.reports.layout import ISSUER_KIND, TEXT_WIDTH, shape, text, text_width
from cchc.reports.numbers import DOCUMENT_LANGUAGE, decimal, integer, long_date, short_date

from .handovers import Holder, agency_name, handovers, one_stop_name, person

TRACK_SIGNING_SALT = tracking.SALT
TRACK_PATH = "/tra-cuu/"
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
SIZE = 13  # body text of the forms (ND 30: 13-14 pt), so that a receipt fits on one page
SMALL = 12
QR_WIDTH = Mm(28)
SIGN_HINT = "(Ký và ghi rõ họ tên)"


@dataclass(frozen=True)
class PaperFormSpec:
    number: str  # Mẫu số
    title: str
    symbol: str  # ký hiệu of the number line ([NC])
    at_desk: bool  # issued by the one-stop desk, else by the unit's UBND
    event: str | None  # the event the form records; None: the receipt itself


FORMS: dict[str, PaperFormSpec] = {
    "receipt": PaperFormSpec(
        "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "TNHS-BPMC", True, None
    ),
    "supplement": PaperFormSpec(
        "02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "YCBS-BPMC",
        True,
        EventAction.SUPPLEMENT_REQUESTED,
    ),
    "rejection": PaperFormSpec(
        "03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
        "TCHS-BPMC",
        True,
        EventAction.REJECTED,
    ),
    "apology": PaperFormSpec(
        "04",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "XL-UBND",
        False,
        EventAction.APOLOGISED,
    ),
    "stop": PaperFormSpec(
        "05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "TB-UBND", False, EventAction.STOPPED
    ),
    "control_slip": PaperFormSpec(
        "06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "", True, None
    ),
}
FORM_KINDS = tuple(FORMS)
NOT_APPLICABLE = {
    "supplement": "chưa có yêu cầu bổ sung, hoàn thiện hồ sơ",
    "rejection": "không bị từ chối tiếp nhận, giải quyết",
    "apology": "chưa có văn bản xin lỗi và hẹn lại ngày trả kết quả",
    "stop": "không bị dừng giải quyết",
}


# --- the public status page -------------------------------------------------------------


def public_status_url(dossier: Dossier) -> str:
    """The public tracking page of `dossier`, with a signed token of its code (the page
    checks it with TRACK_SIGNING_SALT), on settings.CCHC_PUBLIC_BASE_URL."""
    base = getattr(settings, "CCHC_PUBLIC_BASE_URL", "") or DEFAULT_PUBLIC_BASE_URL
    return f"{base.rstrip('/')}{tracking_path(dossier)}"


def qr_png(url: str) -> bytes:
    """A QR code of `url` as PNG bytes (pure Python: qrcode with pypng, no Pillow)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=8,
        border=4,
        image_factory=PyPNGImage,
    )
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()


# --- words and dates --------------------------------------------------------------------


def moment_text(moment: dt.datetime) -> str:
    """ "08 giờ 05 phút, ngày 01/03/2023", Vietnam time."""
    local = moment.astimezone(VN_TZ)
    return f"{local:%H} giờ {local:%M} phút, ngày {short_date(local.date())}"


def processing_time_text(dossier: Dossier) -> str:
    procedure = dossier.procedure
    if procedure is None or not procedure.processing_time:
        return "Trong ngày"
    return f"{decimal(procedure.processing_time)} {TimeUnit(procedure.time_unit).label}"


def fee_text(fee: int | None) -> str:
    return f"{integer(fee)} đồng" if fee else "Không"


def _procedure_name(dossier: Dossier) -> str:
    return dossier.procedure.name if dossier.procedure else dossier.field.name


def _request(dossier: Dossier) -> str:
    return dossier.request_summary or _procedure_name(dossier)


def _place(unit: Unit) -> str:
    return unit.place_name or sentences.place_of(unit.name)


def _reason(event: DossierEvent, dossier: Dossier) -> str:
    """The reason recorded with the event, without a final full stop (the sentence adds it)."""
    return (event.note or dossier.end_reason).strip().rstrip(".")


def _sir(name: str) -> str:
    return f"Ông/Bà {name}" if name else "Ông/Bà"


def _receipt_number(dossier: Dossier) -> int:
    """The receipt's number: the dossier's place among those its unit received in the year,
    its "Số thứ tự" in the tracking book."""
    received = dossier.received_at
    earlier = Q(received_at__lt=received) | Q(received_at=received, pk__lte=dossier.pk)
    return (
        Dossier.objects.filter(unit=dossier.unit_id, received_date__year=dossier.received_date.year)
        .filter(earlier)
        .count()
    )


def _event_number(unit: Unit, event: DossierEvent) -> int:
    """A form's number: the events of its kind on the unit's dossiers in the year, up to it."""
    start = dt.datetime(event.at.astimezone(VN_TZ).year, 1, 1, tzinfo=VN_TZ)
    earlier = Q(at__lt=event.at) | Q(at=event.at, pk__lte=event.pk)
    return (
        DossierEvent.objects.filter(action=event.action, dossier__unit=unit, at__gte=start)
        .filter(earlier)
        .count()
    )


# --- the document -----------------------------------------------------------------------


class _PaperForm:
    """One form being written: the document, the dossier and its events, the issuing unit."""

    def __init__(self, kind: str, dossier: Dossier, events: list[DossierEvent], actor) -> None:
        self.kind, self.spec = kind, FORMS[kind]
        self.dossier, self.events, self.actor = dossier, events, actor
        self.unit = dossier.unit
        self.event = self._latest(self.spec.event) if self.spec.event else None
        self.document = Document()
        layout.setup_page(self.document)
        self.document.core_properties.title = f"Mẫu số {self.spec.number}: {self.title}"
        self.document.core_properties.author = self.unit.name
        self.document.core_properties.subject = dossier.code

    @property
    def title(self) -> str:
        titles = getattr(settings, "CCHC_FORM_TITLES", None) or {}
        return titles.get(self.kind) or self.spec.title

    def _latest(self, action: str) -> DossierEvent | None:
        matching = [e for e in self.events if e.action == action]
        return matching[-1] if matching else None

    # numbers and the header

    def running_number(self) -> int:
        """The number of the form: the receipt's, or that of the event it records."""
        if self.event is None:
            return _receipt_number(self.dossier)
        return _event_number(self.unit, self.event)

    def header(self, day: dt.date, number: int | None) -> None:
        if self.spec.at_desk:
            parent, issuer = agency_name(self.unit), [one_stop_name().upper()]
        else:
            parent, issuer = "", [ISSUER_KIND, self.unit.name.upper()]
        layout.header(
            self.document,
            parent_body=parent,
            issuer=issuer,
            number_line=layout.document_number(number, self.spec.symbol) if number else "",
            place_date=f"{_place(self.unit)}, {long_date(day)}",
        )

    def heading(self, *lines: str, aside: str = "") -> None:
        """The title in bold capitals, lines under it in bold, an italic aside, a short rule."""
        document = self.document
        text(shape(document.add_paragraph(), before=14), self.title, bold=True)
        for line in lines:
            text(shape(document.add_paragraph(), before=2), line, size=SIZE, bold=True)
        width = max(text_width(x, SIZE, bold=True) for x in (self.title, *lines))
        layout.rule(document, Length(int(min(width, TEXT_WIDTH) / 3)), TEXT_WIDTH, before=2)
        if aside:
            text(shape(document.add_paragraph(), before=4), aside, size=SIZE, italic=True)
        shape(document.add_paragraph(), after=4)

    # body

    def paragraph(
        self, *parts: str | tuple[str, bool], container=None, indent=True, before: float = 0
    ) -> None:
        """A justified body paragraph; a (text, True) part is bold."""
        target = (
            self.document.add_paragraph() if container is None else layout.next_paragraph(container)
        )
        paragraph = shape(
            target,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            before=before,
            after=4,
            indent=Cm(1) if indent else None,
        )
        for part in parts:
            content, bold = part if isinstance(part, tuple) else (part, False)
            text(paragraph, content, size=SIZE, bold=bold)

    def field(self, label: str, value: str, *, bold: bool = False, container=None) -> None:
        self.paragraph(f"{label}: ", (value or "…", bold), container=container)

    def applicant(self, container=None) -> None:
        d = self.dossier
        self.field("Địa chỉ", d.applicant_address, container=container)
        contact = f"{d.applicant_phone or '…'}; Thư điện tử: {d.applicant_email or '…'}"
        self.field("Số điện thoại", contact, container=container)

    # signatures

    def signatures(self, blocks: Sequence[tuple[str, str]], *, before: float = 10) -> None:
        """Side by side: a title in bold capitals, the hint to sign, room, the name in bold."""
        if len(blocks) == 1:
            widths = [Mm(75), TEXT_WIDTH - Mm(75)]
        else:
            widths = [Length(TEXT_WIDTH // len(blocks))] * len(blocks)
        table = layout.layout_table(self.document, 1, widths)
        layout.row_flag(table.rows[0], "w:cantSplit")
        cells = table.rows[0].cells[-len(blocks) :]
        for cell, (title, name) in zip(cells, blocks, strict=True):
            text(shape(layout.next_paragraph(cell), before=before), title.upper(), bold=True)
            text(shape(cell.add_paragraph()), SIGN_HINT, size=SIZE, italic=True)
            for _ in range(4):
                shape(cell.add_paragraph(), after=6)
            text(shape(cell.add_paragraph()), name, bold=True)

    def head_signature(self, recipients: Sequence[str]) -> None:
        """The head of the unit signs (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH, or KT. for a deputy)."""
        signer = next(
            (
                u
                for u in (self.actor, self.event.actor if self.event else None)
                if u is not None and getattr(u, "role", "") == Role.LEADER
            ),
            None,
        )
        deputy = signer is not None and "phó" in (signer.job_title or "").lower()
        layout.closing(
            self.document,
            recipients=recipients,
            authority="KT. CHỦ TỊCH" if deputy else f"TM. {ISSUER_KIND}",
            signer_title="PHÓ CHỦ TỊCH" if deputy else "CHỦ TỊCH",
            signer=person(signer),
        )

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _table(
    document: DocumentObject,
    headers: Sequence[str | Sequence[str]],
    rows: Sequence[Sequence[str | Sequence[str]]],
    widths: Sequence[Length],
    *,
    left: Sequence[int] = (),
    size: float = SMALL,
    empty: str = "",
) -> None:
    """A bordered table: a bold header row repeated on each page, rows that do not split, the
    columns `left` aligned left and the others centred. A cell given as a list of lines gets a
    paragraph per line; a header line in brackets is an italic explanation."""
    grid = document.add_table(rows=1 + max(len(rows), 1 if empty else 0), cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout.cell_margins(grid, Mm(1), Mm(0.6))

    def put(cell: _Cell, content, *, header=False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for line in [content] if isinstance(content, str) else content:
            paragraph = shape(layout.next_paragraph(cell), align=align)
            aside = header and line.startswith("(")
            text(paragraph, line, size=size, bold=header and not aside, italic=aside)

    for cell, heading in zip(grid.rows[0].cells, headers, strict=True):
        put(cell, heading, header=True)
    layout.row_flag(grid.rows[0], "w:tblHeader")
    layout.row_flag(grid.rows[0], "w:cantSplit")
    for row, values in zip(grid.rows[1:], rows, strict=False):
        layout.row_flag(row, "w:cantSplit")
        for j, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if j in left else WD_ALIGN_PARAGRAPH.CENTER
            put(cell, value, align=align)
    if not rows and empty:
        row = grid.rows[1]
        put(row.cells[0].merge(row.cells[-1]), empty)
    layout.set_widths(grid, widths)


# --- the forms --------------------------------------------------------------------------


def _receipt(form: _PaperForm) -> None:
    d = form.dossier
    number = form.running_number()
    form.header(d.received_date, number)
    form.heading(f"Mã hồ sơ: {d.code}")

    # The applicant's lines beside the QR code of the public status page.
    top = layout.layout_table(form.document, 1, [TEXT_WIDTH - QR_WIDTH - Mm(4), QR_WIDTH + Mm(4)])
    left, right = top.cell(0, 0), top.cell(0, 1)
    form.paragraph(f"{one_stop_name()} {sentences.unit_in_text(form.unit.name)}", container=left)
    form.field("Tiếp nhận hồ sơ của", _sir(d.applicant_name), bold=True, container=left)
    form.applicant(container=left)
    form.field("Nội dung yêu cầu giải quyết", _request(d), container=left)
    qr = shape(layout.next_paragraph(right))
    picture = qr.add_run()
    layout.set_run_font(picture)
    picture.add_picture(io.BytesIO(qr_png(public_status_url(d))), width=QR_WIDTH)
    text(shape(right.add_paragraph()), "Quét mã để tra cứu", size=10, italic=True)

    form.paragraph("1. Thành phần hồ sơ nộp gồm:", before=4)
    components = list(d.components.all())
    counts = [(c.originals, c.certified_copies, c.photocopies) for c in components]
    _table(
        form.document,
        ["TT", "Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản chụp"],
        [
            [str(i), c.name, *(integer(n) if n else "" for n in count)]
            for i, (c, count) in enumerate(zip(components, counts, strict=True), start=1)
        ],
        [Mm(10), Mm(83), Mm(24), Mm(24), Mm(24)],
        left=(1,),
        empty="(Không có giấy tờ kèm theo)",
    )
    shape(form.document.add_paragraph(), after=2)
    form.paragraph("2. Số lượng hồ sơ: 01 (bộ).")
    form.paragraph(f"3. Thời gian giải quyết hồ sơ theo quy định: {processing_time_text(d)}.")
    form.paragraph(f"4. Thời gian nhận hồ sơ: {moment_text(d.received_at)}.")
    form.paragraph(
        "5. Thời gian trả kết quả giải quyết hồ sơ: ", (moment_text(d.due_at), True), "."
    )
    if d.channel == Channel.POSTAL:
        where = "qua dịch vụ bưu chính công ích, theo địa chỉ của người nộp hồ sơ"
    else:
        where = f"{one_stop_name()} {sentences.unit_in_text(form.unit.name)}"
    form.paragraph(f"6. Nhận kết quả tại: {where}.")
    form.paragraph(f"7. Phí, lệ phí: {fee_text(d.fee)}.")
    base = getattr(settings, "CCHC_PUBLIC_BASE_URL", "") or DEFAULT_PUBLIC_BASE_URL
    form.paragraph(
        "Tra cứu tình trạng hồ sơ: quét mã QR ở trên, hoặc nhập mã hồ sơ và số điện thoại tại "
        f"{base.rstrip('/')}{TRACK_PATH}"
    )
    form.paragraph(
        f"Vào Sổ theo dõi hồ sơ, Quyển số: {d.received_date.year}, Số thứ tự: {number:02d}."
    )
    receiver = next((e.actor for e in form.events if e.action == EventAction.RECEIVED), None)
    form.signatures(
        [
            ("Người nộp hồ sơ", d.applicant_name),
            ("Người tiếp nhận hồ sơ", person(receiver or form.actor)),
        ]
    )


def _supplement(form: _PaperForm) -> None:
    d, event = form.dossier, form.event
    form.header(local_date(event.at), form.running_number())
    form.heading(f"Mã hồ sơ: {d.code}")
    form.field("Hồ sơ của", _sir(d.applicant_name), bold=True)
    form.applicant()
    form.field("Nội dung yêu cầu giải quyết", _request(d))
    form.field("Ngày tiếp nhận hồ sơ", short_date(d.received_date))
    form.paragraph("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    items = [str(i) for i in event.data.get("items") or ()] or [event.note]
    for i, item in enumerate(items, start=1):
        form.paragraph(f"{i}. {item}")
    form.field("Lý do", event.note)
    form.paragraph(
        "Thời gian giải quyết hồ sơ tạm dừng từ ngày "
        f"{short_date(local_date(event.at))} đến khi nhận đủ hồ sơ bổ sung, hoàn thiện; "
        "thời gian đã giải quyết trước đó vẫn được tính."
    )
    guide = event.actor or form.actor
    phone = getattr(guide, "phone", "") or "…"
    form.paragraph(
        "Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với ",
        (person(guide) or "…", True),
        f", số điện thoại {phone}, để được hướng dẫn./.",
    )
    form.signatures([("Người hướng dẫn", person(guide))])


def _rejection(form: _PaperForm) -> None:
    d, event = form.dossier, form.event
    form.header(local_date(event.at), form.running_number())
    form.heading(f"Mã hồ sơ: {d.code}")
    form.paragraph(f"{one_stop_name()} {sentences.unit_in_text(form.unit.name)}")
    form.field("Tiếp nhận hồ sơ của", _sir(d.applicant_name), bold=True)
    form.applicant()
    form.field("Nội dung yêu cầu giải quyết", _request(d))
    form.field("Ngày tiếp nhận hồ sơ", short_date(d.received_date))
    form.paragraph(
        "Sau khi xem xét hồ sơ, căn cứ quy định của pháp luật, "
        f"{agency_name(form.unit)} không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể "
        "như sau: ",
        (_reason(event, d), True),
        ".",
    )
    form.paragraph("Xin thông báo để ông/bà được biết và thực hiện./.")
    form.signatures([("Người tiếp nhận hồ sơ", person(event.actor or form.actor))])


def _notice_opening(form: _PaperForm, agency: str, *tail) -> None:
    """The head of a notice to the applicant (the apology, the stop notice): the header, the
    title, "Kính gửi" and the day the unit received the dossier, ended by `tail`."""
    d = form.dossier
    form.header(local_date(form.event.at), form.running_number())
    form.heading()
    form.paragraph(("Kính gửi: ", False), (f"{_sir(d.applicant_name)}.", True), indent=False)
    form.paragraph(
        f"Ngày {short_date(d.received_date)}, {agency} tiếp nhận hồ sơ đề nghị giải quyết "
        f"thủ tục {_procedure_name(d)} của ông/bà, mã hồ sơ ",
        (d.code, True),
        *tail,
    )


def _apology(form: _PaperForm) -> None:
    d, event = form.dossier, form.event
    agency = agency_name(form.unit)
    due = dt.date.fromisoformat(event.data["due_date"]) if "due_date" in event.data else None
    appointment = d.appointment_at or dt.datetime.fromisoformat(event.data["appointment_at"])
    _notice_opening(
        form,
        agency,
        ". Thời hạn giải quyết theo quy định: ngày ",
        (short_date(due or d.due_date), True),
        ".",
    )
    form.paragraph(
        f"Tuy nhiên, đến nay {agency} chưa trả kết quả giải quyết hồ sơ của ông/bà "
        "đúng hạn vì lý do: ",
        (_reason(event, d), True),
        ".",
    )
    form.paragraph(
        "Sự chậm trễ này đã gây phiền hà, tốn kém thời gian, chi phí của ông/bà. "
        f"{agency} xin lỗi ông/bà và đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả "
        "vào ",
        (moment_text(appointment), True),
        ".",
    )
    form.paragraph("Rất mong nhận được sự thông cảm của ông/bà./.")
    form.head_signature([_sir(d.applicant_name), f"{one_stop_name()} (để trả kết quả)"])


def _stop(form: _PaperForm) -> None:
    d, event = form.dossier, form.event
    agency = agency_name(form.unit)
    _notice_opening(form, agency, ".")
    form.paragraph(
        f"{agency} thông báo dừng giải quyết hồ sơ nêu trên kể từ ngày "
        f"{short_date(local_date(event.at))}, vì lý do: ",
        (_reason(event, d), True),
        ".",
    )
    form.paragraph(
        f"Ông/bà liên hệ {one_stop_name()} {sentences.unit_in_text(form.unit.name)} để được "
        "hướng dẫn và nhận lại hồ sơ./."
    )
    form.head_signature([_sir(d.applicant_name), one_stop_name()])


def _control_slip(form: _PaperForm) -> None:
    d = form.dossier
    rows = handovers(d, form.events)
    form.header(local_date(rows[-1].at), None)
    receipt = layout.document_number(_receipt_number(d), FORMS["receipt"].symbol)
    form.heading(
        f"Mã hồ sơ: {d.code}",
        aside=f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả s{receipt[1:]})",
    )
    handling = Holder(d.handling_unit or d.unit, d.department).label(d.unit)
    form.field("Cơ quan (bộ phận) giải quyết hồ sơ", handling)
    partners = sorted(
        {e.to_unit.name for e in form.events if e.to_unit and e.to_unit.pk != d.unit_id}
    )
    if partners:
        form.field("Cơ quan phối hợp giải quyết hồ sơ", "; ".join(partners))
    form.field("Thủ tục", f"{_procedure_name(d)} (thời hạn {processing_time_text(d)})")
    form.field("Hạn giải quyết theo quy định", short_date(d.due_date), bold=True)
    _table(
        form.document,
        [
            "TÊN CƠ QUAN",
            "THỜI GIAN GIAO, NHẬN HỒ SƠ",
            ["KẾT QUẢ", "(Trước hạn/ đúng hạn/ quá hạn)"],
            "GHI CHÚ",
        ],
        [
            [
                [f"{i}. Giao: {row.giver}", f"Nhận: {row.receiver}"],
                [
                    *moment_text(row.at).split(", "),
                    f"Người giao: {row.giver_person or '…'}",
                    f"Người nhận: {row.receiver_person or '…'}",
                ],
                row.result,
                row.note,
            ]
            for i, row in enumerate(rows, start=1)
        ],
        [Mm(44), Mm(57), Mm(27), Mm(37)],
        left=(0, 1, 3),
        size=11.5,
    )
    apology = form._latest(EventAction.APOLOGISED)
    if apology is not None and d.appointment_at is not None:
        form.paragraph(
            f"Ngày {short_date(local_date(apology.at))} đã có văn bản xin lỗi, hẹn lại ngày "
            f"trả kết quả: {moment_text(d.appointment_at)} (lý do: {apology.note}).",
            before=6,
        )


WRITERS: dict[str, Callable[[_PaperForm], None]] = {
    "receipt": _receipt,
    "supplement": _supplement,
    "rejection": _rejection,
    "apology": _apology,
    "stop": _stop,
    "control_slip": _control_slip,
}


def render_form(kind: str, dossier: Dossier, *, actor=None) -> bytes:
    """The form `kind` (FORM_KINDS) of `dossier` as DOCX bytes.

    Raises ValueError, with a Vietnamese message, for an unknown kind or a form that does not
    apply to the dossier (a supplement request of a dossier never asked for one...).
    """
    if kind not in FORMS:
        raise ValueError(
            gettext("Không có mẫu “%(kind)s”; các mẫu: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(FORM_KINDS)}
        )
    dossier = Dossier.objects.select_related(
        "unit", "handling_unit", "department", "procedure", "field"
    ).get(pk=dossier.pk)
    events = list(
        dossier.events.select_related("actor", "from_unit", "to_unit").order_by("at", "pk")
    )
    with translation.override(DOCUMENT_LANGUAGE):
        form = _PaperForm(kind, dossier, events, actor)
        if form.spec.event and form.event is None:
            raise ValueError(
                gettext("Hồ sơ %(code)s %(why)s: không lập được %(form)s.")
                % {
                    "code": dossier.code,
                    "why": NOT_APPLICABLE[kind],
                    "form": form.title[:1] + form.title[1:].lower(),
                }
            )
        WRITERS[kind](form)
        return form.to_bytes()


def render_form_pdf(kind: str, dossier: Dossier, *, actor=None) -> bytes | None:
    """The form as PDF through LibreOffice; None when LibreOffice is not installed. Raises
    ValueError as render_form does."""
    return pdf.docx_to_pdf(render_form(kind, dossier, actor=actor))
