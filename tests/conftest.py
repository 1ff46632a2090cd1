"""Shared test setup: the fixtures folder, the calendar cache, a small unit tree."""

from pathlib import Path

import pytest

from cchc.workcalendar import calendar

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIXTURES = SHARED / "fixtures"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The default hasher costs ~0.4 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache(settings):
    # Each test starts with an empty cache of its own (rate limits must not carry over).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese_first():
    # A request that switched to English leaves it active in the thread; start each test in vi.
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Overrides created inside a rolled-back test transaction must not leak into the next test.
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


@pytest.fixture
def fixtures_dir() -> Path:
    if not FIXTURES.exists():
        pytest.fail(f"shared fixtures not found at {FIXTURES}")
    return FIXTURES


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def tree(db):
    """province P → district P-D → communes P-D-1, P-D-2; plus another province Q → Q-1."""
    from tests.factories import UnitFactory, UnitLevelFactory

    province = UnitLevelFactory(name="province", rank=1)
    district = UnitLevelFactory(name="district", rank=2)
    commune = UnitLevelFactory(name="commune", rank=3)
    p = UnitFactory(code="P", level=province)
    d = UnitFactory(code="P-D", level=district, parent=p)
    c1 = UnitFactory(code="P-D-1", level=commune, parent=d)
    c2 = UnitFactory(code="P-D-2", level=commune, parent=d)
    q = UnitFactory(code="Q", level=province)
    q1 = UnitFactory(code="Q-1", level=commune, parent=q)
    return {"P": p, "P-D": d, "P-D-1": c1, "P-D-2": c2, "Q": q, "Q-1": q1}
