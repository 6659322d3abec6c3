"""Fill the shipped questionnaires end to end: generate instances, post them as ODK
Collect does, and read them back byte for byte.

The generator (submission_instances.py) evaluates each form's own relevant, constraint
and calculate expressions with the XPath subset in xpath_subset.py. The first tests
check that evaluator against expressions copied from the forms, including values that
must fail, so a generator that accepted anything would be caught.
"""

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from odk_collect import assign, collect_client, create_app_user
from pyxform.xls2xform import convert
from submission_instances import (
    Submission,
    check,
    entity_list_rows,
    generate,
    parse_instance,
    read_xform,
)
from xpath_subset import Context, Node, XPathError, evaluate, evaluate_boolean

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = date(2026, 12, 4)
# Publish order matters: the follow-up reads the respondents list that baseline creates.
FORM_IDS = ("tracer_baseline", "tracer_followup", "value_chain_firm")


@cache
def shipped_form(form_id: str):
    result = convert(xlsform=str(FORMS_DIR / f"{form_id}.xlsx"))
    return read_xform(result.xform)


# ---------------------------------------------------------------------------------------
# The evaluator


def field_context(value: str, kind: str = "string", **others: str):
    """Build /data/<field> = value, plus sibling fields, typed as their binds would be."""
    document = Node("#document")
    data = document.append(Node("data"))
    node = data.append(Node("field", value))
    types = {"/data/field": kind}
    for name, other in others.items():
        data.append(Node(name, other))
        types[f"/data/{name}"] = "int"
    return node, Context(document, {}, types, TODAY)


PHONE = r"regex(., '^\+?[0-9]{7,15}$')"
AGE = "(. >= 15 and . <= 100) or . = -98 or . = -99"
EXCLUSIVE = (
    "not((selected(., 'none') or selected(., 'dk') or selected(., 'refused')) "
    "and count-selected(.) > 1)"
)
YEAR = "(. >= 1900 and . <= int(format-date(today(), '%Y'))) or . = -98 or . = -99"
AT_MOST_TOTAL = (
    "(. >= 0 and . <= 100000 and ( /data/total  < 0 or . <=  /data/total )) "
    "or . = -98 or . = -99"
)
DOB = (
    "(decimal-date-time(today()) - decimal-date-time(.)) >= 15 * 365.25 and "
    "(decimal-date-time(today()) - decimal-date-time(.)) < 101 * 365.25"
)
START_DATE = ". >= date('2015-01-01') and . <= today()"


@pytest.mark.parametrize(
    ("expression", "value", "kind", "expected"),
    [
        (PHONE, "+255712345678", "string", True),
        (PHONE, "0712 345 678", "string", False),
        (PHONE, "12345", "string", False),
        (AGE, "35", "int", True),
        (AGE, "-98", "int", True),
        (AGE, "12", "int", False),
        (AGE, "-1", "int", False),
        (EXCLUSIVE, "farm_sale casual_paid", "string", True),
        (EXCLUSIVE, "dk", "string", True),
        (EXCLUSIVE, "dk farm_sale", "string", False),
        (EXCLUSIVE, "none refused", "string", False),
        (YEAR, "2026", "int", True),
        (YEAR, "2027", "int", False),
        (YEAR, "1899", "int", False),
        (DOB, "1990-06-15", "date", True),
        (DOB, (TODAY - timedelta(days=365 * 10)).isoformat(), "date", False),
        (DOB, "1920-01-01", "date", False),
        (START_DATE, "2015-01-01", "date", True),
        (START_DATE, "2014-12-31", "date", False),
        (START_DATE, "2026-12-05", "date", False),
    ],
)
def test_evaluator_constraints_from_forms(expression, value, kind, expected):
    node, context = field_context(value, kind)

    assert evaluate_boolean(expression, node, context) is expected


@pytest.mark.parametrize(
    ("value", "total", "expected"),
    [("3", "5", True), ("5", "5", True), ("6", "5", False), ("6", "-98", True)],
)
def test_evaluator_count_within_total(value, total, expected):
    node, context = field_context(value, "int", total=total)

    assert evaluate_boolean(AT_MOST_TOTAL, node, context) is expected


def test_evaluator_calculates_from_forms():
    node, context = field_context("2026-12-04", "date", days=" 5", amount="1200")

    assert evaluate(
        "format-date(date( /data/field  - 7), '%Y-%m-%d')", node, context
    ) == ("2026-11-27")
    assert evaluate("round( /data/amount  * 26 div 12, 2)", node, context) == 2600.0
    assert evaluate("round(10 div 3, 2)", node, context) == 3.33
    assert evaluate("if( /data/days  >= 0, 'yes', '')", node, context) == "yes"
    assert evaluate("coalesce( /data/missing , /data/amount )", node, context) == 1200.0


