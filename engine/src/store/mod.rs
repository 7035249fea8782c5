//! Object storage for Distributed Map readers and writers: the
//! [`ObjectStore`] trait an embedder implements (a real S3 client, say), and
//! [`LocalFolder`], where `s3://BUCKET/KEY` is the file `ROOT/BUCKET/KEY`.
//! `items/` turns an object into Map items, streamed.

pub(crate) mod items;
mod local;
pub(crate) mod results;
#[cfg(test)]
mod testdir;

pub use local::LocalFolder;
pub(crate) use results::Transformation;
#[cfg(test)]
pub(crate) use testdir::TempDir;

use std::fmt;
use std::io::Read;
use std::ops::Range;

/// A readable object body, read incrementally.
pub type Body = Box<dyn Read + Send>;

/// Where Distributed Map reads its items (`ItemReader`) and writes its
/// results (`ResultWriter`).
pub trait ObjectStore: Send + Sync + fmt::Debug {
    /// The object's bytes, or those in `range` (`start..end`, `end` past the
    /// object's end meaning its end), as a stream.
    ///
    /// # Errors
    /// [`StoreError`]: no such bucket or key, a key outside the store, I/O.
    fn get(&self, bucket: &str, key: &str, range: Option<Range<u64>>) -> Result<Body, StoreError>;

    /// Every object of `bucket` whose key starts with `prefix` (a string
    /// prefix, as in S3, not a folder), in key order.
    ///
    /// # Errors
    /// As [`ObjectStore::get`].
    fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, StoreError>;

    /// Writes the whole object (replacing one with the same key).
    ///
    /// # Errors
    /// As [`ObjectStore::get`].
    fn put(&self, bucket: &str, key: &str, body: &[u8]) -> Result<(), StoreError>;

    /// Writes an object a part at a time (a `ResultWriter`'s files, which
    /// may be gigabytes): `first` starts it afresh, each call adds `part`,
    /// and [`ObjectStore::complete_parts`] ends it. The default puts the
    /// whole object again for every part (read back with `get`): override
    /// it for large results, as an S3 multipart upload would.
    ///
    /// # Errors
    /// As [`ObjectStore::get`].
    fn put_part(
        &self,
        bucket: &str,
        key: &str,
        part: &[u8],
        first: bool,
    ) -> Result<(), StoreError> {
        if first {
            return self.put(bucket, key, part);
        }
        let mut body = Vec::new();
        self.get(bucket, key, None)?
            .read_to_end(&mut body)
            .map_err(|e| StoreError::new(StoreErrorKind::Io, format!("{key}: {e}")))?;
        body.extend_from_slice(part);
        self.put(bucket, key, &body)
    }

    /// Ends an object written with [`ObjectStore::put_part`]: it is whole
    /// (the default has nothing left to do).
    ///
    /// # Errors
    /// As [`ObjectStore::get`].
    fn complete_parts(&self, bucket: &str, key: &str) -> Result<(), StoreError> {
        let _ = (bucket, key);
        Ok(())
    }
}

/// One object of a listing, with the fields `listObjectsV2` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// The key.
    pub key: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its entity tag, quoted as S3 gives it (`"\"0cc1…\""`).
    pub etag: String,
    /// Last modification, in seconds since the epoch.
    pub last_modified: i64,
    /// Its storage class (`STANDARD`).
    pub storage_class: String,
}

/// What went wrong with an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// No such bucket.
    NoSuchBucket,
    /// No such key in the bucket.
    NoSuchKey,
    /// A bucket or key that would leave the store (`..`, an absolute path).
    InvalidKey,
    /// Reading or writing failed.
    Io,
}

/// An object store failure, with S3's error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    /// What kind of failure.
    pub kind: StoreErrorKind,
    /// What happened, for people.
    pub message: String,
}

impl StoreError {
    /// A failure of `kind`.
    #[cold]
    pub fn new(kind: StoreErrorKind, message: impl Into<String>) -> Self {
        StoreError {
            kind,
            message: message.into(),
        }
    }

    /// S3's error code for the kind (`NoSuchKey`, …).
    pub fn code(&self) -> &'static str {
        match self.kind {
            StoreErrorKind::NoSuchBucket => "NoSuchBucket",
            StoreErrorKind::NoSuchKey => "NoSuchKey",
            StoreErrorKind::InvalidKey => "InvalidKey",
            StoreErrorKind::Io => "InternalError",
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code())
    }
}

impl std::error::Error for StoreError {}
