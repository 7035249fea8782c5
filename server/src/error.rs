//! The errors the API answers with: AWS's error shape names, HTTP status
//! codes and message forms, rendered as `{"__type": …, "message": …}`.

use axum::http::StatusCode;

/// One error answer: AWS's shape name (`__type`), its message, its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// AWS's error shape name, e.g. `ExecutionDoesNotExist`.
    pub kind: &'static str,
    /// The message, in AWS's form where known.
    pub message: String,
    /// HTTP status (400 for client errors, 500 for internal ones).
    pub status: u16,
}

impl ApiError {
    /// A 400 error of `kind`.
    #[cold]
    pub fn new(kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            message: message.into(),
            status: 400,
        }
    }

    /// A body that is not a JSON object of the operation's shape: AWS's
    /// `SerializationException` (botocore maps it by name).
    #[cold]
    pub fn serialization(message: impl Into<String>) -> ApiError {
        ApiError::new("SerializationException", message)
    }

    /// A value that breaks a constraint of the service model, in AWS's
    /// form: `1 validation error detected: Value 'x' at 'name' failed to
    /// satisfy constraint: Member must …`.
    #[cold]
    pub fn validation(value: &str, field: &str, constraint: &str) -> ApiError {
        ApiError::new(
            "ValidationException",
            format!(
                "1 validation error detected: Value {value} at '{field}' failed to satisfy constraint: {constraint}"
            ),
        )
    }

    /// A required member left out: AWS's "Member must not be null".
    #[cold]
    pub fn missing(field: &str) -> ApiError {
        ApiError::validation("null", field, "Member must not be null")
    }

    /// An ARN that is not one of the resource the operation takes.
    #[cold]
    pub fn invalid_arn(arn: &str) -> ApiError {
        ApiError::new("InvalidArn", format!("Invalid Arn: '{arn}'"))
    }

    /// An operation whose engine part has not landed in this build yet.
    #[cold]
    pub fn not_yet(operation: &str, what: &str) -> ApiError {
        ApiError {
            kind: "UnsupportedOperation",
            message: format!(
                "{operation} is not supported by this stampede server yet: {what}. \
                 The request was valid."
            ),
            status: 400,
        }
    }

    /// Something went wrong inside the server (500).
    #[cold]
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            kind: "InternalFailure",
            message: message.into(),
            status: 500,
        }
    }

    /// The HTTP status.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST)
    }

    /// The response body.
    pub fn body(&self) -> String {
        serde_json::json!({"__type": self.kind, "message": self.message}).to_string()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ApiError {}

/// AWS's message for an invalid definition: every error as
/// `CODE: message at /pointer`, joined, in
/// `Invalid State Machine Definition: '…'`.
pub(crate) fn invalid_definition(d: &stampede::Diagnostics) -> ApiError {
    let parts: Vec<String> =
        d.0.iter()
            .filter(|x| x.severity == stampede::Severity::Error)
            .map(|x| {
                let at = if x.location.is_empty() {
                    "/"
                } else {
                    &x.location
                };
                format!("{}: {} at {at}", x.code, x.message)
            })
            .collect();
    ApiError::new(
        "InvalidDefinition",
        format!("Invalid State Machine Definition: '{}'", parts.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_has_aws_shape() {
        let e = ApiError::new("ExecutionDoesNotExist", "Execution Does Not Exist: 'x'");
        let v: serde_json::Value = serde_json::from_str(&e.body()).unwrap();
        assert_eq!(v["__type"], "ExecutionDoesNotExist");
        assert_eq!(v["message"], "Execution Does Not Exist: 'x'");
        assert_eq!(e.status_code(), StatusCode::BAD_REQUEST);
        assert_eq!(
            ApiError::internal("x").status_code(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn validation_messages_follow_aws() {
        assert_eq!(
            ApiError::missing("name").message,
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
        );
    }
}
