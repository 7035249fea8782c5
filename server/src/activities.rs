//! Activity operations: Create, Describe, List, Delete, and the
//! GetActivityTask request (its long poll waits on the engine's task tokens).

use crate::app::App;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::names::{self, Kind};
use crate::paging;
use crate::store::{now_secs, Activity};
use serde_json::{json, Value};
use std::sync::Arc;

/// `CreateActivity` (idempotent by name).
///
/// # Errors
/// `InvalidName`, `ValidationException`.
pub(crate) fn create(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let name = f.req_str("name", 1, 80)?;
    names::check_name(name, "name")?;
    let tags = crate::tags::read_tags(&f)?;
    let arn = app.arns.activity(name);
    let a = app.store.add_activity(Activity {
        arn: arn.clone(),
        name: name.to_owned(),
        created: now_secs(),
    });
    if !tags.is_empty() {
        app.store.set_tags(&arn, tags);
    }
    Ok(json!({"activityArn": a.arn, "creationDate": a.created}))
}

fn find(app: &App, f: &Fields) -> Result<Activity, ApiError> {
    let raw = f.req_str("activityArn", 1, 256)?;
    let (arn, _) = names::parse(raw, Kind::Activity, false)?;
    app.store.activity(arn).ok_or_else(|| {
        ApiError::new(
            "ActivityDoesNotExist",
            format!("Activity Does Not Exist: '{arn}'"),
        )
    })
}

/// `DescribeActivity`.
///
/// # Errors
/// `InvalidArn`, `ActivityDoesNotExist`.
pub(crate) fn describe(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let a = find(app, &f)?;
    Ok(json!({"activityArn": a.arn, "name": a.name, "creationDate": a.created}))
}

/// `ListActivities`, by ARN, paged.
///
/// # Errors
/// `InvalidToken`, `ValidationException`.
pub(crate) fn list(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let n = paging::page_size(&f)?;
    let after = paging::position(&f, "activities", 1024)?;
    let (items, more) = app.store.activities_page(after.as_deref(), n);
    let list: Vec<Value> = items
        .iter()
        .map(|a| json!({"activityArn": a.arn, "name": a.name, "creationDate": a.created}))
        .collect();
    let mut out = json!({"activities": list});
    if more {
        if let Some(last) = items.last() {
            out["nextToken"] = json!(paging::token("activities", &last.arn));
        }
    }
    Ok(out)
}

/// `DeleteActivity` (idempotent).
///
/// # Errors
/// `InvalidArn`.
pub(crate) fn delete(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let raw = f.req_str("activityArn", 1, 256)?;
    let (arn, _) = names::parse(raw, Kind::Activity, false)?;
    app.store.delete_activity(arn);
    Ok(json!({}))
}

/// `GetActivityTask`: the request is checked (the activity must exist);
/// handing out tasks needs the engine's task tokens, which this build
/// lacks, so it answers a clear error instead of a long poll that could
/// never deliver.
///
/// # Errors
/// `InvalidArn`, `ActivityDoesNotExist`, `ValidationException`, and the
/// not-yet-supported error.
pub(crate) fn get_task(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    find(app, &f)?;
    if let Some(w) = f.str("workerName", 1, 80)? {
        names::check_name(w, "workerName")?;
    }
    Err(ApiError::not_yet(
        "GetActivityTask",
        "activity workers need the engine's task tokens, which are not in this build",
    ))
}
