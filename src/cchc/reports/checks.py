"""Documents are drawn only from figures that pass the rules of `validate_stats`."""

from __future__ import annotations

from collections.abc import Mapping

from cchc.stats.validation import validate


class InvalidStatistics(ValueError):
    """The figures break rules of validate_stats; `problems` lists them, one a line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            "Số liệu chưa khớp, cần kiểm tra trước khi xuất báo cáo:\n" + "\n".join(self.problems)
        )


def ensure_valid(stats: Mapping, *, allow_invalid: bool = False) -> list[str]:
    """The broken rules of `stats`; raises InvalidStatistics when any unless `allow_invalid`."""
    problems = validate(dict(stats))
    if problems and not allow_invalid:
        raise InvalidStatistics(problems)
    return problems
