"""Conventions of the shipped XLSForms, checked on the workbooks in forms/.

forms/README.md states these rules for whoever adds a question or a language: every text
in every language, a constraint and a translated message on every number and date,
-98 and -99 on numbers asked of a respondent, `dk` and `refused` at the end of choice
lists, required answers unless a question is listed below as optional, a complete
settings sheet, and names that stay stable from version to version.
"""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from panel_names import FORM_IDS, RECORD, current_record, removed_names, sheet_rows

README = Path(__file__).resolve().parents[2] / "forms" / "README.md"
LANGUAGES = ("English (en)", "French (fr)", "Portuguese (pt)", "Spanish (es)")
TRANSLATED_SURVEY_COLUMNS = ("label", "hint", "constraint_message", "required_message")
CODES = ("dk", "refused")

# Choice lists without `dk` and `refused`: lists that classify the interview, or that
# the enumerator answers rather than the respondent.
UNCODED_LISTS = {
    "yes_no",  # consent, identity, register for interview, contact details still valid
    "countries",
    "firm_sources",
    "respondent_positions",
    "chain_roles",
    "sectors",
    "partner_types",
    "earning_periods",  # asked only after a known amount
    "beneficiary_types",
    "sexes",
    "contact_modes",
    "contact_outcomes",
}

# Numbers that the enumerator enters, so that don't know and refused do not apply.
UNCODED_NUMBERS = {("tracer_followup", "wave")}

# Questions that may stay blank, grouped by reason. Every other question is required.
OPTIONAL_QUESTIONS = {
    # Phones and names that a respondent may not have or may not want to give.
    ("value_chain_firm", "firm_phone"),
    ("value_chain_firm", "partner_phone"),
    ("tracer_baseline", "phone_2"),
    ("tracer_baseline", "alt_contact_name"),
    ("tracer_baseline", "alt_contact_phone"),
    ("tracer_baseline", "other_name"),
    ("tracer_baseline", "programme_id"),
    ("tracer_followup", "moved_phone"),
    ("tracer_followup", "phone_2_new"),
    ("tracer_followup", "alt_contact_name_new"),
    ("tracer_followup", "alt_contact_phone_new"),
    # A device may get no location fix, for example indoors.
    ("value_chain_firm", "firm_gps"),
    ("tracer_baseline", "home_gps"),
    ("tracer_followup", "home_gps"),
    # Blank means the partner is not yet on the firms list.
    ("value_chain_firm", "partner_listed"),
    # Free-text notes and directions.
    ("tracer_baseline", "directions"),
    ("tracer_followup", "directions_new"),
    ("tracer_followup", "attempt_notes"),
    ("tracer_followup", "chg_other"),
    ("value_chain_firm", "enumerator_comments"),
    ("tracer_baseline", "enumerator_comments"),
    ("tracer_followup", "enumerator_comments"),
}

# Row types that store no response, so `required` does not apply.
NOT_ANSWERS = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "audit",
    "note",
    "calculate",
    "begin_group",
    "end_group",
    "begin_repeat",
    "end_repeat",
}


def survey(form_id: str) -> list[dict[str, object]]:
    return sheet_rows(form_id, "survey")


def choice_lists(form_id: str) -> dict[str, list[dict[str, object]]]:
    lists: dict[str, list[dict[str, object]]] = {}
    for row in sheet_rows(form_id, "choices"):
        lists.setdefault(str(row["list_name"]), []).append(row)
    return lists


def base_type(row: dict[str, object]) -> str:
    return str(row["type"]).split()[0]


def translated(row: dict[str, object], column: str) -> dict[str, str]:
    """Return the non-blank texts of one translated column, by language."""
    texts = {}
    for language in LANGUAGES:
        value = row.get(f"{column}::{language}")
        if value is not None and str(value).strip():
            texts[language] = str(value)
    return texts


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_survey_texts_in_every_language(form_id):
    for row in survey(form_id):
        for column in TRANSLATED_SURVEY_COLUMNS:
            texts = translated(row, column)
            if texts:
                missing = set(LANGUAGES) - set(texts)
                assert not missing, f"{form_id} {row['name']}: {column} lacks {missing}"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_choice_labels_in_every_language(form_id):
    for list_name, rows in choice_lists(form_id).items():
        for row in rows:
            missing = set(LANGUAGES) - set(translated(row, "label"))
            assert not missing, f"{form_id} {list_name}/{row['name']}: lacks {missing}"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_numbers_and_dates_have_translated_messages(form_id):
    checked = 0
    for row in survey(form_id):
        if base_type(row) not in ("integer", "decimal", "date"):
            continue
        checked += 1
        assert row.get("constraint"), f"{form_id} {row['name']} has no constraint"
        messages = translated(row, "constraint_message")
        missing = set(LANGUAGES) - set(messages)
        assert not missing, f"{form_id} {row['name']}: constraint message lacks {missing}"
    assert checked > 0


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_number_messages_explain_codes(form_id):
    for row in survey(form_id):
        if base_type(row) not in ("integer", "decimal"):
            continue
        if (form_id, row["name"]) in UNCODED_NUMBERS:
            continue
        constraint = str(row["constraint"])
        assert ". = -98" in constraint, f"{form_id} {row['name']} rejects -98"
        assert ". = -99" in constraint, f"{form_id} {row['name']} rejects -99"
        for language, message in translated(row, "constraint_message").items():
            assert "-98" in message, f"{form_id} {row['name']}: {language} lacks -98"
            assert "-99" in message, f"{form_id} {row['name']}: {language} lacks -99"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_choice_lists_end_with_codes(form_id):
    for list_name, rows in choice_lists(form_id).items():
        names = [str(row["name"]) for row in rows]
        if list_name in UNCODED_LISTS:
            assert not set(CODES) & set(names), f"{form_id} {list_name} has codes"
        else:
            assert names[-2:] == list(CODES), (
                f"{form_id} {list_name} ends with {names[-2:]}"
            )
            assert names.count("dk") == 1, f"{form_id} {list_name} repeats dk"


