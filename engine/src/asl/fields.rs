//! Which fields each state type accepts, in each query language
//! (features.md §1.2–1.3, from the spec's two field tables). A field outside
//! the table is `SCHEMA_VALIDATION_FAILED` at the field's own pointer (AWS
//! names the state, `/States/X`, with `Field 'X' is not supported`).

use super::reader::{Ctx, Obj};
use super::QueryLanguage;

/// The eight state types, as spelled in `Type`.
pub(crate) const TYPES: [&str; 8] = [
    "Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map",
];

const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];

/// Fields only JSONPath states accept.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Result",
    "ItemsPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
];

/// Fields only JSONata states accept.
const JSONATA_ONLY: &[&str] = &["Output", "Arguments", "Items"];

/// Fields of a state type, whatever the language (each is then filtered by
/// the two lists above).
fn fields_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "Pass" => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Output",
            "ResultPath",
            "Parameters",
            "Result",
            "Next",
            "End",
        ],
        "Task" => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Output",
            "ResultPath",
            "Parameters",
            "Arguments",
            "ResultSelector",
            "Retry",
            "Catch",
            "Resource",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Credentials",
            "Next",
            "End",
        ],
        "Choice" => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Output",
            "Choices",
            "Default",
        ],
        "Wait" => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Output",
            "Seconds",
            "SecondsPath",
            "Timestamp",
            "TimestampPath",
            "Next",
            "End",
        ],
        "Succeed" => &["InputPath", "OutputPath", "Output"],
        "Fail" => &["Error", "ErrorPath", "Cause", "CausePath"],
        "Parallel" => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Output",
            "ResultPath",
            "Parameters",
            "Arguments",
            "ResultSelector",
            "Retry",
            "Catch",
            "Branches",
            "Next",
            "End",
        ],
        "Map" => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Output",
            "ResultPath",
            "Parameters",
            "ResultSelector",
            "Retry",
            "Catch",
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "Items",
            "ItemSelector",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "Next",
            "End",
        ],
        _ => &[],
    }
}

/// Reports every field of `state` that its type or language does not accept.
pub(crate) fn check_state(cx: &mut Ctx, state: Obj<'_>, ty: &str, lang: QueryLanguage) {
    check_with(cx, state, fields_of(ty), COMMON, lang);
}

/// Reports every field of `obj` outside `allowed` (plus the common ones),
/// and language-restricted fields used in the other language.
pub(crate) fn check(cx: &mut Ctx, obj: Obj<'_>, allowed: &[&str], lang: QueryLanguage) {
    check_with(cx, obj, allowed, &[], lang);
}

fn check_with(cx: &mut Ctx, obj: Obj<'_>, allowed: &[&str], extra: &[&str], lang: QueryLanguage) {
    for key in obj.map.keys() {
        let k = key.as_str();
        if extra.contains(&k) || allowed.contains(&k) {
            match lang {
                QueryLanguage::Jsonata if JSONPATH_ONLY.contains(&k) => cx.schema(
                    &obj.at(k),
                    format!("The QueryLanguage is set to 'JSONata', but field '{k}' is only supported for the 'JSONPath' QueryLanguage"),
                ),
                QueryLanguage::JsonPath if JSONATA_ONLY.contains(&k) => cx.schema(
                    &obj.at(k),
                    format!("The QueryLanguage is set to 'JSONPath', but field '{k}' is only supported for the 'JSONata' QueryLanguage"),
                ),
                _ => {}
            }
        } else {
            cx.schema(&obj.at(k), format!("Field '{k}' is not supported"));
        }
    }
}

/// Like [`check`] for objects whose fields do not depend on the language.
pub(crate) fn check_plain(cx: &mut Ctx, obj: Obj<'_>, allowed: &[&str]) {
    for key in obj.map.keys() {
        if !allowed.contains(&key.as_str()) {
            cx.schema(&obj.at(key), format!("Field '{key}' is not supported"));
        }
    }
}
