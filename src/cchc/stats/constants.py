"""The keys of the period statistics JSON (exchange-format.md §2), read off the catalogue of
figures (cchc.stats.figures), for the code that lists them."""

from .figures import (
    DIGITIZATION,
    DOSSIER_FIGURES,
    DOSSIERS,
    FEES,
    ONLINE_SERVICE_FIGURES,
    ONLINE_SERVICES,
    SATISFACTION,
)

# The integer counts of every `...counts...` object, as defined in domain.md.
COUNT_KEYS = DOSSIER_FIGURES.keys_in(DOSSIERS, rates=False)
DIGITIZATION_KEYS = DOSSIER_FIGURES.keys_in(DIGITIZATION, rates=False)
# The counts of each online-services block (partial, full).
ONLINE_SERVICE_KEYS = ONLINE_SERVICE_FIGURES.keys_in(ONLINE_SERVICES, rates=False)
FEE_KEYS = DOSSIER_FIGURES.keys_in(FEES, rates=False)
SATISFACTION_KEYS = DOSSIER_FIGURES.keys_in(SATISFACTION, rates=False)
