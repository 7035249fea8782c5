//! State machine operations: Create, Describe, List, Update, Delete, and
//! ValidateStateMachineDefinition.

use crate::app::App;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::names::{self, Kind};
use crate::paging;
use crate::shapes;
use crate::store::{now_secs, MachineRec, MachineVersion};
use serde_json::{json, Value};
use stampede::{MachineType, Severity};
use std::sync::Arc;

/// The largest definition the service model allows (characters).
pub(crate) const MAX_DEFINITION: usize = 1 << 20;

fn machine_type(f: &Fields) -> Result<MachineType, ApiError> {
    Ok(match f.one_of("type", &["STANDARD", "EXPRESS"])? {
        Some("EXPRESS") => MachineType::Express,
        _ => MachineType::Standard,
    })
}

fn role_arn(f: &Fields, required: bool) -> Result<Option<String>, ApiError> {
    let role = if required {
        Some(f.req_str("roleArn", 1, 256)?)
    } else {
        f.str("roleArn", 1, 256)?
    };
    match role {
        Some(r) if !(r.starts_with("arn:aws") && r.contains(":iam::")) => {
            Err(ApiError::invalid_arn(r))
        }
        r => Ok(r.map(str::to_owned)),
    }
}

/// `CreateStateMachine`: idempotent for the same name, definition, role and type.
///
/// # Errors
/// `InvalidName`, `InvalidArn` (role), `InvalidDefinition`,
/// `StateMachineAlreadyExists`, `ValidationException`.
pub(crate) async fn create(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let name = f.req_str("name", 1, 80)?;
    names::check_name(name, "name")?;
    let definition = f.req_str("definition", 1, MAX_DEFINITION)?.to_owned();
    let role = role_arn(&f, true)?.unwrap_or_default();
    let kind = machine_type(&f)?;
    let tags = crate::tags::read_tags(&f)?;
    let arn = app.arns.state_machine(name);
    if let Some(old) = app.store.machine(&arn) {
        return same_or_exists(&old, &definition, &role, kind);
    }
    let compiled = app.compile(definition.clone(), kind).await?;
    let now = now_secs();
    let version = Arc::new(MachineVersion {
        arn: arn.clone(),
        name: name.to_owned(),
        definition,
        role_arn: role,
        kind,
        updated: now,
        revision: 1,
        compiled,
        cases: Default::default(),
    });
    let rec = MachineRec {
        current: Arc::clone(&version),
        created: now,
    };
    match app.store.add_machine(rec) {
        Ok(()) => {
            if !tags.is_empty() {
                app.store.set_tags(&arn, tags);
            }
            Ok(json!({"stateMachineArn": arn, "creationDate": now}))
        }
        // Created by a concurrent request in the meantime.
        Err(old) => same_or_exists(&old, &version.definition, &version.role_arn, kind),
    }
}

fn same_or_exists(
    old: &MachineRec,
    definition: &str,
    role: &str,
    kind: MachineType,
) -> Result<Value, ApiError> {
    let v = &old.current;
    if v.definition == definition && v.role_arn == role && v.kind == kind {
        Ok(json!({"stateMachineArn": v.arn, "creationDate": old.created}))
    } else {
        Err(ApiError::new(
            "StateMachineAlreadyExists",
            format!("State Machine Already Exists: '{}'", v.arn),
        ))
    }
}

/// Reads `stateMachineArn` and finds the machine.
///
/// # Errors
/// `InvalidArn`, `StateMachineDoesNotExist`.
pub(crate) fn find(app: &App, f: &Fields) -> Result<MachineRec, ApiError> {
    let raw = f.req_str("stateMachineArn", 1, 256)?;
    let (arn, _) = names::parse(raw, Kind::StateMachine, false)?;
    app.store.machine(arn).ok_or_else(|| does_not_exist(arn))
}

/// AWS's `StateMachineDoesNotExist`.
#[cold]
pub(crate) fn does_not_exist(arn: &str) -> ApiError {
    ApiError::new(
        "StateMachineDoesNotExist",
        format!("State Machine Does Not Exist: '{arn}'"),
    )
}

