//! Task `Resource` checks: the optimized service integrations AWS knows
//! (`arn:aws:states:::dynamodb:query` is refused: DynamoDB's optimized
//! integration has getItem/putItem/updateItem/deleteItem only; queries go
//! through `aws-sdk:dynamodb:query`), and what Express machines may not use.
//!
//! Policy: a service listed below with an action not listed is rejected, as
//! AWS does. A service we do not list, `aws-sdk:*`, Lambda function ARNs,
//! activity ARNs and non-ARN strings (handler names registered on an
//! embedded `Engine`) are accepted: refusing a definition AWS accepts would
//! be worse than accepting one it refuses.

use super::reader::Ctx;

/// `(service, actions)` of the optimized integrations (AWS docs, integrate-optimized).
const OPTIMIZED: &[(&str, &[&str])] = &[
    ("lambda", &["invoke"]),
    (
        "dynamodb",
        &["getItem", "putItem", "updateItem", "deleteItem"],
    ),
    ("sns", &["publish"]),
    ("sqs", &["sendMessage"]),
    ("events", &["putEvents"]),
    ("apigateway", &["invoke"]),
    ("http", &["invoke"]),
    ("states", &["startExecution"]),
    ("ecs", &["runTask"]),
    ("batch", &["submitJob"]),
    ("glue", &["startJobRun"]),
    ("databrew", &["startJobRun"]),
    ("mediaconvert", &["createJob"]),
    (
        "athena",
        &[
            "startQueryExecution",
            "stopQueryExecution",
            "getQueryExecution",
            "getQueryResults",
        ],
    ),
    ("bedrock", &["invokeModel", "createModelCustomizationJob"]),
    ("s3", &["getObject", "putObject", "listObjectsV2"]),
];

/// Checks one Task `Resource` at `ptr`.
pub(crate) fn check(cx: &mut Ctx, ptr: &str, resource: &str) {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return;
    }
    let (service, region, account, rest) = (parts[2], parts[3], parts[4], parts[5]);
    if service == "states" && !region.is_empty() && rest.starts_with("activity:") {
        if cx.machine_type.is_express() {
            cx.schema(ptr, "Express state machine does not support Activity ARN");
        }
        return;
    }
    if service != "states" || !region.is_empty() || !account.is_empty() {
        return;
    }
    // `rest` is `svc:action[.pattern]` or `aws-sdk:svc:action[.pattern]`.
    let (svc, action) = rest.split_once(':').unwrap_or((rest, ""));
    let (action, pattern) = match action.find('.') {
        Some(i) => (&action[..i], &action[i..]),
        None => (action, ""),
    };
    if cx.machine_type.is_express() {
        if pattern.starts_with(".sync") {
            cx.schema(
                ptr,
                "Express state machine does not support '.sync' service integration",
            );
        } else if pattern == ".waitForTaskToken" {
            cx.schema(
                ptr,
                "Express state machine does not support '.waitForTaskToken' service integration",
            );
        }
    }
    if svc == "aws-sdk" {
        return;
    }
    if let Some((_, actions)) = OPTIMIZED.iter().find(|(s, _)| *s == svc) {
        if !actions.contains(&action) {
            cx.error(
                super::reader::SCHEMA,
                ptr,
                format!(
                    "The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
                ),
            );
        }
    }
}
