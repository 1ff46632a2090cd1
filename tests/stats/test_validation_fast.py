"""The quick check of a counts object (every figure whole, every identity exact) never lets
through what the full rules would report."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.stats import validation
from cchc.stats.constants import COUNT_KEYS
from cchc.stats.selectors import _finish

counts = st.fixed_dictionaries({key: st.integers(0, 6) for key in COUNT_KEYS})


def slow(data) -> list[str]:
    quick, validation._counts_agree = validation._counts_agree, lambda data: False
    try:
        return list(validation.check_counts("x", data))
    finally:
        validation._counts_agree = quick


@settings(max_examples=400)
@given(raw=counts, finish=st.booleans(), drop=st.sampled_from([None, *COUNT_KEYS]))
def test_the_quick_check_passes_only_what_the_rules_pass(raw, finish, drop):
    data = _finish(raw) if finish else dict(raw)
    if drop is not None:
        data.pop(drop, None)
    if validation._counts_agree(data):
        assert slow(data) == []
    assert list(validation.check_counts("x", data)) == slow(data)


def test_the_quick_check_passes_the_statistics_own_counts():
    data = _finish({key: 0 for key in COUNT_KEYS} | {"received_total": 2, "carried_over": 2})
    data |= {"pending_not_due": 2, "pending": 2}
    assert validation._counts_agree(data)
