"""The English machine codes of every refusal: the `code` of the API's `{code, detail}` answers
and of the dossier errors behind them. They are a contract with the systems that call the API:
a value never changes, a new refusal gets a new member.

The bottom layer: it imports nothing of the project, so every app may use it.
"""

from enum import StrEnum, unique


@unique
class ErrorCode(StrEnum):
    # DRF's own refusals, answered with our Vietnamese message (api_common.MESSAGES).
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    PARSE_ERROR = "parse_error"
    THROTTLED = "throttled"
    INVALID = "invalid"  # per-field validation errors, listed in `errors`

    # Generic answers of our own (api_common.Conflict, BadRequest).
    CONFLICT = "conflict"
    BAD_REQUEST = "bad_request"

    # Requests and authentication.
    UNSTORABLE_CHARACTER = "unstorable_character"
    TOKEN_EXPIRED = "token_expired"
    DATABASE_BUSY = "database_busy"
    WRITE_CONFLICT = "write_conflict"

    # Finding a dossier, a unit; files.
    AMBIGUOUS_CODE = "ambiguous_code"
    UNIT_NOT_FOUND = "unit_not_found"
    INVALID_PERIOD = "invalid_period"
    UNREADABLE_FILE = "unreadable_file"
    FILE_TOO_LARGE = "file_too_large"

    # The dossier state machine (dossiers.transitions): the kinds of refusal.
    DOSSIER_ERROR = "dossier_error"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    STALE_DOSSIER = "stale_dossier"
    INVALID_INPUT = "invalid_input"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    OUT_OF_SCOPE = "out_of_scope"
    APOLOGY_ALREADY_GIVEN = "apology_already_given"
    NO_OPEN_PAUSE = "no_open_pause"

    # Input an action's service refused (dossiers.services).
    FUTURE_MOMENT = "future_moment"
    MOMENT_BEFORE_LAST_ACTION = "moment_before_last_action"
    REASON_REQUIRED = "reason_required"
    INVALID_CHANNEL = "invalid_channel"
    INVALID_DIGITIZATION = "invalid_digitization"
    PROCEDURE_INACTIVE = "procedure_inactive"
    PROCEDURE_NOT_IN_CATALOGUE = "procedure_not_in_catalogue"
    COMPONENT_NAME_REQUIRED = "component_name_required"
    COMPONENT_NOT_IN_PROCEDURE = "component_not_in_procedure"
    COMPONENT_REPEATED = "component_repeated"
    COMPONENT_COUNT_NEGATIVE = "component_count_negative"
    COMPONENTS_MISSING = "components_missing"
    REUSE_NOT_ALLOWED = "reuse_not_allowed"
    ASSIGNEE_NOT_ELIGIBLE = "assignee_not_eligible"
    FORWARD_TARGET_MISSING = "forward_target_missing"
    FORWARD_TO_SAME_PLACE = "forward_to_same_place"
    UNIT_INACTIVE = "unit_inactive"
    DEPARTMENT_NOT_IN_UNIT = "department_not_in_unit"
    INVALID_SATISFACTION = "invalid_satisfaction"
    FEE_NEGATIVE = "fee_negative"
    APPOINTMENT_NOT_AFTER_DUE = "appointment_not_after_due"
    APPOINTMENT_ON_DAY_OFF = "appointment_on_day_off"
