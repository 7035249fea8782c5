//! Distributed Map end to end: child executions, the tolerated-failure
//! thresholds (literal, `…Path`, JSONata) under and over the threshold, and
//! the Map Run's events in the parent's history.

use super::tests::{output, run};
use crate::handlers::{Call, Reply};
use crate::{Engine, Failure, Status};
use serde_json::{json, Value};

/// An engine whose `check` task fails (`Bad`, "item N") for `{"bad": true}` items and echoes the rest.
fn engine() -> Engine {
    let mut e = Engine::new();
    e.register("check", |c: &mut Call<'_>| {
        let v = c.input_json();
        if v["bad"] == json!(true) {
            return Reply::Error(Failure::new("Bad", format!("item {}", v["n"])));
        }
        Reply::Json(v)
    });
    e
}

/// A Distributed Map over `$.items` with `extra` fields merged into the state.
fn dmap(extra: Value) -> Value {
    let mut state = json!({
        "Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "check", "End": true}}
        }
    });
    for (k, v) in extra.as_object().unwrap() {
        state[k] = v.clone();
    }
    json!({"StartAt": "M", "States": {"M": state}})
}

/// `n` items, those at the indices in `bad` failing.
fn items(n: u64, bad: &[u64]) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| json!({"n": i, "bad": bad.contains(&i)}))
        .collect();
    json!({ "items": items })
}

fn exceeded(o: &crate::Outcome) -> bool {
    o.status == Status::Failed
        && o.error.as_deref() == Some("States.ExceedToleratedFailureThreshold")
        && o.cause.as_deref() == Some("The specified tolerated failure threshold was exceeded")
}

#[test]
fn without_tolerance_one_failed_child_fails_the_map_run() {
    let o = run(&engine(), dmap(json!({})), items(3, &[1]));
    assert!(exceeded(&o), "{o:?}");
    let o = run(&engine(), dmap(json!({})), items(3, &[]));
    assert_eq!(o.status, Status::Succeeded);
    assert_eq!(output(&o)[2], json!({"n": 2, "bad": false}));
}

#[test]
fn a_tolerated_failure_leaves_its_error_output_in_the_results() {
    let def = dmap(json!({"ToleratedFailureCount": 1}));
    let o = run(&engine(), def.clone(), items(3, &[1]));
    assert_eq!(o.status, Status::Succeeded, "{o:?}");
    assert_eq!(
        output(&o),
        json!([{"n": 0, "bad": false}, {"Error": "Bad", "Cause": "item 1"}, {"n": 2, "bad": false}])
    );
    // Over the count: two failures.
    assert!(exceeded(&run(&engine(), def, items(3, &[0, 2]))));
}

#[test]
fn the_percentage_is_of_all_items_and_only_past_it_fails() {
    let def = dmap(json!({"ToleratedFailurePercentage": 25}));
    assert_eq!(
        run(&engine(), def.clone(), items(4, &[3])).status,
        Status::Succeeded
    );
    assert!(exceeded(&run(&engine(), def, items(4, &[0, 3]))));
    // Both fields: either one past its threshold fails the run.
    let both = dmap(json!({"ToleratedFailurePercentage": 50, "ToleratedFailureCount": 1}));
    assert!(exceeded(&run(&engine(), both.clone(), items(10, &[1, 2]))));
    assert_eq!(
        run(&engine(), both, items(10, &[4])).status,
        Status::Succeeded
    );
}

#[test]
fn a_caught_threshold_error_goes_to_the_catcher() {
    let mut def = dmap(json!({
        "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Caught"}]
    }));
    def["States"]["M"].as_object_mut().unwrap().remove("End");
    def["States"]["M"]["Next"] = json!("Done");
    def["States"]["Caught"] = json!({"Type": "Pass", "Result": "caught", "End": true});
    def["States"]["Done"] = json!({"Type": "Succeed"});
    let o = run(&engine(), def, items(2, &[0]));
    assert_eq!(output(&o), json!("caught"), "{o:?}");
}

