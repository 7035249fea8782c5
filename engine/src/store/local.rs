//! [`LocalFolder`]: an [`ObjectStore`] over a folder, `s3://BUCKET/KEY`
//! being `ROOT/BUCKET/KEY`. Buckets and keys are confined to the root: a
//! `..` or `.` segment, an empty segment or a backslash is refused, never
//! resolved.

use super::{Body, ObjectInfo, ObjectStore, StoreError, StoreErrorKind};
use md5::{Digest, Md5};
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// A folder as an object store.
#[derive(Debug, Clone)]
pub struct LocalFolder {
    root: PathBuf,
}

impl LocalFolder {
    /// The store rooted at `root` (each bucket a folder in it).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalFolder { root: root.into() }
    }

    /// The bucket's folder, the bucket name checked.
    fn bucket_dir(&self, bucket: &str) -> Result<PathBuf, StoreError> {
        if bucket.is_empty() || bucket.contains(['/', '\\']) || bucket == "." || bucket == ".." {
            return Err(StoreError::new(
                StoreErrorKind::InvalidKey,
                format!("invalid bucket name '{bucket}'"),
            ));
        }
        let dir = self.root.join(bucket);
        if !dir.is_dir() {
            return Err(StoreError::new(
                StoreErrorKind::NoSuchBucket,
                format!("The specified bucket does not exist: {bucket}"),
            ));
        }
        Ok(dir)
    }

    /// The object's file, the key checked segment by segment.
    fn file(&self, bucket: &str, key: &str) -> Result<PathBuf, StoreError> {
        let mut path = self.bucket_dir(bucket)?;
        for seg in key.split('/') {
            if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\') {
                return Err(StoreError::new(
                    StoreErrorKind::InvalidKey,
                    format!("key '{key}' leaves the store's root (segments may not be empty, '.' or '..')"),
                ));
            }
            path.push(seg);
        }
        Ok(path)
    }
}

fn io(e: std::io::Error, what: &str) -> StoreError {
    StoreError::new(StoreErrorKind::Io, format!("{what}: {e}"))
}

impl ObjectStore for LocalFolder {
    fn get(&self, bucket: &str, key: &str, range: Option<Range<u64>>) -> Result<Body, StoreError> {
        let path = self.file(bucket, key)?;
        let mut f = match fs::File::open(&path) {
            Ok(f) if path.is_file() => f,
            Ok(_) => return Err(no_such_key(key)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(no_such_key(key)),
            Err(e) => return Err(io(e, key)),
        };
        match range {
            None => Ok(Box::new(f)),
            Some(r) => {
                f.seek(SeekFrom::Start(r.start)).map_err(|e| io(e, key))?;
                Ok(Box::new(f.take(r.end.saturating_sub(r.start))))
            }
        }
    }

    fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, StoreError> {
        let dir = self.bucket_dir(bucket)?;
        let mut out = Vec::new();
        walk(&dir, "", prefix, &mut out)?;
        // S3 lists keys in UTF-8 binary order.
        out.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
        Ok(out)
    }

    fn put(&self, bucket: &str, key: &str, body: &[u8]) -> Result<(), StoreError> {
        let path = self.file(bucket, key)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io(e, key))?;
        }
        // Written beside the target and renamed over it: no reader finds half an object.
        let tmp = path.with_extension("stampede-tmp");
        let mut f = fs::File::create(&tmp).map_err(|e| io(e, key))?;
        f.write_all(body).map_err(|e| io(e, key))?;
        drop(f);
        fs::rename(&tmp, &path).map_err(|e| io(e, key))
    }

    fn put_part(
        &self,
        bucket: &str,
        key: &str,
        part: &[u8],
        first: bool,
    ) -> Result<(), StoreError> {
        let path = self.file(bucket, key)?;
        if first {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| io(e, key))?;
            }
        }
        // The parts gather beside the target, renamed over it when complete.
        let tmp = path.with_extension("stampede-tmp");
        let mut f = fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(!first)
            .truncate(first)
            .open(&tmp)
            .map_err(|e| io(e, key))?;
        f.write_all(part).map_err(|e| io(e, key))
    }

    fn complete_parts(&self, bucket: &str, key: &str) -> Result<(), StoreError> {
        let path = self.file(bucket, key)?;
        fs::rename(path.with_extension("stampede-tmp"), &path).map_err(|e| io(e, key))
    }
}

fn no_such_key(key: &str) -> StoreError {
    StoreError::new(
        StoreErrorKind::NoSuchKey,
        format!("The specified key does not exist: {key}"),
    )
}

/// Adds the files under `dir` (keys `base…`) that start with `prefix`.
fn walk(dir: &Path, base: &str, prefix: &str, out: &mut Vec<ObjectInfo>) -> Result<(), StoreError> {
    let entries = fs::read_dir(dir).map_err(|e| io(e, base))?;
    for entry in entries {
        let entry = entry.map_err(|e| io(e, base))?;
        let Ok(name) = entry.file_name().into_string() else {
            continue; // not UTF-8: no S3 key names it
        };
        let key = format!("{base}{name}");
        let ty = entry.file_type().map_err(|e| io(e, &key))?;
        if ty.is_dir() {
            let sub = format!("{key}/");
            // Only folders that can hold a matching key.
            if sub.starts_with(prefix) || prefix.starts_with(&sub) {
                walk(&entry.path(), &sub, prefix, out)?;
            }
        } else if ty.is_file() && key.starts_with(prefix) && !name.ends_with(".stampede-tmp") {
            out.push(info(&entry.path(), key)?);
        }
    }
    Ok(())
}

