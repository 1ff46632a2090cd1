"""The period figures written out as Vietnamese sentences for the body of a report.

Each function takes one block of the statistics JSON (exchange-format.md §2) and returns the
sentences a clerk would type (a derived figure left out is derived as the catalogue of figures,
cchc.stats.figures, says): parts that are zero are left out instead of listed as "0 hồ sơ",
and a block with nothing in it gets one short sentence saying so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cchc.stats.figures import DOSSIER_FIGURES, ONLINE_SERVICE_FIGURES

from .numbers import date_range, integer, percent

ONLINE_LEVEL_NAMES = {"partial": "một phần", "full": "toàn trình"}
# Words that open the official name of an administrative unit ("Xã Kim Thạch").
UNIT_KIND_WORDS = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Tỉnh",
    "Huyện",
    "Quận",
    "Xã",
    "Phường",
)


def unit_in_text(name: str) -> str:
    """A unit's name inside a sentence: "Xã Kim Thạch" → "xã Kim Thạch"."""
    for word in UNIT_KIND_WORDS:
        if name.startswith(word + " "):
            return word.lower() + name[len(word) :]
    return name


def place_of(name: str) -> str:
    """The place name (địa danh) of a unit: "Xã Kim Thạch" → "Kim Thạch".

    A unit named by a number keeps its kind word (Nghị định 30/2020: "Phường 1", not "1").
    """
    for word in UNIT_KIND_WORDS:
        rest = name[len(word) + 1 :]
        if name.startswith(word + " ") and not rest[:1].isdigit():
            return rest
    return name


def period_phrase(label: str, start, end) -> str:
    """The period inside a sentence: "6 tháng đầu năm 2023", "quý I/2023", or the dates."""
    if label:
        return label[:1].lower() + label[1:]
    return date_range(start, end)


def _n(counts: Mapping, key: str) -> int:
    return int(counts.get(key) or 0)


def dossiers(value: int) -> str:
    """ "308 hồ sơ"."""
    return f"{integer(value)} hồ sơ"


def _parts(items: list[tuple[str, int]]) -> str:
    """ "trước hạn: 650 hồ sơ, đúng hạn: 1 hồ sơ", leaving out the zero parts."""
    return ", ".join(f"{label}: {dossiers(value)}" for label, value in items if value)


def dossier_results(counts: Mapping) -> str:
    """Received, resolved, pending, paused, rejected and withdrawn dossiers of one counts object.

    "Tổng số hồ sơ tiếp nhận là 308 hồ sơ, trong đó, kỳ trước chuyển qua là 65 hồ sơ; trong kỳ
    là 243 hồ sơ (trong đó, trực tuyến: 192 hồ sơ). Đã giải quyết 280 hồ sơ (trước hạn: ...,
    đúng hạn: ..., quá hạn: ...), tỷ lệ giải quyết đúng hạn đạt ...%; đang giải quyết ... hồ sơ
    (chưa đến hạn: ..., quá hạn: ...); tạm dừng ...; từ chối ...; rút ...".
    """
    counts = DOSSIER_FIGURES.complete(counts)
    total = _n(counts, "received_total")
    if not total:
        return "Trong kỳ không có hồ sơ tiếp nhận, giải quyết."
    carried, in_period, online = (
        _n(counts, "carried_over"),
        _n(counts, "received_in_period"),
        _n(counts, "online"),
    )
    received = f"Tổng số hồ sơ tiếp nhận là {dossiers(total)}"
    online_part = f" (trong đó, trực tuyến: {dossiers(online)})" if online else ""
    if carried and in_period:
        received += (
            f", trong đó, kỳ trước chuyển qua là {dossiers(carried)}; "
            f"trong kỳ là {dossiers(in_period)}{online_part}"
        )
    elif carried:
        received += ", đều từ kỳ trước chuyển qua"
    else:
        received += f", đều tiếp nhận trong kỳ{online_part}"

    clauses: list[str] = []
    resolved = _n(counts, "resolved")
    if resolved:
        detail = _parts(
            [
                ("trước hạn", _n(counts, "early")),
                ("đúng hạn", _n(counts, "on_time")),
                ("quá hạn", _n(counts, "late")),
            ]
        )
        clause = f"Đã giải quyết {dossiers(resolved)}" + (f" ({detail})" if detail else "")
        clause += f", tỷ lệ giải quyết đúng hạn đạt {percent(counts['on_time_rate'])}"
    else:
        clause = "Chưa giải quyết xong hồ sơ nào"
    clauses.append(clause)

    pending = _n(counts, "pending")
    if pending:
        detail = _parts(
            [
                ("chưa đến hạn", _n(counts, "pending_not_due")),
                ("quá hạn", _n(counts, "pending_overdue")),
            ]
        )
        clauses.append(f"đang giải quyết {dossiers(pending)} ({detail})")
    for key, template in (
        ("paused", "tạm dừng {} (chờ bổ sung, hoàn thiện)"),
        ("rejected", "từ chối {}"),
        ("withdrawn", "rút {} (theo đề nghị của người nộp)"),
    ):
        if _n(counts, key):
            clauses.append(template.format(dossiers(_n(counts, key))))
    return f"{received}. " + "; ".join(clauses) + "."