#[test]
fn path_forms_read_the_input_and_check_the_value() {
    let def = dmap(json!({"ToleratedFailureCountPath": "$.tol"}));
    let mut input = items(3, &[0]);
    input["tol"] = json!("1");
    assert_eq!(
        run(&engine(), def.clone(), input.clone()).status,
        Status::Succeeded
    );
    input["tol"] = json!(-1);
    let o = run(&engine(), def, input);
    assert_eq!(o.error.as_deref(), Some("States.Runtime"));
    assert!(o
        .cause
        .unwrap()
        .ends_with("ToleratedFailureCount cannot be negative."));

    let def = dmap(json!({"ToleratedFailurePercentagePath": "$.tol"}));
    let mut input = items(2, &[0]);
    input["tol"] = json!(50.0);
    assert_eq!(
        run(&engine(), def.clone(), input.clone()).status,
        Status::Succeeded
    );
    input["tol"] = json!([1]);
    let o = run(&engine(), def, input);
    assert!(
        o.cause.unwrap().ends_with(
            "The ToleratedFailurePercentagePath field refers to value \"[1]\" which is not a valid float: $.tol"
        )
    );
}

#[test]
fn jsonata_thresholds_are_expressions() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
        "Type": "Map", "Items": "{% $states.input.items %}", "End": true,
        "ToleratedFailureCount": "{% $states.input.tol %}",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "check", "End": true}}
        }
    }}});
    let mut input = items(3, &[0, 1]);
    input["tol"] = json!(2);
    assert_eq!(
        run(&engine(), def.clone(), input.clone()).status,
        Status::Succeeded
    );
    input["tol"] = json!("two");
    let o = run(&engine(), def, input);
    assert_eq!(
        o.error.as_deref(),
        Some("States.QueryEvaluationError"),
        "{o:?}"
    );
}

