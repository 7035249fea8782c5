//! Tagging: TagResource, UntagResource, ListTagsForResource on state
//! machines and activities.

use crate::app::App;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::names::{self, Kind};
use serde_json::{json, Value};
use std::sync::Arc;

/// AWS's limit of tags on one resource.
const MAX_TAGS: usize = 50;

/// Reads a `tags` list (`[{"key": …, "value": …}]`).
///
/// # Errors
/// `SerializationException` for a wrong shape, `ValidationException` for
/// a key or value of the wrong length, `TooManyTags`.
pub(crate) fn read_tags(f: &Fields) -> Result<Vec<(String, String)>, ApiError> {
    let Some(list) = f.list("tags")? else {
        return Ok(Vec::new());
    };
    if list.len() > MAX_TAGS {
        return Err(too_many());
    }
    list.iter()
        .map(|t| {
            let key = t.get("key").and_then(Value::as_str);
            let value = t.get("value").and_then(Value::as_str).unwrap_or("");
            match key {
                Some(k)
                    if (1..=128).contains(&k.chars().count()) && value.chars().count() <= 256 =>
                {
                    Ok((k.to_owned(), value.to_owned()))
                }
                Some(k) => Err(ApiError::validation(
                    &crate::fields::quote(k),
                    "tags",
                    "Member must have a key of 1 to 128 characters and a value of at most 256",
                )),
                None => Err(ApiError::serialization(
                    "A tag must be an object with a string key.",
                )),
            }
        })
        .collect()
}

#[cold]
fn too_many() -> ApiError {
    ApiError::new(
        "TooManyTags",
        format!("Too many tags: at most {MAX_TAGS} per resource"),
    )
}

/// Reads `resourceArn` and checks the resource exists.
fn resource(app: &App, f: &Fields) -> Result<String, ApiError> {
    let arn = f.req_str("resourceArn", 1, 256)?;
    let exists = match names::kind_of(arn) {
        Some(Kind::StateMachine) => app.store.machine(arn).is_some(),
        Some(Kind::Activity) => app.store.activity(arn).is_some(),
        _ => return Err(ApiError::invalid_arn(arn)),
    };
    if exists {
        Ok(arn.to_owned())
    } else {
        Err(ApiError::new(
            "ResourceNotFound",
            format!("Resource not found: '{arn}'"),
        ))
    }
}

/// `TagResource`: adds or replaces tags by key.
///
/// # Errors
/// `InvalidArn`, `ResourceNotFound`, `TooManyTags`.
pub(crate) fn tag(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = resource(app, &f)?;
    if f.list("tags")?.is_none() {
        return Err(ApiError::missing("tags"));
    }
    let mut tags = app.store.tags(&arn);
    for (k, v) in read_tags(&f)? {
        match tags.iter_mut().find(|(old, _)| *old == k) {
            Some(t) => t.1 = v,
            None => tags.push((k, v)),
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(too_many());
    }
    app.store.set_tags(&arn, tags);
    Ok(json!({}))
}

/// `UntagResource`.
///
/// # Errors
/// `InvalidArn`, `ResourceNotFound`.
pub(crate) fn untag(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = resource(app, &f)?;
    let keys: Vec<&str> = f
        .list("tagKeys")?
        .ok_or_else(|| ApiError::missing("tagKeys"))?
        .iter()
        .map(|k| {
            k.as_str()
                .ok_or_else(|| ApiError::serialization("tagKeys must be strings."))
        })
        .collect::<Result<_, _>>()?;
    let mut tags = app.store.tags(&arn);
    tags.retain(|(k, _)| !keys.contains(&k.as_str()));
    app.store.set_tags(&arn, tags);
    Ok(json!({}))
}

/// `ListTagsForResource`.
///
/// # Errors
/// `InvalidArn`, `ResourceNotFound`.
pub(crate) fn list(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = resource(app, &f)?;
    let tags: Vec<Value> = app
        .store
        .tags(&arn)
        .into_iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    Ok(json!({"tags": tags}))
}
