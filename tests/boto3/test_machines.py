"""State machines through boto3: create, describe, list with paging,
update, delete, validate, and the errors by `__type`."""

import json

import pytest
from conftest import PASS, ROLE, create


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_create_describe_update_delete(sfn, unique):
    name = unique()
    arn = create(sfn, name, PASS)
    assert arn == f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}"
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["name"] == name and d["type"] == "STANDARD" and d["status"] == "ACTIVE"
    assert json.loads(d["definition"]) == PASS
    assert d["creationDate"].year >= 2024  # epoch seconds became a datetime
    assert d["ResponseMetadata"]["RequestId"]
    new = {"StartAt": "Q", "States": {"Q": {"Type": "Pass", "Result": 1, "End": True}}}
    u = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(new))
    assert u["updateDate"] >= d["creationDate"]
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == new
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn)


def test_create_is_idempotent_and_conflicts_are_errors(sfn, unique):
    name = unique()
    a = create(sfn, name, PASS)
    assert create(sfn, name, PASS) == a
    other = {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists):
        create(sfn, name, other)


def test_invalid_definitions_name_and_arns(sfn, unique):
    with pytest.raises(sfn.exceptions.InvalidDefinition) as e:
        create(sfn, unique(), {"StartAt": "A", "States": {"A": {"Type": "Pass"}}})
    msg = e.value.response["Error"]["Message"]
    assert msg.startswith("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED")
    assert " at /States/A" in msg
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.create_state_machine(name=unique(), definition="{not json", roleArn=ROLE)
    with pytest.raises(sfn.exceptions.InvalidName):
        create(sfn, "has space", PASS)
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_state_machine(stateMachineArn="arn:aws:states:us-east-1:123456789012:activity:x")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.create_state_machine(name=unique(), definition=json.dumps(PASS), roleArn="not-a-role")
    with pytest.raises(sfn.exceptions.MissingRequiredParameter):
        sfn.update_state_machine(stateMachineArn=create(sfn, unique(), PASS))


def test_list_pages_through_every_machine(sfn, unique):
    made = {create(sfn, unique("page"), PASS) for _ in range(7)}
    seen, token, pages = [], None, 0
    while True:
        kw = {"maxResults": 3, **({"nextToken": token} if token else {})}
        r = sfn.list_state_machines(**kw)
        assert len(r["stateMachines"]) <= 3
        seen += [m["stateMachineArn"] for m in r["stateMachines"]]
        pages += 1
        token = r.get("nextToken")
        if not token:
            break
    assert made <= set(seen) and len(seen) == len(set(seen)) and pages >= 3
    paged = [m["stateMachineArn"] for p in sfn.get_paginator("list_state_machines").paginate(
        PaginationConfig={"PageSize": 2}) for m in p["stateMachines"]]
    assert paged == seen
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machines(nextToken="forged")


def test_validate_definition_reports_diagnostics(sfn):
    ok = sfn.validate_state_machine_definition(definition=json.dumps(PASS))
    assert ok["result"] == "OK" and ok["diagnostics"] == []
    bad = sfn.validate_state_machine_definition(
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})
    )
    assert bad["result"] == "FAIL"
    codes = {d["code"] for d in bad["diagnostics"]}
    assert "MISSING_TRANSITION_TARGET" in codes
    assert all(d["severity"] == "ERROR" for d in bad["diagnostics"])
    one = sfn.validate_state_machine_definition(definition="{", maxResults=1)
    assert one["result"] == "FAIL" and len(one["diagnostics"]) == 1


def test_tags_on_machines_and_activities(sfn, unique):
    arn = sfn.create_state_machine(
        name=unique(), definition=json.dumps(PASS), roleArn=ROLE, tags=[{"key": "team", "value": "a"}]
    )["stateMachineArn"]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "team", "value": "a"}]
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "b"}, {"key": "env", "value": "ci"}])
    tags = {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert tags == {"team": "b", "env": "ci"}
    sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "env", "value": "ci"}]
    act = sfn.create_activity(name=unique("act"))["activityArn"]
    sfn.tag_resource(resourceArn=act, tags=[{"key": "k", "value": "v"}])
    assert sfn.list_tags_for_resource(resourceArn=act)["tags"] == [{"key": "k", "value": "v"}]
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.list_tags_for_resource(resourceArn=arn + "-gone")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.list_tags_for_resource(resourceArn="arn:aws:s3:::bucket")
    with pytest.raises(sfn.exceptions.TooManyTags):
        sfn.tag_resource(resourceArn=arn, tags=[{"key": f"k{i}", "value": ""} for i in range(51)])


def test_activities(sfn, unique):
    name = unique("act")
    arn = sfn.create_activity(name=name)["activityArn"]
    assert arn == f"arn:aws:states:us-east-1:123456789012:activity:{name}"
    assert sfn.create_activity(name=name)["activityArn"] == arn
    assert sfn.describe_activity(activityArn=arn)["name"] == name
    listed = [a["activityArn"] for p in sfn.get_paginator("list_activities").paginate(
        PaginationConfig={"PageSize": 1}) for a in p["activities"]]
    assert arn in listed
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.get_activity_task(activityArn=arn)
    assert code(e) == "UnsupportedOperation" and "task tokens" in e.value.response["Error"]["Message"]
    sfn.delete_activity(activityArn=arn)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.describe_activity(activityArn=arn)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.get_activity_task(activityArn=arn)
