"""Dossier statuses, channels and outcomes.

Statuses map one-to-one onto the codes used by systems synchronising with the national
public-service portal (Cổng DVCQG), see regulations.md §1.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    NOT_ACCEPTED = "not_accepted", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung")
    AWAITING_FEE = "awaiting_fee", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


DVCQG_STATUS_CODE = {
    Status.REGISTERED: 1,
    Status.RECEIVED: 2,
    Status.NOT_ACCEPTED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT: 5,
    Status.AWAITING_FEE: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}


class Outcome(models.TextChoices):
    """How a dossier left the pending state; empty while it is open."""

    RESOLVED = "resolved", _("Đã giải quyết")
    REJECTED = "rejected", _("Từ chối, trả lại")
    WITHDRAWN = "withdrawn", _("Rút, hủy")


# The exchange CSV's five statuses (exchange-format.md §1) and the detailed statuses behind them.
CSV_STATUS_OF = {
    Status.REGISTERED: "processing",
    Status.RECEIVED: "processing",
    Status.PROCESSING: "processing",
    Status.AWAITING_FEE: "processing",
    Status.SUPPLEMENT: "paused",
    Status.RESOLVED: "resolved",
    Status.RETURNED: "resolved",
    Status.NOT_ACCEPTED: "rejected",
    Status.STOPPED: "rejected",
    Status.WITHDRAWN: "withdrawn",
}
STATUS_OF_CSV = {
    "processing": Status.PROCESSING,
    "paused": Status.SUPPLEMENT,
    "resolved": Status.RESOLVED,
    "rejected": Status.NOT_ACCEPTED,
    "withdrawn": Status.WITHDRAWN,
}
OUTCOME_OF_STATUS = {
    Status.RESOLVED: Outcome.RESOLVED,
    Status.RETURNED: Outcome.RESOLVED,
    Status.NOT_ACCEPTED: Outcome.REJECTED,
    Status.STOPPED: Outcome.REJECTED,
    Status.WITHDRAWN: Outcome.WITHDRAWN,
}


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Digitization(models.TextChoices):
    NONE = "none", _("Chưa số hóa")
    PARTIAL = "partial", _("Số hóa một phần")
    FULL = "full", _("Số hóa toàn bộ")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    NORMAL = "normal", _("Bình thường")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class EventAction(models.TextChoices):
    IMPORTED = "imported", _("Nhập từ tệp")
    RECEIVED = "received", _("Tiếp nhận")
    ASSIGNED = "assigned", _("Phân công")
    FORWARDED = "forwarded", _("Chuyển xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    RESUMED = "resumed", _("Tiếp tục xử lý")
    APPROVED = "approved", _("Phê duyệt")
    RESOLVED = "resolved", _("Giải quyết xong")
    RETURNED = "returned", _("Trả kết quả")
    REJECTED = "rejected", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    APOLOGISED = "apologised", _("Xin lỗi, hẹn lại")
    UPDATED = "updated", _("Cập nhật")


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ nhập")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Không nhập được")
