//! Whole-file outputs (`--summary-json`, report files, shard files, merged
//! reports, `stampede-loadgen --hist-log`): written to a temporary file in
//! the same folder, flushed to disk, then renamed over the target, so a
//! reader (or a crash, or a signal) never finds half a file. The rename
//! follows a symbolic link to its target; a target that is not a regular
//! file (`/dev/stdout`, a FIFO) is written directly, since renaming over it
//! would replace the device instead of writing to it.
//!
//! This file has no crate-local imports: `stampede-loadgen` includes it
//! with `#[path]` rather than copying it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Temporary files made by this process so far (their names differ).
static TEMPORARIES: AtomicU32 = AtomicU32::new(0);

/// What failed while writing a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Creating the temporary file beside the target.
    Create,
    /// Writing or syncing the bytes.
    Write,
    /// Renaming the temporary file over the target.
    Rename,
}

/// A whole-file output could not be written; the target is as it was.
#[derive(Debug)]
pub(crate) struct WriteError {
    path: PathBuf,
    step: Step,
    source: io::Error,
}

impl WriteError {
    /// The step that failed.
    #[cfg(test)]
    pub(crate) fn step(&self) -> Step {
        self.step
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.path.display();
        match self.step {
            Step::Create => write!(
                f,
                "cannot write {path} (no temporary file beside it): {}",
                self.source
            ),
            Step::Write => write!(f, "cannot write {path}: {}", self.source),
            Step::Rename => write!(
                f,
                "cannot write {path} (renaming the temporary file over it): {}",
                self.source
            ),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Writes `bytes` as the whole of `path`, replacing what was there.
///
/// # Errors
/// The temporary file cannot be created or written, or the rename fails;
/// the temporary file is then removed and `path` is untouched.
pub(crate) fn write_whole(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), WriteError> {
    let bytes = bytes.as_ref();
    let fail = |step| {
        move |source| WriteError {
            path: path.to_owned(),
            step,
            source,
        }
    };
    let target = resolve(path);
    let existing = fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        return fs::write(&target, bytes).map_err(fail(Step::Write));
    }
    let (tmp, mut file) = create_beside(&target).map_err(fail(Step::Create))?;
    let written = (|| {
        if let Some(m) = &existing {
            file.set_permissions(m.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()
    })();
    drop(file);
    let result = written
        .map_err(fail(Step::Write))
        .and_then(|()| fs::rename(&tmp, &target).map_err(fail(Step::Rename)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `path`, or the file a symbolic link there points to.
fn resolve(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).unwrap_or(path.to_owned()),
        _ => path.to_owned(),
    }
}

/// A new file `.NAME.PID-N.tmp` in the folder of `target`.
fn create_beside(target: &Path) -> io::Result<(PathBuf, File)> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy());
    loop {
        let n = TEMPORARIES.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("files-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn entries(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let d = dir("replace");
        let p = d.join("report.json");
        fs::write(&p, "old and longer").unwrap();
        write_whole(&p, "new\n").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new\n");
        assert_eq!(entries(&d), ["report.json"]);
    }

    #[test]
    fn writes_through_a_symbolic_link() {
        let d = dir("link");
        let real = d.join("real.json");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, d.join("link.json")).unwrap();
        write_whole(&d.join("link.json"), "new").unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert!(fs::symlink_metadata(d.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let d = dir("fail");
        let p = d.join("missing-folder").join("x.json");
        let e = write_whole(&p, "x").unwrap_err();
        assert_eq!(e.step(), Step::Create);
        assert!(e.to_string().starts_with("cannot write "), "{e}");
        assert!(entries(&d).is_empty());
    }

    #[test]
    fn a_device_is_written_not_replaced() {
        write_whole(Path::new("/dev/null"), "x").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }
}