#[test]
fn an_inline_map_ignores_the_tolerance() {
    let mut def = dmap(json!({"ToleratedFailureCount": 5}));
    def["States"]["M"]["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "INLINE"});
    let o = run(&engine(), def, items(3, &[1]));
    assert_eq!(o.error.as_deref(), Some("Bad"), "the child's own error");
}

#[test]
fn the_map_run_counts_in_the_parents_history_and_children_in_their_own() {
    // ExecutionStarted, MapStateEntered, MapStateStarted, MapRunStarted,
    // MapRunSucceeded, MapStateSucceeded, MapStateExited, ExecutionSucceeded:
    // the children's Task events are not the parent's.
    let o = run(&engine(), dmap(json!({})), items(5, &[]));
    assert_eq!(o.events, 8, "{o:?}");
    // … MapRunStarted, MapRunFailed, MapStateFailed, ExecutionFailed.
    let o = run(&engine(), dmap(json!({})), items(5, &[2]));
    assert_eq!(o.events, 7, "{o:?}");
}

mod readers {
    use super::*;
    use crate::store::{LocalFolder, TempDir};

    /// A Distributed Map reading `reader`, its child echoing (through `check`).
    fn reading(reader: Value, extra: Value) -> Value {
        let mut def = dmap(extra);
        let m = def["States"]["M"].as_object_mut().unwrap();
        m.remove("ItemsPath");
        m.insert("ItemReader".into(), reader);
        def
    }

    fn engine_at(d: &TempDir) -> Engine {
        let mut e = engine();
        e.object_store(LocalFolder::new(&d.0));
        e
    }

    fn get(key: &str, config: Value) -> Value {
        json!({"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": config,
               "Parameters": {"Bucket": "data", "Key.$": key}})
    }

    #[test]
    fn json_lines_become_child_inputs_in_order() {
        let d = TempDir::new();
        d.write("data/in.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
        let def = reading(
            get("$.key", json!({"InputType": "JSONL"})),
            json!({"MaxConcurrency": 2}),
        );
        let o = run(&engine_at(&d), def, json!({"key": "in.jsonl"}));
        assert_eq!(output(&o), json!([{"n": 1}, {"n": 2}, {"n": 3}]), "{o:?}");
        // 8 events: the children's are their own, however many items.
        assert_eq!(o.events, 8);
    }

    #[test]
    fn max_items_stops_reading() {
        let d = TempDir::new();
        d.write("data/t.csv", "id,name\n1,Ada\n2,Grace\n3,Alan\n");
        let cfg = json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 2});
        let o = run(
            &engine_at(&d),
            reading(get("$.key", cfg), json!({})),
            json!({"key": "t.csv"}),
        );
        assert_eq!(
            output(&o),
            json!([{"id": "1", "name": "Ada"}, {"id": "2", "name": "Grace"}])
        );
        let cfg = json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"],
                         "MaxItemsPath": "$.max"});
        let o = run(
            &engine_at(&d),
            reading(get("$.key", cfg), json!({})),
            json!({"key": "t.csv", "max": 1}),
        );
        assert_eq!(output(&o), json!([{"a": "id", "b": "name"}]));
    }

    #[test]
    fn a_listing_gives_one_item_per_object_under_the_prefix() {
        let d = TempDir::new();
        d.write("data/logs/a.txt", "aa");
        d.write("data/logs/b.txt", "bbb");
        d.write("data/other", "x");
        let reader = json!({"Resource": "arn:aws:states:::s3:listObjectsV2",
                            "Parameters": {"Bucket": "data", "Prefix": "logs/"}});
        let def = reading(
            reader,
            json!({"ItemSelector": {"k.$": "$$.Map.Item.Value.Key",
                                                          "s.$": "$$.Map.Item.Value.Size",
                                                          "i.$": "$$.Map.Item.Index"}}),
        );
        let o = run(&engine_at(&d), def, json!({}));
        assert_eq!(
            output(&o),
            json!([{"k": "logs/a.txt", "s": 2, "i": 0}, {"k": "logs/b.txt", "s": 3, "i": 1}]),
            "{o:?}"
        );
    }

    #[test]
    fn reader_failures_are_item_reader_failed() {
        let d = TempDir::new();
        d.write("data/bad.jsonl", "{\"n\":1}\nnot json\n");
        let def = reading(
            get("$.key", json!({"InputType": "JSONL"})),
            json!({"ToleratedFailurePercentage": 100}),
        );
        for (key, cause) in [
            ("bad.jsonl", "bad.jsonl line 2 is not valid JSON"),
            (
                "missing.jsonl",
                "The specified key does not exist: missing.jsonl (NoSuchKey)",
            ),
            ("../../etc/passwd", "leaves the store's root"),
        ] {
            let o = run(&engine_at(&d), def.clone(), json!({ "key": key }));
            assert_eq!(
                o.error.as_deref(),
                Some("States.ItemReaderFailed"),
                "{key}: {o:?}"
            );
            assert!(o.cause.as_deref().unwrap().contains(cause), "{key}: {o:?}");
        }
    }

    #[test]
    fn batches_group_items_with_the_batch_input() {
        let d = TempDir::new();
        let lines: String = (0..5).map(|i| format!("{{\"n\":{i}}}\n")).collect();
        d.write("data/in.jsonl", &lines);
        let def = reading(
            get("$.key", json!({"InputType": "JSONL"})),
            json!({"ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}}}),
        );
        let o = run(&engine_at(&d), def, json!({"key": "in.jsonl", "run": 7}));
        assert_eq!(
            output(&o),
            json!([
                {"Items": [{"n": 0}, {"n": 1}], "BatchInput": {"run": 7}},
                {"Items": [{"n": 2}, {"n": 3}], "BatchInput": {"run": 7}},
                {"Items": [{"n": 4}], "BatchInput": {"run": 7}}
            ]),
            "{o:?}"
        );
    }

    #[test]
    fn a_byte_limit_closes_a_batch_before_it_is_exceeded() {
        // Over the state's array: `{"Items":[…]}` is 12 bytes, each `{"n":N}` 7 and a comma.
        let def = dmap(json!({"ItemBatcher": {"MaxInputBytesPerBatch": 30},
                              "ItemSelector": {"n.$": "$$.Map.Item.Value.n"}}));
        let o = run(&engine(), def, items(5, &[]));
        let out = output(&o);
        let sizes: Vec<usize> = out
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["Items"].as_array().unwrap().len())
            .collect();
        assert_eq!(sizes, [2, 2, 1], "{out}");
        assert_eq!(out[2]["Items"], json!([{"n": 4}]));
    }

    #[test]
    fn a_failed_batch_counts_all_its_items() {
        // 2 of 4 items in one failing batch: 50% failed, over 25%.
        let mut e = Engine::new();
        e.register("check", |c: &mut Call<'_>| {
            let v = c.input_json();
            if v["Items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["bad"] == json!(true))
            {
                return Reply::Error(Failure::new("Bad", "batch"));
            }
            Reply::Json(v)
        });
        let def =
            dmap(json!({"ItemBatcher": {"MaxItemsPerBatch": 2}, "ToleratedFailurePercentage": 25}));
        assert!(exceeded(&run(&e, def.clone(), items(4, &[1]))));
        let def =
            dmap(json!({"ItemBatcher": {"MaxItemsPerBatch": 2}, "ToleratedFailurePercentage": 50}));
        let o = run(&e, def, items(4, &[1]));
        assert_eq!(
            output(&o)[0],
            json!({"Error": "Bad", "Cause": "batch"}),
            "{o:?}"
        );
    }

    #[test]
    fn a_reader_without_an_object_store_does_not_compile() {
        let def = reading(get("$.key", json!({"InputType": "JSONL"})), json!({}));
        let e = engine().compile(&def.to_string()).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("NO_OBJECT_STORE") && text.contains("--s3-root"),
            "{text}"
        );
        assert!(text.contains("/States/M/ItemReader"), "{text}");
    }
}

