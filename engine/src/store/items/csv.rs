//! CSV rows as items: an object of the header's names to the row's texts
//! (every value a string, as AWS gives them). Quoted fields (`"a,b"`, `""`
//! for a quote, line breaks inside quotes) follow RFC 4180.

use super::{ItemError, Items};
use crate::json::{Doc, Entry, Val};
use std::io::BufRead;

pub(super) struct Rows {
    input: Box<dyn BufRead + Send>,
    key: String,
    headers: Vec<String>,
    delimiter: u8,
    line: Vec<u8>,
    fields: Vec<String>,
    row: u64,
}

impl Rows {
    /// Reads the header row first unless `headers` are given.
    pub(super) fn new(
        input: Box<dyn BufRead + Send>,
        key: &str,
        headers: Option<Vec<String>>,
        delimiter: u8,
    ) -> Result<Self, ItemError> {
        let mut rows = Rows {
            input,
            key: key.to_owned(),
            headers: Vec::new(),
            delimiter,
            line: Vec::with_capacity(256),
            fields: Vec::new(),
            row: 0,
        };
        match headers {
            Some(h) => rows.headers = h,
            None => {
                if !rows.read_row()? {
                    return Err(ItemError(format!("{key}: the CSV file has no header row")));
                }
                rows.headers = std::mem::take(&mut rows.fields);
            }
        }
        Ok(rows)
    }

    /// Reads the next non-blank row into `fields`; `false` at the end.
    fn read_row(&mut self) -> Result<bool, ItemError> {
        loop {
            self.line.clear();
            // A row may span lines while a quote is open.
            loop {
                let n = self
                    .input
                    .read_until(b'\n', &mut self.line)
                    .map_err(|e| ItemError(format!("reading {}: {e}", self.key)))?;
                if n == 0 || self.line.iter().filter(|&&b| b == b'"').count() % 2 == 0 {
                    break;
                }
            }
            if self.line.is_empty() {
                return Ok(false);
            }
            self.row += 1;
            while matches!(self.line.last(), Some(b'\n' | b'\r')) {
                self.line.pop();
            }
            if self.line.is_empty() {
                continue;
            }
            let text = std::str::from_utf8(&self.line)
                .map_err(|_| ItemError(format!("{} row {}: not UTF-8 text", self.key, self.row)))?;
            self.fields = split(text, self.delimiter as char)
                .map_err(|why| ItemError(format!("{} row {}: {why}", self.key, self.row)))?;
            return Ok(true);
        }
    }
}

/// The fields of one row.
fn split(text: &str, delim: char) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                    if chars.peek().is_some_and(|&n| n != delim) {
                        return Err("text after a closing quote");
                    }
                }
            } else {
                cur.push(c);
            }
        } else if c == delim {
            fields.push(std::mem::take(&mut cur));
            at_start = true;
            continue;
        } else if c == '"' && at_start {
            quoted = true;
        } else if c == '"' {
            return Err("a quote inside an unquoted field");
        } else {
            cur.push(c);
        }
        at_start = false;
    }
    if quoted {
        return Err("an unclosed quote");
    }
    fields.push(cur);
    Ok(fields)
}

impl Items for Rows {
    fn next(&mut self, doc: &mut Doc) -> Result<Option<Val>, ItemError> {
        if !self.read_row()? {
            return Ok(None);
        }
        if self.fields.len() != self.headers.len() {
            return Err(ItemError(format!(
                "{} row {} has {} fields, but there are {} headers",
                self.key,
                self.row,
                self.fields.len(),
                self.headers.len()
            )));
        }
        let mut entries = Vec::with_capacity(self.headers.len());
        for (h, v) in self.headers.iter().zip(&self.fields) {
            let val = doc.str(v);
            entries.push(Entry {
                key: doc.key(h),
                val,
            });
        }
        Ok(Some(doc.object(&entries)))
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_quoted_and_plain_fields() {
        assert_eq!(split("a,b,,c", ',').unwrap(), ["a", "b", "", "c"]);
        assert_eq!(
            split("\"a,b\",\"say \"\"hi\"\"\"", ',').unwrap(),
            ["a,b", "say \"hi\""]
        );
        assert_eq!(split("x|y", '|').unwrap(), ["x", "y"]);
        assert_eq!(split("\"two\nlines\",z", ',').unwrap(), ["two\nlines", "z"]);
        assert!(split("\"open", ',').is_err());
        assert!(split("a\"b", ',').is_err());
        assert!(split("\"a\"b,c", ',').is_err());
    }
}
