//! Map items read from an object store, one at a time: a JSON array, JSON
//! Lines, CSV (`FIRST_ROW` or `GIVEN` headers, any of AWS's delimiters) or a
//! `listObjectsV2` listing. A reader holds one line (or one listing) at a
//! time, never the whole object, except a JSON array, which is one value.

mod csv;
mod lines;

use super::{ObjectStore, StoreError};
use crate::json::{Doc, Entry, Val};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};

/// How `ReaderConfig.InputType` (and the `Resource`) says to read items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `JSON`: the object is one JSON array.
    Json,
    /// `JSONL`: one JSON value a line.
    Jsonl,
    /// `CSV`: `headers` given (`GIVEN`), else the first row (`FIRST_ROW`).
    Csv {
        headers: Option<Vec<String>>,
        delimiter: u8,
    },
    /// `arn:aws:states:::s3:listObjectsV2`: one item per object under a prefix.
    List,
}

/// A reader failure: AWS's `States.ItemReaderFailed` with this cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemError(pub(crate) String);

impl From<StoreError> for ItemError {
    fn from(e: StoreError) -> Self {
        ItemError(e.to_string())
    }
}

/// Items read ahead, each in its own document, or the error that ends them.
pub(crate) type Ahead = VecDeque<Result<(Doc, Val), ItemError>>;

/// Items one at a time, each parsed into the document it is asked for.
pub(crate) trait Items: Send {
    /// The next item in `doc`; `None` after the last.
    ///
    /// # Errors
    /// A malformed line or row, or the object could not be read.
    fn next(&mut self, doc: &mut Doc) -> Result<Option<Val>, ItemError>;

    /// Up to `max` items, each in a document of its own (taken from
    /// `spare`, empty documents, while it has some), added to `out` in
    /// order (a reader may parse them on several threads); fewer at the
    /// end, and nothing after an error. The default reads them one by one.
    fn next_many(&mut self, max: usize, spare: &mut Vec<Doc>, out: &mut Ahead) {
        for _ in 0..max {
            let mut d = spare.pop().unwrap_or_default();
            match self.next(&mut d) {
                Ok(Some(v)) => out.push_back(Ok((d, v))),
                Ok(None) => break,
                Err(e) => {
                    out.push_back(Err(e));
                    break;
                }
            }
        }
    }
}

/// Opens `bucket`/`key` (the prefix, for a listing) for reading as
/// `format`, giving at most `max_items` items (0: all).
///
/// # Errors
/// No such bucket or object, or (JSON) the object is not a JSON array.
pub(crate) fn open(
    store: &dyn ObjectStore,
    format: &Format,
    bucket: &str,
    key: &str,
    max_items: u64,
) -> Result<Box<dyn Items>, ItemError> {
    let limit = if max_items == 0 { u64::MAX } else { max_items };
    let items: Box<dyn Items> = match format {
        Format::List => Box::new(Listing {
            objects: store.list(bucket, key)?.into_iter(),
        }),
        Format::Json => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut store.get(bucket, key, None)?, &mut text)
                .map_err(|e| ItemError(format!("reading {key}: {e}")))?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| ItemError(format!("{key} is not valid JSON: {e}")))?;
            let serde_json::Value::Array(items) = v else {
                return Err(ItemError(format!(
                    "{key}: the JSON content must be an array"
                )));
            };
            Box::new(JsonArray {
                items: items.into_iter(),
            })
        }
        Format::Jsonl => Box::new(lines::JsonLines::new(reader(store, bucket, key)?, key)),
        Format::Csv { headers, delimiter } => Box::new(csv::Rows::new(
            reader(store, bucket, key)?,
            key,
            headers.clone(),
            *delimiter,
        )?),
    };
    Ok(Box::new(Limited { items, left: limit }))
}

fn reader(
    store: &dyn ObjectStore,
    bucket: &str,
    key: &str,
) -> Result<Box<dyn BufRead + Send>, ItemError> {
    Ok(Box::new(BufReader::with_capacity(
        256 * 1024,
        store.get(bucket, key, None)?,
    )))
}

/// `MaxItems`: stops after `left` items (reading no further).
struct Limited {
    items: Box<dyn Items>,
    left: u64,
}

impl Items for Limited {
    fn next(&mut self, doc: &mut Doc) -> Result<Option<Val>, ItemError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        self.items.next(doc)
    }

    fn next_many(&mut self, max: usize, spare: &mut Vec<Doc>, out: &mut Ahead) {
        let before = out.len();
        let n = usize::try_from(self.left).unwrap_or(usize::MAX).min(max);
        self.items.next_many(n, spare, out);
        self.left = self.left.saturating_sub((out.len() - before) as u64);
    }
}

struct JsonArray {
    items: std::vec::IntoIter<serde_json::Value>,
}

impl Items for JsonArray {
    fn next(&mut self, doc: &mut Doc) -> Result<Option<Val>, ItemError> {
        Ok(self.items.next().map(|v| doc.import(&v)))
    }
}

struct Listing {
    objects: std::vec::IntoIter<super::ObjectInfo>,
}

impl Items for Listing {
    /// AWS's item: `{"Etag", "Key", "LastModified", "Size", "StorageClass"}`
    /// (docs: input-output-itemreader.html, "Objects in a bucket").
    fn next(&mut self, doc: &mut Doc) -> Result<Option<Val>, ItemError> {
        let Some(o) = self.objects.next() else {
            return Ok(None);
        };
        let fields = [
            ("Etag", doc.str(&o.etag)),
            ("Key", doc.str(&o.key)),
            ("LastModified", doc.int(o.last_modified)),
            ("Size", doc.int(o.size as i64)),
            ("StorageClass", doc.str(&o.storage_class)),
        ];
        let entries: Vec<Entry> = fields
            .into_iter()
            .map(|(k, val)| Entry {
                key: doc.key(k),
                val,
            })
            .collect();
        Ok(Some(doc.object(&entries)))
    }
}

#[cfg(test)]
mod tests;