mod writer {
    use super::*;
    use crate::store::{LocalFolder, TempDir};

    fn writing(writer: Value, extra: Value) -> Value {
        let mut m = extra;
        m["ResultWriter"] = writer;
        dmap(m)
    }

    fn engine_at(d: &TempDir) -> Engine {
        let mut e = engine();
        e.object_store(LocalFolder::new(&d.0));
        e
    }

    fn read(d: &TempDir, key: &str) -> Value {
        let text = std::fs::read_to_string(d.0.join("out").join(key)).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    const PUT: &str = "arn:aws:states:::s3:putObject";

    #[test]
    fn files_and_output_in_awss_shape() {
        let d = TempDir::new();
        std::fs::create_dir_all(d.0.join("out")).unwrap();
        let w = json!({"Resource": PUT, "Parameters": {"Bucket": "out", "Prefix": "runs"}});
        let def = writing(w, json!({"ToleratedFailureCount": 1, "Label": "charge"}));
        let o = run(&engine_at(&d), def, items(3, &[1]));
        assert_eq!(o.status, Status::Succeeded, "{o:?}");
        let out = output(&o);
        let arn = out["MapRunArn"].as_str().unwrap();
        assert!(arn.starts_with("arn:aws:states:us-east-1:"), "{arn}");
        assert!(
            arn.contains(":mapRun:") && arn.contains("/charge:"),
            "{arn}"
        );
        let run_id = arn.rsplit(':').next().unwrap();
        let key = format!("runs/{run_id}/manifest.json");
        assert_eq!(
            out["ResultWriterDetails"],
            json!({"Bucket": "out", "Key": key})
        );
        let manifest = read(&d, &key);
        assert_eq!(manifest["DestinationBucket"], "out");
        assert_eq!(manifest["MapRunArn"], arn);
        assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
        let ok_key = format!("runs/{run_id}/SUCCEEDED_0.json");
        let ok_file = std::fs::read(d.0.join("out").join(&ok_key)).unwrap();
        assert_eq!(
            manifest["ResultFiles"]["SUCCEEDED"],
            json!([{"Key": ok_key, "Size": ok_file.len()}])
        );
        let ok = read(&d, &ok_key);
        assert_eq!(ok.as_array().unwrap().len(), 2);
        let e = &ok[0];
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "ExecutionArn",
                "Input",
                "InputDetails",
                "Name",
                "Output",
                "OutputDetails",
                "RedriveCount",
                "RedriveStatus",
                "RedriveStatusReason",
                "StartDate",
                "StateMachineArn",
                "Status",
                "StopDate"
            ]
        );
        assert_eq!(
            e["Input"],
            json!("{\"n\":0,\"bad\":false}"),
            "the input as text"
        );
        assert_eq!(e["Output"], json!("{\"n\":0,\"bad\":false}"));
        assert_eq!(e["Status"], "SUCCEEDED");
        assert_eq!(e["InputDetails"], json!({"Included": true}));
        let name = e["Name"].as_str().unwrap();
        assert!(e["ExecutionArn"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/charge:{name}")));
        let sm = e["StateMachineArn"].as_str().unwrap();
        assert!(
            sm.contains(":stateMachine:") && sm.ends_with("/charge"),
            "{sm}"
        );
        assert_eq!(e["StartDate"], "2023-11-14T22:13:20.000Z");
        let failed = read(&d, &format!("runs/{run_id}/FAILED_0.json"));
        assert_eq!(failed[0]["Status"], "FAILED");
        assert_eq!(failed[0]["Error"], "Bad");
        assert_eq!(failed[0]["Cause"], "item 1");
        assert!(failed[0].get("Output").is_none());
    }

    #[test]
    fn compact_and_flatten_keep_outputs_only_jsonl_a_line_each() {
        let d = TempDir::new();
        std::fs::create_dir_all(d.0.join("out")).unwrap();
        let w = json!({"Resource": PUT, "Parameters": {"Bucket": "out", "Prefix": "p/"},
                       "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}});
        let o = run(&engine_at(&d), writing(w, json!({})), items(2, &[]));
        let key = output(&o)["ResultWriterDetails"]["Key"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(key.starts_with("p/") && !key.starts_with("p//"), "{key}");
        let ok_key = key.replace("manifest.json", "SUCCEEDED_0.jsonl");
        let text = std::fs::read_to_string(d.0.join("out").join(&ok_key)).unwrap();
        assert_eq!(text, "{\"n\":0,\"bad\":false}\n{\"n\":1,\"bad\":false}\n");

        let w = json!({"Resource": PUT, "Parameters": {"Bucket": "out"},
                       "WriterConfig": {"OutputType": "JSON", "Transformation": "FLATTEN"}});
        let def = writing(
            w,
            json!({"ItemBatcher": {"MaxItemsPerBatch": 2},
                                    "ItemSelector": {"n.$": "$$.Map.Item.Index"}}),
        );
        let mut e = Engine::new();
        e.register("check", |c: &mut Call<'_>| {
            Reply::Json(c.input_json()["Items"].clone())
        });
        e.object_store(LocalFolder::new(&d.0));
        let o = run(&e, def, items(3, &[]));
        let key = output(&o)["ResultWriterDetails"]["Key"]
            .as_str()
            .unwrap()
            .to_owned();
        let ok = read(&d, &key.replace("manifest.json", "SUCCEEDED_0.json"));
        assert_eq!(
            ok,
            json!([{"n": 0}, {"n": 1}, {"n": 2}]),
            "batches flattened"
        );
    }

    #[test]
    fn a_failed_write_is_result_writer_failed() {
        let d = TempDir::new(); // no bucket folder "out"
        let w = json!({"Resource": PUT, "Parameters": {"Bucket": "out"}});
        let o = run(&engine_at(&d), writing(w, json!({})), items(1, &[]));
        assert_eq!(
            o.error.as_deref(),
            Some("States.ResultWriterFailed"),
            "{o:?}"
        );
        assert!(o.cause.unwrap().contains("NoSuchBucket"));
    }
}

#[test]
fn a_child_execution_has_its_own_context() {
    let def = json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "ItemsPath": "$.items", "Label": "per-item", "End": true,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "End": true, "Parameters": {
                "input.$": "$$.Execution.Input",
                "id.$": "$$.Execution.Id",
                "name.$": "$$.Execution.Name",
                "machine.$": "$$.StateMachine.Id"
            }}}
        }
    }}});
    let o = run(&engine(), def, json!({"items": [{"a": 1}, {"a": 2}]}));
    let out = output(&o);
    assert_eq!(
        out[0]["input"],
        json!({"a": 1}),
        "the child's own input: {out}"
    );
    assert_eq!(out[1]["input"], json!({"a": 2}));
    let machine = out[0]["machine"].as_str().unwrap();
    assert!(
        machine.contains(":stateMachine:") && machine.ends_with("/per-item"),
        "{machine}"
    );
    let id = out[0]["id"].as_str().unwrap();
    let name = out[0]["name"].as_str().unwrap();
    assert!(
        id.contains(":express:") && id.contains("/per-item:"),
        "{id}"
    );
    assert!(id.contains(name), "{id} names {name}");
    assert_ne!(
        out[0]["name"], out[1]["name"],
        "each child is its own execution"
    );
}
