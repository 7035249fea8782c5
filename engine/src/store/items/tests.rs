use super::{open, Format, ItemError};
use crate::json::Doc;
use crate::store::{LocalFolder, TempDir};
use serde_json::{json, Value};

/// Every item of `key` read as `format` (at most `max`), or the first error.
fn read_all(d: &TempDir, format: &Format, key: &str, max: u64) -> Result<Vec<Value>, ItemError> {
    let store = LocalFolder::new(&d.0);
    let mut items = open(&store, format, "b", key, max)?;
    let mut doc = Doc::new();
    let mut out = Vec::new();
    while let Some(v) = items.next(&mut doc)? {
        out.push(doc.export(v));
    }
    Ok(out)
}

fn csv(headers: Option<&[&str]>, delimiter: u8) -> Format {
    Format::Csv {
        headers: headers.map(|h| h.iter().map(|s| s.to_string()).collect()),
        delimiter,
    }
}

#[test]
fn json_lines_one_value_a_line() {
    let d = TempDir::new();
    d.write("b/in.jsonl", "{\"a\":1}\n\n[2]\r\n\"three\"");
    let all = read_all(&d, &Format::Jsonl, "in.jsonl", 0).unwrap();
    assert_eq!(all, [json!({"a": 1}), json!([2]), json!("three")]);
    assert_eq!(
        read_all(&d, &Format::Jsonl, "in.jsonl", 2).unwrap().len(),
        2,
        "MaxItems"
    );
}

#[test]
fn a_malformed_line_names_its_number() {
    let d = TempDir::new();
    d.write("b/bad.jsonl", "{\"a\":1}\n{\"a\":\n");
    let e = read_all(&d, &Format::Jsonl, "bad.jsonl", 0).unwrap_err();
    assert!(
        e.0.starts_with("bad.jsonl line 2 is not valid JSON"),
        "{e:?}"
    );
}

#[test]
fn csv_with_the_first_row_as_headers() {
    let d = TempDir::new();
    d.write("b/t.csv", "id,name\r\n1,\"Lovelace, Ada\"\n2,Grace\n");
    let all = read_all(&d, &csv(None, b','), "t.csv", 0).unwrap();
    assert_eq!(
        all,
        [
            json!({"id": "1", "name": "Lovelace, Ada"}),
            json!({"id": "2", "name": "Grace"})
        ]
    );
    assert_eq!(read_all(&d, &csv(None, b','), "t.csv", 1).unwrap().len(), 1);
}

#[test]
fn csv_with_given_headers_and_other_delimiters() {
    let d = TempDir::new();
    d.write("b/p.csv", "1|x\n2|y\n");
    d.write("b/t.tsv", "1\tx\n");
    let all = read_all(&d, &csv(Some(&["n", "s"]), b'|'), "p.csv", 0).unwrap();
    assert_eq!(
        all,
        [json!({"n": "1", "s": "x"}), json!({"n": "2", "s": "y"})]
    );
    let all = read_all(&d, &csv(Some(&["n", "s"]), b'\t'), "t.tsv", 0).unwrap();
    assert_eq!(all, [json!({"n": "1", "s": "x"})]);
}

#[test]
fn a_csv_row_of_the_wrong_width_or_quoting_fails() {
    let d = TempDir::new();
    d.write("b/w.csv", "a,b\n1,2\n3\n");
    d.write("b/q.csv", "a\n\"open\n");
    let e = read_all(&d, &csv(None, b','), "w.csv", 0).unwrap_err();
    assert_eq!(e.0, "w.csv row 3 has 1 fields, but there are 2 headers");
    let e = read_all(&d, &csv(None, b','), "q.csv", 0).unwrap_err();
    assert!(e.0.contains("unclosed quote"), "{e:?}");
}

#[test]
fn a_json_object_must_be_an_array() {
    let d = TempDir::new();
    d.write("b/a.json", "[{\"k\":1},2]");
    d.write("b/o.json", "{\"k\":1}");
    assert_eq!(
        read_all(&d, &Format::Json, "a.json", 0).unwrap(),
        [json!({"k": 1}), json!(2)]
    );
    assert!(read_all(&d, &Format::Json, "o.json", 0).is_err());
}

#[test]
fn a_listing_gives_awss_item_shape() {
    let d = TempDir::new();
    d.write("b/logs/1.txt", "one");
    d.write("b/logs/2.txt", "two!");
    d.write("b/other.txt", "x");
    let all = read_all(&d, &Format::List, "logs/", 0).unwrap();
    assert_eq!(all.len(), 2);
    let keys: Vec<&str> = all[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["Etag", "Key", "LastModified", "Size", "StorageClass"]
    );
    assert_eq!(all[1]["Key"], "logs/2.txt");
    assert_eq!(all[1]["Size"], 4);
    assert_eq!(all[1]["StorageClass"], "STANDARD");
}

#[test]
fn a_missing_object_is_an_error() {
    let d = TempDir::new();
    d.write("b/x", "");
    let e = read_all(&d, &Format::Jsonl, "none.jsonl", 0).unwrap_err();
    assert!(e.0.contains("NoSuchKey"), "{e:?}");
}

#[test]
fn blank_lines_are_white_space_as_trim_sees_it_and_bad_utf8_names_its_line() {
    let d = TempDir::new();
    d.write("b/x", "");
    // Line 2 is blank (a vertical tab, a no-break space), line 4 is not UTF-8.
    let mut bytes = b"{\"a\":1}\n \x0b\xc2\xa0\r\n[2]\n  \xff\n3\n".to_vec();
    std::fs::write(d.0.join("b/in.jsonl"), &bytes).unwrap();
    let e = read_all(&d, &Format::Jsonl, "in.jsonl", 0).unwrap_err();
    assert_eq!(e.0, "in.jsonl line 4: not UTF-8 text");
    // Read ahead (the lines parsed on several threads): the same, in order.
    let store = LocalFolder::new(&d.0);
    let mut items = open(&store, &Format::Jsonl, "b", "in.jsonl", 0).unwrap();
    let mut ahead = super::Ahead::new();
    items.next_many(100, &mut Vec::new(), &mut ahead);
    let got: Vec<Result<Value, String>> = ahead
        .into_iter()
        .map(|r| r.map(|(d, v)| d.export(v)).map_err(|e| e.0))
        .collect();
    assert_eq!(
        got,
        [
            Ok(json!({"a": 1})),
            Ok(json!([2])),
            Err("in.jsonl line 4: not UTF-8 text".to_owned())
        ]
    );
    // A bad byte after ASCII text is found where the line is parsed.
    bytes = b"1\n\"x\xff\"\n".to_vec();
    std::fs::write(d.0.join("b/in.jsonl"), &bytes).unwrap();
    let e = read_all(&d, &Format::Jsonl, "in.jsonl", 0).unwrap_err();
    assert_eq!(e.0, "in.jsonl line 2: not UTF-8 text");
}
