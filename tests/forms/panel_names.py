"""Record the names of the shipped forms that submissions and entities depend on.

Usage:
    .venv/bin/python tests/forms/panel_names.py [--allow-removal]

The record, panel_names.json, contains the form version and, per form, the question
names, the choice names of each list and the entity properties. test_form_conventions.py
compares it with the workbooks in forms/. Run this script after changing VERSION in
scripts/build_forms.py. It rejects changed names under an unchanged version, and names
that disappear, because either one breaks the join of data across versions and waves.
`--allow-removal` accepts removed names, for forms that no device has used yet.
"""

import argparse
import json
import sys
from pathlib import Path

from openpyxl import load_workbook

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
RECORD = Path(__file__).resolve().with_name("panel_names.json")
FORM_IDS = ("value_chain_firm", "tracer_baseline", "tracer_followup")


def sheet_rows(form_id: str, sheet: str) -> list[dict[str, object]]:
    """Return the rows of a workbook sheet as dicts keyed by the header row."""
    workbook = load_workbook(FORMS_DIR / f"{form_id}.xlsx", read_only=True)
    if sheet not in workbook.sheetnames:
        return []
    rows = workbook[sheet].iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=False)) for row in rows if any(row)]


def form_version(form_id: str) -> str:
    return str(sheet_rows(form_id, "settings")[0]["version"])


def form_names(form_id: str) -> dict[str, object]:
    """Return the names of one form that data and entities are keyed by."""
    survey = sheet_rows(form_id, "survey")
    questions = sorted(
        {
            str(row["name"])
            for row in survey
            if row.get("name") and row["type"] not in ("end_group", "end_repeat")
        }
    )
    choices: dict[str, list[str]] = {}
    for row in sheet_rows(form_id, "choices"):
        choices.setdefault(str(row["list_name"]), []).append(str(row["name"]))
    properties = sorted({str(row["save_to"]) for row in survey if row.get("save_to")})
    entity_lists = sorted(
        str(row["list_name"]) for row in sheet_rows(form_id, "entities")
    )
    return {
        "questions": questions,
        "choices": choices,
        "entity_lists": entity_lists,
        "entity_properties": properties,
    }


def current_record() -> dict[str, object]:
    versions = {form_version(form_id) for form_id in FORM_IDS}
    if len(versions) != 1:
        raise ValueError(f"the shipped forms have different versions: {sorted(versions)}")
    return {
        "version": versions.pop(),
        "forms": {form_id: form_names(form_id) for form_id in FORM_IDS},
    }


def removed_names(old: dict[str, object], new: dict[str, object]) -> list[str]:
    """Return 'form: kind name' for each name in `old` that `new` no longer has."""
    removed = []
    for form_id, old_names in old["forms"].items():
        new_names = new["forms"].get(form_id)
        if new_names is None:
            removed.append(f"{form_id}: the whole form")
            continue
        for kind in ("questions", "entity_lists", "entity_properties"):
            for name in sorted(set(old_names[kind]) - set(new_names[kind])):
                removed.append(f"{form_id}: {kind} {name}")
        for list_name, codes in old_names["choices"].items():
            kept = set(new_names["choices"].get(list_name, []))
            for code in sorted(set(codes) - kept):
                removed.append(f"{form_id}: choice {list_name}/{code}")
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--allow-removal",
        action="store_true",
        help="accept names that the previous record has and the forms no longer have",
    )
    args = parser.parse_args(argv)
    new = current_record()
    if RECORD.exists():
        old = json.loads(RECORD.read_text(encoding="utf-8"))
        if old == new:
            print(f"{RECORD.name} is up to date")  # noqa: T201
            return 0
        if old["version"] == new["version"]:
            print(  # noqa: T201
                f"names changed but the version is still {new['version']}: set a new "
                "VERSION in scripts/build_forms.py, rebuild, and run this again",
                file=sys.stderr,
            )
            return 1
        removed = removed_names(old, new)
        if removed and not args.allow_removal:
            print(  # noqa: T201
                "these names were removed or renamed, which breaks data across versions:"
                "\n  " + "\n  ".join(removed) + "\nrestore them, or pass --allow-removal "
                "if no device has used the forms",
                file=sys.stderr,
            )
            return 1
    RECORD.write_text(json.dumps(new, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {RECORD}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