def digitization(block: Mapping) -> str:
    """Digitisation of the dossiers received (thành phần hồ sơ) and of the results returned."""
    sentences: list[str] = []
    received = _n(block, "received_in_period")
    if received:
        any_, full, none = (
            _n(block, "input_any"),
            _n(block, "input_full"),
            _n(block, "input_none"),
        )
        text = f"Số hóa hồ sơ khi tiếp nhận: trong số {dossiers(received)} tiếp nhận trong kỳ"
        if any_:
            text += f", có {dossiers(any_)} được số hóa thành phần hồ sơ"
            if full:
                text += f", trong đó {dossiers(full)} được số hóa đầy đủ"
        else:
            text += ", chưa có hồ sơ nào được số hóa thành phần hồ sơ"
        text += (
            f"; tỷ lệ số hóa đầy đủ thành phần hồ sơ đạt {percent(block.get('input_full_rate'))}"
        )
        if none and any_:
            text += f"; {dossiers(none)} chưa được số hóa"
        sentences.append(text + ".")
    else:
        sentences.append("Trong kỳ không tiếp nhận hồ sơ mới nên không phát sinh số hóa hồ sơ.")
    resolved = _n(block, "resolved")
    if resolved:
        done, not_done = _n(block, "result_digitized"), _n(block, "result_not_digitized")
        text = f"Số hóa kết quả giải quyết: trong số {dossiers(resolved)} đã giải quyết"
        text += (
            f", có {dossiers(done)} được số hóa kết quả"
            if done
            else ", chưa có kết quả nào được số hóa"
        )
        text += f"; tỷ lệ số hóa kết quả đạt {percent(block.get('result_rate'))}"
        if not_done and done:
            text += f"; {dossiers(not_done)} chưa được số hóa kết quả"
        sentences.append(text + ".")
    return " ".join(sentences)


def _services(value: int) -> str:
    return f"{integer(value)} dịch vụ"


def _online_rate(counts: Mapping) -> str:
    """ "84,17% (319/379 hồ sơ)": online dossiers over those of procedures offered online."""
    return (
        f"{percent(counts.get('online_rate'))} "
        f"({integer(_n(counts, 'online'))}/{dossiers(_n(counts, 'online_eligible'))})"
    )


def online_services(
    block: Mapping,
    counts: Mapping | None = None,
    levels: Sequence[tuple[str, Mapping]] = (),
) -> str:
    """Online services (dịch vụ công trực tuyến) by online level and the online rate.

    `block` is `online_services` (or one level of its `by_level`); `counts` the matching
    dossier counts, whose `online_rate` is the official online rate (online dossiers of the
    procedures offered online); `levels` (label, counts) adds the rate of each level.
    """
    by_online_level = {lvl: block.get(lvl) or {} for lvl in ONLINE_LEVEL_NAMES}
    both = ONLINE_SERVICE_FIGURES.complete(
        {
            key: sum(_n(b, key) for b in by_online_level.values())
            for key in ONLINE_SERVICE_FIGURES.counted
        }
    )
    offered, with_dossiers, with_online = (
        both["procedures"],
        both["procedures_with_dossiers"],
        both["procedures_with_online_dossiers"],
    )
    if not offered:
        text = "Chưa có thủ tục hành chính được cung cấp dịch vụ công trực tuyến."
    else:
        split = ", ".join(
            f"{ONLINE_LEVEL_NAMES[lvl]}: {integer(_n(b, 'procedures'))}"
            for lvl, b in by_online_level.items()
            if _n(b, "procedures")
        )
        text = f"Tổng số dịch vụ công trực tuyến là {_services(offered)} ({split})"
        if with_dossiers:
            text += f"; trong kỳ có {_services(with_dossiers)} phát sinh hồ sơ"
            if with_online:
                text += (
                    f", trong đó {_services(with_online)} phát sinh hồ sơ trực tuyến "
                    f"(đạt {percent(both['procedures_online_rate'])} số dịch vụ công trực tuyến)"
                )
        else:
            text += "; trong kỳ chưa có dịch vụ nào phát sinh hồ sơ"
        text += "."
    if counts is not None and _n(counts, "online_eligible"):
        per_online_level = "; ".join(
            f"{ONLINE_LEVEL_NAMES[lvl]}: {integer(_n(b, 'online_dossiers'))}/"
            f"{dossiers(_n(b, 'dossiers'))}, đạt {percent(b.get('online_rate'))}"
            for lvl, b in by_online_level.items()
            if _n(b, "dossiers")
        )
        text += (
            f" Tỷ lệ hồ sơ trực tuyến đạt {_online_rate(counts)} tiếp nhận trong kỳ của các "
            "thủ tục có cung cấp dịch vụ công trực tuyến"
            + (f" ({per_online_level})" if per_online_level else "")
        )
        per_level = [
            f"{label[:1].lower() + label[1:]}: {_online_rate(c)}"
            for label, c in levels
            if _n(c, "online_eligible")
        ]
        text += (f"; trong đó, {', '.join(per_level)}" if per_level else "") + "."
    return text


def fees(block: Mapping | None) -> str:
    """Online payment of fees; "" when no resolved dossier had a fee."""
    if not block or not _n(block, "resolved_with_fee"):
        return ""
    with_fee, paid = _n(block, "resolved_with_fee"), _n(block, "paid_online")
    if not paid:
        return (
            f"Có {dossiers(with_fee)} đã giải quyết phải nộp phí, lệ phí, "
            "chưa có hồ sơ nào thanh toán trực tuyến."
        )
    return (
        f"Có {dossiers(with_fee)} đã giải quyết phải nộp phí, lệ phí, trong đó "
        f"{dossiers(paid)} thanh toán trực tuyến, đạt {percent(block.get('paid_online_rate'))}."
    )
