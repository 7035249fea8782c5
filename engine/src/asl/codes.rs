//! AWS's diagnostic codes, each with a small definition that triggers it.

/// The shape of the definition is wrong: a missing or unknown field, a
/// wrong type, a value out of range, a bad path or timestamp.
/// `{"StartAt":"A","States":{"A":{"Type":"Pass"}}}` (no `Next`/`End`).
pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";

/// The text is not JSON. `not a definition`.
pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";

/// A `StartAt`/`Next`/`Default`/`Catch` target is not a state of the same
/// block, or a state is unreachable.
/// `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Pass","End":true}}}`.
pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";

/// A block has no terminal state.
/// `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}`.
pub const MISSING_END_STATE: &str = "MISSING_END_STATE";

/// Two states share a name, anywhere in the machine.
/// `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}]}}}`.
pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";

/// A state name is empty or longer than 80 characters.
pub const INVALID_STATE_NAME: &str = "INVALID_STATE_NAME";

/// Warning: a template field without `.$` holds what looks like a path or
/// an intrinsic call. `{"Parameters":{"a":"$.x"}}`.
pub const NO_DOLLAR: &str = "NO_DOLLAR";

/// Warning: a Pass `Result` holds a `"key.$"` field, which is not evaluated.
/// `{"Type":"Pass","Result":{"a.$":"$.x"},"End":true}`.
pub const PASS_RESULT_IS_STATIC: &str = "PASS_RESULT_IS_STATIC";
