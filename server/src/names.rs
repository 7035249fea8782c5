//! Resource names and ARNs: AWS's allowed characters for names, the ARN
//! of each resource kind, and reading an ARN back.

use crate::error::ApiError;

/// Checks a state machine, execution or activity name: 1–80 characters,
/// none of AWS's forbidden ones: whitespace, brackets `< > { } [ ]`,
/// wildcards `? *`, `" # % \ ^ | ~ ` $ & , ; : /`, control characters
/// (U+0000–001F, U+007F–009F). Source: the `name` member of
/// CreateStateMachine / StartExecution in the Step Functions API reference.
///
/// # Errors
/// `ValidationException` for the length, `InvalidName` for a character.
pub(crate) fn check_name(name: &str, field: &str) -> Result<(), ApiError> {
    let n = name.chars().count();
    if n == 0 || n > 80 {
        return Err(ApiError::validation(
            &crate::fields::quote(name),
            field,
            "Member must have length between 1 and 80",
        ));
    }
    let bad = |c: char| {
        c.is_whitespace()
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
            || ('\u{0}'..='\u{1f}').contains(&c)
            || ('\u{7f}'..='\u{9f}').contains(&c)
    };
    if name.chars().any(bad) {
        return Err(ApiError::new(
            "InvalidName",
            format!("Invalid Name: '{name}'"),
        ));
    }
    Ok(())
}

/// The kinds of resource an ARN of this server names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `…:stateMachine:NAME`.
    StateMachine,
    /// `…:execution:MACHINE:NAME` (Standard) or `…:express:MACHINE:NAME:ID`.
    Execution,
    /// `…:activity:NAME`.
    Activity,
}

/// The region and account ARNs are made with.
#[derive(Debug, Clone)]
pub(crate) struct Arns {
    /// e.g. `us-east-1`.
    pub(crate) region: String,
    /// e.g. `123456789012`.
    pub(crate) account: String,
}

impl Arns {
    fn prefix(&self) -> String {
        format!("arn:aws:states:{}:{}", self.region, self.account)
    }
    /// `arn:aws:states:R:A:stateMachine:NAME`.
    pub(crate) fn state_machine(&self, name: &str) -> String {
        format!("{}:stateMachine:{name}", self.prefix())
    }
    /// `arn:aws:states:R:A:activity:NAME`.
    pub(crate) fn activity(&self, name: &str) -> String {
        format!("{}:activity:{name}", self.prefix())
    }
    /// A Standard execution's ARN, or an Express one's (with a unique id, as AWS).
    pub(crate) fn execution(&self, machine: &str, name: &str, express: Option<&str>) -> String {
        // Pushed piece by piece: this runs for every start.
        let mut arn = String::with_capacity(
            40 + self.region.len() + self.account.len() + machine.len() + name.len(),
        );
        for part in ["arn:aws:states:", &self.region, ":", &self.account] {
            arn.push_str(part);
        }
        arn.push_str(if express.is_some() {
            ":express:"
        } else {
            ":execution:"
        });
        arn.push_str(machine);
        arn.push(':');
        arn.push_str(name);
        if let Some(id) = express {
            arn.push(':');
            arn.push_str(id);
        }
        arn
    }
}

/// Checks that `arn` names a resource of `kind` (any region and account);
/// a state machine ARN may end in `#TestCase` only where `test_case` allows.
/// Returns the ARN without the test case, and the test case.
///
/// # Errors
/// `InvalidArn` for any other shape.
pub(crate) fn parse(
    arn: &str,
    kind: Kind,
    test_case: bool,
) -> Result<(&str, Option<&str>), ApiError> {
    let (base, case) = match arn.split_once('#') {
        Some((b, c)) if test_case && kind == Kind::StateMachine && !c.is_empty() => (b, Some(c)),
        Some(_) => return Err(ApiError::invalid_arn(arn)),
        None => (arn, None),
    };
    let parts: Vec<&str> = base.split(':').collect();
    let ok = parts.len() >= 7
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "states"
        && !parts[3].is_empty()
        && !parts[4].is_empty()
        && parts[5..].iter().all(|p| !p.is_empty())
        && match kind {
            Kind::StateMachine => parts[5] == "stateMachine" && parts.len() == 7,
            Kind::Activity => parts[5] == "activity" && parts.len() == 7,
            Kind::Execution => {
                (parts[5] == "execution" && parts.len() == 8)
                    || (parts[5] == "express" && parts.len() == 9)
            }
        };
    if ok {
        Ok((base, case))
    } else {
        Err(ApiError::invalid_arn(arn))
    }
}

/// The kind of a resource ARN (for the tagging operations), if it is one.
pub(crate) fn kind_of(arn: &str) -> Option<Kind> {
    [Kind::StateMachine, Kind::Activity, Kind::Execution]
        .into_iter()
        .find(|k| parse(arn, *k, false).is_ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn execution_arns_have_aws_shapes() {
        let a = super::Arns {
            region: "eu-west-1".into(),
            account: "123456789012".into(),
        };
        assert_eq!(
            a.execution("M", "run", None),
            "arn:aws:states:eu-west-1:123456789012:execution:M:run"
        );
        assert_eq!(
            a.execution("M", "run", Some("id")),
            "arn:aws:states:eu-west-1:123456789012:express:M:run:id"
        );
    }

    use super::*;

    #[test]
    fn names_follow_aws_rules() {
        assert!(check_name("order-flow_1.v2", "name").is_ok());
        assert_eq!(check_name("a b", "name").unwrap_err().kind, "InvalidName");
        assert_eq!(check_name("a#b", "name").unwrap_err().kind, "InvalidName");
        assert_eq!(
            check_name("a\u{7f}", "name").unwrap_err().kind,
            "InvalidName"
        );
        assert_eq!(
            check_name("", "name").unwrap_err().kind,
            "ValidationException"
        );
        assert_eq!(
            check_name(&"x".repeat(81), "name").unwrap_err().kind,
            "ValidationException"
        );
        assert!(check_name(&"é".repeat(80), "name").is_ok());
    }

    #[test]
    fn arns_are_read_by_kind() {
        let a = Arns {
            region: "us-east-1".into(),
            account: "123456789012".into(),
        };
        let sm = a.state_machine("M");
        assert_eq!(
            parse(&sm, Kind::StateMachine, false).unwrap(),
            (sm.as_str(), None)
        );
        let with_case = format!("{sm}#Happy");
        assert_eq!(
            parse(&with_case, Kind::StateMachine, true).unwrap(),
            (sm.as_str(), Some("Happy"))
        );
        assert!(parse(&with_case, Kind::StateMachine, false).is_err());
        assert!(parse(&sm, Kind::Execution, false).is_err());
        let ex = a.execution("M", "e1", None);
        assert!(parse(&ex, Kind::Execution, false).is_ok());
        assert!(parse(&a.execution("M", "e1", Some("u")), Kind::Execution, false).is_ok());
        assert!(parse(
            "arn:aws:states:us-east-1:1:stateMachine:",
            Kind::StateMachine,
            false
        )
        .is_err());
        assert!(parse("nope", Kind::Activity, false).is_err());
        assert_eq!(kind_of(&a.activity("x")), Some(Kind::Activity));
        assert_eq!(kind_of("arn:aws:s3:::b"), None);
    }
}
