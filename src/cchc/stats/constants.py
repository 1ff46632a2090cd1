"""The keys of the period statistics JSON (exchange-format.md §2), shared by the statistics
and their validation."""

# The integer counts of every `...counts...` object, as defined in domain.md.
COUNT_KEYS = (
    "received_total",
    "carried_over",
    "received_in_period",
    "online",
    "direct_postal",
    "online_eligible",
    "resolved",
    "early",
    "on_time",
    "late",
    "resolved_in_time",
    "rejected",
    "withdrawn",
    "pending",
    "pending_not_due",
    "pending_overdue",
    "paused",
)
DIGITIZATION_KEYS = (
    "received_in_period",
    "input_any",
    "input_full",
    "input_none",
    "resolved",
    "result_digitized",
    "result_not_digitized",
)
# The counts of each online-services block (partial, full).
ONLINE_SERVICE_KEYS = (
    "procedures",
    "procedures_with_dossiers",
    "procedures_with_online_dossiers",
    "dossiers",
    "online_dossiers",
)
FEE_KEYS = ("resolved_with_fee", "paid_online")
