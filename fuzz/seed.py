#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ from the recorded AWS
conformance cases, examples/ and the JSONata suite. Run from anywhere:
  python3 fuzz/seed.py [SHARED_DIR]   (default: ../shared beside the repo)"""
import glob, hashlib, json, os, re, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared")
CAP = {"definition": 100, "path": 80, "template": 80, "json": 60,
       "scenario": 20, "mock": 20, "jsonata": 120, "server": 60}
corpus = {t: {} for t in CAP}

def add(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(corpus[target]) < CAP[target] and len(data) <= 8192:
        corpus[target].setdefault(hashlib.sha1(data).hexdigest()[:16], data)

def walk(v, key=None):
    """Yields (key, value) of every member of a JSON value."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield k, x
            yield from walk(x, k)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x, key)

cases = []
with open(os.path.join(SHARED, "conformance", "aws-recorded.jsonl")) as f:
    cases = [json.loads(line) for line in f if line.strip()]
# Spread the picks over the file (it is grouped by topic).
step = max(1, len(cases) // CAP["definition"])
for i, c in enumerate(cases[::step] + cases):
    d = json.dumps(c["definition"], separators=(",", ":"))
    inp = c.get("input_text") or json.dumps(c.get("input") or {})
    add("definition", d + "\0" + inp)
    add("json", inp)
    # A server session: create the machine, run it both ways, read it back.
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m"
    create = json.dumps({"name": "m", "definition": d, "roleArn": "arn:aws:iam::123456789012:role/r",
                         "type": "EXPRESS" if i % 2 else "STANDARD"})
    start = json.dumps({"stateMachineArn": arn, "input": inp, "name": "e"})
    add("server", "\0".join([
        "CreateStateMachine\n" + create, "StartSyncExecution\n" + start,
        "StartExecution\n" + start, "ListExecutions\n" + json.dumps({"stateMachineArn": arn}),
        "GetExecutionHistory\n" + json.dumps({"executionArn": arn.replace("stateMachine", "execution") + ":e"}),
        "TestState\n" + json.dumps({"definition": json.dumps(next(iter(c["definition"]["States"].values()))),
                                    "roleArn": "arn:aws:iam::123456789012:role/r", "input": inp}),
        "ValidateStateMachineDefinition\n" + json.dumps({"definition": d})]))
for c in cases:
    for k, v in walk(c["definition"]):
        if isinstance(v, str) and v.startswith("$"):
            add("path", v)
        if isinstance(v, str) and v.startswith("States."):
            add("template", v)
        if k in ("Parameters", "ResultSelector", "ItemSelector", "Arguments", "Output") \
                and isinstance(v, (dict, list)):
            add("template", json.dumps(v, separators=(",", ":")))
        if isinstance(v, str):
            for m in re.finditer(r"\{%(.*?)%\}", v, re.S):
                add("jsonata", m.group(1).strip())

for p in sorted(glob.glob(os.path.join(REPO, "examples", "*"))):
    if os.path.isdir(p):
        continue
    text = open(p).read()
    name = os.path.basename(p)
    add("json", text)
    if name.endswith(".asl.json"):
        inp = p.replace(".asl.json", ".input.json")
        add("definition", text + "\0" + (open(inp).read() if os.path.exists(inp) else "{}"))
    elif name.endswith(".mocks.json"):
        add("mock", text)
    elif '"definition"' in text:
        add("scenario", text)

per_group = {}
for p in sorted(glob.glob(os.path.join(SHARED, "jsonata-suite", "groups", "*", "*.json"))):
    group = os.path.basename(os.path.dirname(p))
    if per_group.get(group, 0) >= 3:
        continue
    per_group[group] = per_group.get(group, 0) + 1
    try:
        v = json.load(open(p))
    except ValueError:
        continue
    for case in v if isinstance(v, list) else [v]:
        if isinstance(case, dict) and isinstance(case.get("expr"), str):
            add("jsonata", case["expr"])

for s in ["$", "$$", "$.a.b[2].c", "$..c", "$.list[?(@.price > 10)].id", "$.nums[1:3]",
          "$.nums[-1:]", "$['a','n']", "$.list[*].tags[0]", "$$.Map.Item.Value", "$x.y[1]",
          "$.a.b[?(@.c == 'x')]", "$.list[?(@.name)]", "$.nums[::2]", "$.a['b'][0]"]:
    add("path", s)
for s in ['{"x.$":"States.Format(\'{} {}\', $.s, $.n)"}', "States.ArrayRange(1, 5, 2)",
          "States.JsonToString($.a)", "States.StringToJson('{\"a\":1}')", "States.UUID()",
          "States.MathRandom(1, 10)", "States.Hash($.s, 'SHA-256')", "States.Base64Encode($.s)",
          "States.ArrayPartition($.nums, 2)", "States.ArrayGetItem($.nums, 1)",
          "States.StringSplit('a,b', ',')", "States.MathAdd($.n, 1)", '{"a":{"b.$":"$$.Execution.Id"},"c":[1]}']:
    add("template", s)
for s in ['{"a":[1,2.5e3,-0,"\\u00e9\\ud83d\\ude00",null,true,false,{}]}', "18446744073709551615",
          "-9223372036854775808", "1e400", "0.1", '"\\/"', '{"a":1,"a":2}', "[]", "  3  "]:
    add("json", s)
for s in ["CreateActivity\n{\"name\":\"a\"}\0GetActivityTask\n{\"activityArn\":"
          "\"arn:aws:states:us-east-1:123456789012:activity:a\"}",
          "SendTaskSuccess\n{\"taskToken\":\"x\",\"output\":\"{}\"}", "ListStateMachines\n{\"maxResults\":1}",
          "TagResource\n{\"resourceArn\":\"arn:aws:states:us-east-1:123456789012:activity:a\",\"tags\":[]}"]:
    add("server", s)
add("mock", '{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":'
            '{"R":{"0":{"Return":{"a":1}},"1-2":{"Throw":{"Error":"E","Cause":"c"}}}}}\0M\0T')

for t, files in corpus.items():
    d = os.path.join(HERE, "corpus", t)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for h, data in files.items():
        open(os.path.join(d, h), "wb").write(data)
    print(f"{t}: {len(files)} seeds, {sum(map(len, files.values()))} bytes")
