//! Conformance corpus runner (placeholder).
#[test]
fn placeholder() {
    assert_eq!(stampede::Status::Succeeded.as_str(), "SUCCEEDED");
}