/// A listing entry: the ETag is the MD5 of the content, as S3 gives it for
/// an object put in one part.
fn info(path: &Path, key: String) -> Result<ObjectInfo, StoreError> {
    let meta = fs::metadata(path).map_err(|e| io(e, &key))?;
    let mut f = fs::File::open(path).map_err(|e| io(e, &key))?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(|e| io(e, &key))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let etag: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let last_modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64);
    Ok(ObjectInfo {
        key,
        size: meta.len(),
        etag: format!("\"{etag}\""),
        last_modified,
        storage_class: "STANDARD".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::TempDir;

    fn store() -> (TempDir, LocalFolder) {
        let d = TempDir::new();
        fs::create_dir_all(d.0.join("b/data/2024")).unwrap();
        fs::write(d.0.join("b/data/a.json"), "[1,2]").unwrap();
        fs::write(d.0.join("b/data/2024/x.csv"), "h\n1\n").unwrap();
        fs::write(d.0.join("b/database.txt"), "db").unwrap();
        fs::write(d.0.join("secret.txt"), "outside").unwrap();
        let s = LocalFolder::new(&d.0);
        (d, s)
    }

    fn read(b: Body) -> String {
        let mut s = String::new();
        let mut b = b;
        b.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn gets_whole_objects_and_ranges() {
        let (_d, s) = store();
        assert_eq!(read(s.get("b", "data/a.json", None).unwrap()), "[1,2]");
        assert_eq!(read(s.get("b", "data/a.json", Some(1..4)).unwrap()), "1,2");
        assert_eq!(read(s.get("b", "data/a.json", Some(3..99)).unwrap()), "2]");
    }

    #[test]
    fn missing_objects_and_buckets_have_s3s_codes() {
        let (_d, s) = store();
        let e = s.get("b", "data/none.json", None).err().unwrap();
        assert_eq!(e.code(), "NoSuchKey");
        assert_eq!(
            s.get("b", "data", None).err().unwrap().code(),
            "NoSuchKey",
            "a folder is no object"
        );
        assert_eq!(
            s.get("nope", "k", None).err().unwrap().code(),
            "NoSuchBucket"
        );
    }

    #[test]
    fn keys_cannot_leave_the_root() {
        let (_d, s) = store();
        for key in [
            "../secret.txt",
            "data/../../secret.txt",
            "/etc/passwd",
            "a//b",
            "./x",
        ] {
            let e = s.get("b", key, None).err().unwrap();
            assert_eq!(e.kind, StoreErrorKind::InvalidKey, "{key}");
            assert_eq!(
                s.put("b", key, b"x").unwrap_err().kind,
                StoreErrorKind::InvalidKey
            );
        }
        assert_eq!(
            s.get("..", "secret.txt", None).err().unwrap().kind,
            StoreErrorKind::InvalidKey
        );
        assert!(!s.root.join("x").exists());
    }

    #[test]
    fn lists_by_string_prefix_in_key_order() {
        let (_d, s) = store();
        let keys = |p: &str| -> Vec<String> {
            s.list("b", p).unwrap().into_iter().map(|o| o.key).collect()
        };
        assert_eq!(keys("data/"), ["data/2024/x.csv", "data/a.json"]);
        // A string prefix, not a folder: "data" also matches "database.txt".
        assert_eq!(
            keys("data"),
            ["data/2024/x.csv", "data/a.json", "database.txt"]
        );
        assert_eq!(keys("data/2"), ["data/2024/x.csv"]);
        let a = &s.list("b", "data/a").unwrap()[0];
        assert_eq!(a.size, 5);
        // md5("[1,2]"), quoted
        assert_eq!(a.etag, "\"f79408e5ca998cd53faf44af31e6eb45\"");
        assert_eq!(a.storage_class, "STANDARD");
        assert!(a.last_modified > 1_600_000_000);
    }

    #[test]
    fn parts_make_one_object_only_when_complete() {
        let (_d, s) = store();
        s.put("b", "out/r.json", b"old").unwrap();
        s.put_part("b", "out/r.json", b"[1", true).unwrap();
        s.put_part("b", "out/r.json", b",2]", false).unwrap();
        assert_eq!(read(s.get("b", "out/r.json", None).unwrap()), "old");
        s.complete_parts("b", "out/r.json").unwrap();
        assert_eq!(read(s.get("b", "out/r.json", None).unwrap()), "[1,2]");
        // A new upload starts afresh.
        s.put_part("b", "out/r.json", b"[3]", true).unwrap();
        s.complete_parts("b", "out/r.json").unwrap();
        assert_eq!(read(s.get("b", "out/r.json", None).unwrap()), "[3]");
        assert_eq!(
            s.put_part("b", "../x", b"x", true).unwrap_err().kind,
            StoreErrorKind::InvalidKey
        );
    }

    #[test]
    fn put_writes_whole_objects_under_new_folders() {
        let (_d, s) = store();
        s.put("b", "out/run/manifest.json", b"{}").unwrap();
        assert_eq!(
            read(s.get("b", "out/run/manifest.json", None).unwrap()),
            "{}"
        );
        s.put("b", "out/run/manifest.json", b"{\"a\":1}").unwrap();
        assert_eq!(
            read(s.get("b", "out/run/manifest.json", None).unwrap()),
            "{\"a\":1}"
        );
    }
}