/// `DescribeStateMachine`.
///
/// # Errors
/// As [`find`].
pub(crate) fn describe(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    Ok(shapes::describe_machine(&find(app, &f)?))
}

/// `ListStateMachines`, by ARN, paged.
///
/// # Errors
/// `InvalidToken`, `ValidationException`.
pub(crate) fn list(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let n = paging::page_size(&f)?;
    let after = paging::position(&f, "machines", 1024)?;
    let (items, more) = app.store.machines_page(after.as_deref(), n);
    let mut out =
        json!({"stateMachines": items.iter().map(shapes::machine_item).collect::<Vec<_>>()});
    if more {
        if let Some(last) = items.last() {
            out["nextToken"] = json!(paging::token("machines", &last.current.arn));
        }
    }
    Ok(out)
}

/// `UpdateStateMachine`: a new definition and/or role; executions already
/// running keep the version they started with.
///
/// # Errors
/// `MissingRequiredParameter` (neither given), `InvalidDefinition`, as [`find`].
pub(crate) async fn update(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let rec = find(app, &f)?;
    let definition = f.str("definition", 1, MAX_DEFINITION)?.map(str::to_owned);
    let role = role_arn(&f, false)?;
    if definition.is_none() && role.is_none() {
        return Err(ApiError::new(
            "MissingRequiredParameter",
            "Either the definition or the roleArn must be specified",
        ));
    }
    let old = &rec.current;
    let compiled = match &definition {
        Some(d) => app.compile(d.clone(), old.kind).await?,
        None => old.compiled.clone(),
    };
    let now = now_secs();
    let version = Arc::new(MachineVersion {
        arn: old.arn.clone(),
        name: old.name.clone(),
        definition: definition.unwrap_or_else(|| old.definition.clone()),
        role_arn: role.unwrap_or_else(|| old.role_arn.clone()),
        kind: old.kind,
        updated: now,
        revision: old.revision + 1,
        compiled,
        cases: Default::default(),
    });
    let revision = version.revision;
    if !app.store.update_machine(version) {
        return Err(does_not_exist(&old.arn));
    }
    Ok(json!({"updateDate": now, "revisionId": revision.to_string()}))
}

/// `DeleteStateMachine` (idempotent; running executions go on).
///
/// # Errors
/// `InvalidArn`.
pub(crate) fn delete(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let raw = f.req_str("stateMachineArn", 1, 256)?;
    let (arn, _) = names::parse(raw, Kind::StateMachine, false)?;
    app.store.delete_machine(arn);
    Ok(json!({}))
}

/// `ValidateStateMachineDefinition`: `OK` or `FAIL` with the diagnostics
/// (errors; warnings too when `severity` is `WARNING`), at most `maxResults`.
///
/// # Errors
/// `ValidationException`.
pub(crate) async fn validate(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let definition = f.req_str("definition", 1, MAX_DEFINITION)?.to_owned();
    let kind = machine_type(&f)?;
    let warnings = f.one_of("severity", &["ERROR", "WARNING"])? == Some("WARNING");
    let max = match f.int("maxResults", 0, 100)? {
        None | Some(0) => 100,
        Some(n) => n as usize,
    };
    let d = app
        .cpu(move || stampede::validate(&definition, kind))
        .await?;
    let failed = d.has_errors();
    let shown: Vec<_> =
        d.0.iter()
            .filter(|x| warnings || x.severity == Severity::Error)
            .collect();
    let truncated = shown.len() > max;
    let diagnostics: Vec<Value> = shown
        .iter()
        .take(max)
        .map(|x| {
            json!({"severity": x.severity.as_str(), "code": x.code, "message": x.message,
                   "location": if x.location.is_empty() { "/" } else { &x.location }})
        })
        .collect();
    Ok(json!({
        "result": if failed { "FAIL" } else { "OK" },
        "diagnostics": diagnostics,
        "truncated": truncated,
    }))
}
