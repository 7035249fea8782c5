//! `fieldValidationMode`: a mocked result checked against the output shape
//! of the API its Task calls, as AWS checks it (types, lengths, ranges,
//! enum values; required fields in STRICT mode; fields the shape does not
//! name pass). The shapes are a small catalogue taken from the AWS API
//! models of the operations below; a resource not in it is not checked.

use super::error::TestStateError;
use super::request::FieldValidationMode;
use serde_json::Value;

/// One shape of an API model.
enum Shape {
    /// A string, with a minimum length and, when not empty, the values it may take.
    Str(usize, &'static [&'static str]),
    /// An integer within a range.
    Int(i64, i64),
    /// Any number.
    Num,
    /// A timestamp (a string in Step Functions' JSON).
    Timestamp,
    /// A list of one shape.
    List(&'static Shape),
    /// A structure: its fields (name, shape, required).
    Struct(&'static [(&'static str, &'static Shape, bool)]),
    /// Anything (documents, maps, payloads).
    Any,
}

const STR: Shape = Shape::Str(0, &[]);
const STR1: Shape = Shape::Str(1, &[]);
const INT: Shape = Shape::Int(i64::MIN, i64::MAX);
const ANY: Shape = Shape::Any;

/// KMS `EncryptResponse`.
const KMS_ENCRYPT: Shape = Shape::Struct(&[
    ("CiphertextBlob", &Shape::Str(1, &[]), false),
    ("KeyId", &STR1, false),
    (
        "EncryptionAlgorithm",
        &Shape::Str(
            0,
            &[
                "SYMMETRIC_DEFAULT",
                "RSAES_OAEP_SHA_1",
                "RSAES_OAEP_SHA_256",
                "SM2PKE",
            ],
        ),
        false,
    ),
]);

/// Lambda `GetFunctionResponse` (the fields with constraints).
const LAMBDA_GET_FUNCTION: Shape = Shape::Struct(&[
    (
        "Configuration",
        &Shape::Struct(&[
            ("FunctionName", &STR1, false),
            ("FunctionArn", &STR, false),
            ("Runtime", &STR, false),
            ("Role", &STR, false),
            ("Handler", &STR, false),
            ("CodeSize", &INT, false),
            ("Description", &STR, false),
            ("Timeout", &Shape::Int(1, i64::MAX), false),
            ("MemorySize", &Shape::Int(128, 10240), false),
            ("Version", &STR1, false),
        ]),
        false,
    ),
    ("Code", &ANY, false),
    ("Tags", &ANY, false),
    ("Concurrency", &ANY, false),
]);

/// S3 `GetObjectOutput` (the fields with constraints).
const S3_GET_OBJECT: Shape = Shape::Struct(&[
    ("Body", &ANY, false),
    ("ContentLength", &INT, false),
    ("ContentType", &STR, false),
    ("ETag", &STR, false),
    ("LastModified", &Shape::Timestamp, false),
    (
        "StorageClass",
        &Shape::Str(
            0,
            &[
                "STANDARD",
                "REDUCED_REDUNDANCY",
                "STANDARD_IA",
                "ONEZONE_IA",
                "INTELLIGENT_TIERING",
                "GLACIER",
                "DEEP_ARCHIVE",
                "OUTPOSTS",
                "GLACIER_IR",
                "SNOW",
                "EXPRESS_ONEZONE",
            ],
        ),
        false,
    ),
]);

/// DynamoDB `PutItemOutput`.
const DYNAMODB_PUT_ITEM: Shape = Shape::Struct(&[
    ("Attributes", &ANY, false),
    (
        "ConsumedCapacity",
        &Shape::Struct(&[
            ("TableName", &STR, false),
            ("CapacityUnits", &Shape::Num, false),
            ("ReadCapacityUnits", &Shape::Num, false),
            ("WriteCapacityUnits", &Shape::Num, false),
        ]),
        false,
    ),
    ("ItemCollectionMetrics", &ANY, false),
]);

/// EventBridge `PutEventsResponse`.
const EVENTS_PUT_EVENTS: Shape = Shape::Struct(&[
    ("FailedEntryCount", &INT, false),
    (
        "Entries",
        &Shape::List(&Shape::Struct(&[
            ("EventId", &STR, false),
            ("ErrorCode", &STR, false),
            ("ErrorMessage", &STR, false),
        ])),
        false,
    ),
]);

/// Lambda `InvokeResponse` (the optimized integration's result).
const LAMBDA_INVOKE: Shape = Shape::Struct(&[
    ("StatusCode", &INT, false),
    ("FunctionError", &STR, false),
    ("LogResult", &STR, false),
    ("Payload", &ANY, false),
    ("ExecutedVersion", &STR1, false),
]);

/// Step Functions `StartExecutionOutput` (both fields required).
const SFN_START_EXECUTION: Shape = Shape::Struct(&[
    ("ExecutionArn", &STR1, true),
    ("StartDate", &Shape::Timestamp, true),
]);

/// SQS `SendMessageResult`.
const SQS_SEND_MESSAGE: Shape = Shape::Struct(&[
    ("MD5OfMessageBody", &STR, false),
    ("MD5OfMessageAttributes", &STR, false),
    ("MD5OfMessageSystemAttributes", &STR, false),
    ("MessageId", &STR, false),
    ("SequenceNumber", &STR, false),
]);

/// The output shape of the API a Task resource calls, when the catalogue has it.
fn shape_of(resource: &str) -> Option<&'static Shape> {
    let op = resource.strip_prefix("arn:aws:states:::")?;
    Some(match op {
        "aws-sdk:kms:encrypt" => &KMS_ENCRYPT,
        "aws-sdk:lambda:getFunction" => &LAMBDA_GET_FUNCTION,
        "aws-sdk:s3:getObject" => &S3_GET_OBJECT,
        "dynamodb:putItem" | "aws-sdk:dynamodb:putItem" => &DYNAMODB_PUT_ITEM,
        "events:putEvents" | "aws-sdk:eventbridge:putEvents" => &EVENTS_PUT_EVENTS,
        "lambda:invoke" => &LAMBDA_INVOKE,
        "states:startExecution" => &SFN_START_EXECUTION,
        "sqs:sendMessage" | "aws-sdk:sqs:sendMessage" => &SQS_SEND_MESSAGE,
        _ => return None,
    })
}