def test_evaluator_position_of_repeat_entry():
    document = Node("#document")
    data = document.append(Node("data"))
    fields = []
    for index in range(3):
        entry = data.append(Node("attempts"))
        fields.append(entry.append(Node("field", str(index))))
    data.append(Node("other"))
    context = Context(document, {}, {}, TODAY)

    assert evaluate("position(..)", fields[0], context) == 1.0
    assert evaluate("position(..)", fields[2], context) == 3.0


def test_evaluator_rejects_unknown_function():
    node, context = field_context("x")

    with pytest.raises(XPathError, match="pulldata"):
        evaluate("pulldata('a', 'b', 'c', .)", node, context)


def test_evaluator_rejects_multiple_nodes_in_comparison():
    document = Node("#document")
    data = document.append(Node("data"))
    for value in ("1", "2"):
        data.append(Node("item", value))
    context = Context(document, {}, {}, TODAY)

    with pytest.raises(XPathError, match="one node"):
        evaluate_boolean("/data/item = 1", data, context)


# ---------------------------------------------------------------------------------------
# The generator, without a server


@pytest.mark.parametrize("form_id", ["value_chain_firm", "tracer_baseline"])
def test_generated_instances_are_valid(form_id):
    form = shipped_form(form_id)
    for index in range(8):
        submission = generate(form, f"valid-{index}", today=TODAY)

        assert check(form, submission.xml, today=TODAY) == []
        assert submission.instance_id.startswith("uuid:")
        assert "audit.csv" in submission.attachments


def test_baseline_reaches_not_employed_questions():
    form = shipped_form("tracer_baseline")
    overrides = {
        "/data/consent": "yes",
        "/data/labour/work_paid": "no",
        "/data/labour/work_ancillary": "none",
        "/data/labour/job_absent": "no",
    }

    submission = generate(form, "not-employed", today=TODAY, overrides=overrides)
    values = {node.name: node.text for node in parse_instance(submission.xml).iter()}

    assert values["employed"] == "0"
    assert values["look_work"] != ""
    assert values["available"] != ""
    assert values["lfs_status"] in ("unemployed", "outside_lf")
    assert values["occupation"] == ""


def test_generation_is_deterministic():
    form = shipped_form("value_chain_firm")

    first = generate(form, "same-seed", today=TODAY)
    second = generate(form, "same-seed", today=TODAY)
    other = generate(form, "other-seed", today=TODAY)

    assert first.xml == second.xml
    assert first.attachments == second.attachments
    assert first.xml != other.xml


def test_baseline_skips_everything_without_consent():
    form = shipped_form("tracer_baseline")

    submission = generate(form, "refused", today=TODAY, overrides={"/data/consent": "no"})
    document = parse_instance(submission.xml)
    labour = next(node for node in document.iter() if node.name == "labour")

    assert all(node.text == "" for node in labour.iter())
    assert submission.entities[0].create is False


def test_followup_updates_baseline_respondent():
    baseline = generate(
        shipped_form("tracer_baseline"),
        "b",
        today=TODAY,
        overrides={"/data/consent": "yes"},
    )
    respondents = entity_list_rows(baseline.entities)

    followup = generate(
        shipped_form("tracer_followup"),
        "f",
        today=TODAY,
        secondary={"respondents": respondents},
        overrides={"/data/attempts/attempt_outcome": ["not_found", "interviewed"]},
        repeat_counts={"/data/attempts": 2},
    )
    entity = followup.entities[0]

    assert entity.update is True
    assert entity.id == baseline.entities[0].id
    assert entity.base_version == "1"
    assert entity.properties["last_outcome"] == "interviewed"
    assert b"<final_outcome>interviewed</final_outcome>" in followup.xml


@pytest.mark.parametrize(
    ("field", "bad_value", "problem"),
    [
        ("household_size", "0", "violates constraint"),
        ("household_size", "51", "violates constraint"),
        ("phone_1", "not a phone", "violates constraint"),
        ("phone_1", "", "required but empty"),
        ("education_level", "doctorate_honoris", "not a choice"),
        ("household_size", "four", "not a valid int"),
        ("youth", "7", "calculate gives"),
    ],
)
def test_check_catches_broken_instance(field, bad_value, problem):
    form = shipped_form("tracer_baseline")
    submission = generate(form, "tamper", today=TODAY, overrides={"/data/consent": "yes"})
    broken = _replace_value(submission.xml, field, bad_value)

    problems = check(form, broken, today=TODAY)

    assert any(field in line and problem in line for line in problems), problems


