//! Parallel and Map fields.

use serde_json::Value;

use super::model::{Block, Map, MapMode, NumberOrPath, Parallel, QueryLanguage, Threshold};
use super::reader::{int_value, is_jsonata, type_name, Ctx, Obj};
use super::shared::{arguments, query, query_field, result_path, template};
use super::{dmap, fields, paths, pointer, retry};
use crate::path::Path;

/// Parses the Parallel-specific fields of `obj`.
pub(crate) fn parallel(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Parallel {
    obj.require(cx, &["Branches"]);
    let mut branches = Vec::new();
    if let Some(items) = obj.array(cx, "Branches") {
        let list_ptr = obj.at("Branches");
        if items.is_empty() {
            cx.schema(&list_ptr, "Value cannot be empty");
        }
        for (i, v) in items.iter().enumerate() {
            if let Some(b) = (cx.nested)(cx, v, &pointer::index(&list_ptr, i), &[]) {
                branches.push(b);
            }
        }
    }
    let parameters = match lang {
        QueryLanguage::JsonPath => template(cx, obj, "Parameters", lang),
        QueryLanguage::Jsonata => arguments(cx, obj),
    };
    Parallel {
        branches,
        parameters,
        result_selector: template(cx, obj, "ResultSelector", lang),
        result_path: result_path(cx, obj),
        retry: retry::retriers(cx, obj),
        catch: retry::catchers(cx, obj, lang),
    }
}

/// Parses the Map-specific fields of `obj`. `None` when it has no usable processor.
pub(crate) fn map(cx: &mut Ctx, obj: Obj<'_>, lang: QueryLanguage) -> Option<Map> {
    let jsonata = lang == QueryLanguage::Jsonata;
    let (processor, mode, express_children) = processor(cx, obj);
    obj.exclusive(cx, &["ItemSelector", "Parameters"]);
    let item_selector =
        template(cx, obj, "ItemSelector", lang).or_else(|| template(cx, obj, "Parameters", lang));
    // A bad ItemsPath is reported; the placeholder `$` is never used.
    let items_path = match obj.string(cx, "ItemsPath") {
        Some(s) => paths::reference(cx, &obj.at("ItemsPath"), "ItemsPath", s, true),
        None => None,
    }
    .unwrap_or_else(Path::input);
    if let Some(v) = obj.get("Items") {
        if !(v.is_array() || v.is_object() || v.as_str().is_some_and(is_jsonata)) {
            cx.schema(
                &obj.at("Items"),
                "The field 'Items' must be an array, an object or a JSONata expression",
            );
        }
    }
    let items = match lang {
        QueryLanguage::Jsonata => query_field(cx, obj, "Items"),
        QueryLanguage::JsonPath => None,
    };
    let max_concurrency = max_concurrency(cx, obj, jsonata);
    let tolerated_failure_percentage = tolerated(cx, obj, "ToleratedFailurePercentage", jsonata);
    let tolerated_failure_count = tolerated(cx, obj, "ToleratedFailureCount", jsonata);
    let reader_ptr = obj.at("ItemReader");
    let item_reader = obj
        .object(cx, "ItemReader", &reader_ptr)
        .and_then(|o| dmap::item_reader(cx, o, lang));
    let batcher_ptr = obj.at("ItemBatcher");
    let item_batcher = obj
        .object(cx, "ItemBatcher", &batcher_ptr)
        .and_then(|o| dmap::item_batcher(cx, o, lang));
    let writer_ptr = obj.at("ResultWriter");
    let result_writer = obj
        .object(cx, "ResultWriter", &writer_ptr)
        .and_then(|o| dmap::result_writer(cx, o, lang));
    let label = dmap::label(cx, obj);
    let result_selector = template(cx, obj, "ResultSelector", lang);
    let result_path = result_path(cx, obj);
    let retry = retry::retriers(cx, obj);
    let catch = retry::catchers(cx, obj, lang);
    Some(Map {
        processor: processor?,
        mode,
        express_children,
        items_path,
        items,
        item_selector,
        max_concurrency,
        result_selector,
        result_path,
        tolerated_failure_percentage,
        tolerated_failure_count,
        item_reader,
        item_batcher,
        result_writer,
        label,
        retry,
        catch,
    })
}

/// `ItemProcessor` (or the older `Iterator`) with its `ProcessorConfig`.
fn processor(cx: &mut Ctx, obj: Obj<'_>) -> (Option<Block>, MapMode, bool) {
    if !obj.exclusive(cx, &["ItemProcessor", "Iterator"]) {
        return (None, MapMode::Inline, false);
    }
    let key = if obj.has("Iterator") {
        "Iterator"
    } else {
        "ItemProcessor"
    };
    if !obj.require(cx, &[key]) {
        return (None, MapMode::Inline, false);
    }
    let ptr = obj.at(key);
    let v = obj.get(key).unwrap_or(&Value::Null);
    let mut mode = MapMode::Inline;
    let mut express = false;
    let cfg_ptr = pointer::key(&ptr, "ProcessorConfig");
    if let Some(cfg) = v
        .get("ProcessorConfig")
        .and_then(|c| Obj::of(cx, c, &cfg_ptr))
    {
        fields::check_plain(cx, cfg, &["Mode", "ExecutionType"]);
        let modes = [
            ("INLINE", MapMode::Inline),
            ("DISTRIBUTED", MapMode::Distributed),
        ];
        mode = cfg.one_of(cx, "Mode", &modes).unwrap_or_default();
        express = cfg
            .one_of(
                cx,
                "ExecutionType",
                &[("STANDARD", false), ("EXPRESS", true)],
            )
            .unwrap_or(false);
    }
    let block = (cx.nested)(cx, v, &ptr, &["ProcessorConfig"]);
    (block, mode, express)
}

/// `MaxConcurrency` (an integer >= 0, or `{% %}` in JSONata) | `MaxConcurrencyPath`.
fn max_concurrency(cx: &mut Ctx, obj: Obj<'_>, jsonata: bool) -> Option<NumberOrPath> {
    if !obj.exclusive(cx, &["MaxConcurrency", "MaxConcurrencyPath"]) {
        return None;
    }
    if let Some(v) = obj.get("MaxConcurrency") {
        return match v {
            Value::String(s) if jsonata && is_jsonata(s) => {
                query(cx, &obj.at("MaxConcurrency"), "MaxConcurrency", v).map(NumberOrPath::Expr)
            }
            _ => int_value(cx, &obj.at("MaxConcurrency"), v, 0, u64::MAX).map(NumberOrPath::Value),
        };
    }
    let s = obj.string(cx, "MaxConcurrencyPath")?;
    paths::reference(
        cx,
        &obj.at("MaxConcurrencyPath"),
        "MaxConcurrencyPath",
        s,
        false,
    )
    .map(NumberOrPath::Path)
}

/// `ToleratedFailurePercentage` (0..=100) / `ToleratedFailureCount` (>= 0), or
/// their `…Path` forms (or a `{% %}` expression in JSONata).
fn tolerated(cx: &mut Ctx, obj: Obj<'_>, key: &str, jsonata: bool) -> Option<Threshold> {
    let path_key = format!("{key}Path");
    if !obj.exclusive(cx, &[key, &path_key]) {
        return None;
    }
    if let Some(v) = obj.get(key) {
        let ptr = obj.at(key);
        return match v {
            Value::String(s) if jsonata && is_jsonata(s) => {
                query(cx, &ptr, key, v).map(Threshold::Expr)
            }
            Value::Number(n) if key == "ToleratedFailurePercentage" => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f < 0.0 {
                    cx.schema(&ptr, "Minimum value is 0.0");
                } else if f > 100.0 {
                    cx.schema(&ptr, "Maximum value is 100.0");
                }
                Some(Threshold::Value(f))
            }
            Value::Number(_) => {
                int_value(cx, &ptr, v, 0, u64::MAX).map(|n| Threshold::Value(n as f64))
            }
            other => {
                cx.schema(
                    &ptr,
                    format!("Expected a number but found {}", type_name(other)),
                );
                None
            }
        };
    }
    let s = obj.string(cx, &path_key)?;
    paths::reference(cx, &obj.at(&path_key), &path_key, s, false).map(Threshold::Path)
}