/// Checks mocked `result` of a Task calling `resource` in `mode`.
///
/// # Errors
/// AWS's `Mock result schema validation error: …` for the first field that does not fit.
pub(crate) fn validate(
    resource: &str,
    result: &Value,
    mode: FieldValidationMode,
) -> Result<(), TestStateError> {
    if mode == FieldValidationMode::None {
        return Ok(());
    }
    let Some(shape) = shape_of(resource) else {
        return Ok(());
    };
    check(shape, "", result, mode == FieldValidationMode::Strict).map_err(|m| {
        TestStateError::validation(&format!("Mock result schema validation error: {m}"))
    })
}

fn check(shape: &Shape, name: &str, v: &Value, strict: bool) -> Result<(), String> {
    let must = |what: &str| format!("Field '{name}' must be {what}");
    match shape {
        Shape::Any => Ok(()),
        Shape::Str(min, allowed) => {
            let s = v.as_str().ok_or_else(|| must("a string"))?;
            if s.chars().count() < *min {
                return Err(format!("Field '{name}' is smaller than the minimum length"));
            }
            if !allowed.is_empty() && !allowed.contains(&s) {
                return Err(format!("Field '{name}' is not an expected value"));
            }
            Ok(())
        }
        Shape::Timestamp => v.as_str().map(|_| ()).ok_or_else(|| must("a string")),
        Shape::Num => v.as_f64().map(|_| ()).ok_or_else(|| must("a number")),
        Shape::Int(lo, hi) => {
            let n = v.as_f64().ok_or_else(|| must("a number"))?;
            if n < *lo as f64 {
                return Err(format!("Field '{name}' is less than the minimum value"));
            }
            if n > *hi as f64 {
                return Err(format!("Field '{name}' exceeds the maximum value"));
            }
            Ok(())
        }
        Shape::List(item) => {
            let items = v.as_array().ok_or_else(|| must("an array"))?;
            items.iter().try_for_each(|i| check(item, name, i, strict))
        }
        Shape::Struct(fields) => {
            let obj = v.as_object().ok_or_else(|| must("an object"))?;
            for (f, s, required) in fields.iter() {
                match obj.get(*f) {
                    Some(x) => check(s, f, x, strict)?,
                    None if *required && strict => {
                        return Err(format!("Required field '{f}' is missing"));
                    }
                    None => {}
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SFN: &str = "arn:aws:states:::states:startExecution";

    fn msg(r: &str, v: Value, m: FieldValidationMode) -> String {
        validate(r, &v, m).map_or_else(|e| e.message, |()| "ok".into())
    }

    #[test]
    fn strict_needs_the_required_fields_present_does_not() {
        use FieldValidationMode::*;
        let missing =
            "Mock result schema validation error: Required field 'ExecutionArn' is missing";
        assert_eq!(msg(SFN, json!({"executionArn": "a"}), Strict), missing);
        assert_eq!(msg(SFN, json!({"executionArn": "a"}), Present), "ok");
        assert_eq!(msg(SFN, json!({"StartDate": true}), None), "ok");
        assert!(
            msg(SFN, json!({"StartDate": 1}), Present).ends_with("'StartDate' must be a string")
        );
    }

    #[test]
    fn ranges_lengths_enums_and_nested_lists() {
        use FieldValidationMode::Strict;
        let gf = "arn:aws:states:::aws-sdk:lambda:getFunction";
        assert!(
            msg(gf, json!({"Configuration": {"MemorySize": 127}}), Strict)
                .ends_with("'MemorySize' is less than the minimum value")
        );
        assert_eq!(
            msg(gf, json!({"Configuration": {"MemorySize": 128}}), Strict),
            "ok"
        );
        let ev = "arn:aws:states:::events:putEvents";
        assert!(msg(
            ev,
            json!({"Entries": [{"EventId": "a"}, {"EventId": [1]}]}),
            Strict
        )
        .ends_with("'EventId' must be a string"));
        assert_eq!(msg(ev, json!({"random": "json"}), Strict), "ok");
        let s3 = "arn:aws:states:::aws-sdk:s3:getObject";
        assert!(
            msg(s3, json!({"StorageClass": "Papyrus"}), Strict).ends_with("not an expected value")
        );
        assert_eq!(msg("arn:aws:states:::unknown:op", json!(1), Strict), "ok");
    }
}