def test_programme_start_skipped_before_start():
    form = shipped_form("tracer_baseline")
    overrides = {"/data/consent": "yes", "/data/programme/prog_status": "enrolled"}

    submission = generate(form, "enrolled", today=TODAY, overrides=overrides)
    values = {node.name: node.text for node in parse_instance(submission.xml).iter()}

    assert values["prog_start_known"] == ""
    assert values["prog_start_date"] == ""


@pytest.mark.parametrize(
    ("reasons", "main", "expected"),
    [
        ("no_need", "", "no_need"),
        ("interest collateral", "collateral", "collateral"),
        ("dk", "", "dk"),
    ],
)
def test_main_reason_for_not_applying(reasons, main, expected):
    form = shipped_form("value_chain_firm")
    overrides = {
        "/data/consent": "yes",
        "/data/finance/fin_applied": "no",
        "/data/finance/fin_no_apply_reasons": reasons,
    }
    if main:
        overrides["/data/finance/fin_no_apply_main"] = main

    submission = generate(form, f"reasons-{reasons}", today=TODAY, overrides=overrides)
    values = {node.name: node.text for node in parse_instance(submission.xml).iter()}

    assert values["fin_no_apply_main"] == main
    assert values["fin_no_apply_reason"] == expected


def test_main_reason_offers_only_given_reasons():
    form = shipped_form("value_chain_firm")
    overrides = {
        "/data/consent": "yes",
        "/data/finance/fin_applied": "no",
        "/data/finance/fin_no_apply_reasons": "interest collateral",
    }
    submission = generate(form, "reasons", today=TODAY, overrides=overrides)
    broken = _replace_value(submission.xml, "fin_no_apply_main", "no_need")

    problems = check(form, broken, today=TODAY)

    assert any(
        "fin_no_apply_main" in line and "not a choice" in line for line in problems
    )


def _two_attempts():
    """Return the follow-up form, its respondents and a valid two-attempt follow-up."""
    baseline = generate(
        shipped_form("tracer_baseline"),
        "attempts-baseline",
        today=TODAY - timedelta(days=30),
        overrides={"/data/consent": "yes"},
    )
    respondents = entity_list_rows(baseline.entities)
    form = shipped_form("tracer_followup")
    followup = generate(
        form,
        "attempts",
        today=TODAY,
        secondary={"respondents": respondents},
        overrides={
            "/data/attempts/attempt_date": ["2026-11-20", "2026-11-25"],
            "/data/attempts/attempt_outcome": ["not_found", "interviewed"],
        },
        repeat_counts={"/data/attempts": 2},
    )
    return form, respondents, followup


def test_check_catches_attempts_out_of_order():
    form, respondents, followup = _two_attempts()
    broken = _replace_value(followup.xml, "attempt_date", "2026-11-10", occurrence=2)

    problems = check(form, broken, today=TODAY, secondary={"respondents": respondents})

    assert b"<last_contact_date>2026-11-25</last_contact_date>" in followup.xml
    assert any(
        "attempts/attempt_date = '2026-11-10'" in line and "violates constraint" in line
        for line in problems
    ), problems


def test_check_catches_attempt_after_interview():
    form, respondents, followup = _two_attempts()
    broken = _replace_value(followup.xml, "attempt_outcome", "interviewed", occurrence=1)
    # The checker reads calculates as stored, as a server would, so store the new one.
    broken = _replace_value(
        broken, "previous_attempt_outcome", "interviewed", occurrence=2
    )

    problems = check(form, broken, today=TODAY, secondary={"respondents": respondents})

    assert len(problems) == 1, problems
    assert problems[0].startswith(
        "/data/attempts/attempt_outcome = 'interviewed': violates constraint"
    )


def test_check_catches_value_in_skipped_question():
    form = shipped_form("tracer_baseline")
    submission = generate(form, "skip", today=TODAY, overrides={"/data/consent": "no"})
    broken = _replace_value(submission.xml, "full_name", "Amina Juma")

    problems = check(form, broken, today=TODAY)

    assert problems == [
        "/data/identity/full_name = 'Amina Juma': not relevant but has a value",
        # The calculates that copy full_name no longer match the stored values either.
        "/data/meta/entity/label = '': calculate gives 'Amina Juma'",
        "/data/meta/instanceName = ' 2026-12-04': "
        "calculate gives 'Amina Juma 2026-12-04'",
    ]


def _replace_value(xml: bytes, field: str, value: str, occurrence: int = 1) -> bytes:
    """Replace the value of the n-th element named `field`, counting from 1."""
    text = xml.decode()
    start = -1
    for _ in range(occurrence):
        start = text.index(f"<{field}", start + 1)
    end = text.index(">", start)
    if text[end - 1] == "/":
        closing = end + 1
    else:
        closing = text.index(f"</{field}>", end) + len(f"</{field}>")
    replaced = f"<{field}>{value}</{field}>" if value else f"<{field}/>"
    return (text[:start] + replaced + text[closing:]).encode()


