//! Reading the members of a request body (a JSON object) with the service
//! model's types and constraints: a member of the wrong JSON type is
//! AWS's `SerializationException`, a broken length or range its
//! `ValidationException`, a required member left out "must not be null".

use crate::error::ApiError;
use serde_json::{Map, Value};

/// The members of one request.
#[derive(Debug)]
pub(crate) struct Fields(Map<String, Value>);

impl Fields {
    /// Parses a request body: empty means `{}`; anything but a JSON object
    /// is a serialization error.
    ///
    /// # Errors
    /// `SerializationException` when the body is not a JSON object.
    pub(crate) fn parse(body: &[u8]) -> Result<Fields, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Fields(Map::new()));
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => Ok(Fields(m)),
            Ok(_) => Err(ApiError::serialization(
                "Start of structure or map found where not expected.",
            )),
            Err(e) => Err(ApiError::serialization(format!(
                "The request body is not valid JSON: {e}"
            ))),
        }
    }

    /// A request made by the server itself (a nested StartExecution).
    pub(crate) fn from_map(members: Map<String, Value>) -> Fields {
        Fields(members)
    }

    /// The whole body as JSON (for an engine call that reads it itself).
    pub(crate) fn into_value(self) -> Value {
        Value::Object(self.0)
    }

    /// An optional string member of at most `max` characters (and at least `min`).
    ///
    /// # Errors
    /// Not a string; too short or too long.
    pub(crate) fn str(&self, name: &str, min: usize, max: usize) -> Result<Option<&str>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                let n = s.chars().count();
                if n < min {
                    Err(ApiError::validation(
                        &quote(s),
                        name,
                        &format!("Member must have length greater than or equal to {min}"),
                    ))
                } else if n > max {
                    Err(ApiError::validation(
                        &quote(s),
                        name,
                        &format!("Member must have length less than or equal to {max}"),
                    ))
                } else {
                    Ok(Some(s))
                }
            }
            Some(_) => Err(wrong_type(name, "a string")),
        }
    }

    /// A required string member.
    ///
    /// # Errors
    /// As [`Fields::str`]; missing.
    pub(crate) fn req_str(&self, name: &str, min: usize, max: usize) -> Result<&str, ApiError> {
        self.str(name, min, max)?
            .ok_or_else(|| ApiError::missing(name))
    }

    /// An optional integer member in `min..=max`.
    ///
    /// # Errors
    /// Not an integer; out of range.
    pub(crate) fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if i < min => Err(ApiError::validation(
                    &format!("'{i}'"),
                    name,
                    &format!("Member must have value greater than or equal to {min}"),
                )),
                Some(i) if i > max => Err(ApiError::validation(
                    &format!("'{i}'"),
                    name,
                    &format!("Member must have value less than or equal to {max}"),
                )),
                Some(i) => Ok(Some(i)),
                None => Err(wrong_type(name, "an integer")),
            },
            Some(_) => Err(wrong_type(name, "an integer")),
        }
    }

    /// An optional boolean member.
    ///
    /// # Errors
    /// Not a boolean.
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(wrong_type(name, "a boolean")),
        }
    }

    /// An optional enum member: one of `allowed`.
    ///
    /// # Errors
    /// Not a string; not one of `allowed`.
    pub(crate) fn one_of(
        &self,
        name: &str,
        allowed: &[&'static str],
    ) -> Result<Option<&'static str>, ApiError> {
        let Some(s) = self.str(name, 0, usize::MAX)? else {
            return Ok(None);
        };
        allowed
            .iter()
            .find(|a| **a == s)
            .copied()
            .map(Some)
            .ok_or_else(|| {
                ApiError::validation(
                    &quote(s),
                    name,
                    &format!(
                        "Member must satisfy enum value set: [{}]",
                        allowed.join(", ")
                    ),
                )
            })
    }

    /// An optional list member.
    ///
    /// # Errors
    /// Not a list.
    pub(crate) fn list(&self, name: &str) -> Result<Option<&[Value]>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(wrong_type(name, "a list")),
        }
    }

    /// An optional structure member, as JSON.
    ///
    /// # Errors
    /// Not an object.
    pub(crate) fn object(&self, name: &str) -> Result<Option<&Map<String, Value>>, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(_) => Err(wrong_type(name, "a structure")),
        }
    }
}

/// A value quoted as AWS's validation messages show it.
pub(crate) fn quote(s: &str) -> String {
    let short: String = s.chars().take(64).collect();
    if short.len() < s.len() {
        format!("'{short}…'")
    } else {
        format!("'{short}'")
    }
}

#[cold]
fn wrong_type(name: &str, want: &str) -> ApiError {
    ApiError::serialization(format!("The member '{name}' must be {want}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_that_are_not_objects_are_serialization_errors() {
        for body in [&b"[1]"[..], b"nope", b"{\"a\":", b"\"s\""] {
            assert_eq!(
                Fields::parse(body).unwrap_err().kind,
                "SerializationException"
            );
        }
        assert!(Fields::parse(b"").is_ok());
        assert!(Fields::parse(b"  {} ").is_ok());
    }

    #[test]
    fn members_are_checked_against_the_model() {
        let f = Fields::parse(br#"{"name":"","maxResults":1001,"n":"x","b":1}"#).unwrap();
        assert_eq!(
            f.str("name", 1, 80).unwrap_err().kind,
            "ValidationException"
        );
        assert_eq!(
            f.int("maxResults", 0, 1000).unwrap_err().kind,
            "ValidationException"
        );
        assert_eq!(f.int("n", 0, 1).unwrap_err().kind, "SerializationException");
        assert_eq!(f.bool("b").unwrap_err().kind, "SerializationException");
        assert_eq!(
            f.req_str("absent", 1, 2).unwrap_err().kind,
            "ValidationException"
        );
        assert_eq!(f.str("absent", 1, 2).unwrap(), None);
    }

    #[test]
    fn enums_take_only_their_values() {
        let f = Fields::parse(br#"{"type":"BATCH","t2":"EXPRESS"}"#).unwrap();
        assert!(f.one_of("type", &["STANDARD", "EXPRESS"]).is_err());
        assert_eq!(
            f.one_of("t2", &["STANDARD", "EXPRESS"]).unwrap(),
            Some("EXPRESS")
        );
    }
}
