//! Finding what the tests need outside this crate: the shared conformance
//! corpus and the `stampede` binary.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// `shared/conformance`: `$CONFORMANCE_DIR` if set, else the first of
/// `<ancestor>/shared/conformance` and `<ancestor>/../shared/conformance`
/// walking up from this crate (a checkout with `shared/` inside it, or a
/// worktree or CI clone with a copy of `shared/` beside it).
///
/// # Errors
/// No such folder was found; the message names where it looked.
pub fn conformance_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("CONFORMANCE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let start = Path::new(env!("CARGO_MANIFEST_DIR"));
    find_conformance_dir(start).ok_or_else(|| {
        format!(
            "no shared/conformance folder in or beside any ancestor of {}; set CONFORMANCE_DIR",
            start.display()
        )
    })
}

/// The search of [`conformance_dir`], from `start`.
pub fn find_conformance_dir(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|a| {
        [
            a.join("shared/conformance"),
            a.join("../shared/conformance"),
        ]
        .into_iter()
        .find(|c| c.is_dir())
    })
}

/// The `stampede` executable to test end to end.
///
/// `$STAMPEDE_BIN` if set (e.g. to test a release build). Otherwise the
/// binary is built once per test process with `cargo build -p stampede-cli
/// --bin stampede` (with `--release` when the tests themselves are optimized),
/// and its path is read from cargo's JSON messages rather than guessed
/// from the target folder layout, so it is never stale and `--target-dir`,
/// `CARGO_TARGET_DIR` and cross targets all work. Cargo only builds another
/// package's binary when asked: `CARGO_BIN_EXE_*` exists only for tests in
/// the binary's own package, and bins cannot be dev-dependencies.
///
/// # Panics
/// When cargo cannot build it (the panic carries cargo's output).
pub fn stampede_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| match std::env::var_os("STAMPEDE_BIN") {
        Some(p) => PathBuf::from(p),
        None => build_stampede().unwrap_or_else(|e| panic!("{e}")),
    })
}

fn build_stampede() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "build",
        "-p",
        "stampede-cli",
        "--bin",
        "stampede",
        "--message-format=json-render-diagnostics",
    ])
    .current_dir(env!("CARGO_MANIFEST_DIR"));
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run cargo to build stampede: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo build -p stampede-cli failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "stampede")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo built stampede-cli but named no `stampede` executable".into())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn finds_shared_beside_or_inside() {
        let root = std::env::temp_dir().join(format!("stampede-locate-{}", std::process::id()));
        let beside = root.join("shared/conformance");
        let repo = root.join("repo/tests");
        std::fs::create_dir_all(&beside).unwrap();
        std::fs::create_dir_all(&repo).unwrap();
        let found = find_conformance_dir(&repo).unwrap();
        assert_eq!(
            found.canonicalize().unwrap(),
            beside.canonicalize().unwrap()
        );
        std::fs::create_dir_all(root.join("repo/shared/conformance")).unwrap();
        let found = find_conformance_dir(&repo).unwrap();
        let inside = root.join("repo/shared/conformance");
        assert_eq!(
            found.canonicalize().unwrap(),
            inside.canonicalize().unwrap()
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
