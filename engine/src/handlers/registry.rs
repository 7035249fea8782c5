//! Matching `Resource` strings to handlers, resolved once at compile time.

use super::TaskHandler;
use crate::bytecode::HandlerId;
use std::sync::Arc;

/// Which resources a registration serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Exactly this resource string.
    Exact(String),
    /// Every resource starting with this prefix (registered as `"prefix*"`).
    Prefix(String),
    /// Every resource (`"*"`).
    Any,
}

impl Pattern {
    /// Reads a registration string: `"*"` is any, a trailing `*` a prefix, else exact.
    pub fn parse(s: &str) -> Pattern {
        if s == "*" {
            Pattern::Any
        } else if let Some(p) = s.strip_suffix('*') {
            Pattern::Prefix(p.to_owned())
        } else {
            Pattern::Exact(s.to_owned())
        }
    }

    fn rank(&self, resource: &str) -> Option<usize> {
        match self {
            Pattern::Exact(e) => (e == resource).then_some(usize::MAX),
            Pattern::Prefix(p) => resource.starts_with(p.as_str()).then_some(p.len()),
            Pattern::Any => Some(0),
        }
    }
}

/// Registered handlers: an exact match wins, then the longest prefix, then `*`.
#[derive(Clone, Default)]
pub(crate) struct Registry {
    patterns: Vec<(Pattern, HandlerId)>,
    handlers: Vec<Arc<dyn TaskHandler>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.patterns.iter().map(|p| &p.0))
            .finish()
    }
}

impl Registry {
    /// Registers `handler` for the resources `pattern` matches.
    pub(crate) fn register(&mut self, pattern: &str, handler: Arc<dyn TaskHandler>) -> HandlerId {
        let id = HandlerId(self.handlers.len() as u32);
        self.handlers.push(handler);
        self.patterns.push((Pattern::parse(pattern), id));
        id
    }

    /// The handler for a resource, if any registration matches.
    pub(crate) fn resolve(&self, resource: &str) -> Option<HandlerId> {
        self.patterns
            .iter()
            .filter_map(|(p, id)| p.rank(resource).map(|r| (r, *id)))
            .max_by_key(|(r, id)| (*r, std::cmp::Reverse(id.0)))
            .map(|(_, id)| id)
    }

    /// The handlers, indexed by [`HandlerId`].
    pub(crate) fn handlers(&self) -> &[Arc<dyn TaskHandler>] {
        &self.handlers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handlers::echo;

    #[test]
    fn exact_beats_prefix_beats_any() {
        let mut r = Registry::default();
        let any = r.register("*", Arc::new(echo()));
        let pre = r.register("arn:aws:lambda:*", Arc::new(echo()));
        let ex = r.register("arn:aws:lambda:us-east-1:1:function:f", Arc::new(echo()));
        assert_eq!(r.resolve("arn:aws:lambda:us-east-1:1:function:f"), Some(ex));
        assert_eq!(
            r.resolve("arn:aws:lambda:us-east-1:1:function:g"),
            Some(pre)
        );
        assert_eq!(r.resolve("arn:aws:states:::sqs:sendMessage"), Some(any));
        let empty = Registry::default();
        assert_eq!(empty.resolve("x"), None);
    }
}
