"""Choices of the reform office: plan areas and tasks, form rows, reports and validation rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    """The seven areas of the reform plan (and of forms 1-7, in this order)."""

    DIRECTION = "direction", _("Công tác chỉ đạo điều hành")
    INSTITUTIONS = "institutions", _("Cải cách thể chế")
    PROCEDURES = "procedures", _("Cải cách thủ tục hành chính")
    ORGANISATION = "organisation", _("Cải cách tổ chức bộ máy hành chính nhà nước")
    CIVIL_SERVICE = "civil_service", _("Cải cách chế độ công vụ")
    PUBLIC_FINANCE = "public_finance", _("Cải cách tài chính công")
    DIGITAL_GOVERNMENT = (
        "digital_government",
        _("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
    )


AREA_ORDER = list(Area.values)


class AssignedFrom(models.TextChoices):
    """Who gave the task: form 1 counts the Government's and the province's apart."""

    GOVERNMENT = "government", _("Chính phủ")
    PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")
    PROVINCE = "province", _("UBND, Chủ tịch UBND tỉnh")
    SUPERIOR = "superior", _("Cấp trên khác")
    SELF = "self", _("Tự đề ra")


# The groups that form 1 (rows 5.1-5.8) counts, by the key the form rows' sources name.
ASSIGNER_GROUPS: dict[str, tuple[str, ...]] = {
    "central": (AssignedFrom.GOVERNMENT, AssignedFrom.PRIME_MINISTER),
    "province": (AssignedFrom.PROVINCE,),
    "above": (
        AssignedFrom.GOVERNMENT,
        AssignedFrom.PRIME_MINISTER,
        AssignedFrom.PROVINCE,
        AssignedFrom.SUPERIOR,
    ),
}


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class TaskChangeAction(models.TextChoices):
    CREATED = "created", _("Thêm nhiệm vụ")
    CHANGED = "changed", _("Sửa nhiệm vụ")
    DELETED = "deleted", _("Xóa nhiệm vụ")


class ValueType(models.TextChoices):
    COUNT = "count", _("Số đếm")
    PERCENT = "percent", _("Tỷ lệ %")
    NUMBER = "number", _("Số")
    CHOICE = "choice", _("Lựa chọn")
    TEXT = "text", _("Văn bản")
    NONE = "none", _("Tiêu đề (không nhập số liệu)")


NUMERIC_TYPES = (ValueType.COUNT, ValueType.PERCENT, ValueType.NUMBER, ValueType.CHOICE)
# Rows whose values add up when a level above rolls its units' forms up; a percent is recomputed
# from its formula, a choice or a text is not added.
SUMMABLE_TYPES = (ValueType.COUNT, ValueType.NUMBER)


class MissingValues(models.TextChoices):
    """What a formula or a rule side does when values are missing (DHIS2's strategies)."""

    SKIP_IF_ANY = "skip_if_any", _("Bỏ qua nếu thiếu bất kỳ số liệu nào")
    SKIP_IF_ALL = "skip_if_all", _("Bỏ qua nếu thiếu tất cả (số thiếu tính là 0)")
    NEVER_SKIP = "never_skip", _("Không bỏ qua (số thiếu tính là 0)")


class Operator(models.TextChoices):
    EQ = "==", "="
    NE = "!=", "≠"
    LE = "<=", "≤"
    GE = ">=", "≥"
    LT = "<", "<"
    GT = ">", ">"


class Importance(models.TextChoices):
    HIGH = "high", _("Cao (chặn gửi báo cáo)")
    MEDIUM = "medium", _("Trung bình (cảnh báo)")
    LOW = "low", _("Thấp (lưu ý)")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Bị trả lại")


class ValueSource(models.TextChoices):
    COMPUTED = "computed", _("Tính từ hệ thống")
    MANUAL = "manual", _("Nhập tay")


class ReportAction(models.TextChoices):
    CREATE = "create", _("Tạo báo cáo")
    ENTER = "enter", _("Nhập số liệu")
    REFRESH = "refresh", _("Cập nhật số liệu từ hệ thống")
    SUBMIT = "submit", _("Gửi báo cáo")
    APPROVE = "approve", _("Duyệt báo cáo")
    RETURN = "return", _("Trả lại báo cáo")
    REVISE = "revise", _("Tạo phiên bản sửa đổi")


class Timeliness(models.TextChoices):
    NOT_SUBMITTED = "not_submitted", _("Chưa gửi")
    ON_TIME = "on_time", _("Gửi đúng hạn")
    LATE = "late", _("Gửi muộn")
