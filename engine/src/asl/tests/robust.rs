//! Robustness: malformed, empty, huge and deep inputs never panic.
