"""Checks of the XLSForms shipped in forms/.

Each form must convert with pyxform without warnings, pass ODK Validate, declare the
entity lists the panel relies on, and match a fresh run of scripts/build_forms.py.
"""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.validators.odk_validate import check_xform
from pyxform.xls2xform import convert

REPO_ROOT = Path(__file__).resolve().parents[2]
FORMS_DIR = REPO_ROOT / "forms"
BUILD_SCRIPT = REPO_ROOT / "scripts" / "build_forms.py"

FORM_IDS = ("value_chain_firm", "tracer_baseline", "tracer_followup")
LANGUAGES = {"English (en)", "French (fr)", "Portuguese (pt)", "Spanish (es)"}

NS = {
    "h": "http://www.w3.org/1999/xhtml",
    "x": "http://www.w3.org/2002/xforms",
    "jr": "http://openrosa.org/javarosa",
    "entities": "http://www.opendatakit.org/xforms/entities",
}
JR_PRELOAD = f"{{{NS['jr']}}}preload"
JR_CONSTRAINT_MSG = f"{{{NS['jr']}}}constraintMsg"
ODK_TRACK_CHANGES = "{http://www.opendatakit.org/xforms}track-changes"
SAVETO = f"{{{NS['entities']}}}saveto"

# Respondent entity properties used to reach a respondent. Baseline writes them
# and each follow-up writes back the latest known values.
CONTACT_PROPERTIES = {
    "phone_1",
    "phone_2",
    "alt_contact_name",
    "alt_contact_phone",
    "region",
    "district",
    "village",
    "directions",
    "geometry",
}

# System columns of an entity list CSV, which no form writes.
ENTITY_SYSTEM_COLUMNS = {"name", "label", "__version", "__trunkVersion", "__branchId"}


@cache
def conversion(form_id: str) -> tuple[list[str], str]:
    """Convert a shipped form once per test session and return (warnings, XForm XML)."""
    warnings: list[str] = []
    result = convert(xlsform=str(FORMS_DIR / f"{form_id}.xlsx"), warnings=warnings)
    return warnings, result.xform


def model(form_id: str) -> ET.Element:
    # The XML is pyxform's output for the forms in this repository, not outside input.
    root = ET.fromstring(conversion(form_id)[1])  # noqa: S314
    found = root.find("h:head/x:model", NS)
    assert found is not None, f"{form_id}: XForm has no model"
    return found


def binds(form_id: str) -> dict[str, ET.Element]:
    return {bind.get("nodeset"): bind for bind in model(form_id).iterfind("x:bind", NS)}


def saved_properties(form_id: str) -> set[str]:
    return {bind.get(SAVETO) for bind in binds(form_id).values() if bind.get(SAVETO)}


def entity(form_id: str, dataset: str) -> ET.Element:
    matches = [
        element
        for element in model(form_id).iter(f"{{{NS['x']}}}entity")
        if element.get("dataset") == dataset
    ]
    assert len(matches) >= 1, f"{form_id}: no entity declaration for {dataset!r}"
    return matches[0]