def test_code_choices_have_one_label():
    labels: dict[str, set[tuple[str, ...]]] = {code: set() for code in CODES}
    for form_id in FORM_IDS:
        for rows in choice_lists(form_id).values():
            for row in rows:
                if row["name"] in CODES:
                    text = translated(row, "label")
                    labels[str(row["name"])].add(
                        tuple(text.get(lang) for lang in LANGUAGES)
                    )

    assert len(labels["dk"]) == 1, labels["dk"]
    assert len(labels["refused"]) == 1, labels["refused"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_select_multiple_codes_are_exclusive(form_id):
    lists = choice_lists(form_id)
    for row in survey(form_id):
        if base_type(row) != "select_multiple":
            continue
        list_name = str(row["type"]).split()[1]
        names = {str(choice["name"]) for choice in lists[list_name]}
        constraint = str(row.get("constraint") or "")
        for code in ("none", *CODES):
            if code in names:
                assert f"selected(., '{code}')" in constraint, (
                    f"{form_id} {row['name']}: {code!r} combines with other answers"
                )
        assert "count-selected(.) > 1" in constraint, f"{form_id} {row['name']}"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_questions_required_unless_listed(form_id):
    names = set()
    for row in survey(form_id):
        if base_type(row) in NOT_ANSWERS:
            continue
        names.add(row["name"])
        if (form_id, row["name"]) in OPTIONAL_QUESTIONS:
            assert row.get("required") != "yes", f"{form_id} {row['name']} is required"
        else:
            assert row.get("required") == "yes", f"{form_id} {row['name']} is optional"
            assert translated(row, "required_message"), f"{form_id} {row['name']}"
    listed = {name for listed_form, name in OPTIONAL_QUESTIONS if listed_form == form_id}
    assert listed - names == set(), "OPTIONAL_QUESTIONS names questions that are gone"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_settings_sheet_complete(form_id):
    rows = sheet_rows(form_id, "settings")

    assert len(rows) == 1
    settings = rows[0]
    assert settings["form_id"] == form_id
    assert str(settings.get("form_title") or "").strip()
    assert settings["default_language"] == "English (en)"
    version = str(settings["version"])
    assert re.fullmatch(r"\d{10}", version), f"version {version!r} is not yyyymmddnn"
    datetime.strptime(version[:8], "%Y%m%d")  # raises ValueError for an invalid date


def test_names_match_record_of_version():
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    current = current_record()

    assert record["version"] == current["version"], (
        "the forms have a new version: run .venv/bin/python tests/forms/panel_names.py"
    )
    assert record["forms"] == current["forms"], (
        f"names changed under version {current['version']}: set a new VERSION in "
        "scripts/build_forms.py, rebuild, then run tests/forms/panel_names.py"
    )


def test_name_record_rejects_removed_names():
    record = current_record()
    renamed = json.loads(json.dumps(record))
    baseline = renamed["forms"]["tracer_baseline"]
    baseline["questions"].remove("phone_1")
    baseline["questions"].append("phone_main")
    baseline["choices"]["sexes"].remove("female")
    baseline["entity_properties"].remove("village")

    assert removed_names(record, renamed) == [
        "tracer_baseline: questions phone_1",
        "tracer_baseline: entity_properties village",
        "tracer_baseline: choice sexes/female",
    ]
    assert removed_names(record, record) == []


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_readme_documents_entity_properties(form_id):
    readme = README.read_text(encoding="utf-8")
    names = current_record()["forms"][form_id]

    for name in (*names["entity_lists"], *names["entity_properties"]):
        assert f"`{name}`" in readme, f"forms/README.md does not mention `{name}`"
