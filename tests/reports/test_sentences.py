"""The figures written out as Vietnamese sentences, zero parts left out."""

import pytest

from cchc.reports import sentences

ISSUE_EXAMPLE = {
    "received_total": 308,
    "carried_over": 65,
    "received_in_period": 243,
    "online": 192,
    "resolved": 280,
    "early": 200,
    "on_time": 70,
    "late": 10,
    "on_time_rate": 96.43,
    "pending_not_due": 20,
    "pending_overdue": 3,
    "paused": 2,
    "rejected": 1,
    "withdrawn": 2,
}


def test_dossier_results_read_as_the_issue_writes_them():
    assert sentences.dossier_results(ISSUE_EXAMPLE) == (
        "Tổng số hồ sơ tiếp nhận là 308 hồ sơ, trong đó, kỳ trước chuyển qua là 65 hồ sơ; "
        "trong kỳ là 243 hồ sơ (trong đó, trực tuyến: 192 hồ sơ). "
        "Đã giải quyết 280 hồ sơ (trước hạn: 200 hồ sơ, đúng hạn: 70 hồ sơ, quá hạn: 10 hồ sơ), "
        "tỷ lệ giải quyết đúng hạn đạt 96,43%; "
        "đang giải quyết 23 hồ sơ (chưa đến hạn: 20 hồ sơ, quá hạn: 3 hồ sơ); "
        "tạm dừng 2 hồ sơ (chờ bổ sung, hoàn thiện); từ chối 1 hồ sơ; "
        "rút 2 hồ sơ (theo đề nghị của người nộp)."
    )


def test_zero_parts_are_left_out():
    counts = {
        "received_total": 1234,
        "received_in_period": 1234,
        "resolved": 1234,
        "early": 1234,
        "on_time_rate": 100.0,
    }
    assert sentences.dossier_results(counts) == (
        "Tổng số hồ sơ tiếp nhận là 1.234 hồ sơ, đều tiếp nhận trong kỳ. "
        "Đã giải quyết 1.234 hồ sơ (trước hạn: 1.234 hồ sơ), "
        "tỷ lệ giải quyết đúng hạn đạt 100%."
    )


def test_only_carried_over_dossiers_and_none_resolved():
    counts = {"received_total": 5, "carried_over": 5, "pending_overdue": 5}
    assert sentences.dossier_results(counts) == (
        "Tổng số hồ sơ tiếp nhận là 5 hồ sơ, đều từ kỳ trước chuyển qua. "
        "Chưa giải quyết xong hồ sơ nào; đang giải quyết 5 hồ sơ (quá hạn: 5 hồ sơ)."
    )


def test_nothing_received():
    assert sentences.dossier_results({"received_total": 0}) == (
        "Trong kỳ không có hồ sơ tiếp nhận, giải quyết."
    )


def test_on_time_rate_is_computed_when_the_counts_lack_it():
    text = sentences.dossier_results({"received_total": 3, "resolved": 3, "early": 1, "late": 2})
    assert "tỷ lệ giải quyết đúng hạn đạt 33,33%" in text


def test_digitization_sentence():
    block = {
        "received_in_period": 673,
        "input_any": 527,
        "input_full": 522,
        "input_none": 146,
        "input_full_rate": 77.56,
        "resolved": 651,
        "result_digitized": 647,
        "result_not_digitized": 4,
        "result_rate": 99.39,
    }
    assert sentences.digitization(block) == (
        "Số hóa hồ sơ khi tiếp nhận: trong số 673 hồ sơ tiếp nhận trong kỳ, có 527 hồ sơ được "
        "số hóa thành phần hồ sơ, trong đó 522 hồ sơ được số hóa đầy đủ; tỷ lệ số hóa đầy đủ "
        "thành phần hồ sơ đạt 77,56%; 146 hồ sơ chưa được số hóa. Số hóa kết quả giải quyết: "
        "trong số 651 hồ sơ đã giải quyết, có 647 hồ sơ được số hóa kết quả; tỷ lệ số hóa kết "
        "quả đạt 99,39%; 4 hồ sơ chưa được số hóa kết quả."
    )


def test_online_services_sentence_with_the_rate_per_level():
    block = {
        "partial": {
            "procedures": 19,
            "procedures_with_dossiers": 6,
            "procedures_with_online_dossiers": 6,
            "dossiers": 95,
            "online_dossiers": 95,
            "online_rate": 100.0,
        },
        "full": {
            "procedures": 56,
            "procedures_with_dossiers": 5,
            "procedures_with_online_dossiers": 2,
            "dossiers": 284,
            "online_dossiers": 224,
            "online_rate": 78.87,
        },
    }
    counts = {"online": 319, "online_eligible": 379, "online_rate": 84.17}
    text = sentences.online_services(block, counts, [("Cấp xã", counts)])
    assert text == (
        "Tổng số dịch vụ công trực tuyến là 75 dịch vụ (một phần: 19, toàn trình: 56); trong kỳ "
        "có 11 dịch vụ phát sinh hồ sơ, trong đó 8 dịch vụ phát sinh hồ sơ trực tuyến (đạt "
        "10,67% số dịch vụ công trực tuyến). Tỷ lệ hồ sơ trực tuyến đạt 84,17% (319/379 hồ sơ) "
        "tiếp nhận trong kỳ của các thủ tục có cung cấp dịch vụ công trực tuyến (một phần: "
        "95/95 hồ sơ, đạt 100%; toàn trình: 224/284 hồ sơ, đạt 78,87%); trong đó, cấp xã: "
        "84,17% (319/379 hồ sơ)."
    )


def test_no_online_service_offered():
    assert sentences.online_services({}) == (
        "Chưa có thủ tục hành chính được cung cấp dịch vụ công trực tuyến."
    )


def test_fees_sentence_is_empty_without_fees():
    assert sentences.fees({"resolved_with_fee": 0, "paid_online": 0}) == ""
    assert sentences.fees(None) == ""
    assert sentences.fees(
        {"resolved_with_fee": 40, "paid_online": 10, "paid_online_rate": 25.0}
    ) == (
        "Có 40 hồ sơ đã giải quyết phải nộp phí, lệ phí, trong đó 10 hồ sơ thanh toán trực tuyến, đạt 25%."
    )


@pytest.mark.parametrize(
    ("name", "in_text", "place"),
    [
        ("Xã Kim Thạch", "xã Kim Thạch", "Kim Thạch"),
        ("Huyện Kbang", "huyện Kbang", "Kbang"),
        ("Thị trấn Kbang", "thị trấn Kbang", "Kbang"),
        ("Thành phố Hồ Chí Minh", "thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Phường 1", "phường 1", "Phường 1"),  # ND 30: a unit named by a number keeps its kind
        ("Bộ phận Một cửa", "Bộ phận Một cửa", "Bộ phận Một cửa"),
    ],
)
def test_unit_names_inside_sentences_and_as_place_names(name, in_text, place):
    assert sentences.unit_in_text(name) == in_text
    assert sentences.place_of(name) == place


def test_period_phrase():
    assert sentences.period_phrase("Quý I/2023", None, None) == "quý I/2023"
    assert sentences.period_phrase("6 tháng đầu năm 2023", None, None) == "6 tháng đầu năm 2023"