# ---------------------------------------------------------------------------------------
# Over HTTP, as ODK Collect


def publish_shipped(admin, form_id: str) -> None:
    response = admin.post(
        "/v1/projects/1/forms?publish=true",
        content=(FORMS_DIR / f"{form_id}.xlsx").read_bytes(),
        headers={"Content-Type": XLSX, "X-XlsForm-FormId-Fallback": form_id},
    )
    assert response.status_code == 200, response.text


def post_as_collect(server, token: str, submission: Submission):
    files = [("xml_submission_file", ("instance.xml", submission.xml, "text/xml"))]
    for name, (data, media_type) in submission.attachments.items():
        files.append((name, (name, data, media_type)))
    with collect_client(server, token) as client:
        return client.post(
            "/submission", files=files, params={"deviceID": "collect:fill-test"}
        )


def test_shipped_forms_filled_over_openrosa(server, admin):
    for form_id in FORM_IDS:
        publish_shipped(admin, form_id)
    app_user = create_app_user(admin, "enum_01")
    for form_id in FORM_IDS:
        assign(admin, app_user, form_id)
    forms = {form_id: _server_form(admin, form_id) for form_id in FORM_IDS}

    sent = _baseline_and_followup(forms)
    sent += _value_chain(forms["value_chain_firm"])
    for submission in sent:
        response = post_as_collect(server, app_user.token, submission)
        assert response.status_code == 201, (submission.form_id, response.text)

    for form_id in FORM_IDS:
        expected = [s for s in sent if s.form_id == form_id]
        _assert_stored(admin, form_id, expected)


def _server_form(admin, form_id: str):
    response = admin.get(f"/v1/projects/1/forms/{form_id}.xml")
    assert response.status_code == 200, response.text
    return read_xform(response.content)


def _baseline_and_followup(forms) -> list[Submission]:
    consents = ["yes", "yes", "yes", "no", "yes"]
    baseline = [
        generate(
            forms["tracer_baseline"],
            f"baseline-{i}",
            today=TODAY,
            overrides={"/data/consent": consent},
        )
        for i, consent in enumerate(consents)
    ]
    respondents = entity_list_rows([e for s in baseline for e in s.entities])
    assert len(respondents) == consents.count("yes")

    outcomes = [["interviewed"], ["not_found", "interviewed"], ["moved_away"], None]
    followup = []
    for index, outcome in enumerate(outcomes):
        # Each follow-up picks one respondent, as an enumerator would from the list.
        overrides = {"/data/respondent": respondents[index]["name"]}
        if outcome:
            overrides["/data/attempts/attempt_outcome"] = outcome
        counts = {"/data/attempts": len(outcome)} if outcome else {}
        followup.append(
            generate(
                forms["tracer_followup"],
                f"followup-{index}",
                today=TODAY,
                secondary={"respondents": respondents},
                overrides=overrides,
                repeat_counts=counts,
            )
        )
    for submission, row in zip(followup, respondents, strict=False):
        assert submission.entities[0].id == row["name"]
    return baseline + followup


def _value_chain(form) -> list[Submission]:
    firms: list[dict[str, str]] = []
    sent = []
    for index in range(4):
        overrides = {"/data/consent": "yes", "/data/has_partners": "yes"}
        submission = generate(
            form,
            f"firm-{index}",
            today=TODAY,
            secondary={"firms": firms},
            overrides=overrides,
        )
        firms += entity_list_rows(submission.entities)
        sent.append(submission)
    assert firms, "no partner firm was registered as an entity"
    return sent


def _assert_stored(admin, form_id: str, expected: list[Submission]) -> None:
    base = f"/v1/projects/1/forms/{form_id}/submissions"
    listed = admin.get(base)
    assert listed.status_code == 200, listed.text
    assert sorted(item["instanceId"] for item in listed.json()) == sorted(
        submission.instance_id for submission in expected
    )
    for submission in expected:
        stored = admin.get(f"{base}/{submission.instance_id}.xml")
        assert stored.status_code == 200, stored.text
        assert stored.content == submission.xml, submission.instance_id

        attachments = admin.get(f"{base}/{submission.instance_id}/attachments")
        assert attachments.status_code == 200, attachments.text
        assert attachments.json() == [
            {"name": name, "exists": True} for name in sorted(submission.attachments)
        ]
        for name, (data, _media_type) in submission.attachments.items():
            downloaded = admin.get(f"{base}/{submission.instance_id}/attachments/{name}")
            assert downloaded.status_code == 200, downloaded.text
            assert downloaded.content == data, (submission.instance_id, name)