def require_java() -> None:
    if shutil.which("java") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("java is not on PATH, so ODK Validate cannot run; install a JRE")
    pytest.skip("java is not on PATH; install a JRE (8 or newer) to run ODK Validate")


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_form_converts_without_warnings(form_id):
    warnings, xform = conversion(form_id)

    assert warnings == []
    assert f'id="{form_id}"' in xform


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_form_passes_odk_validate(form_id, tmp_path):
    require_java()
    path = tmp_path / f"{form_id}.xml"
    path.write_text(conversion(form_id)[1], encoding="utf-8")

    # check_xform raises ODKValidateError for an invalid form and returns warnings.
    assert check_xform(str(path)) == []


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_form_has_four_languages(form_id):
    translations = model(form_id).findall("x:itext/x:translation", NS)
    languages = {translation.get("lang") for translation in translations}
    defaults = [t.get("lang") for t in translations if t.get("default") == "true()"]

    assert languages == LANGUAGES
    assert defaults == ["English (en)"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_numbers_and_dates_have_constraints(form_id):
    checked = 0
    for nodeset, bind in binds(form_id).items():
        if bind.get("type") not in ("int", "decimal", "date"):
            continue
        if bind.get(JR_PRELOAD) or bind.get("calculate"):
            continue
        checked += 1
        assert bind.get("constraint"), f"{nodeset} has no constraint"
        assert bind.get(JR_CONSTRAINT_MSG), f"{nodeset} has no constraint message"
    assert checked > 0


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_respondent_numbers_accept_codes(form_id):
    # The follow-up wave number is entered by the enumerator, not asked.
    administrative = {"/data/wave"}
    for nodeset, bind in binds(form_id).items():
        if bind.get("type") not in ("int", "decimal") or nodeset in administrative:
            continue
        constraint = bind.get("constraint", "")
        assert ". = -98" in constraint, f"{nodeset} rejects -98 (don't know)"
        assert ". = -99" in constraint, f"{nodeset} rejects -99 (refused)"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_form_has_metadata_and_audit(form_id):
    form_binds = binds(form_id)

    for name in ("start", "end", "today", "deviceid", "username"):
        assert f"/data/{name}" in form_binds, f"{form_id} has no {name} metadata"
    assert "/data/meta/audit" in form_binds
    assert form_binds["/data/meta/audit"].get(ODK_TRACK_CHANGES) == "true"
    assert "/data/meta/instanceName" in form_binds


def test_value_chain_creates_firms_in_partners_repeat():
    declaration = entity("value_chain_firm", "firms")
    form_binds = binds("value_chain_firm")
    create = form_binds.get("/data/partners/meta/entity/@create")

    assert create is not None, "firms entity is not inside the partners repeat"
    assert declaration.get("create") == "1"
    assert declaration.get("update") is None
    assert "partner_register" in create.get("calculate")
    assert {"chain_role", "locality", "link_type", "referred_by"} <= saved_properties(
        "value_chain_firm"
    )


def test_baseline_creates_respondents_on_consent():
    declaration = entity("tracer_baseline", "respondents")
    form_binds = binds("tracer_baseline")

    assert declaration.get("create") == "1"
    assert declaration.get("update") is None
    assert "/data/consent" in form_binds["/data/meta/entity/@create"].get("calculate")
    assert "full_name" in form_binds["/data/meta/entity/label"].get("calculate")
    expected = {
        "full_name",
        *CONTACT_PROPERTIES,
        "country",
        "enumerator",
        "baseline_date",
        "latest_wave",
        "last_outcome",
    }
    assert expected <= saved_properties("tracer_baseline")


def test_followup_updates_selected_respondent():
    declaration = entity("tracer_followup", "respondents")
    entity_id = binds("tracer_followup")["/data/meta/entity/@id"]

    assert declaration.get("update") == "1"
    assert declaration.get("create") is None
    assert entity_id.get("calculate").strip() == "/data/respondent"
    assert {"latest_wave", "last_outcome", "last_contact_date"} <= saved_properties(
        "tracer_followup"
    )


def test_followup_writes_back_contact_properties():
    written = saved_properties("tracer_followup")

    assert CONTACT_PROPERTIES - written == set()


def test_followup_identity_shows_name_and_phone():
    xform = conversion("tracer_followup")[1]
    label = re.search(
        r'<text id="/data/confirm/identity_confirmed:label"><value>(.*?)</value>', xform
    )

    assert label is not None, "identity_confirmed has no English label"
    assert "/data/pre_name" in label.group(1)
    assert "/data/pre_phone_1" in label.group(1)


def test_tracer_forms_share_respondent_key():
    baseline_key = binds("tracer_baseline")["/data/respondent"]
    followup_key = binds("tracer_followup")["/data/respondent"]

    assert baseline_key.get("calculate") == "../meta/entity/@id"
    assert followup_key.get("type") == "string"
    assert followup_key.get("required") == "true()"


def test_followup_lists_respondents_of_this_enumerator():
    xform = conversion("tracer_followup")[1]
    instances = {
        instance.get("id"): instance.get("src")
        for instance in model("tracer_followup").iterfind("x:instance", NS)
    }
    itemset = re.search(r'<itemset nodeset="(instance\(\'respondents\'\)[^"]*)"', xform)

    assert instances["respondents"] == "jr://file-csv/respondents.csv"
    assert itemset is not None, "respondent question has no respondents itemset"
    assert re.search(r"enumerator\s*=\s*/data/username", itemset.group(1))


def test_followup_reads_only_properties_baseline_writes():
    xform = conversion("tracer_followup")[1]
    read = set(re.findall(r"instance\('respondents'\)/root/item\[[^\]]*\]/(\w+)", xform))
    filtered = set(re.findall(r"(\w+)\s*(?:=|!=)", _respondent_filter(xform)))
    written = saved_properties("tracer_baseline") | ENTITY_SYSTEM_COLUMNS

    assert read - written == set()
    assert filtered - written == set()


def _respondent_filter(xform: str) -> str:
    match = re.search(r"instance\('respondents'\)/root/item\[([^\]]*)\]\"", xform)
    assert match is not None, "respondent itemset has no filter"
    return match.group(1)


def test_labour_module_same_in_tracer_forms():
    def labour_nodes(form_id):
        return {n for n in binds(form_id) if n.startswith("/data/labour/")}

    baseline = labour_nodes("tracer_baseline")
    followup = labour_nodes("tracer_followup")

    assert "/data/labour/lfs_status" in baseline
    assert baseline == followup


def test_committed_workbooks_match_generator(tmp_path):
    subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for form_id in FORM_IDS:
        committed = load_workbook(FORMS_DIR / f"{form_id}.xlsx")
        generated = load_workbook(tmp_path / f"{form_id}.xlsx")

        assert committed.sheetnames == generated.sheetnames, form_id
        for name in committed.sheetnames:
            committed_rows = list(committed[name].iter_rows(values_only=True))
            generated_rows = list(generated[name].iter_rows(values_only=True))
            assert committed_rows == generated_rows, (
                f"forms/{form_id}.xlsx sheet {name!r} differs from the generator; "
                "run scripts/build_forms.py and commit the result"
            )
