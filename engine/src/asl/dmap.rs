//! A Distributed Map's `ItemReader` and `ItemBatcher`, with the rules AWS
//! applies to them (docs: input-output-itemreader.html, input-output-itembatcher.html).

use super::model::{ItemBatcher, ItemReader, NumberOrPath, QueryLanguage, ResultWriter};
use super::reader::{int_value, is_jsonata, Ctx, Obj};
use super::shared::{query, template};
use super::{fields, paths};
use crate::store::items::Format;
use crate::store::Transformation;
use serde_json::Value;

/// AWS's most items a reader may be limited to.
const MAX_ITEMS: u64 = 100_000_000;
/// AWS's largest batch input, 256 KiB.
const MAX_BATCH_BYTES: u64 = 256 * 1024;
const GET_OBJECT: &str = "arn:aws:states:::s3:getObject";
const LIST_OBJECTS: &str = "arn:aws:states:::s3:listObjectsV2";

/// `ItemReader`; `None` (with the problems reported) when unusable.
pub(crate) fn item_reader(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Option<ItemReader> {
    let args = match lang {
        QueryLanguage::JsonPath => "Parameters",
        QueryLanguage::Jsonata => "Arguments",
    };
    fields::check_plain(cx, obj, &["Resource", "ReaderConfig", args]);
    if !obj.require(cx, &["Resource"]) {
        return None;
    }
    let list = match obj.string(cx, "Resource")? {
        GET_OBJECT => false,
        LIST_OBJECTS => true,
        other => {
            cx.schema(
                &obj.at("Resource"),
                format!("The resource '{other}' is not supported for ItemReader: use [{GET_OBJECT}, {LIST_OBJECTS}]"),
            );
            return None;
        }
    };
    let parameters = template(cx, obj, args, lang);
    if parameters.is_none() {
        cx.schema(obj.ptr, format!("These fields are required: [{args}]"));
    }
    let cfg_ptr = obj.at("ReaderConfig");
    let cfg = obj.object(cx, "ReaderConfig", &cfg_ptr);
    let (format, max_items) = match cfg {
        Some(cfg) => reader_config(cx, cfg, list, lang)?,
        None if list => (Format::List, None),
        None => {
            cx.schema(
                obj.ptr,
                "These fields are required: [ReaderConfig] (its InputType says how to read the object)",
            );
            return None;
        }
    };
    Some(ItemReader {
        format,
        max_items,
        parameters: parameters?,
    })
}

/// `ReaderConfig`: the format and `MaxItems`/`MaxItemsPath`.
fn reader_config(
    cx: &mut Ctx,
    cfg: Obj<'_>,
    list: bool,
    lang: QueryLanguage,
) -> Option<(Format, Option<NumberOrPath>)> {
    let mut allowed = vec![
        "InputType",
        "CSVHeaderLocation",
        "CSVHeaders",
        "CSVDelimiter",
        "MaxItems",
    ];
    if lang == QueryLanguage::JsonPath {
        allowed.push("MaxItemsPath");
    }
    fields::check_plain(cx, cfg, &allowed);
    let max_items = count(cx, cfg, "MaxItems", MAX_ITEMS, lang);
    let types = [("CSV", 0), ("JSON", 1), ("JSONL", 2), ("MANIFEST", 3)];
    let input = match cfg.get("InputType") {
        None if list => None,
        None => {
            cfg.require(cx, &["InputType"]);
            return None;
        }
        Some(_) => Some(cfg.one_of(cx, "InputType", &types)?),
    };
    let csv = input == Some(0);
    for key in ["CSVHeaderLocation", "CSVHeaders", "CSVDelimiter"] {
        if cfg.has(key) && !csv {
            cx.schema(
                &cfg.at(key),
                format!("The field '{key}' is only supported when InputType is CSV"),
            );
        }
    }
    let format = match input {
        None => Format::List,
        Some(_) if list => {
            cx.schema(
                &cfg.at("InputType"),
                "InputType is not supported with the listObjectsV2 resource",
            );
            return None;
        }
        Some(0) => csv_format(cx, cfg)?,
        Some(1) => Format::Json,
        Some(2) => Format::Jsonl,
        _ => {
            cx.schema(
                &cfg.at("InputType"),
                "InputType MANIFEST (S3 inventory or Athena manifests) is not supported by Stampede",
            );
            return None;
        }
    };
    Some((format, max_items))
}

fn csv_format(cx: &mut Ctx, cfg: Obj<'_>) -> Option<Format> {
    let delims = [
        ("COMMA", b','),
        ("PIPE", b'|'),
        ("SEMICOLON", b';'),
        ("SPACE", b' '),
        ("TAB", b'\t'),
    ];
    let delimiter = match cfg.get("CSVDelimiter") {
        Some(_) => cfg.one_of(cx, "CSVDelimiter", &delims)?,
        None => b',',
    };
    if !cfg.require(cx, &["CSVHeaderLocation"]) {
        return None;
    }
    let given = cfg.one_of(
        cx,
        "CSVHeaderLocation",
        &[("FIRST_ROW", false), ("GIVEN", true)],
    )?;
    let headers = match (given, cfg.array(cx, "CSVHeaders")) {
        (true, Some(list)) => {
            let names: Option<Vec<String>> =
                list.iter().map(|v| v.as_str().map(str::to_owned)).collect();
            match names {
                Some(n) if !n.is_empty() => Some(n),
                _ => {
                    cx.schema(
                        &cfg.at("CSVHeaders"),
                        "CSVHeaders must be a non-empty array of strings",
                    );
                    return None;
                }
            }
        }
        (true, None) => {
            cx.schema(
                cfg.ptr,
                "CSVHeaders is required when CSVHeaderLocation is GIVEN",
            );
            return None;
        }
        (false, Some(_)) => {
            cx.schema(
                &cfg.at("CSVHeaders"),
                "CSVHeaders is only supported when CSVHeaderLocation is GIVEN",
            );
            return None;
        }
        (false, None) => None,
    };
    Some(Format::Csv { headers, delimiter })
}

/// A count field `key` (`1..=max`), its `…Path` form (JSONPath) or a
/// `{% %}` expression (JSONata).
fn count(
    cx: &mut Ctx,
    obj: Obj<'_>,
    key: &str,
    max: u64,
    lang: QueryLanguage,
) -> Option<NumberOrPath> {
    let path_key = format!("{key}Path");
    if !obj.exclusive(cx, &[key, &path_key]) {
        return None;
    }
    if let Some(v) = obj.get(key) {
        let ptr = obj.at(key);
        return match v {
            Value::String(s) if lang == QueryLanguage::Jsonata && is_jsonata(s) => {
                query(cx, &ptr, key, v).map(NumberOrPath::Expr)
            }
            _ => int_value(cx, &ptr, v, 1, max).map(NumberOrPath::Value),
        };
    }
    let s = obj.string(cx, &path_key)?;
    paths::reference(cx, &obj.at(&path_key), &path_key, s, false).map(NumberOrPath::Path)
}

/// `ItemBatcher`: at least one of its limits, and `BatchInput`.
pub(crate) fn item_batcher(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Option<ItemBatcher> {
    let mut allowed = vec!["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"];
    if lang == QueryLanguage::JsonPath {
        allowed.extend(["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"]);
    }
    fields::check_plain(cx, obj, &allowed);
    let max_items = count(cx, obj, "MaxItemsPerBatch", u64::from(u32::MAX), lang);
    let max_bytes = count(cx, obj, "MaxInputBytesPerBatch", MAX_BATCH_BYTES, lang);
    let limits = [
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
    ];
    if !limits.iter().any(|k| obj.has(k)) {
        cx.schema(
            obj.ptr,
            format!(
                "At least one of these fields is required: [{}]",
                limits.join(", ")
            ),
        );
        return None;
    }
    let batch_input = template(cx, obj, "BatchInput", lang);
    Some(ItemBatcher {
        max_items,
        max_bytes,
        batch_input,
    })
}

/// `Label`: at most 40 characters, none of them whitespace or the
/// characters AWS refuses in names (docs: state-map-distributed.html, "Label").
pub(crate) fn label(cx: &mut Ctx, obj: Obj<'_>) -> Option<String> {
    let s = obj.string(cx, "Label")?;
    let bad =
        |c: char| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c);
    if s.chars().count() > 40 {
        cx.schema(&obj.at("Label"), "The Label may have at most 40 characters");
    } else if s.chars().any(bad) {
        cx.schema(
            &obj.at("Label"),
            "The Label may not contain whitespace, brackets, wildcards or special characters",
        );
    }
    Some(s.to_owned())
}

/// `ResultWriter`: `Resource` `s3:putObject`, its `Bucket`/`Prefix`, and
/// `WriterConfig` (docs: input-output-resultwriter.html).
pub(crate) fn result_writer(
    cx: &mut Ctx,
    obj: Obj<'_>,
    lang: QueryLanguage,
) -> Option<ResultWriter> {
    let args = match lang {
        QueryLanguage::JsonPath => "Parameters",
        QueryLanguage::Jsonata => "Arguments",
    };
    fields::check_plain(cx, obj, &["Resource", "WriterConfig", args]);
    if !obj.require(cx, &["Resource", args]) {
        return None;
    }
    let resource = obj.string(cx, "Resource")?;
    if resource != "arn:aws:states:::s3:putObject" {
        cx.schema(
            &obj.at("Resource"),
            format!("The resource '{resource}' is not supported for ResultWriter: use [arn:aws:states:::s3:putObject]"),
        );
        return None;
    }
    let parameters = template(cx, obj, args, lang)?;
    let cfg_ptr = obj.at("WriterConfig");
    let (mut jsonl, mut transformation) = (false, Transformation::None);
    if let Some(cfg) = obj.object(cx, "WriterConfig", &cfg_ptr) {
        fields::check_plain(cx, cfg, &["OutputType", "Transformation"]);
        if !cfg.require(cx, &["OutputType", "Transformation"]) {
            return None;
        }
        jsonl = cfg.one_of(cx, "OutputType", &[("JSON", false), ("JSONL", true)])?;
        transformation = cfg.one_of(
            cx,
            "Transformation",
            &[
                ("NONE", Transformation::None),
                ("COMPACT", Transformation::Compact),
                ("FLATTEN", Transformation::Flatten),
            ],
        )?;
    }
    Some(ResultWriter {
        parameters,
        jsonl,
        transformation,
    })
}
