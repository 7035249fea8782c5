//! Activity operations: Create, Describe, List, Delete, and
//! GetActivityTask's long poll (the tasks are queued in `activity_tasks.rs`).

use crate::activity_tasks::{Handout, Poll, TooManyWorkers};
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

/// `GetActivityTask`: the oldest task queued on the activity, or a long
/// poll (60 s as on AWS; `Config::activity_poll_ms`) for the next one. An
/// empty answer (no `taskToken`, AWS's null) when none came.
///
/// # Errors
/// `InvalidArn`, `ActivityDoesNotExist`, `ValidationException`,
/// `ActivityWorkerLimitExceeded` (too many polls waiting).
pub(crate) async fn get_task(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let a = find(app, &f)?;
    if let Some(w) = f.str("workerName", 1, 80)? {
        names::check_name(w, "workerName")?;
    }
    let shape = |h: Handout| json!({"taskToken": h.token, "input": h.input});
    let mut rx = match app.activity_tasks.poll(&a.arn) {
        Ok(Poll::Ready(h)) => return Ok(shape(h)),
        Ok(Poll::Wait(rx)) => rx,
        Err(TooManyWorkers) => {
            return Err(ApiError::new(
                "ActivityWorkerLimitExceeded",
                "The maximum number of workers concurrently polling for activity tasks has been reached.",
            ))
        }
    };
    tokio::select! {
        r = &mut rx => if let Ok(h) = r {
            return Ok(shape(h));
        },
        () = tokio::time::sleep(app.activity_poll) => {}
    }
    // A task sent as the poll ended is still taken; after `close` none comes.
    rx.close();
    Ok(rx.try_recv().map_or_else(|_| json!({}), shape))
}
