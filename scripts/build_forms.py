# ruff: noqa: E501
# fmt: off
# The question and choice tables keep one choice per line and one language per line, so
# that translators can scan and search them. The formatter would split every choice over
# nine lines.
"""Generate the shipped XLSForms in forms/ from the tables in this file.

Usage:
    .venv/bin/python scripts/build_forms.py [--out DIR]

Each questionnaire is plain data: survey rows, choice lists, entity declarations and
settings. The .xlsx files are generated output. Change this file and re-run it rather
than editing a workbook by hand, because tests/forms compares the committed workbooks
with a fresh build. The output is byte-for-byte reproducible because zip entry times and
the document timestamps are fixed.

Conventions that the analysis relies on (see forms/README.md):
- Numbers asked of a respondent accept -98 (don't know) and -99 (refused).
- Choice lists asked of a respondent end with `dk` and `refused`, and no other choice
  uses these codes.
- A date that a respondent may not know comes after a `*_known` question, because a
  date cannot hold a code.
- Question, choice and entity property names never change once a form is in the field;
  tests/forms/panel_names.json records them for the current VERSION.
"""

import argparse
import io
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Font

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO_ROOT / "forms"

# Column suffixes of the form languages. A translator adds a language by adding the same
# four survey columns and the choices label column with a new suffix, e.g. "Swahili (sw)".
LANGUAGES = ("English (en)", "French (fr)", "Portuguese (pt)", "Spanish (es)")
DEFAULT_LANGUAGE = LANGUAGES[0]

# Form version, yyyymmddnn. Bump it for every change that reaches the field.
VERSION = "2026120402"

# Youth age range used by the programme (the African Youth Charter range); the UN
# statistical definition is 15-24. Labels show the upper bound through ${youth_max_age}.
YOUTH_MIN_AGE = 15
YOUTH_MAX_AGE = 35

DONT_KNOW = -98
REFUSED = -99

# Fixed time stamped into the workbooks so that a rebuild produces identical bytes.
BUILD_TIMESTAMP = datetime(2026, 12, 4, 0, 0, 0)


class Text(NamedTuple):
    """A label, hint or message in each form language, in the order of LANGUAGES."""

    en: str
    fr: str
    pt: str
    es: str

    def format(self, **values: object) -> "Text":
        return Text(*(text.format(**values) for text in self))


Row = dict[str, object]
Choice = tuple[str, Text]

TRANSLATED_COLUMNS = ("label", "hint", "required_message", "constraint_message")

# Survey sheet column order; a column is written only if some row of the form uses it.
SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "constraint",
    "constraint_message",
    "relevant",
    "calculation",
    "default",
    "choice_filter",
    "appearance",
    "parameters",
    "read_only",
    "save_to",
)


@dataclass
class XLSForm:
    """One questionnaire as sheet data, ready to be written to a workbook."""

    form_id: str
    title: Text
    instance_name: str
    survey: list[Row]
    choices: dict[str, list[Choice]]
    entities: list[dict[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Row builders


def question(type_: str, name: str, label: Text | None = None, **columns: object) -> Row:
    """Return a survey row. `required=True` adds the standard required message."""
    row: Row = {"type": type_, "name": name}
    if label is not None:
        row["label"] = label
    for column, value in columns.items():
        if value is None or value is False:
            continue
        if column == "required" and value is True:
            row["required"] = "yes"
            row.setdefault("required_message", MSG_REQUIRED)
            continue
        row[column] = value
    return row


def note(name: str, label: Text, **columns: object) -> Row:
    return question("note", name, label, **columns)


def calculate(name: str, expression: str, **columns: object) -> Row:
    return question("calculate", name, calculation=expression, **columns)


def select_one(
    list_name: str, name: str, label: Text, *, required: bool = True, **columns: object
) -> Row:
    return question(f"select_one {list_name}", name, label, required=required, **columns)


def select_multiple(
    list_name: str,
    name: str,
    label: Text,
    *,
    exclusive: Iterable[str] = ("dk", "refused"),
    required: bool = True,
    **columns: object,
) -> Row:
    """Return a select_multiple row whose `exclusive` choices cannot be combined."""
    codes = tuple(exclusive)
    if codes:
        picked = " or ".join(f"selected(., '{code}')" for code in codes)
        columns.setdefault("constraint", f"not(({picked}) and count-selected(.) > 1)")
        columns.setdefault("constraint_message", MSG_EXCLUSIVE)
    if "hint" not in columns:
        columns["hint"] = HINT_SELECT_ALL
    return question(
        f"select_multiple {list_name}", name, label, required=required, **columns
    )


def number(
    name: str,
    label: Text,
    minimum: int,
    maximum: int | None,
    *,
    decimal: bool = False,
    codes: bool = True,
    at_most: str | None = None,
    required: bool = True,
    **columns: object,
) -> Row:
    """Return an integer or decimal row with a range constraint and its message.

    `codes` also accepts -98 (don't know) and -99 (refused). `at_most` names another
    number question that this one cannot exceed, unless that one contains a code.
    """
    bounds = [f". >= {minimum}"]
    if maximum is not None:
        bounds.append(f". <= {maximum}")
    if at_most is not None:
        bounds.append(f"(${{{at_most}}} < 0 or . <= ${{{at_most}}})")
    constraint = " and ".join(bounds)
    if codes:
        constraint = f"({constraint}) or . = {DONT_KNOW} or . = {REFUSED}"

    if maximum is None:
        message = MSG_MINIMUM_CODES if codes else MSG_MINIMUM
    elif at_most is not None:
        message = MSG_RANGE_TOTAL_CODES
    else:
        message = MSG_RANGE_CODES if codes else MSG_RANGE
    columns.setdefault("constraint", constraint)
    columns.setdefault(
        "constraint_message", message.format(minimum=minimum, maximum=maximum)
    )
    type_ = "decimal" if decimal else "integer"
    return question(type_, name, label, required=required, **columns)


def date(
    name: str,
    label: Text,
    earliest: str | None = None,
    *,
    required: bool = True,
    **columns: object,
) -> Row:
    """Return a date row that accepts dates from `earliest` (yyyy-mm-dd) to today.

    Without `earliest`, the caller passes its own constraint and constraint_message.
    """
    if earliest is not None:
        columns.setdefault("constraint", f". >= date('{earliest}') and . <= today()")
        columns.setdefault("constraint_message", MSG_DATE_RANGE.format(earliest=earliest))
    if "constraint" not in columns or "constraint_message" not in columns:
        raise ValueError(f"date {name!r} needs `earliest` or a constraint and its message")
    return question("date", name, label, required=required, **columns)


def phone(name: str, label: Text, *, required: bool = False, **columns: object) -> Row:
    columns.setdefault("constraint", r"regex(., '^\+?[0-9]{7,15}$')")
    columns.setdefault("constraint_message", MSG_PHONE)
    columns.setdefault("appearance", "numbers")
    return question("text", name, label, required=required, **columns)


def group(
    name: str,
    label: Text,
    rows: Iterable[Row],
    *,
    relevant: str | None = None,
    appearance: str | None = None,
) -> list[Row]:
    begin = question("begin_group", name, label, relevant=relevant, appearance=appearance)
    return [begin, *rows, {"type": "end_group", "name": name}]


def repeat(
    name: str, label: Text, rows: Iterable[Row], *, relevant: str | None = None
) -> list[Row]:
    begin = question("begin_repeat", name, label, relevant=relevant)
    return [begin, *rows, {"type": "end_repeat", "name": name}]


def flatten(parts: Iterable[Row | list[Row]]) -> list[Row]:
    rows: list[Row] = []
    for part in parts:
        if isinstance(part, dict):
            rows.append(part)
        else:
            rows.extend(part)
    return rows


def with_codes(choices: list[Choice]) -> list[Choice]:
    """Append the don't know and refused choices that respondent questions carry."""
    return [*choices, DK_CHOICE, REFUSED_CHOICE]


def any_selected(question_name: str, codes: Iterable[str]) -> str:
    return " or ".join(f"selected(${{{question_name}}}, '{code}')" for code in codes)


def any_equal(question_name: str, codes: Iterable[str]) -> str:
    return " or ".join(f"${{{question_name}}} = '{code}'" for code in codes)


def sum_if_known(names: Iterable[str], *, blank_is_zero: bool = False) -> str:
    """Return an expression for the sum of number questions, blank if any is a code.

    With `blank_is_zero`, a skipped question counts as 0 instead of making the sum blank.
    """
    if blank_is_zero:
        terms = tuple(f"coalesce(${{{name}}}, 0)" for name in names)
    else:
        terms = tuple(f"${{{name}}}" for name in names)
    known = " and ".join(f"{term} >= 0" for term in terms)
    return f"if({known}, {' + '.join(terms)}, '')"


# ---------------------------------------------------------------------------------------
# Messages and hints shared by the forms

MSG_REQUIRED = Text(
    "This question needs an answer.",
    "Cette question exige une réponse.",
    "Esta pergunta precisa de resposta.",
    "Esta pregunta necesita una respuesta.",
)
MSG_EXCLUSIVE = Text(
    "The answers none, don't know and refused cannot be combined with other answers.",
    "Les réponses « aucun », « ne sait pas » et « refuse de répondre » ne peuvent pas être combinées avec d'autres réponses.",
    "As respostas «nenhum», «não sabe» e «recusa responder» não podem ser combinadas com outras respostas.",
    "Las respuestas «ninguno», «no sabe» y «se niega a responder» no pueden combinarse con otras respuestas.",
)
MSG_RANGE_CODES = Text(
    "Enter a number from {minimum} to {maximum}, or -98 if the respondent does not know, -99 if they refuse.",
    "Saisissez un nombre de {minimum} à {maximum}, ou -98 si la personne ne sait pas, -99 si elle refuse de répondre.",
    "Introduza um número de {minimum} a {maximum}, ou -98 se a pessoa não sabe, -99 se recusa responder.",
    "Ingrese un número de {minimum} a {maximum}, o -98 si la persona no sabe, -99 si se niega a responder.",
)
MSG_RANGE = Text(
    "Enter a number from {minimum} to {maximum}.",
    "Saisissez un nombre de {minimum} à {maximum}.",
    "Introduza um número de {minimum} a {maximum}.",
    "Ingrese un número de {minimum} a {maximum}.",
)
MSG_RANGE_TOTAL_CODES = Text(
    "Enter a number from {minimum} to {maximum} and not more than the total given before, or -98 if the respondent does not know, -99 if they refuse.",
    "Saisissez un nombre de {minimum} à {maximum}, sans dépasser le total indiqué avant, ou -98 si la personne ne sait pas, -99 si elle refuse de répondre.",
    "Introduza um número de {minimum} a {maximum}, sem ultrapassar o total indicado antes, ou -98 se a pessoa não sabe, -99 se recusa responder.",
    "Ingrese un número de {minimum} a {maximum}, sin superar el total indicado antes, o -98 si la persona no sabe, -99 si se niega a responder.",
)
MSG_MINIMUM_CODES = Text(
    "Enter an amount of {minimum} or more, or -98 if the respondent does not know, -99 if they refuse.",
    "Saisissez un montant égal ou supérieur à {minimum}, ou -98 si la personne ne sait pas, -99 si elle refuse de répondre.",
    "Introduza um valor igual ou superior a {minimum}, ou -98 se a pessoa não sabe, -99 se recusa responder.",
    "Ingrese un monto igual o mayor que {minimum}, o -98 si la persona no sabe, -99 si se niega a responder.",
)
MSG_MINIMUM = Text(
    "Enter an amount of {minimum} or more.",
    "Saisissez un montant égal ou supérieur à {minimum}.",
    "Introduza um valor igual ou superior a {minimum}.",
    "Ingrese un monto igual o mayor que {minimum}.",
)
MSG_DATE_RANGE = Text(
    "Enter a date from {earliest} to today.",
    "Saisissez une date comprise entre le {earliest} et aujourd'hui.",
    "Introduza uma data entre {earliest} e hoje.",
    "Ingrese una fecha entre el {earliest} y hoy.",
)
MSG_PHONE = Text(
    "Enter the phone number in digits only (7 to 15 digits), with a + in front of an international number.",
    "Saisissez le numéro uniquement en chiffres (7 à 15 chiffres), avec un + devant un numéro international.",
    "Introduza o número só com algarismos (7 a 15 algarismos), com + antes de um número internacional.",
    "Ingrese el número solo con dígitos (7 a 15 dígitos), con un + delante de un número internacional.",
)
HINT_SELECT_ALL = Text(
    "Select all that apply.",
    "Cochez toutes les réponses qui s'appliquent.",
    "Selecione todas as opções que se aplicam.",
    "Seleccione todas las opciones que correspondan.",
)
NOTE_CODES = Text(
    "For number questions, enter -98 if the respondent does not know and -99 if they refuse to answer.",
    "Pour les questions numériques, saisissez -98 si la personne ne sait pas et -99 si elle refuse de répondre.",
    "Nas perguntas numéricas, introduza -98 se a pessoa não sabe e -99 se recusa responder.",
    "En las preguntas numéricas, ingrese -98 si la persona no sabe y -99 si se niega a responder.",
)
NOTE_CONSENT_REFUSED = Text(
    "The respondent did not agree. Thank them, do not ask any more questions, and save and finalize the form.",
    "La personne n'a pas donné son accord. Remerciez-la, ne posez plus de questions, puis enregistrez et finalisez le formulaire.",
    "A pessoa não concordou. Agradeça, não faça mais perguntas, e guarde e finalize o formulário.",
    "La persona no aceptó. Agradézcale, no haga más preguntas, y guarde y finalice el formulario.",
)
NOTE_END = Text(
    "This is the end of the interview. Thank the respondent for their time.",
    "L'entretien est terminé. Remerciez la personne pour son temps.",
    "A entrevista terminou. Agradeça à pessoa pelo seu tempo.",
    "La entrevista ha terminado. Agradezca a la persona por su tiempo.",
)
LABEL_COMMENTS = Text(
    "Enumerator: any comments on this interview?",
    "Enquêteur : des commentaires sur cet entretien ?",
    "Inquiridor: algum comentário sobre esta entrevista?",
    "Encuestador: ¿algún comentario sobre esta entrevista?",
)

# ---------------------------------------------------------------------------------------
# Choice lists shared by the forms

DK_CHOICE: Choice = (
    "dk",
    Text("Don't know", "Ne sait pas", "Não sabe", "No sabe"),
)
REFUSED_CHOICE: Choice = (
    "refused",
    Text("Refused to answer", "Refuse de répondre", "Recusa responder", "Se niega a responder"),
)
OTHER_CHOICE: Choice = ("other", Text("Other", "Autre", "Outro", "Otro"))
YES = ("yes", Text("Yes", "Oui", "Sim", "Sí"))
NO = ("no", Text("No", "Non", "Não", "No"))

SHARED_CHOICES: dict[str, list[Choice]] = {
    # Control questions that the enumerator answers: consent, register for interview.
    "yes_no": [YES, NO],
    # Questions asked of a respondent.
    "yes_no_dk_ref": with_codes([YES, NO]),
    # ISO 3166-1 alpha-2 codes. Kosovo uses the user-assigned code XK.
    "countries": [
        ("bd", Text("Bangladesh", "Bangladesh", "Bangladesh", "Bangladés")),
        ("mz", Text("Mozambique", "Mozambique", "Moçambique", "Mozambique")),
        ("py", Text("Paraguay", "Paraguay", "Paraguai", "Paraguay")),
        ("tz", Text("Tanzania", "Tanzanie", "Tanzânia", "Tanzania")),
        ("tn", Text("Tunisia", "Tunisie", "Tunísia", "Túnez")),
        ("al", Text("Albania", "Albanie", "Albânia", "Albania")),
        ("ba", Text("Bosnia and Herzegovina", "Bosnie-Herzégovine", "Bósnia e Herzegovina", "Bosnia y Herzegovina")),
        ("xk", Text("Kosovo", "Kosovo", "Kosovo", "Kosovo")),
        ("me", Text("Montenegro", "Monténégro", "Montenegro", "Montenegro")),
        ("mk", Text("North Macedonia", "Macédoine du Nord", "Macedónia do Norte", "Macedonia del Norte")),
        ("rs", Text("Serbia", "Serbie", "Sérvia", "Serbia")),
        ("zm", Text("Zambia", "Zambie", "Zâmbia", "Zambia")),
    ],
}


def choices_for(
    survey: list[Row], *extra: dict[str, list[Choice]]
) -> dict[str, list[Choice]]:
    """Return the choice lists that `survey` uses, in order of first use."""
    available: dict[str, list[Choice]] = dict(SHARED_CHOICES)
    for lists in extra:
        available.update(lists)
    used: dict[str, list[Choice]] = {}
    for row in survey:
        parts = str(row["type"]).split()
        if len(parts) == 2 and parts[0] in ("select_one", "select_multiple"):
            list_name = parts[1]
            if list_name not in available:
                raise KeyError(
                    f"choice list {list_name!r} used by {row['name']!r} is not defined"
                )
            used.setdefault(list_name, available[list_name])
    return used


# ---------------------------------------------------------------------------------------
# Modules shared by the forms


def metadata_rows() -> list[Row]:
    """Return the metadata questions: times, device, user and the audit log."""
    return [
        question("start", "start"),
        question("end", "end"),
        question("today", "today"),
        question("deviceid", "deviceid"),
        question("username", "username"),
        # track-changes keeps old and new values of every edit in the audit log.
        question("audit", "audit", parameters="track-changes=true"),
    ]


def country_row(**columns: object) -> Row:
    return select_one(
        "countries",
        "country",
        Text(
            "Country of the pilot",
            "Pays du projet pilote",
            "País do projeto-piloto",
            "País del piloto",
        ),
        hint=Text(
            "Amounts of money in this form are in the national currency of this country.",
            "Les montants de ce formulaire sont en monnaie nationale de ce pays.",
            "Os valores monetários deste formulário estão na moeda nacional deste país.",
            "Los montos de este formulario están en la moneda nacional de este país.",
        ),
        **columns,
    )


# Labour market module, asked at baseline and at each follow-up under the same names so
# that indicators line up across waves. The flow follows the 19th ICLS resolution on work
# statistics: employment is work for pay or profit of at least one hour in the last
# 7 days, or temporary absence from such work with job attachment. Own-use production of
# food is work, but not employment.

ANCILLARY_EMPLOYED = ("family_business", "farm_sale", "goods_sale", "casual_paid")
# Absence reasons that keep the job attachment whatever the duration (19th ICLS).
ABSENCE_ALWAYS_ATTACHED = ("annual_leave", "sick", "parental")
SELF_EMPLOYED = ("employer", "own_account", "coop_member")

LABOUR_CHOICES: dict[str, list[Choice]] = {
    "ancillary_work": with_codes(
        [
            ("family_business", Text(
                "Helped without pay in a business or farm of a household or family member that sells some of its output",
                "Aidé sans rémunération dans l'entreprise ou l'exploitation agricole d'un membre du ménage ou de la famille qui vend une partie de sa production",
                "Ajudou sem remuneração no negócio ou exploração agrícola de um membro do agregado familiar ou da família que vende parte da produção",
                "Ayudó sin pago en el negocio o finca de un miembro del hogar o de la familia que vende parte de su producción",
            )),
            ("farm_sale", Text(
                "Farming, livestock, fishing or gathering mainly for sale or exchange",
                "Agriculture, élevage, pêche ou cueillette principalement pour la vente ou l'échange",
                "Agricultura, pecuária, pesca ou recoleção principalmente para venda ou troca",
                "Agricultura, ganadería, pesca o recolección principalmente para la venta o el trueque",
            )),
            ("goods_sale", Text(
                "Making or preparing goods for sale (food, crafts, clothing or other)",
                "Fabrication ou préparation de produits pour la vente (aliments, artisanat, vêtements ou autres)",
                "Fabrico ou preparação de produtos para venda (alimentos, artesanato, roupa ou outros)",
                "Elaboración o preparación de productos para la venta (alimentos, artesanías, ropa u otros)",
            )),
            ("casual_paid", Text(
                "Casual, piece-rate or day work for pay in cash or in kind",
                "Travail occasionnel, à la tâche ou à la journée payé en espèces ou en nature",
                "Trabalho ocasional, à peça ou à jorna pago em dinheiro ou em espécie",
                "Trabajo ocasional, a destajo o por jornal pagado en dinero o en especie",
            )),
            ("farm_own_use", Text(
                "Farming, livestock or fishing mainly for the household's own consumption",
                "Agriculture, élevage ou pêche principalement pour la consommation du ménage",
                "Agricultura, pecuária ou pesca principalmente para consumo do próprio agregado familiar",
                "Agricultura, ganadería o pesca principalmente para el consumo del propio hogar",
            )),
            ("none", Text("None of these", "Aucune de ces activités", "Nenhuma destas", "Ninguna de estas")),
        ]
    ),
    "absence_reasons": with_codes(
        [
            ("annual_leave", Text("Holiday or annual leave", "Vacances ou congé annuel", "Férias", "Vacaciones o licencia anual")),
            ("sick", Text("Own illness or injury", "Maladie ou blessure personnelle", "Doença ou lesão própria", "Enfermedad o lesión propia")),
            ("parental", Text("Maternity or paternity leave", "Congé de maternité ou de paternité", "Licença de maternidade ou paternidade", "Licencia de maternidad o paternidad")),
            ("training", Text("Education or training", "Études ou formation", "Estudos ou formação", "Estudios o capacitación")),
            ("care", Text("Caring for a family member", "S'occuper d'un membre de la famille", "Cuidar de um familiar", "Cuidado de un familiar")),
            ("off_season", Text("Off season", "Hors saison", "Fora da época", "Fuera de temporada")),
            ("no_work", Text("Temporary lay-off or no work available", "Mise à pied temporaire ou manque de travail", "Suspensão temporária ou falta de trabalho", "Suspensión temporal o falta de trabajo")),
            ("weather", Text("Bad weather or natural disaster", "Mauvais temps ou catastrophe naturelle", "Mau tempo ou desastre natural", "Mal tiempo o desastre natural")),
            ("strike", Text("Strike or lockout", "Grève ou lock-out", "Greve ou encerramento pela entidade patronal", "Huelga o cierre patronal")),
            ("other", Text("Other reason", "Autre raison", "Outra razão", "Otro motivo")),
        ]
    ),
    "search_methods": with_codes(
        [
            ("applied", Text("Applied to employers directly", "Candidature directe auprès d'employeurs", "Candidatou-se diretamente a empregadores", "Postuló directamente con empleadores")),
            ("contacts", Text("Asked friends, relatives or other contacts", "Demandé à des amis, des parents ou d'autres connaissances", "Pediu a amigos, familiares ou outros contactos", "Preguntó a amigos, familiares u otros contactos")),
            ("public_service", Text("Registered with a public employment service", "Inscription à un service public de l'emploi", "Inscreveu-se num serviço público de emprego", "Se inscribió en un servicio público de empleo")),
            ("agency_online", Text("Used a private agency or an online job site", "Agence privée ou site d'emploi en ligne", "Usou uma agência privada ou um sítio de emprego na internet", "Usó una agencia privada o un sitio de empleo en línea")),
            ("adverts", Text("Answered or placed job advertisements", "Réponse à des offres ou publication d'annonces", "Respondeu a anúncios ou publicou anúncios de emprego", "Respondió o publicó anuncios de empleo")),
            ("waited", Text("Waited at a place where casual workers are hired", "Attente à un endroit où l'on embauche des journaliers", "Esperou num local onde se contratam trabalhadores ocasionais", "Esperó en un lugar donde se contrata a trabajadores ocasionales")),
            ("business_start", Text("Looked for land, premises, equipment, finance or permits to start a business", "Recherche d'un terrain, d'un local, de matériel, d'un financement ou d'autorisations pour créer une activité", "Procurou terreno, instalações, equipamento, financiamento ou licenças para começar um negócio", "Buscó terreno, local, equipo, financiamiento o permisos para iniciar un negocio")),
            OTHER_CHOICE,
        ]
    ),
    "not_seeking_reasons": with_codes(
        [
            ("waiting", Text("Waiting for a reply from an employer or to be called back", "Attend la réponse d'un employeur ou d'être rappelé(e)", "Aguarda resposta de um empregador ou ser chamado de volta", "Espera respuesta de un empleador o que lo vuelvan a llamar")),
            ("discouraged", Text("Thinks no work is available", "Pense qu'il n'y a pas de travail", "Acha que não há trabalho", "Cree que no hay trabajo")),
            ("lacks_skills", Text("Lacks skills, experience or documents", "Manque de compétences, d'expérience ou de documents", "Falta de competências, experiência ou documentos", "Le faltan habilidades, experiencia o documentos")),
            ("studying", Text("Studying or in training", "Études ou formation en cours", "A estudar ou em formação", "Estudia o está en capacitación")),
            ("family_duties", Text("Household or family duties", "Tâches ménagères ou familiales", "Tarefas domésticas ou familiares", "Tareas del hogar o familiares")),
            ("health", Text("Illness, injury or disability", "Maladie, blessure ou handicap", "Doença, lesão ou deficiência", "Enfermedad, lesión o discapacidad")),
            ("age", Text("Too young or too old", "Trop jeune ou trop âgé(e)", "Demasiado jovem ou demasiado idoso", "Demasiado joven o demasiado mayor")),
            ("retired", Text("Retired or receives a pension", "Retraité(e) ou pensionné(e)", "Reformado ou pensionista", "Jubilado o pensionado")),
            ("no_need", Text("Does not need or want to work", "N'a pas besoin ou envie de travailler", "Não precisa ou não quer trabalhar", "No necesita o no quiere trabajar")),
            ("off_season", Text("Off season", "Hors saison", "Fora da época", "Fuera de temporada")),
            OTHER_CHOICE,
        ]
    ),
    # Status in employment after ICSE-93 (15th ICLS, 1993). Dependent contractors of
    # ICSE-18 (20th ICLS, 2018) are coded as own_account.
    "employment_status": with_codes(
        [
            ("employee", Text("An employee working for someone else for pay", "Salarié(e), vous travaillez pour quelqu'un d'autre contre rémunération", "Trabalhador por conta de outrem, remunerado", "Empleado/a, trabaja para otra persona a cambio de pago")),
            ("employer", Text("Running your own business or farm with paid employees", "À votre compte, avec des salariés", "Por conta própria, com trabalhadores pagos", "Por cuenta propia, con empleados pagados")),
            ("own_account", Text("Running your own business or farm without paid employees", "À votre compte, sans salariés", "Por conta própria, sem trabalhadores pagos", "Por cuenta propia, sin empleados pagados")),
            ("coop_member", Text("A member of a producers' cooperative", "Membre d'une coopérative de producteurs", "Membro de uma cooperativa de produtores", "Socio/a de una cooperativa de productores")),
            ("family_worker", Text("Helping without pay in a family business or farm", "Aide familial(e) non rémunéré(e) dans l'entreprise ou l'exploitation familiale", "Ajuda sem remuneração no negócio ou exploração da família", "Ayuda sin pago en el negocio o finca familiar")),
        ]
    ),
    "contract_types": with_codes(
        [
            ("written_open", Text("Yes, written, with no end date", "Oui, écrit, sans date de fin", "Sim, escrito, sem data de fim", "Sí, escrito, sin fecha de término")),
            ("written_fixed", Text("Yes, written, for a fixed period", "Oui, écrit, à durée déterminée", "Sim, escrito, por prazo determinado", "Sí, escrito, por tiempo determinado")),
            ("verbal", Text("No, a verbal agreement only", "Non, seulement un accord verbal", "Não, só um acordo verbal", "No, solo un acuerdo verbal")),
            ("none", Text("No contract or agreement", "Ni contrat ni accord", "Nem contrato nem acordo", "Ni contrato ni acuerdo")),
        ]
    ),
    "earning_periods": [
        ("day", Text("Day", "Jour", "Dia", "Día")),
        ("week", Text("Week", "Semaine", "Semana", "Semana")),
        ("two_weeks", Text("Two weeks", "Deux semaines", "Duas semanas", "Dos semanas")),
        ("month", Text("Month", "Mois", "Mês", "Mes")),
        ("year", Text("Year", "Année", "Ano", "Año")),
    ],
}


def labour_status_rows() -> list[Row]:
    """Return the ILO flow from work in the last 7 days to `lfs_status`."""
    not_always_attached = " and ".join(
        f"${{absent_reason}} != '{code}'" for code in ABSENCE_ALWAYS_ATTACHED
    )
    return [
        calculate("ref_week_start", "format-date(date(${today} - 7), '%Y-%m-%d')"),
        note("labour_intro", Text(
            "Now some questions about work in the last 7 days, that is from ${ref_week_start} until yesterday.",
            "Voici maintenant des questions sur le travail au cours des 7 derniers jours, c'est-à-dire du ${ref_week_start} jusqu'à hier.",
            "Agora algumas perguntas sobre trabalho nos últimos 7 dias, ou seja, de ${ref_week_start} até ontem.",
            "Ahora algunas preguntas sobre el trabajo en los últimos 7 días, es decir, desde el ${ref_week_start} hasta ayer.",
        )),
        select_one("yes_no_dk_ref", "work_paid", Text(
            "In the last 7 days, did you do any work for at least one hour for a wage, salary, commission, tips or payment in kind, or in your own business, farm or other activity to earn money?",
            "Au cours des 7 derniers jours, avez-vous travaillé au moins une heure contre un salaire, une commission, des pourboires ou un paiement en nature, ou dans votre propre entreprise, exploitation agricole ou autre activité pour gagner de l'argent ?",
            "Nos últimos 7 dias, fez algum trabalho durante pelo menos uma hora em troca de salário, comissão, gorjetas ou pagamento em espécie, ou no seu próprio negócio, exploração agrícola ou outra atividade para ganhar dinheiro?",
            "En los últimos 7 días, ¿trabajó al menos una hora a cambio de un sueldo, salario, comisión, propinas o pago en especie, o en su propio negocio, finca u otra actividad para ganar dinero?",
        ), hint=Text(
            "Even one hour counts. Include work paid in goods or food.",
            "Même une seule heure compte. Incluez le travail payé en biens ou en nourriture.",
            "Mesmo uma só hora conta. Inclua trabalho pago em bens ou alimentos.",
            "Aunque sea una hora cuenta. Incluya el trabajo pagado en bienes o alimentos.",
        )),
        select_multiple("ancillary_work", "work_ancillary", Text(
            "In the last 7 days, did you do any of the following for at least one hour?",
            "Au cours des 7 derniers jours, avez-vous fait l'une des activités suivantes pendant au moins une heure ?",
            "Nos últimos 7 dias, fez alguma das seguintes atividades durante pelo menos uma hora?",
            "En los últimos 7 días, ¿realizó alguna de las siguientes actividades durante al menos una hora?",
        ), exclusive=("none", "dk", "refused"), relevant="${work_paid} != 'yes'"),
        calculate(
            "worked_7d",
            f"if(${{work_paid}} = 'yes' or {any_selected('work_ancillary', ANCILLARY_EMPLOYED)}, 1, 0)",
        ),
        select_one("yes_no_dk_ref", "job_absent", Text(
            "In the last 7 days, did you have a job or business that you were temporarily away from?",
            "Au cours des 7 derniers jours, aviez-vous un emploi ou une activité dont vous étiez temporairement absent(e) ?",
            "Nos últimos 7 dias, tinha um emprego ou negócio do qual estava temporariamente ausente?",
            "En los últimos 7 días, ¿tenía un empleo o negocio del que estuvo ausente temporalmente?",
        ), hint=Text(
            "For example because of leave, illness, bad weather or a temporary stop in work.",
            "Par exemple à cause de congés, d'une maladie, du mauvais temps ou d'un arrêt temporaire du travail.",
            "Por exemplo por férias, doença, mau tempo ou paragem temporária do trabalho.",
            "Por ejemplo por vacaciones, enfermedad, mal tiempo o una parada temporal del trabajo.",
        ), relevant="${worked_7d} = 0"),
        select_one("absence_reasons", "absent_reason", Text(
            "What was the main reason you were away from this work?",
            "Quelle était la principale raison de votre absence de ce travail ?",
            "Qual foi a principal razão da sua ausência deste trabalho?",
            "¿Cuál fue el motivo principal de su ausencia de este trabajo?",
        ), relevant="${job_absent} = 'yes'"),
        select_one("yes_no_dk_ref", "absent_return_3m", Text(
            "Will your total time away from this work be three months or less?",
            "Votre absence de ce travail durera-t-elle trois mois ou moins au total ?",
            "O tempo total de ausência deste trabalho será de três meses ou menos?",
            "¿El tiempo total de ausencia de este trabajo será de tres meses o menos?",
        ), hint=Text(
            "Count from the start of the absence until the expected return.",
            "Comptez du début de l'absence jusqu'au retour prévu.",
            "Conte desde o início da ausência até ao regresso previsto.",
            "Cuente desde el inicio de la ausencia hasta el regreso previsto.",
        ), relevant=f"${{job_absent}} = 'yes' and {not_always_attached}"),
        select_one("yes_no_dk_ref", "absent_paid", Text(
            "During this absence, do you keep receiving pay or income from this job or business?",
            "Pendant cette absence, continuez-vous à recevoir un salaire ou un revenu de cet emploi ou de cette activité ?",
            "Durante esta ausência, continua a receber salário ou rendimento deste emprego ou negócio?",
            "Durante esta ausencia, ¿sigue recibiendo sueldo o ingresos de este empleo o negocio?",
        ), relevant=f"${{job_absent}} = 'yes' and {not_always_attached} and ${{absent_return_3m}} != 'yes'"),
        # Temporary absence counts as employment when the reason always keeps the job
        # attachment, or else when the absence lasts 3 months or less or is paid.
        calculate(
            "employed",
            "if(${worked_7d} = 1 or (${job_absent} = 'yes' and ("
            f"{any_equal('absent_reason', ABSENCE_ALWAYS_ATTACHED)}"
            " or ${absent_return_3m} = 'yes' or ${absent_paid} = 'yes')), 1, 0)",
        ),
        select_one("yes_no_dk_ref", "look_work", Text(
            "In the last 4 weeks, did you do anything to find a paid job or to start a business or farm?",
            "Au cours des 4 dernières semaines, avez-vous fait quelque chose pour trouver un emploi rémunéré ou pour créer une entreprise ou une exploitation agricole ?",
            "Nas últimas 4 semanas, fez alguma coisa para encontrar um emprego remunerado ou para começar um negócio ou uma exploração agrícola?",
            "En las últimas 4 semanas, ¿hizo algo para encontrar un empleo pagado o para iniciar un negocio o una finca?",
        ), relevant="${employed} = 0"),
        select_multiple("search_methods", "search_methods", Text(
            "What did you do to find work or to start a business?",
            "Qu'avez-vous fait pour trouver du travail ou créer une activité ?",
            "O que fez para encontrar trabalho ou começar um negócio?",
            "¿Qué hizo para encontrar trabajo o iniciar un negocio?",
        ), relevant="${look_work} = 'yes'"),
        select_one("yes_no_dk_ref", "job_arranged", Text(
            "Have you already arranged a job or business activity that you will start within the next 3 months?",
            "Avez-vous déjà trouvé un emploi ou préparé une activité que vous commencerez dans les 3 prochains mois ?",
            "Já tem combinado um emprego ou uma atividade que vai começar nos próximos 3 meses?",
            "¿Ya tiene acordado un empleo o una actividad que empezará en los próximos 3 meses?",
        ), relevant="${employed} = 0 and ${look_work} != 'yes'"),
        select_one("yes_no_dk_ref", "available", Text(
            "If a job or business opportunity had come up, could you have started working within the next 2 weeks?",
            "Si un emploi ou une occasion d'affaires s'était présenté, auriez-vous pu commencer à travailler dans les 2 semaines ?",
            "Se tivesse surgido um emprego ou uma oportunidade de negócio, poderia ter começado a trabalhar nas próximas 2 semanas?",
            "Si hubiera surgido un empleo o una oportunidad de negocio, ¿podría haber empezado a trabajar en las próximas 2 semanas?",
        ), relevant="${employed} = 0"),
        select_one("not_seeking_reasons", "not_seeking_reason", Text(
            "What is the main reason you did not look for work in the last 4 weeks?",
            "Quelle est la principale raison pour laquelle vous n'avez pas cherché de travail au cours des 4 dernières semaines ?",
            "Qual é a principal razão por que não procurou trabalho nas últimas 4 semanas?",
            "¿Cuál es el motivo principal por el que no buscó trabajo en las últimas 4 semanas?",
        ), relevant="${employed} = 0 and ${look_work} != 'yes' and ${job_arranged} != 'yes'"),
        # Unemployed: not employed, searched in the last 4 weeks or will start a job
        # within 3 months (future starters), and available within 2 weeks.
        calculate(
            "lfs_status",
            "if(${employed} = 1, 'employed', "
            "if((${look_work} = 'yes' or ${job_arranged} = 'yes') and ${available} = 'yes', "
            "'unemployed', 'outside_lf'))",
        ),
        # Asked of everyone so that youth not in employment, education or training (NEET)
        # can be counted at each wave.
        select_one("yes_no_dk_ref", "in_education", Text(
            "In the last 4 weeks, did you attend school, university or a training course?",
            "Au cours des 4 dernières semaines, avez-vous fréquenté une école, une université ou suivi une formation ?",
            "Nas últimas 4 semanas, frequentou a escola, a universidade ou um curso de formação?",
            "En las últimas 4 semanas, ¿asistió a la escuela, la universidad o un curso de capacitación?",
        )),
    ]


def main_job_rows() -> list[Row]:
    """Return the main job questions asked of the employed."""
    self_employed = any_equal("status_employment", SELF_EMPLOYED)
    employee = "${status_employment} = 'employee'"
    return [
        note("main_job_intro", Text(
            "If you have more than one job or business, the main job is the one where you usually work the most hours.",
            "Si vous avez plusieurs emplois ou activités, l'emploi principal est celui où vous travaillez habituellement le plus d'heures.",
            "Se tem mais de um emprego ou negócio, o trabalho principal é aquele em que normalmente trabalha mais horas.",
            "Si tiene más de un empleo o negocio, el trabajo principal es aquel en el que normalmente trabaja más horas.",
        )),
        question("text", "occupation", Text(
            "What is your occupation in your main job? Give the job title and the main tasks.",
            "Quelle est votre profession dans votre emploi principal ? Indiquez l'intitulé du poste et les principales tâches.",
            "Qual é a sua ocupação no trabalho principal? Indique o nome do posto e as principais tarefas.",
            "¿Cuál es su ocupación en su trabajo principal? Indique el nombre del puesto y las tareas principales.",
        ), hint=Text(
            "For example: tailor, sews and repairs clothes for customers. Write enough to code the occupation later.",
            "Par exemple : tailleur, coud et répare des vêtements pour les clients. Écrivez assez de détails pour coder la profession ensuite.",
            "Por exemplo: alfaiate, costura e conserta roupa para clientes. Escreva o suficiente para codificar a ocupação mais tarde.",
            "Por ejemplo: sastre, cose y arregla ropa para clientes. Escriba lo suficiente para codificar la ocupación después.",
        ), required=True),
        question("text", "industry", Text(
            "What does the business, farm or organisation of your main job mainly make or do?",
            "Que produit ou que fait principalement l'entreprise, l'exploitation ou l'organisation de votre emploi principal ?",
            "O que produz ou faz principalmente o negócio, exploração ou organização do seu trabalho principal?",
            "¿Qué produce o hace principalmente el negocio, finca u organización de su trabajo principal?",
        ), required=True),
        select_one("employment_status", "status_employment", Text(
            "In your main job, are you...",
            "Dans votre emploi principal, êtes-vous...",
            "No seu trabalho principal, é...",
            "En su trabajo principal, usted es...",
        ), hint=Text(
            "Casual and day labourers working for someone else are employees.",
            "Les journaliers et travailleurs occasionnels qui travaillent pour quelqu'un d'autre sont des salariés.",
            "Os trabalhadores ocasionais ou à jorna que trabalham para outra pessoa são trabalhadores por conta de outrem.",
            "Los jornaleros y trabajadores ocasionales que trabajan para otra persona son empleados.",
        )),
        number("days_week", Text(
            "How many days a week do you usually work in your main job?",
            "Combien de jours par semaine travaillez-vous habituellement dans votre emploi principal ?",
            "Quantos dias por semana trabalha normalmente no seu trabalho principal?",
            "¿Cuántos días a la semana trabaja normalmente en su trabajo principal?",
        ), 0, 7),
        number("hours_usual", Text(
            "How many hours a week do you usually work in your main job?",
            "Combien d'heures par semaine travaillez-vous habituellement dans votre emploi principal ?",
            "Quantas horas por semana trabalha normalmente no seu trabalho principal?",
            "¿Cuántas horas a la semana trabaja normalmente en su trabajo principal?",
        ), 0, 112),
        number("hours_actual", Text(
            "How many hours did you actually work in your main job in the last 7 days?",
            "Combien d'heures avez-vous effectivement travaillé dans votre emploi principal au cours des 7 derniers jours ?",
            "Quantas horas trabalhou efetivamente no seu trabalho principal nos últimos 7 dias?",
            "¿Cuántas horas trabajó efectivamente en su trabajo principal en los últimos 7 días?",
        ), 0, 112, hint=Text(
            "Enter 0 if you were away from work the whole week.",
            "Saisissez 0 si vous étiez absent(e) toute la semaine.",
            "Introduza 0 se esteve ausente toda a semana.",
            "Ingrese 0 si estuvo ausente toda la semana.",
        )),
        select_one("yes_no_dk_ref", "other_jobs", Text(
            "Besides your main job, did you do any other work for pay or profit in the last 7 days?",
            "En dehors de votre emploi principal, avez-vous fait un autre travail rémunéré ou lucratif au cours des 7 derniers jours ?",
            "Além do trabalho principal, fez algum outro trabalho pago ou por conta própria nos últimos 7 dias?",
            "Además de su trabajo principal, ¿realizó algún otro trabajo pagado o por cuenta propia en los últimos 7 días?",
        )),
        number("hours_other", Text(
            "How many hours did you work in all your other jobs in the last 7 days?",
            "Combien d'heures avez-vous travaillé dans l'ensemble de vos autres emplois au cours des 7 derniers jours ?",
            "Quantas horas trabalhou no total nos outros trabalhos nos últimos 7 dias?",
            "¿Cuántas horas trabajó en total en sus otros trabajos en los últimos 7 días?",
        ), 0, 112, relevant="${other_jobs} = 'yes'"),
        select_one("yes_no_dk_ref", "want_more_hours", Text(
            "Would you like to work more hours than you do now, if the extra hours were paid?",
            "Aimeriez-vous travailler plus d'heures qu'actuellement, si ces heures supplémentaires étaient payées ?",
            "Gostaria de trabalhar mais horas do que trabalha agora, se as horas a mais fossem pagas?",
            "¿Le gustaría trabajar más horas de las que trabaja ahora, si las horas adicionales fueran pagadas?",
        )),
        select_one("yes_no_dk_ref", "more_hours_available", Text(
            "Could you start working more hours within the next 2 weeks?",
            "Pourriez-vous commencer à travailler plus d'heures dans les 2 prochaines semaines ?",
            "Poderia começar a trabalhar mais horas nas próximas 2 semanas?",
            "¿Podría empezar a trabajar más horas en las próximas 2 semanas?",
        ), relevant="${want_more_hours} = 'yes'"),
        select_one("contract_types", "contract", Text(
            "Do you have a written contract for this job?",
            "Avez-vous un contrat écrit pour cet emploi ?",
            "Tem um contrato escrito para este trabalho?",
            "¿Tiene un contrato escrito para este trabajo?",
        ), relevant=employee),
        select_one("yes_no_dk_ref", "ss_employer", Text(
            "Does your employer pay contributions for you to a social security or pension fund?",
            "Votre employeur verse-t-il pour vous des cotisations à la sécurité sociale ou à une caisse de retraite ?",
            "O seu empregador paga contribuições por si para a segurança social ou um fundo de pensões?",
            "¿Su empleador aporta por usted a la seguridad social o a un fondo de pensiones?",
        ), hint=Text(
            "For example the national social security fund. Do not count private savings.",
            "Par exemple la caisse nationale de sécurité sociale. Ne comptez pas l'épargne privée.",
            "Por exemplo o instituto nacional de segurança social. Não conte poupanças privadas.",
            "Por ejemplo, el instituto nacional de previsión social. No cuente ahorros privados.",
        ), relevant=employee),
        select_one("yes_no_dk_ref", "paid_leave", Text(
            "Do you get paid annual leave (paid holidays) in this job?",
            "Avez-vous droit à des congés annuels payés dans cet emploi ?",
            "Tem direito a férias pagas neste trabalho?",
            "¿Tiene vacaciones pagadas en este trabajo?",
        ), relevant=employee),
        select_one("yes_no_dk_ref", "paid_sick_leave", Text(
            "Would you get paid sick leave in this job if you were ill?",
            "Auriez-vous droit à un congé maladie payé dans cet emploi si vous étiez malade ?",
            "Teria direito a baixa por doença paga neste trabalho se ficasse doente?",
            "¿Tendría licencia por enfermedad pagada en este trabajo si se enfermara?",
        ), relevant=employee),
        select_one("yes_no_dk_ref", "business_registered", Text(
            "Is your business registered with the national business registry or the tax authority?",
            "Votre entreprise est-elle immatriculée au registre du commerce ou auprès de l'administration fiscale ?",
            "O seu negócio está registado no registo comercial nacional ou na autoridade tributária?",
            "¿Su negocio está registrado en el registro nacional de empresas o ante la administración tributaria?",
        ), relevant=self_employed),
        select_one("yes_no_dk_ref", "business_accounts", Text(
            "Does your business keep written accounts?",
            "Votre entreprise tient-elle une comptabilité écrite ?",
            "O seu negócio tem contabilidade escrita?",
            "¿Su negocio lleva contabilidad por escrito?",
        ), hint=Text(
            "Books of income and expenses, not only personal notes.",
            "Des livres de recettes et de dépenses, pas seulement des notes personnelles.",
            "Livros de receitas e despesas, não apenas notas pessoais.",
            "Libros de ingresos y gastos, no solo notas personales.",
        ), relevant=self_employed),
        number("earn_amount", Text(
            "How much did you earn from your main job, after deductions? If you run your own business or farm, give what is left after paying its expenses.",
            "Combien avez-vous gagné dans votre emploi principal, après retenues ? Si vous avez votre propre entreprise ou exploitation, indiquez ce qui reste après avoir payé ses dépenses.",
            "Quanto ganhou no seu trabalho principal, depois dos descontos? Se tem o seu próprio negócio ou exploração, indique o que sobra depois de pagar as despesas.",
            "¿Cuánto ganó en su trabajo principal, después de descuentos? Si tiene su propio negocio o finca, indique lo que queda después de pagar los gastos.",
        ), 0, None, decimal=True, hint=Text(
            "In the national currency. Include payments in kind at their value. The next question asks the period.",
            "En monnaie nationale. Comptez les paiements en nature à leur valeur. La question suivante demande la période.",
            "Na moeda nacional. Inclua os pagamentos em espécie pelo seu valor. A pergunta seguinte pede o período.",
            "En moneda nacional. Incluya los pagos en especie por su valor. La siguiente pregunta pide el período.",
        ), relevant="${status_employment} != 'family_worker'"),
        select_one("earning_periods", "earn_period", Text(
            "What period does that amount cover?",
            "Quelle période ce montant couvre-t-il ?",
            "A que período corresponde esse valor?",
            "¿A qué período corresponde ese monto?",
        ), relevant="${earn_amount} >= 0"),
        # Monthly equivalent from 52 weeks a year. A daily amount is multiplied by the
        # usual days worked a week.
        calculate(
            "earn_monthly",
            "if(${earn_amount} < 0 or ${earn_period} = '', '', "
            "if(${earn_period} = 'month', ${earn_amount}, "
            "if(${earn_period} = 'year', round(${earn_amount} div 12, 2), "
            "if(${earn_period} = 'two_weeks', round(${earn_amount} * 26 div 12, 2), "
            "if(${earn_period} = 'week', round(${earn_amount} * 52 div 12, 2), "
            "if(${earn_period} = 'day' and ${days_week} >= 0, "
            "round(${earn_amount} * ${days_week} * 52 div 12, 2), ''))))))",
        ),
        # Informal job: every contributing family worker, and every employee without
        # employer social security contributions. Paid annual and sick leave decide when
        # the contributions are not known. The self-employed are informal when the
        # business is not registered, or has no written accounts if registration is not
        # known.
        calculate(
            "informal_job",
            "if(${status_employment} = 'family_worker', 1, "
            f"if({employee}, "
            "if(${ss_employer} = 'yes', 0, if(${ss_employer} = 'no', 1, "
            "if(${paid_leave} = 'yes' or ${paid_sick_leave} = 'yes', 0, "
            "if(${paid_leave} = 'no' and ${paid_sick_leave} = 'no', 1, '')))), "
            f"if({self_employed}, "
            "if(${business_registered} = 'yes', 0, if(${business_registered} = 'no', 1, "
            "if(${business_accounts} = 'no', 1, ''))), '')))",
        ),
    ]


def labour_market_rows(relevant: str) -> list[Row]:
    """Return the labour market module as the `labour` group with `main_job` inside."""
    return group(
        "labour",
        Text("Work", "Travail", "Trabalho", "Trabajo"),
        [
            *labour_status_rows(),
            *group(
                "main_job",
                Text("Main job", "Emploi principal", "Trabalho principal", "Trabajo principal"),
                main_job_rows(),
                relevant="${employed} = 1",
            ),
        ],
        relevant=relevant,
    )


# ---------------------------------------------------------------------------------------
# Workbook writer

ENTITY_COLUMNS = ("list_name", "label", "entity_id", "create_if", "update_if", "repeat")


def survey_headers(rows: list[Row]) -> list[tuple[str, str | None]]:
    """Return (column, language) pairs for the survey columns that `rows` use."""
    used = {column for row in rows for column in row}
    headers: list[tuple[str, str | None]] = []
    for column in SURVEY_COLUMNS:
        if column not in used:
            continue
        if column in TRANSLATED_COLUMNS:
            headers.extend((column, language) for language in LANGUAGES)
        else:
            headers.append((column, None))
    unknown = used - set(SURVEY_COLUMNS)
    if unknown:
        raise ValueError(f"survey rows use unknown columns: {sorted(unknown)}")
    return headers


def header_name(column: str, language: str | None) -> str:
    return column if language is None else f"{column}::{language}"


def cell_value(row: Row, column: str, language: str | None) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    if language is None:
        return str(value)
    if not isinstance(value, Text):
        raise TypeError(f"{row['name']!r}: column {column!r} needs a Text, got {value!r}")
    return value[LANGUAGES.index(language)]


def sheet_rows(form: XLSForm) -> dict[str, list[list[str | None]]]:
    """Return each sheet of the workbook as a header row followed by value rows."""
    headers = survey_headers(form.survey)
    survey = [[header_name(column, language) for column, language in headers]]
    for row in form.survey:
        survey.append([cell_value(row, column, language) for column, language in headers])

    choices: list[list[str | None]] = [
        ["list_name", "name", *(f"label::{language}" for language in LANGUAGES)]
    ]
    for list_name, items in form.choices.items():
        for name, label in items:
            choices.append([list_name, name, *label])

    settings = [
        ["form_id", "form_title", "version", "default_language", "instance_name"],
        [form.form_id, form.title.en, VERSION, DEFAULT_LANGUAGE, form.instance_name],
    ]

    sheets = {"survey": survey, "choices": choices, "settings": settings}
    if form.entities:
        columns = [c for c in ENTITY_COLUMNS if any(c in e for e in form.entities)]
        rows = [[entity.get(column) for column in columns] for entity in form.entities]
        sheets["entities"] = [columns, *rows]
    return sheets


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite an .xlsx archive with fixed entry times and document timestamps."""
    stamp = BUILD_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda match: match.group(1) + stamp.encode() + match.group(2),
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, BUILD_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return output.getvalue()


def write_workbook(form: XLSForm, path: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheet_rows(form).items():
        sheet = workbook.create_sheet(title)
        for values in rows:
            sheet.append(values)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            width = 60 if "::" in str(cell.value) else 18
            sheet.column_dimensions[cell.column_letter].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(reproducible_zip(buffer.getvalue()))


# ---------------------------------------------------------------------------------------
# Value chain enterprise survey

CHAIN_ROLES: list[Choice] = [
    ("lead_firm", Text("Lead firm", "Entreprise pilote", "Empresa líder", "Empresa líder")),
    ("supplier", Text("Input supplier", "Fournisseur d'intrants", "Fornecedor de insumos", "Proveedor de insumos")),
    ("processor", Text("Processor", "Transformateur", "Processador", "Procesador")),
    ("trader", Text("Trader or distributor", "Commerçant ou distributeur", "Comerciante ou distribuidor", "Comerciante o distribuidor")),
    ("producer_group", Text("Producer or farmer group", "Groupement de producteurs ou d'agriculteurs", "Grupo de produtores ou agricultores", "Grupo de productores o agricultores")),
    ("service_provider", Text("Service provider", "Prestataire de services", "Prestador de serviços", "Proveedor de servicios")),
    OTHER_CHOICE,
]

# Obstacles to operations, rated on one scale and grouped by kind of constraint.
OBSTACLE_GROUPS: list[tuple[str, Text, list[Choice]]] = [
    ("regulation", Text("Regulation", "Réglementation", "Regulamentação", "Regulación"), [
        ("licensing", Text("Business licences and permits", "Licences et permis d'exploitation", "Licenças e alvarás", "Licencias y permisos")),
        ("taxes", Text("Tax rates and tax administration", "Taux d'imposition et administration fiscale", "Taxas de imposto e administração fiscal", "Tasas de impuestos y administración tributaria")),
        ("trade_rules", Text("Customs and trade regulations", "Douanes et réglementation du commerce", "Alfândegas e regulamentos comerciais", "Aduanas y regulaciones comerciales")),
        ("labour_rules", Text("Labour regulations", "Réglementation du travail", "Legislação laboral", "Regulaciones laborales")),
    ]),
    ("infrastructure", Text("Infrastructure", "Infrastructures", "Infraestruturas", "Infraestructura"), [
        ("electricity", Text("Electricity", "Électricité", "Eletricidade", "Electricidad")),
        ("transport", Text("Roads and transport", "Routes et transport", "Estradas e transporte", "Caminos y transporte")),
        ("water", Text("Water supply", "Approvisionnement en eau", "Abastecimento de água", "Suministro de agua")),
        ("telecom", Text("Telephone and internet", "Téléphone et internet", "Telefone e internet", "Teléfono e internet")),
        ("storage", Text("Storage and cold chain", "Stockage et chaîne du froid", "Armazenamento e cadeia de frio", "Almacenamiento y cadena de frío")),
    ]),
    ("inputs", Text("Inputs", "Intrants", "Insumos", "Insumos"), [
        ("input_supply", Text("Availability and quality of inputs", "Disponibilité et qualité des intrants", "Disponibilidade e qualidade dos insumos", "Disponibilidad y calidad de los insumos")),
        ("input_prices", Text("Prices of inputs", "Prix des intrants", "Preços dos insumos", "Precios de los insumos")),
        ("skilled_labour", Text("Finding workers with the right skills", "Trouver des travailleurs qui ont les compétences nécessaires", "Encontrar trabalhadores com as competências necessárias", "Encontrar trabajadores con las habilidades necesarias")),
        ("land", Text("Access to land or premises", "Accès à la terre ou à des locaux", "Acesso a terra ou instalações", "Acceso a tierra o locales")),
        ("finance", Text("Access to finance", "Accès au financement", "Acesso a financiamento", "Acceso a financiamiento")),
    ]),
    ("markets", Text("Markets", "Marchés", "Mercados", "Mercados"), [
        ("demand", Text("Too few buyers or low demand", "Trop peu d'acheteurs ou faible demande", "Poucos compradores ou procura fraca", "Pocos compradores o baja demanda")),
        ("output_prices", Text("Low or unstable prices for what the enterprise sells", "Prix de vente bas ou instables", "Preços de venda baixos ou instáveis", "Precios de venta bajos o inestables")),
        ("late_payment", Text("Buyers paying late", "Retards de paiement des acheteurs", "Atrasos nos pagamentos dos compradores", "Atrasos en los pagos de los compradores")),
        ("informal_competition", Text("Competition from unregistered businesses", "Concurrence d'entreprises non enregistrées", "Concorrência de negócios não registados", "Competencia de negocios no registrados")),
        ("standards", Text("Meeting quality or certification standards", "Respect des normes de qualité ou de certification", "Cumprimento de normas de qualidade ou certificação", "Cumplimiento de normas de calidad o certificación")),
    ]),
    ("environment", Text("Governance and environment", "Gouvernance et environnement", "Governação e ambiente", "Gobernanza y entorno"), [
        ("corruption", Text("Corruption", "Corruption", "Corrupção", "Corrupción")),
        ("crime", Text("Crime, theft and disorder", "Criminalité, vol et désordre", "Crime, roubo e desordem", "Delincuencia, robo y desorden")),
        ("climate", Text("Weather, drought or floods", "Intempéries, sécheresse ou inondations", "Condições climáticas, seca ou cheias", "Clima, sequía o inundaciones")),
    ]),
]

VALUE_CHAIN_CHOICES: dict[str, list[Choice]] = {
    "firm_sources": [
        ("programme_list", Text("Programme list of participating enterprises", "Liste du programme des entreprises participantes", "Lista do programa de empresas participantes", "Lista del programa de empresas participantes")),
        ("referral", Text("Named by an enterprise already interviewed (on the study list)", "Citée par une entreprise déjà interrogée (sur la liste de l'étude)", "Indicada por uma empresa já entrevistada (na lista do estudo)", "Mencionada por una empresa ya entrevistada (en la lista del estudio)")),
        ("listing", Text("Listing or census of the area", "Dénombrement ou recensement de la zone", "Listagem ou recenseamento da área", "Listado o censo de la zona")),
        OTHER_CHOICE,
    ],
    "respondent_positions": [
        ("owner", Text("Owner", "Propriétaire", "Proprietário", "Propietario")),
        ("manager", Text("Manager", "Gérant(e)", "Gerente", "Gerente")),
        ("family_member", Text("Family member of the owner", "Membre de la famille du propriétaire", "Familiar do proprietário", "Familiar del propietario")),
        ("staff", Text("Accountant or other staff", "Comptable ou autre employé", "Contabilista ou outro funcionário", "Contador u otro empleado")),
        OTHER_CHOICE,
    ],
    "chain_roles": CHAIN_ROLES,
    "partner_roles": with_codes(CHAIN_ROLES),
    "sectors": [
        ("agriculture", Text("Crops, livestock, fishing or forestry", "Cultures, élevage, pêche ou sylviculture", "Culturas, pecuária, pesca ou silvicultura", "Cultivos, ganadería, pesca o silvicultura")),
        ("agro_processing", Text("Food and agro-processing", "Agroalimentaire et transformation agricole", "Agroindústria e processamento alimentar", "Agroindustria y procesamiento de alimentos")),
        ("manufacturing", Text("Other manufacturing", "Autre industrie manufacturière", "Outra indústria transformadora", "Otra industria manufacturera")),
        ("construction", Text("Construction", "Construction", "Construção", "Construcción")),
        ("trade", Text("Wholesale and retail trade", "Commerce de gros et de détail", "Comércio por grosso e a retalho", "Comercio al por mayor y al por menor")),
        ("transport", Text("Transport and storage", "Transport et entreposage", "Transporte e armazenagem", "Transporte y almacenamiento")),
        ("tourism", Text("Accommodation, food services and tourism", "Hébergement, restauration et tourisme", "Alojamento, restauração e turismo", "Alojamiento, servicios de comida y turismo")),
        ("ict", Text("Information and communication", "Information et communication", "Informação e comunicação", "Información y comunicación")),
        ("other_services", Text("Other services", "Autres services", "Outros serviços", "Otros servicios")),
        OTHER_CHOICE,
    ],
    "legal_forms": with_codes([
        ("sole_proprietor", Text("Sole proprietorship", "Entreprise individuelle", "Empresário em nome individual", "Empresa unipersonal")),
        ("partnership", Text("Partnership", "Société de personnes", "Sociedade de pessoas", "Sociedad de personas")),
        ("limited_company", Text("Limited company", "Société à responsabilité limitée ou anonyme", "Sociedade por quotas ou anónima", "Sociedad de responsabilidad limitada o anónima")),
        ("cooperative", Text("Cooperative or producer association", "Coopérative ou association de producteurs", "Cooperativa ou associação de produtores", "Cooperativa o asociación de productores")),
        ("state_owned", Text("State-owned enterprise", "Entreprise publique", "Empresa pública", "Empresa pública")),
        OTHER_CHOICE,
    ]),
    "owner_sexes": with_codes([
        ("female", Text("A woman", "Une femme", "Uma mulher", "Una mujer")),
        ("male", Text("A man", "Un homme", "Um homem", "Un hombre")),
        ("joint", Text("Owned jointly by women and men", "Détenue conjointement par des femmes et des hommes", "Propriedade conjunta de mulheres e homens", "Propiedad conjunta de mujeres y hombres")),
        ("no_individual", Text("No individual owner (for example state-owned or listed)", "Pas de propriétaire individuel (par exemple publique ou cotée)", "Sem proprietário individual (por exemplo pública ou cotada)", "Sin propietario individual (por ejemplo pública o cotizada)")),
    ]),
    "ss_coverage": with_codes([
        ("all", Text("All of them", "Tous", "Todos", "Todos")),
        ("some", Text("Some of them", "Certains", "Alguns", "Algunos")),
        ("none", Text("None of them", "Aucun", "Nenhum", "Ninguno")),
    ]),
    "skill_types": with_codes([
        ("technical", Text("Technical or trade skills", "Compétences techniques ou de métier", "Competências técnicas ou de ofício", "Habilidades técnicas o de oficio")),
        ("digital", Text("Digital skills", "Compétences numériques", "Competências digitais", "Habilidades digitales")),
        ("literacy_numeracy", Text("Reading, writing and arithmetic", "Lecture, écriture et calcul", "Leitura, escrita e cálculo", "Lectura, escritura y cálculo")),
        ("management", Text("Management", "Gestion", "Gestão", "Gestión")),
        ("marketing", Text("Marketing and sales", "Marketing et vente", "Marketing e vendas", "Mercadeo y ventas")),
        ("languages", Text("Foreign languages", "Langues étrangères", "Línguas estrangeiras", "Idiomas extranjeros")),
        ("soft_skills", Text("Teamwork, communication and reliability", "Travail en équipe, communication et fiabilité", "Trabalho em equipa, comunicação e fiabilidade", "Trabajo en equipo, comunicación y responsabilidad")),
        ("quality_standards", Text("Quality, food safety or certification standards", "Normes de qualité, de sécurité sanitaire ou de certification", "Normas de qualidade, segurança alimentar ou certificação", "Normas de calidad, inocuidad o certificación")),
        OTHER_CHOICE,
    ]),
    "training_providers": with_codes([
        ("in_house", Text("The enterprise itself", "L'entreprise elle-même", "A própria empresa", "La propia empresa")),
        ("private_provider", Text("A private training provider", "Un organisme de formation privé", "Um formador privado", "Un proveedor privado de capacitación")),
        ("public_tvet", Text("A public vocational training centre", "Un centre public de formation professionnelle", "Um centro público de formação profissional", "Un centro público de formación profesional")),
        ("ngo_programme", Text("An NGO or development programme", "Une ONG ou un programme de développement", "Uma ONG ou programa de desenvolvimento", "Una ONG o programa de desarrollo")),
        ("buyer_lead_firm", Text("A buyer or lead firm", "Un acheteur ou une entreprise pilote", "Um comprador ou empresa líder", "Un comprador o empresa líder")),
        ("supplier", Text("An input supplier", "Un fournisseur d'intrants", "Um fornecedor de insumos", "Un proveedor de insumos")),
        OTHER_CHOICE,
    ]),
    "loan_outcomes": with_codes([
        ("approved_full", Text("Approved in full", "Accordé en totalité", "Aprovado na totalidade", "Aprobado en su totalidad")),
        ("approved_part", Text("Approved in part", "Accordé en partie", "Aprovado em parte", "Aprobado en parte")),
        ("rejected", Text("Rejected", "Refusé", "Recusado", "Rechazado")),
        ("pending", Text("Still pending", "Toujours en attente", "Ainda pendente", "Todavía pendiente")),
    ]),
    "finance_sources": with_codes([
        ("bank", Text("Commercial bank", "Banque commerciale", "Banco comercial", "Banco comercial")),
        ("microfinance", Text("Microfinance institution", "Institution de microfinance", "Instituição de microfinanças", "Institución de microfinanzas")),
        ("savings_group", Text("Savings group, SACCO or VSLA", "Groupe d'épargne ou mutuelle d'épargne et de crédit", "Grupo de poupança ou PCR", "Grupo de ahorro o cooperativa de ahorro y crédito")),
        ("cooperative", Text("Cooperative", "Coopérative", "Cooperativa", "Cooperativa")),
        ("trade_credit", Text("Credit from a buyer or supplier", "Crédit d'un acheteur ou d'un fournisseur", "Crédito de um comprador ou fornecedor", "Crédito de un comprador o proveedor")),
        ("government", Text("Government or development programme", "Gouvernement ou programme de développement", "Governo ou programa de desenvolvimento", "Gobierno o programa de desarrollo")),
        ("family_friends", Text("Family or friends", "Famille ou amis", "Família ou amigos", "Familia o amigos")),
        ("moneylender", Text("Moneylender", "Usurier", "Agiota", "Prestamista")),
        ("digital_lender", Text("Mobile money or online lender", "Prêteur par mobile money ou en ligne", "Crédito por dinheiro móvel ou na internet", "Prestamista por billetera móvil o en línea")),
        OTHER_CHOICE,
    ]),
    "no_apply_reasons": with_codes([
        ("no_need", Text("Did not need a loan", "N'avait pas besoin d'un prêt", "Não precisava de empréstimo", "No necesitaba un préstamo")),
        ("procedures", Text("Application procedures too complex", "Procédures trop compliquées", "Procedimentos demasiado complicados", "Trámites demasiado complicados")),
        ("interest", Text("Interest rates too high", "Taux d'intérêt trop élevés", "Taxas de juro demasiado altas", "Tasas de interés demasiado altas")),
        ("collateral", Text("Collateral requirements too high", "Garanties exigées trop élevées", "Garantias exigidas demasiado altas", "Garantías exigidas demasiado altas")),
        ("size_maturity", Text("Loan size or term not suitable", "Montant ou durée du prêt inadaptés", "Montante ou prazo do empréstimo inadequados", "Monto o plazo del préstamo inadecuados")),
        ("expected_rejection", Text("Did not think it would be approved", "Pensait que la demande serait refusée", "Achava que não seria aprovado", "Pensaba que no se lo aprobarían")),
        ("no_information", Text("Did not know where or how to apply", "Ne savait pas où ni comment faire la demande", "Não sabia onde nem como pedir", "No sabía dónde ni cómo solicitarlo")),
        ("religious", Text("Religious reasons", "Raisons religieuses", "Razões religiosas", "Motivos religiosos")),
        OTHER_CHOICE,
    ]),
    "obstacle_scale": with_codes([
        ("none", Text("No obstacle", "Pas un obstacle", "Nenhum obstáculo", "Ningún obstáculo")),
        ("minor", Text("Minor obstacle", "Obstacle mineur", "Obstáculo pequeno", "Obstáculo menor")),
        ("moderate", Text("Moderate obstacle", "Obstacle modéré", "Obstáculo moderado", "Obstáculo moderado")),
        ("major", Text("Major obstacle", "Obstacle majeur", "Obstáculo grande", "Obstáculo importante")),
        ("very_severe", Text("Very severe obstacle", "Obstacle très sévère", "Obstáculo muito grave", "Obstáculo muy grave")),
    ]),
    "obstacle_items": with_codes(
        [item for _, _, items in OBSTACLE_GROUPS for item in items]
    ),
    "partner_types": [
        ("buyer", Text("Buyer", "Acheteur", "Comprador", "Comprador")),
        ("supplier", Text("Supplier", "Fournisseur", "Fornecedor", "Proveedor")),
    ],
    "partner_contracts": with_codes([
        ("written", Text("Written contract", "Contrat écrit", "Contrato escrito", "Contrato escrito")),
        ("verbal", Text("Verbal agreement only", "Accord verbal seulement", "Só acordo verbal", "Solo acuerdo verbal")),
        ("none", Text("No contract or agreement", "Ni contrat ni accord", "Nem contrato nem acordo", "Ni contrato ni acuerdo")),
    ]),
}

# Worker types of the employment table: name prefix, group label and definition.
WORKER_TYPES: list[tuple[str, Text, Text]] = [
    ("perm", Text("Permanent workers", "Travailleurs permanents", "Trabalhadores permanentes", "Trabajadores permanentes"), Text(
        "Paid workers on a contract of one year or more or with no end date, working regularly. Do not count working owners.",
        "Travailleurs rémunérés avec un contrat d'un an ou plus ou sans date de fin, qui travaillent régulièrement. Ne comptez pas les propriétaires qui travaillent.",
        "Trabalhadores pagos com contrato de um ano ou mais ou sem data de fim, que trabalham regularmente. Não conte os proprietários que trabalham.",
        "Trabajadores pagados con contrato de un año o más o sin fecha de término, que trabajan regularmente. No cuente a los propietarios que trabajan.",
    )),
    ("temp", Text("Temporary workers", "Travailleurs temporaires", "Trabalhadores temporários", "Trabajadores temporales"), Text(
        "Paid workers hired for less than one year or for a specific task, other than seasonal workers.",
        "Travailleurs rémunérés embauchés pour moins d'un an ou pour une tâche précise, autres que les saisonniers.",
        "Trabalhadores pagos contratados por menos de um ano ou para uma tarefa específica, exceto os sazonais.",
        "Trabajadores pagados contratados por menos de un año o para una tarea específica, excepto los de temporada.",
    )),
    ("seas", Text("Seasonal workers", "Travailleurs saisonniers", "Trabalhadores sazonais", "Trabajadores de temporada"), Text(
        "Paid workers hired only for part of the year, such as the harvest or the peak season.",
        "Travailleurs rémunérés embauchés seulement pour une partie de l'année, par exemple la récolte ou la haute saison.",
        "Trabalhadores pagos contratados só durante parte do ano, como a colheita ou a época alta.",
        "Trabajadores pagados contratados solo durante parte del año, como la cosecha o la temporada alta.",
    )),
    ("fam", Text("Unpaid family workers", "Aides familiaux non rémunérés", "Familiares não remunerados", "Familiares no remunerados"), Text(
        "Family members who work in the enterprise without a regular wage.",
        "Membres de la famille qui travaillent dans l'entreprise sans salaire régulier.",
        "Familiares que trabalham no negócio sem salário regular.",
        "Familiares que trabajan en el negocio sin un salario regular.",
    )),
]

# Labels of the six counts asked for each worker type: (name suffix, label).
WORKER_COUNTS: list[tuple[str, Text]] = [
    ("now", Text("Total number now", "Nombre total aujourd'hui", "Número total atualmente", "Número total actual")),
    ("women_now", Text("Of whom women, now", "Dont femmes, aujourd'hui", "Dos quais mulheres, atualmente", "De ellos, mujeres, actualmente")),
    ("youth_now", Text("Of whom youth aged 15 to ${youth_max_age}, now", "Dont jeunes de 15 à ${youth_max_age} ans, aujourd'hui", "Dos quais jovens dos 15 aos ${youth_max_age} anos, atualmente", "De ellos, jóvenes de 15 a ${youth_max_age} años, actualmente")),
    ("12m", Text("Total number 12 months ago", "Nombre total il y a 12 mois", "Número total há 12 meses", "Número total hace 12 meses")),
    ("women_12m", Text("Of whom women, 12 months ago", "Dont femmes, il y a 12 mois", "Dos quais mulheres, há 12 meses", "De ellos, mujeres, hace 12 meses")),
    ("youth_12m", Text("Of whom youth aged 15 to ${youth_max_age}, 12 months ago", "Dont jeunes de 15 à ${youth_max_age} ans, il y a 12 mois", "Dos quais jovens dos 15 aos ${youth_max_age} anos, há 12 meses", "De ellos, jóvenes de 15 a ${youth_max_age} años, hace 12 meses")),
]

MAX_WORKERS = 100000


def firm_sample_rows() -> list[Row]:
    """Return how the enterprise entered the sample, asked before consent."""
    return group("sample", Text("Sample", "Échantillon", "Amostra", "Muestra"), [
        select_one("firm_sources", "firm_source", Text(
            "How was this enterprise selected?",
            "Comment cette entreprise a-t-elle été sélectionnée ?",
            "Como foi selecionada esta empresa?",
            "¿Cómo se seleccionó esta empresa?",
        )),
        question("select_one_from_file firms.csv", "firm_ref", Text(
            "Pick the enterprise from the study list",
            "Choisissez l'entreprise dans la liste de l'étude",
            "Escolha a empresa na lista do estudo",
            "Elija la empresa en la lista del estudio",
        ), hint=Text(
            "Type part of the name to search.",
            "Tapez une partie du nom pour chercher.",
            "Escreva parte do nome para procurar.",
            "Escriba parte del nombre para buscar.",
        ), required=True, relevant="${firm_source} = 'referral'", appearance="autocomplete"),
        calculate("firm_ref_name", "instance('firms')/root/item[name=${firm_ref}]/label"),
        question("text", "firm_name", Text(
            "Name of the enterprise",
            "Nom de l'entreprise",
            "Nome da empresa",
            "Nombre de la empresa",
        ), required=True, relevant="${firm_source} != 'referral'"),
        calculate(
            "firm_display_name",
            "if(${firm_source} = 'referral', ${firm_ref_name}, ${firm_name})",
        ),
    ])


def firm_consent_rows() -> list[Row]:
    return [
        note("consent_intro", Text(
            "Read to the respondent: We are collecting information on the enterprises of this value chain for a jobs programme. The interview takes about 40 minutes. Taking part is voluntary: you may skip any question or stop at any time. Your answers are confidential and will only be published as totals in which no enterprise can be recognised.",
            "Lisez à la personne : Nous recueillons des informations sur les entreprises de cette chaîne de valeur pour un programme en faveur de l'emploi. L'entretien dure environ 40 minutes. La participation est volontaire : vous pouvez ne pas répondre à une question ou arrêter à tout moment. Vos réponses sont confidentielles et ne seront publiées que sous forme de totaux où aucune entreprise ne peut être reconnue.",
            "Leia à pessoa: Estamos a recolher informação sobre as empresas desta cadeia de valor para um programa de emprego. A entrevista dura cerca de 40 minutos. A participação é voluntária: pode não responder a qualquer pergunta ou parar a qualquer momento. As suas respostas são confidenciais e só serão publicadas como totais em que nenhuma empresa pode ser reconhecida.",
            "Lea a la persona: Estamos recopilando información sobre las empresas de esta cadena de valor para un programa de empleo. La entrevista dura unos 40 minutos. La participación es voluntaria: puede no responder a cualquier pregunta o detenerse en cualquier momento. Sus respuestas son confidenciales y solo se publicarán como totales en los que ninguna empresa pueda ser reconocida.",
        )),
        select_one("yes_no", "consent", Text(
            "Does the respondent agree to be interviewed?",
            "La personne accepte-t-elle de répondre ?",
            "A pessoa aceita ser entrevistada?",
            "¿La persona acepta ser entrevistada?",
        )),
        note("consent_refused", NOTE_CONSENT_REFUSED, relevant="${consent} = 'no'"),
    ]


def firm_profile_rows() -> list[Row]:
    return [
        question("text", "resp_name", Text(
            "Name of the respondent", "Nom de la personne interrogée", "Nome da pessoa entrevistada", "Nombre de la persona entrevistada",
        ), required=True),
        select_one("respondent_positions", "resp_position", Text(
            "Position of the respondent in the enterprise",
            "Fonction de la personne interrogée dans l'entreprise",
            "Função da pessoa entrevistada na empresa",
            "Cargo de la persona entrevistada en la empresa",
        )),
        phone("firm_phone", Text(
            "Phone number of the enterprise", "Numéro de téléphone de l'entreprise", "Número de telefone da empresa", "Número de teléfono de la empresa",
        )),
        select_one("chain_roles", "chain_role", Text(
            "What is the main role of this enterprise in the value chain?",
            "Quel est le rôle principal de cette entreprise dans la chaîne de valeur ?",
            "Qual é o papel principal desta empresa na cadeia de valor?",
            "¿Cuál es el papel principal de esta empresa en la cadena de valor?",
        ), hint=Text(
            "A lead firm buys from or organises many other enterprises of the chain.",
            "Une entreprise pilote achète auprès de nombreuses autres entreprises de la chaîne ou les organise.",
            "Uma empresa líder compra a muitas outras empresas da cadeia ou organiza-as.",
            "Una empresa líder compra a muchas otras empresas de la cadena o las organiza.",
        )),
        select_one("sectors", "sector", Text(
            "In which sector is the main activity of the enterprise?",
            "Dans quel secteur se trouve l'activité principale de l'entreprise ?",
            "Em que setor está a atividade principal da empresa?",
            "¿En qué sector está la actividad principal de la empresa?",
        )),
        question("text", "product", Text(
            "What is the main product or service of the enterprise?",
            "Quel est le principal produit ou service de l'entreprise ?",
            "Qual é o principal produto ou serviço da empresa?",
            "¿Cuál es el principal producto o servicio de la empresa?",
        ), required=True),
        question("text", "region", Text("Region or province", "Région ou province", "Província ou região", "Región o departamento"), required=True),
        question("text", "district", Text("District", "District", "Distrito", "Distrito"), required=True),
        question("text", "locality", Text("Town or village", "Ville ou village", "Cidade ou aldeia", "Ciudad o localidad"), required=True),
        question("geopoint", "firm_gps", Text(
            "Record the location of the enterprise",
            "Enregistrez la position de l'entreprise",
            "Registe a localização da empresa",
            "Registre la ubicación de la empresa",
        ), hint=Text(
            "Stand at the main premises of the enterprise.",
            "Placez-vous dans les locaux principaux de l'entreprise.",
            "Fique nas instalações principais da empresa.",
            "Párese en el local principal de la empresa.",
        )),
        select_one("legal_forms", "legal_form", Text(
            "What is the legal form of the enterprise?",
            "Quelle est la forme juridique de l'entreprise ?",
            "Qual é a forma jurídica da empresa?",
            "¿Cuál es la forma jurídica de la empresa?",
        )),
        select_one("yes_no_dk_ref", "registered", Text(
            "Is the enterprise registered with the national business registry?",
            "L'entreprise est-elle immatriculée au registre national du commerce ?",
            "A empresa está registada no registo comercial nacional?",
            "¿La empresa está registrada en el registro nacional de empresas?",
        )),
        select_one("yes_no_dk_ref", "tax_number", Text(
            "Does the enterprise have a tax identification number?",
            "L'entreprise a-t-elle un numéro d'identification fiscale ?",
            "A empresa tem número de identificação tributária?",
            "¿La empresa tiene número de identificación tributaria?",
        )),
        select_one("yes_no_dk_ref", "keeps_accounts", Text(
            "Does the enterprise keep written accounts?",
            "L'entreprise tient-elle une comptabilité écrite ?",
            "A empresa tem contabilidade escrita?",
            "¿La empresa lleva contabilidad por escrito?",
        )),
        number("year_started", Text(
            "In what year did the enterprise start operating?",
            "En quelle année l'entreprise a-t-elle commencé ses activités ?",
            "Em que ano a empresa começou a funcionar?",
            "¿En qué año empezó a funcionar la empresa?",
        ), 1900, None,
            constraint=f"(. >= 1900 and . <= int(format-date(today(), '%Y'))) or . = {DONT_KNOW} or . = {REFUSED}",
            constraint_message=Text(
                "Enter a year from 1900 to this year, or -98 if the respondent does not know, -99 if they refuse.",
                "Saisissez une année de 1900 à l'année en cours, ou -98 si la personne ne sait pas, -99 si elle refuse de répondre.",
                "Introduza um ano de 1900 até ao ano atual, ou -98 se a pessoa não sabe, -99 se recusa responder.",
                "Ingrese un año de 1900 al año actual, o -98 si la persona no sabe, -99 si se niega a responder.",
            )),
        select_one("owner_sexes", "owner_sex", Text(
            "Is the main owner of the enterprise a woman or a man?",
            "Le principal propriétaire de l'entreprise est-il une femme ou un homme ?",
            "O principal proprietário da empresa é uma mulher ou um homem?",
            "¿El principal propietario de la empresa es una mujer o un hombre?",
        )),
        number("owner_age", Text(
            "How old is the main owner, in completed years?",
            "Quel âge a le principal propriétaire, en années révolues ?",
            "Que idade tem o principal proprietário, em anos completos?",
            "¿Qué edad tiene el principal propietario, en años cumplidos?",
        ), 15, 100, hint=Text(
            "If women and men own it jointly, give the age of the owner who runs the enterprise.",
            "Si des femmes et des hommes la détiennent ensemble, donnez l'âge du propriétaire qui la dirige.",
            "Se mulheres e homens são proprietários em conjunto, indique a idade do proprietário que a dirige.",
            "Si mujeres y hombres son propietarios en conjunto, indique la edad del propietario que la dirige.",
        ), relevant=any_equal("owner_sex", ("female", "male", "joint"))),
    ]


def worker_type_rows(prefix: str, label: Text, definition: Text) -> list[Row]:
    """Return the field-list group of counts for one worker type, now and 12 months ago."""
    rows: list[Row] = [note(f"emp_{prefix}_def", definition)]
    for suffix, count_label in WORKER_COUNTS:
        name = f"emp_{prefix}_{suffix}"
        if suffix in ("now", "12m"):
            rows.append(number(name, count_label, 0, MAX_WORKERS))
        else:
            total = f"emp_{prefix}_{suffix.split('_')[1]}"
            rows.append(number(
                name, count_label, 0, MAX_WORKERS, at_most=total, relevant=f"${{{total}}} != 0"
            ))
    if prefix == "seas":
        rows.append(number("emp_seas_peak", Text(
            "Highest number at any time in the last 12 months",
            "Nombre le plus élevé à un moment quelconque des 12 derniers mois",
            "Número mais alto em qualquer momento dos últimos 12 meses",
            "Número más alto en cualquier momento de los últimos 12 meses",
        ), 0, MAX_WORKERS))
    return group(f"{prefix}_workers", label, rows, appearance="field-list")


def firm_employment_rows() -> list[Row]:
    paid = ("perm", "temp", "seas")
    every = (*paid, "fam")
    # Women and youth counts are skipped when the total is zero, so blank counts as 0.
    totals = [
        calculate("paid_now", sum_if_known(f"emp_{p}_now" for p in paid)),
        calculate("paid_12m", sum_if_known(f"emp_{p}_12m" for p in paid)),
        calculate(
            "stock_change",
            "if(${paid_now} != '' and ${paid_12m} != '', ${paid_now} - ${paid_12m}, '')",
        ),
    ]
    for when in ("now", "12m"):
        totals.append(
            calculate(f"workers_{when}", sum_if_known(f"emp_{p}_{when}" for p in every))
        )
        for who in ("women", "youth"):
            totals.append(calculate(
                f"{who}_{when}",
                sum_if_known((f"emp_{p}_{who}_{when}" for p in every), blank_is_zero=True),
            ))
    return [
        calculate("youth_max_age", str(YOUTH_MAX_AGE)),
        note("employment_intro", Text(
            "Now some questions about the people who work for the enterprise, at all its locations. Youth means workers aged 15 to ${youth_max_age}.",
            "Voici des questions sur les personnes qui travaillent pour l'entreprise, sur tous ses sites. Les jeunes sont les travailleurs de 15 à ${youth_max_age} ans.",
            "Agora algumas perguntas sobre as pessoas que trabalham para a empresa, em todos os seus locais. Jovens são os trabalhadores dos 15 aos ${youth_max_age} anos.",
            "Ahora algunas preguntas sobre las personas que trabajan para la empresa, en todos sus locales. Jóvenes son los trabajadores de 15 a ${youth_max_age} años.",
        )),
        number("owners_working", Text(
            "How many owners work in the enterprise?",
            "Combien de propriétaires travaillent dans l'entreprise ?",
            "Quantos proprietários trabalham na empresa?",
            "¿Cuántos propietarios trabajan en la empresa?",
        ), 0, 1000),
        *flatten(worker_type_rows(*worker_type) for worker_type in WORKER_TYPES),
        *totals,
        *group("flows", Text(
            "Hires and departures in the last 12 months",
            "Embauches et départs au cours des 12 derniers mois",
            "Contratações e saídas nos últimos 12 meses",
            "Contrataciones y salidas en los últimos 12 meses",
        ), [
            note("flows_def", Text(
                "Count paid workers: permanent, temporary and seasonal. A person hired twice counts as two hires.",
                "Comptez les travailleurs rémunérés : permanents, temporaires et saisonniers. Une personne embauchée deux fois compte pour deux embauches.",
                "Conte os trabalhadores pagos: permanentes, temporários e sazonais. Uma pessoa contratada duas vezes conta como duas contratações.",
                "Cuente a los trabajadores pagados: permanentes, temporales y de temporada. Una persona contratada dos veces cuenta como dos contrataciones.",
            )),
            number("hires_12m", Text(
                "Workers hired in the last 12 months, including those who have left since",
                "Travailleurs embauchés au cours des 12 derniers mois, y compris ceux qui sont partis depuis",
                "Trabalhadores contratados nos últimos 12 meses, incluindo os que já saíram",
                "Trabajadores contratados en los últimos 12 meses, incluidos los que ya se fueron",
            ), 0, MAX_WORKERS),
            number("hires_women_12m", Text(
                "Of whom women", "Dont femmes", "Dos quais mulheres", "De ellos, mujeres",
            ), 0, MAX_WORKERS, at_most="hires_12m", relevant="${hires_12m} != 0"),
            number("hires_youth_12m", Text(
                "Of whom youth aged 15 to ${youth_max_age}", "Dont jeunes de 15 à ${youth_max_age} ans", "Dos quais jovens dos 15 aos ${youth_max_age} anos", "De ellos, jóvenes de 15 a ${youth_max_age} años",
            ), 0, MAX_WORKERS, at_most="hires_12m", relevant="${hires_12m} != 0"),
            number("separations_12m", Text(
                "Workers who left in the last 12 months for any reason: quit, dismissed, end of contract, retired or died",
                "Travailleurs partis au cours des 12 derniers mois pour toute raison : démission, licenciement, fin de contrat, retraite ou décès",
                "Trabalhadores que saíram nos últimos 12 meses por qualquer motivo: demissão, despedimento, fim de contrato, reforma ou morte",
                "Trabajadores que se fueron en los últimos 12 meses por cualquier motivo: renuncia, despido, fin de contrato, jubilación o fallecimiento",
            ), 0, MAX_WORKERS),
            number("separations_women_12m", Text(
                "Of whom women", "Dont femmes", "Dos quais mulheres", "De ellos, mujeres",
            ), 0, MAX_WORKERS, at_most="separations_12m", relevant="${separations_12m} != 0"),
            number("separations_youth_12m", Text(
                "Of whom youth aged 15 to ${youth_max_age}", "Dont jeunes de 15 à ${youth_max_age} ans", "Dos quais jovens dos 15 aos ${youth_max_age} anos", "De ellos, jóvenes de 15 a ${youth_max_age} años",
            ), 0, MAX_WORKERS, at_most="separations_12m", relevant="${separations_12m} != 0"),
        ], appearance="field-list"),
        calculate(
            "net_jobs_12m",
            "if(${hires_12m} >= 0 and ${separations_12m} >= 0, ${hires_12m} - ${separations_12m}, '')",
        ),
        note("flows_check", Text(
            "Paid workers changed by ${stock_change} between 12 months ago and now, but hires minus departures is ${net_jobs_12m}. Check both answers with the respondent; seasonal hiring can explain part of the difference.",
            "Le nombre de travailleurs rémunérés a varié de ${stock_change} entre il y a 12 mois et aujourd'hui, mais les embauches moins les départs donnent ${net_jobs_12m}. Vérifiez les deux réponses avec la personne ; l'embauche saisonnière peut expliquer une partie de l'écart.",
            "O número de trabalhadores pagos variou ${stock_change} entre há 12 meses e agora, mas as contratações menos as saídas dão ${net_jobs_12m}. Verifique as duas respostas com a pessoa; a contratação sazonal pode explicar parte da diferença.",
            "El número de trabajadores pagados varió en ${stock_change} entre hace 12 meses y ahora, pero las contrataciones menos las salidas dan ${net_jobs_12m}. Verifique ambas respuestas con la persona; la contratación de temporada puede explicar parte de la diferencia.",
        ), relevant="${net_jobs_12m} != '' and ${stock_change} != '' and number(${net_jobs_12m}) != number(${stock_change})"),
        *group("wages", Text("Wages", "Salaires", "Salários", "Salarios"), [
            number("wage_bill_month", Text(
                "Last month, how much did the enterprise pay in total in wages and salaries to all its workers, before deductions?",
                "Le mois dernier, combien l'entreprise a-t-elle payé au total en salaires à tous ses travailleurs, avant retenues ?",
                "No mês passado, quanto pagou a empresa no total em salários a todos os trabalhadores, antes dos descontos?",
                "El mes pasado, ¿cuánto pagó la empresa en total en sueldos y salarios a todos sus trabajadores, antes de descuentos?",
            ), 0, None, decimal=True),
            number("wage_typical", Text(
                "What is the usual monthly wage of a full-time permanent worker doing the most common job in the enterprise?",
                "Quel est le salaire mensuel habituel d'un travailleur permanent à temps plein qui occupe le poste le plus courant de l'entreprise ?",
                "Qual é o salário mensal habitual de um trabalhador permanente a tempo inteiro no posto mais comum da empresa?",
                "¿Cuál es el salario mensual habitual de un trabajador permanente a tiempo completo en el puesto más común de la empresa?",
            ), 0, None, decimal=True, relevant="${emp_perm_now} != 0"),
            number("wage_entry", Text(
                "What monthly wage does the enterprise pay a newly hired full-time worker with no experience?",
                "Quel salaire mensuel l'entreprise verse-t-elle à un travailleur à temps plein nouvellement embauché et sans expérience ?",
                "Que salário mensal paga a empresa a um trabalhador a tempo inteiro recém-contratado e sem experiência?",
                "¿Qué salario mensual paga la empresa a un trabajador a tiempo completo recién contratado y sin experiencia?",
            ), 0, None, decimal=True),
            select_one("ss_coverage", "ss_coverage", Text(
                "For how many of its paid workers does the enterprise pay social security contributions?",
                "Pour combien de ses travailleurs rémunérés l'entreprise verse-t-elle des cotisations de sécurité sociale ?",
                "Por quantos dos seus trabalhadores pagos a empresa paga contribuições para a segurança social?",
                "¿Por cuántos de sus trabajadores pagados aporta la empresa a la seguridad social?",
            )),
        ], relevant="${paid_now} != 0"),
    ]


def firm_skills_rows() -> list[Row]:
    return [
        select_one("yes_no_dk_ref", "skills_gap", Text(
            "Do the current workers lack skills that the enterprise needs?",
            "Les travailleurs actuels manquent-ils de compétences dont l'entreprise a besoin ?",
            "Faltam aos trabalhadores atuais competências de que a empresa precisa?",
            "¿A los trabajadores actuales les faltan habilidades que la empresa necesita?",
        )),
        select_multiple("skill_types", "skills_gap_types", Text(
            "Which skills are lacking?",
            "Quelles compétences manquent ?",
            "Que competências faltam?",
            "¿Qué habilidades faltan?",
        ), relevant="${skills_gap} = 'yes'"),
        select_one("yes_no_dk_ref", "hard_to_fill", Text(
            "In the last 12 months, did the enterprise have jobs that were hard to fill?",
            "Au cours des 12 derniers mois, l'entreprise a-t-elle eu des postes difficiles à pourvoir ?",
            "Nos últimos 12 meses, a empresa teve postos de trabalho difíceis de preencher?",
            "En los últimos 12 meses, ¿la empresa tuvo puestos difíciles de cubrir?",
        )),
        number("hard_to_fill_n", Text(
            "How many such jobs?",
            "Combien de postes de ce type ?",
            "Quantos postos desse tipo?",
            "¿Cuántos puestos de ese tipo?",
        ), 0, 10000, relevant="${hard_to_fill} = 'yes'"),
        select_one("yes_no_dk_ref", "training_12m", Text(
            "In the last 12 months, did the enterprise organise or pay for structured training for its workers?",
            "Au cours des 12 derniers mois, l'entreprise a-t-elle organisé ou payé une formation structurée pour ses travailleurs ?",
            "Nos últimos 12 meses, a empresa organizou ou pagou formação estruturada para os seus trabalhadores?",
            "En los últimos 12 meses, ¿la empresa organizó o pagó capacitación estructurada para sus trabajadores?",
        ), hint=Text(
            "Courses with a set programme, inside or outside the enterprise. Do not count informal advice on the job.",
            "Des cours avec un programme défini, dans l'entreprise ou à l'extérieur. Ne comptez pas les conseils informels au poste de travail.",
            "Cursos com um programa definido, dentro ou fora da empresa. Não conte conselhos informais no posto de trabalho.",
            "Cursos con un programa definido, dentro o fuera de la empresa. No cuente consejos informales en el puesto de trabajo.",
        )),
        number("training_workers_n", Text(
            "How many workers took part in this training?",
            "Combien de travailleurs ont suivi cette formation ?",
            "Quantos trabalhadores participaram nesta formação?",
            "¿Cuántos trabajadores participaron en esta capacitación?",
        ), 0, MAX_WORKERS, relevant="${training_12m} = 'yes'"),
        select_multiple("training_providers", "training_providers", Text(
            "Who provided the training?",
            "Qui a dispensé la formation ?",
            "Quem deu a formação?",
            "¿Quién impartió la capacitación?",
        ), relevant="${training_12m} = 'yes'"),
    ]


def firm_finance_rows() -> list[Row]:
    return [
        select_one("yes_no_dk_ref", "fin_account", Text(
            "Does the enterprise have an account at a bank, a microfinance institution or a mobile money provider?",
            "L'entreprise a-t-elle un compte dans une banque, une institution de microfinance ou chez un opérateur de mobile money ?",
            "A empresa tem conta num banco, numa instituição de microfinanças ou num serviço de dinheiro móvel?",
            "¿La empresa tiene una cuenta en un banco, una institución de microfinanzas o un proveedor de billetera móvil?",
        )),
        select_one("yes_no_dk_ref", "fin_applied", Text(
            "In the last 12 months, did the enterprise apply for a loan or a line of credit?",
            "Au cours des 12 derniers mois, l'entreprise a-t-elle demandé un prêt ou une ligne de crédit ?",
            "Nos últimos 12 meses, a empresa pediu um empréstimo ou uma linha de crédito?",
            "En los últimos 12 meses, ¿la empresa solicitó un préstamo o una línea de crédito?",
        )),
        select_multiple("finance_sources", "fin_sources", Text(
            "From whom did the enterprise ask for credit?",
            "À qui l'entreprise a-t-elle demandé un crédit ?",
            "A quem pediu a empresa crédito?",
            "¿A quién solicitó crédito la empresa?",
        ), relevant="${fin_applied} = 'yes'"),
        select_one("loan_outcomes", "fin_outcome", Text(
            "What happened to the most recent application?",
            "Quelle a été l'issue de la demande la plus récente ?",
            "Qual foi o resultado do pedido mais recente?",
            "¿Cuál fue el resultado de la solicitud más reciente?",
        ), relevant="${fin_applied} = 'yes'"),
        number("fin_amount", Text(
            "How much did the enterprise receive from that application?",
            "Combien l'entreprise a-t-elle reçu grâce à cette demande ?",
            "Quanto recebeu a empresa com esse pedido?",
            "¿Cuánto recibió la empresa con esa solicitud?",
        ), 0, None, decimal=True, relevant=any_equal("fin_outcome", ("approved_full", "approved_part"))),
        select_multiple("no_apply_reasons", "fin_no_apply_reasons", Text(
            "Why did the enterprise not apply for a loan in the last 12 months?",
            "Pourquoi l'entreprise n'a-t-elle pas demandé de prêt au cours des 12 derniers mois ?",
            "Porque é que a empresa não pediu um empréstimo nos últimos 12 meses?",
            "¿Por qué la empresa no solicitó un préstamo en los últimos 12 meses?",
        ), relevant="${fin_applied} = 'no'"),
        # The main reason is asked only to choose among several, and offers only the
        # reasons just given. fin_no_apply_reason contains it for every non-applicant.
        select_one("no_apply_reasons", "fin_no_apply_main", Text(
            "Of these, what was the main reason the enterprise did not apply?",
            "Parmi ces raisons, quelle est la principale pour laquelle l'entreprise n'a pas fait de demande ?",
            "Destas, qual foi a principal razão por que a empresa não pediu?",
            "De estos, ¿cuál fue el motivo principal por el que la empresa no lo solicitó?",
        ), relevant="count-selected(${fin_no_apply_reasons}) > 1",
            choice_filter="selected(${fin_no_apply_reasons}, name) or name = 'dk' or name = 'refused'"),
        calculate(
            "fin_no_apply_reason",
            "if(count-selected(${fin_no_apply_reasons}) = 1, ${fin_no_apply_reasons}, ${fin_no_apply_main})",
        ),
    ]


def firm_obstacle_rows() -> list[Row]:
    rows: list[Row] = [
        note("obstacles_intro", Text(
            "For each of the following, how much of an obstacle is it to the current operations of the enterprise?",
            "Pour chacun des éléments suivants, dans quelle mesure est-ce un obstacle au fonctionnement actuel de l'entreprise ?",
            "Para cada um dos seguintes, em que medida é um obstáculo ao funcionamento atual da empresa?",
            "Para cada uno de los siguientes, ¿en qué medida es un obstáculo para el funcionamiento actual de la empresa?",
        )),
    ]
    for group_name, group_label, items in OBSTACLE_GROUPS:
        questions = [
            select_one("obstacle_scale", f"obstacle_{item}", label) for item, label in items
        ]
        rows.extend(
            group(f"obstacles_{group_name}", group_label, questions, appearance="field-list")
        )
    rows.append(select_one("obstacle_items", "main_obstacle", Text(
        "Which one of these is the biggest obstacle for the enterprise?",
        "Lequel de ces éléments est le plus grand obstacle pour l'entreprise ?",
        "Qual destes é o maior obstáculo para a empresa?",
        "¿Cuál de estos es el mayor obstáculo para la empresa?",
    )))
    return rows


def firm_partner_rows() -> list[Row]:
    """Return the buyers and suppliers repeat; each new one can join the firms list."""
    buyer = "${partner_type} = 'buyer'"
    supplier = "${partner_type} = 'supplier'"
    partner = [
        select_one("partner_types", "partner_type", Text(
            "Is this enterprise a buyer or a supplier?",
            "Cette entreprise est-elle un acheteur ou un fournisseur ?",
            "Esta empresa é um comprador ou um fornecedor?",
            "¿Esta empresa es un comprador o un proveedor?",
        )),
        question("select_one_from_file firms.csv", "partner_listed", Text(
            "If this enterprise is already on the study list, pick it",
            "Si cette entreprise figure déjà sur la liste de l'étude, choisissez-la",
            "Se esta empresa já está na lista do estudo, escolha-a",
            "Si esta empresa ya está en la lista del estudio, elíjala",
        ), hint=Text(
            "Type part of the name to search. Leave blank if it is not on the list.",
            "Tapez une partie du nom pour chercher. Laissez vide si elle n'est pas sur la liste.",
            "Escreva parte do nome para procurar. Deixe em branco se não estiver na lista.",
            "Escriba parte del nombre para buscar. Déjelo en blanco si no está en la lista.",
        ), appearance="autocomplete"),
        question("text", "partner_name", Text(
            "Name of the enterprise", "Nom de l'entreprise", "Nome da empresa", "Nombre de la empresa",
        ), required=True, relevant="${partner_listed} = ''"),
        calculate(
            "partner_label",
            "if(${partner_listed} != '', instance('firms')/root/item[name=${partner_listed}]/label, ${partner_name})",
        ),
        select_one("partner_roles", "partner_role", Text(
            "What is the main role of ${partner_label} in the value chain?",
            "Quel est le rôle principal de ${partner_label} dans la chaîne de valeur ?",
            "Qual é o papel principal de ${partner_label} na cadeia de valor?",
            "¿Cuál es el papel principal de ${partner_label} en la cadena de valor?",
        ), save_to="chain_role"),
        question("text", "partner_locality", Text(
            "Where is ${partner_label} located? Give the town or village and the district, or the country if abroad.",
            "Où se trouve ${partner_label} ? Indiquez la ville ou le village et le district, ou le pays si c'est à l'étranger.",
            "Onde se localiza ${partner_label}? Indique a cidade ou aldeia e o distrito, ou o país se for no estrangeiro.",
            "¿Dónde está ubicada ${partner_label}? Indique la ciudad o localidad y el distrito, o el país si está en el extranjero.",
        ), required=True, save_to="locality"),
        number("share_of_sales", Text(
            "What percentage of the enterprise's sales in the last 12 months went to ${partner_label}?",
            "Quel pourcentage des ventes de l'entreprise au cours des 12 derniers mois est allé à ${partner_label} ?",
            "Que percentagem das vendas da empresa nos últimos 12 meses foi para ${partner_label}?",
            "¿Qué porcentaje de las ventas de la empresa en los últimos 12 meses fue a ${partner_label}?",
        ), 0, 100, relevant=buyer),
        number("share_of_purchases", Text(
            "What percentage of the enterprise's purchases of inputs in the last 12 months came from ${partner_label}?",
            "Quel pourcentage des achats d'intrants de l'entreprise au cours des 12 derniers mois provenait de ${partner_label} ?",
            "Que percentagem das compras de insumos da empresa nos últimos 12 meses veio de ${partner_label}?",
            "¿Qué porcentaje de las compras de insumos de la empresa en los últimos 12 meses vino de ${partner_label}?",
        ), 0, 100, relevant=supplier),
        select_one("partner_contracts", "partner_contract", Text(
            "Does the enterprise have a contract with ${partner_label}?",
            "L'entreprise a-t-elle un contrat avec ${partner_label} ?",
            "A empresa tem um contrato com ${partner_label}?",
            "¿La empresa tiene un contrato con ${partner_label}?",
        )),
        number("partner_years", Text(
            "For how many years has the enterprise traded with ${partner_label}?",
            "Depuis combien d'années l'entreprise travaille-t-elle avec ${partner_label} ?",
            "Há quantos anos a empresa negoceia com ${partner_label}?",
            "¿Desde hace cuántos años la empresa comercia con ${partner_label}?",
        ), 0, 100, hint=Text(
            "Enter 0 for less than one year.",
            "Saisissez 0 pour moins d'un an.",
            "Introduza 0 se for menos de um ano.",
            "Ingrese 0 si es menos de un año.",
        )),
        phone("partner_phone", Text(
            "Phone number of ${partner_label}, if the respondent agrees to share it",
            "Numéro de téléphone de ${partner_label}, si la personne accepte de le donner",
            "Número de telefone de ${partner_label}, se a pessoa aceitar partilhá-lo",
            "Número de teléfono de ${partner_label}, si la persona acepta compartirlo",
        ), save_to="phone"),
        select_one("yes_no", "partner_register", Text(
            "Register ${partner_label} for an interview?",
            "Inscrire ${partner_label} pour un entretien ?",
            "Registar ${partner_label} para uma entrevista?",
            "¿Registrar a ${partner_label} para una entrevista?",
        ), hint=Text(
            "Choose yes if this enterprise belongs to the value chain under study. It will then appear on the study list for interview.",
            "Choisissez oui si cette entreprise fait partie de la chaîne de valeur étudiée. Elle apparaîtra alors sur la liste de l'étude pour un entretien.",
            "Escolha sim se esta empresa pertence à cadeia de valor em estudo. Passará então a constar da lista do estudo para entrevista.",
            "Elija sí si esta empresa pertenece a la cadena de valor en estudio. Aparecerá entonces en la lista del estudio para una entrevista.",
        ), relevant="${partner_listed} = ''"),
        # Properties of the new firms entity that link it to the interview that named it.
        calculate("partner_link", "${partner_type}", save_to="link_type"),
        calculate("partner_country", "${country}", save_to="country"),
        calculate("partner_referred_by", "${firm_display_name}", save_to="referred_by"),
        calculate("partner_referred_by_id", "${firm_ref}", save_to="referred_by_id"),
        calculate("partner_source_interview", "${instanceID}", save_to="source_interview"),
        calculate("partner_registered_on", "${today}", save_to="registered_on"),
    ]
    return [
        select_one("yes_no_dk_ref", "has_partners", Text(
            "Does the enterprise regularly buy inputs from, or sell to, other enterprises or producer groups?",
            "L'entreprise achète-t-elle régulièrement des intrants à d'autres entreprises ou groupements de producteurs, ou leur vend-elle ?",
            "A empresa compra regularmente insumos a outras empresas ou grupos de produtores, ou vende-lhes?",
            "¿La empresa compra regularmente insumos a otras empresas o grupos de productores, o les vende?",
        ), relevant="${consent} = 'yes'"),
        note("partners_intro", Text(
            "Now list the main buyers and the main suppliers of the enterprise, up to five of each, starting with the largest.",
            "Listez maintenant les principaux acheteurs et les principaux fournisseurs de l'entreprise, jusqu'à cinq de chaque, en commençant par le plus important.",
            "Agora liste os principais compradores e os principais fornecedores da empresa, até cinco de cada, começando pelo maior.",
            "Ahora enumere los principales compradores y los principales proveedores de la empresa, hasta cinco de cada uno, empezando por el más grande.",
        ), relevant="${has_partners} = 'yes'"),
        *repeat("partners", Text(
            "Buyer or supplier", "Acheteur ou fournisseur", "Comprador ou fornecedor", "Comprador o proveedor",
        ), partner, relevant="${has_partners} = 'yes'"),
        calculate("share_sales_total", "sum(${share_of_sales}[. >= 0])"),
        calculate("share_purchases_total", "sum(${share_of_purchases}[. >= 0])"),
        note("share_sales_check", Text(
            "The buyers' shares of sales add up to ${share_sales_total}%, more than 100%. Go back and check them with the respondent.",
            "Les parts des ventes des acheteurs totalisent ${share_sales_total} %, soit plus de 100 %. Revenez en arrière et vérifiez-les avec la personne.",
            "As percentagens das vendas dos compradores somam ${share_sales_total}%, mais de 100%. Volte atrás e verifique-as com a pessoa.",
            "Los porcentajes de ventas de los compradores suman ${share_sales_total}%, más del 100%. Vuelva atrás y verifíquelos con la persona.",
        ), relevant="${share_sales_total} > 100"),
        note("share_purchases_check", Text(
            "The suppliers' shares of purchases add up to ${share_purchases_total}%, more than 100%. Go back and check them with the respondent.",
            "Les parts des achats des fournisseurs totalisent ${share_purchases_total} %, soit plus de 100 %. Revenez en arrière et vérifiez-les avec la personne.",
            "As percentagens das compras dos fornecedores somam ${share_purchases_total}%, mais de 100%. Volte atrás e verifique-as com a pessoa.",
            "Los porcentajes de compras de los proveedores suman ${share_purchases_total}%, más del 100%. Vuelva atrás y verifíquelos con la persona.",
        ), relevant="${share_purchases_total} > 100"),
    ]


def value_chain_firm() -> XLSForm:
    consented = "${consent} = 'yes'"
    survey = flatten([
        metadata_rows(),
        note("codes_note", NOTE_CODES),
        country_row(),
        firm_sample_rows(),
        firm_consent_rows(),
        group("profile", Text("Enterprise", "Entreprise", "Empresa", "Empresa"), firm_profile_rows(), relevant=consented),
        group("employment", Text("Employment", "Emploi", "Emprego", "Empleo"), firm_employment_rows(), relevant=consented),
        group("skills", Text("Skills and training", "Compétences et formation", "Competências e formação", "Habilidades y capacitación"), firm_skills_rows(), relevant=consented),
        group("finance", Text("Access to finance", "Accès au financement", "Acesso a financiamento", "Acceso a financiamiento"), firm_finance_rows(), relevant=consented),
        group("obstacles", Text("Obstacles", "Obstacles", "Obstáculos", "Obstáculos"), firm_obstacle_rows(), relevant=consented),
        firm_partner_rows(),
        note("end_note", NOTE_END, relevant=consented),
        question("text", "enumerator_comments", LABEL_COMMENTS),
    ])
    return XLSForm(
        form_id="value_chain_firm",
        title=Text(
            "Value chain enterprise survey",
            "Enquête auprès des entreprises de la chaîne de valeur",
            "Inquérito às empresas da cadeia de valor",
            "Encuesta a empresas de la cadena de valor",
        ),
        instance_name="concat(${firm_display_name}, ' ', ${today})",
        survey=survey,
        choices=choices_for(survey, VALUE_CHAIN_CHOICES),
        entities=[
            {
                "list_name": "firms",
                "label": "${partner_name}",
                "create_if": "${partner_register} = 'yes'",
                # pyxform 4.3 and later place the entity from its save_to references.
                # pyxform 4.1 and 4.2 read the placement from this repeat column.
                "repeat": "partners",
            }
        ],
    )


# ---------------------------------------------------------------------------------------
# Tracer survey of programme beneficiaries: baseline and follow-up

# Entity list of tracer respondents. Baseline creates one entity per consenting
# respondent and each follow-up updates it. Property names are part of the panel design.
RESPONDENTS_LIST = "respondents"

PROGRAMME_COMPONENTS: list[Choice] = [
    ("skills_training", Text("Technical or vocational training", "Formation technique ou professionnelle", "Formação técnica ou profissional", "Capacitación técnica o vocacional")),
    ("apprenticeship", Text("Apprenticeship or internship", "Apprentissage ou stage", "Aprendizagem ou estágio", "Aprendizaje o pasantía")),
    ("job_matching", Text("Help to find a job", "Aide à la recherche d'emploi", "Apoio na procura de emprego", "Apoyo para buscar empleo")),
    ("business_training", Text("Business or entrepreneurship training", "Formation à la gestion ou à l'entrepreneuriat", "Formação em gestão ou empreendedorismo", "Capacitación en gestión o emprendimiento")),
    ("grant", Text("Cash or in-kind grant", "Subvention en espèces ou en nature", "Subsídio em dinheiro ou em espécie", "Subsidio en dinero o en especie")),
    ("credit", Text("Loan or credit", "Prêt ou crédit", "Empréstimo ou crédito", "Préstamo o crédito")),
    ("mentoring", Text("Mentoring or coaching", "Mentorat ou accompagnement", "Mentoria ou acompanhamento", "Mentoría o acompañamiento")),
    ("market_linkage", Text("Links to buyers or markets", "Mise en relation avec des acheteurs ou des marchés", "Ligação a compradores ou mercados", "Vínculos con compradores o mercados")),
    OTHER_CHOICE,
    ("none", Text("None yet", "Aucun pour l'instant", "Nenhum ainda", "Ninguno todavía")),
]

TRACER_CHOICES: dict[str, list[Choice]] = {
    "beneficiary_types": [
        ("firm_owner", Text("Owner of a firm", "Propriétaire d'une entreprise", "Proprietário de uma empresa", "Propietario de una empresa")),
        ("farmer", Text("Farmer", "Agriculteur ou agricultrice", "Agricultor", "Agricultor")),
        ("own_account", Text("Own-account worker", "Travailleur ou travailleuse à son compte", "Trabalhador por conta própria", "Trabajador por cuenta propia")),
        ("job_seeker", Text("Job-seeker", "Demandeur ou demandeuse d'emploi", "Candidato a emprego", "Persona que busca empleo")),
        ("trainee", Text("Trainee", "Stagiaire en formation", "Formando", "Aprendiz en capacitación")),
        OTHER_CHOICE,
    ],
    "programme_components": with_codes(PROGRAMME_COMPONENTS),
    "programme_statuses": with_codes([
        ("enrolled", Text("Enrolled, not started yet", "Inscrit(e), pas encore commencé", "Inscrito, ainda não começou", "Inscrito, todavía no empezó")),
        ("ongoing", Text("Taking part now", "Participe en ce moment", "Participa atualmente", "Participa actualmente")),
        ("completed", Text("Completed", "Terminé", "Concluiu", "Terminó")),
        ("dropped_out", Text("Stopped before the end", "Arrêté avant la fin", "Desistiu antes do fim", "Abandonó antes del final")),
    ]),
    "sexes": [
        ("female", Text("Female", "Féminin", "Feminino", "Femenino")),
        ("male", Text("Male", "Masculin", "Masculino", "Masculino")),
    ],
    "phone_owners": with_codes([
        ("own", Text("The respondent's own phone", "Téléphone de la personne elle-même", "Telefone da própria pessoa", "Teléfono de la propia persona")),
        ("household", Text("Phone of a household member", "Téléphone d'un membre du ménage", "Telefone de um membro do agregado familiar", "Teléfono de un miembro del hogar")),
        OTHER_CHOICE,
    ]),
    "relations": with_codes([
        ("parent", Text("Parent", "Parent", "Pai ou mãe", "Padre o madre")),
        ("spouse", Text("Spouse or partner", "Conjoint(e)", "Cônjuge ou companheiro(a)", "Cónyuge o pareja")),
        ("sibling", Text("Brother or sister", "Frère ou sœur", "Irmão ou irmã", "Hermano o hermana")),
        ("other_relative", Text("Other relative", "Autre membre de la famille", "Outro familiar", "Otro familiar")),
        ("friend_neighbour", Text("Friend or neighbour", "Ami(e) ou voisin(e)", "Amigo ou vizinho", "Amigo o vecino")),
        ("community_leader", Text("Community leader", "Responsable communautaire", "Líder comunitário", "Líder comunitario")),
        OTHER_CHOICE,
    ]),
    # Highest level completed, mapped to ISCED 2011 levels per country at analysis.
    "education_levels": with_codes([
        ("none", Text("No schooling", "Aucune scolarité", "Nenhuma escolaridade", "Sin escolaridad")),
        ("primary_incomplete", Text("Some primary school", "Primaire non terminé", "Primário incompleto", "Primaria incompleta")),
        ("primary", Text("Completed primary school", "Primaire terminé", "Primário completo", "Primaria completa")),
        ("lower_secondary", Text("Completed lower secondary", "Premier cycle du secondaire terminé", "Secundário do 1.º ciclo completo", "Secundaria básica completa")),
        ("upper_secondary", Text("Completed upper secondary", "Second cycle du secondaire terminé", "Secundário do 2.º ciclo completo", "Secundaria superior completa")),
        ("tvet", Text("Post-secondary vocational or technical", "Formation professionnelle ou technique post-secondaire", "Ensino técnico-profissional pós-secundário", "Técnica o vocacional post-secundaria")),
        ("tertiary", Text("University or other higher education", "Université ou autre enseignement supérieur", "Universidade ou outro ensino superior", "Universidad u otra educación superior")),
    ]),
    # Response scale of the Washington Group short set.
    "wg_difficulty": with_codes([
        ("no_difficulty", Text("No difficulty", "Aucune difficulté", "Nenhuma dificuldade", "Ninguna dificultad")),
        ("some_difficulty", Text("Some difficulty", "Quelques difficultés", "Alguma dificuldade", "Alguna dificultad")),
        ("a_lot", Text("A lot of difficulty", "Beaucoup de difficultés", "Muita dificuldade", "Mucha dificultad")),
        ("cannot", Text("Cannot do it at all", "Ne peut pas du tout", "Não consegue de todo", "No puede hacerlo en absoluto")),
    ]),
    "contact_modes": [
        ("phone", Text("Phone call", "Appel téléphonique", "Chamada telefónica", "Llamada telefónica")),
        ("visit", Text("Home visit", "Visite à domicile", "Visita domiciliária", "Visita al hogar")),
        ("alt_contact", Text("Through the alternative contact person", "Par la personne à contacter", "Através da pessoa de contacto alternativa", "A través de la persona de contacto alternativa")),
        OTHER_CHOICE,
    ],
    "contact_outcomes": [
        ("interviewed", Text("Interviewed", "Interrogé(e)", "Entrevistado", "Entrevistado")),
        ("not_found", Text("Not found at the address", "Introuvable à l'adresse", "Não encontrado no endereço", "No encontrado en la dirección")),
        ("moved_away", Text("Moved away", "A déménagé", "Mudou-se", "Se mudó")),
        # Not `refused`, which in every other list means refused to answer a question.
        ("refused_interview", Text("Refused the interview", "A refusé l'entretien", "Recusou a entrevista", "Se negó a la entrevista")),
        ("deceased", Text("Deceased", "Décédé(e)", "Falecido", "Fallecido")),
        ("unreachable", Text("Could not be reached (phone off or no answer)", "Injoignable (téléphone éteint ou pas de réponse)", "Não foi possível contactar (telefone desligado ou sem resposta)", "No se pudo contactar (teléfono apagado o sin respuesta)")),
    ],
    "work_changes": with_codes([
        ("same", Text("Same main job or business as then", "Même emploi principal ou même activité qu'alors", "O mesmo trabalho principal ou negócio de então", "El mismo trabajo principal o negocio que entonces")),
        ("changed_job", Text("Changed to a different job or employer", "A changé d'emploi ou d'employeur", "Mudou de trabalho ou de empregador", "Cambió de trabajo o de empleador")),
        ("started_business", Text("Started own business or farm", "A créé sa propre activité ou exploitation", "Começou o seu próprio negócio ou exploração", "Inició su propio negocio o finca")),
        ("found_work", Text("Did not work then, works now", "Ne travaillait pas alors, travaille maintenant", "Não trabalhava então, trabalha agora", "No trabajaba entonces, trabaja ahora")),
        ("lost_work", Text("Worked then, does not work now", "Travaillait alors, ne travaille plus", "Trabalhava então, não trabalha agora", "Trabajaba entonces, no trabaja ahora")),
        ("still_not_working", Text("Did not work then and does not work now", "Ne travaillait pas alors et ne travaille pas maintenant", "Não trabalhava então e não trabalha agora", "No trabajaba entonces y no trabaja ahora")),
    ]),
    "change_scale": with_codes([
        ("increased_lot", Text("Increased a lot", "Beaucoup augmenté", "Aumentou muito", "Aumentó mucho")),
        ("increased_little", Text("Increased a little", "Un peu augmenté", "Aumentou um pouco", "Aumentó un poco")),
        ("same", Text("Stayed about the same", "Resté à peu près pareil", "Ficou mais ou menos igual", "Se mantuvo más o menos igual")),
        ("decreased_little", Text("Decreased a little", "Un peu diminué", "Diminuiu um pouco", "Disminuyó un poco")),
        ("decreased_lot", Text("Decreased a lot", "Beaucoup diminué", "Diminuiu muito", "Disminuyó mucho")),
        ("not_applicable", Text("Not applicable: no work then or now", "Sans objet : pas de travail alors ni maintenant", "Não se aplica: sem trabalho então nem agora", "No corresponde: sin trabajo entonces ni ahora")),
    ]),
    "skills_use": with_codes([
        ("often", Text("Often", "Souvent", "Muitas vezes", "A menudo")),
        ("sometimes", Text("Sometimes", "Parfois", "Às vezes", "A veces")),
        ("never", Text("Never", "Jamais", "Nunca", "Nunca")),
        ("no_training", Text("Received no training from the programme", "N'a reçu aucune formation du programme", "Não recebeu formação do programa", "No recibió capacitación del programa")),
    ]),
    "contribution_scale": with_codes([
        ("a_lot", Text("A lot", "Beaucoup", "Muito", "Mucho")),
        ("somewhat", Text("Somewhat", "Assez", "Bastante", "Bastante")),
        ("a_little", Text("A little", "Un peu", "Pouco", "Poco")),
        ("not_at_all", Text("Not at all", "Pas du tout", "Nada", "Nada")),
    ]),
}

# Washington Group short set domains: (question name, label). The labels paraphrase the
# six domains. A pilot that adopts the Group's own wording replaces the label text only.
WG_DOMAINS: list[tuple[str, Text]] = [
    ("wg_seeing", Text(
        "Is it difficult for you to see, even when you wear glasses?",
        "Avez-vous du mal à voir, même quand vous portez des lunettes ?",
        "Tem dificuldade em ver, mesmo quando usa óculos?",
        "¿Tiene dificultad para ver, aun cuando usa anteojos?",
    )),
    ("wg_hearing", Text(
        "Is it difficult for you to hear, even when you use a hearing aid?",
        "Avez-vous du mal à entendre, même quand vous utilisez un appareil auditif ?",
        "Tem dificuldade em ouvir, mesmo quando usa aparelho auditivo?",
        "¿Tiene dificultad para oír, aun cuando usa un audífono?",
    )),
    ("wg_mobility", Text(
        "Is it difficult for you to walk or to go up steps?",
        "Avez-vous du mal à marcher ou à monter des marches ?",
        "Tem dificuldade em andar ou em subir degraus?",
        "¿Tiene dificultad para caminar o para subir escalones?",
    )),
    ("wg_cognition", Text(
        "Is it difficult for you to remember things or to concentrate?",
        "Avez-vous du mal à vous souvenir des choses ou à vous concentrer ?",
        "Tem dificuldade em lembrar-se das coisas ou em concentrar-se?",
        "¿Tiene dificultad para recordar cosas o para concentrarse?",
    )),
    ("wg_selfcare", Text(
        "Is it difficult for you to take care of yourself, such as washing your whole body or getting dressed?",
        "Avez-vous du mal à prendre soin de vous, par exemple à vous laver entièrement ou à vous habiller ?",
        "Tem dificuldade em cuidar de si, como lavar o corpo todo ou vestir-se?",
        "¿Tiene dificultad para cuidarse, por ejemplo para lavarse todo el cuerpo o vestirse?",
    )),
    ("wg_communication", Text(
        "In the language you usually speak, is it difficult for you to communicate, that is to understand others or to be understood by them?",
        "Dans la langue que vous parlez habituellement, avez-vous du mal à communiquer, c'est-à-dire à comprendre les autres ou à être compris(e) ?",
        "Na língua que fala habitualmente, tem dificuldade em comunicar, ou seja, em compreender os outros ou em ser compreendido?",
        "En el idioma que habla habitualmente, ¿tiene dificultad para comunicarse, es decir, para entender a otros o para que lo entiendan?",
    )),
]

PROG_STATUS_LABEL = Text(
    "What is your participation in the programme now?",
    "Où en est votre participation au programme aujourd'hui ?",
    "Qual é a sua participação no programa atualmente?",
    "¿Cómo es su participación en el programa actualmente?",
)


def baseline_consent_rows() -> list[Row]:
    return [
        note("consent_intro", Text(
            "Read to the respondent: We are interviewing people who take part in a jobs programme, now and again over the next years, to learn how their work changes. The interview takes about 30 minutes. Taking part is voluntary and does not affect your place in the programme. You may skip any question or stop at any time. Your answers are confidential: we keep your name, phone numbers and address only to contact you again, and we publish results only as totals.",
            "Lisez à la personne : Nous interrogeons les participants d'un programme pour l'emploi, maintenant puis à nouveau au cours des prochaines années, pour savoir comment leur travail évolue. L'entretien dure environ 30 minutes. La participation est volontaire et n'a aucun effet sur votre place dans le programme. Vous pouvez ne pas répondre à une question ou arrêter à tout moment. Vos réponses sont confidentielles : nous gardons votre nom, vos numéros de téléphone et votre adresse uniquement pour vous recontacter, et nous publions seulement des totaux.",
            "Leia à pessoa: Estamos a entrevistar participantes de um programa de emprego, agora e novamente nos próximos anos, para saber como o seu trabalho muda. A entrevista dura cerca de 30 minutos. A participação é voluntária e não afeta o seu lugar no programa. Pode não responder a qualquer pergunta ou parar a qualquer momento. As suas respostas são confidenciais: guardamos o seu nome, números de telefone e endereço apenas para voltar a contactá-lo, e publicamos apenas totais.",
            "Lea a la persona: Estamos entrevistando a participantes de un programa de empleo, ahora y de nuevo en los próximos años, para saber cómo cambia su trabajo. La entrevista dura unos 30 minutos. La participación es voluntaria y no afecta su lugar en el programa. Puede no responder a cualquier pregunta o detenerse en cualquier momento. Sus respuestas son confidenciales: guardamos su nombre, números de teléfono y dirección solo para volver a contactarlo, y publicamos solo totales.",
        )),
        select_one("yes_no", "consent", Text(
            "Does the respondent agree to be interviewed and to be contacted again?",
            "La personne accepte-t-elle d'être interrogée et recontactée ?",
            "A pessoa aceita ser entrevistada e voltar a ser contactada?",
            "¿La persona acepta ser entrevistada y volver a ser contactada?",
        )),
        note("consent_refused", NOTE_CONSENT_REFUSED, relevant="${consent} = 'no'"),
    ]


def baseline_programme_rows() -> list[Row]:
    return [
        select_one("beneficiary_types", "beneficiary_type", Text(
            "How does the respondent take part in the programme?",
            "À quel titre la personne participe-t-elle au programme ?",
            "De que forma a pessoa participa no programa?",
            "¿De qué forma participa la persona en el programa?",
        )),
        question("text", "programme_id", Text(
            "Programme registration number, if any",
            "Numéro d'inscription au programme, s'il existe",
            "Número de inscrição no programa, se existir",
            "Número de inscripción en el programa, si existe",
        )),
        select_multiple("programme_components", "prog_components", Text(
            "Which kinds of programme support have you received or are you enrolled for?",
            "Quels types de soutien du programme avez-vous reçus ou pour lesquels êtes-vous inscrit(e) ?",
            "Que tipos de apoio do programa recebeu ou para quais está inscrito?",
            "¿Qué tipos de apoyo del programa recibió o en cuáles está inscrito?",
        ), exclusive=("none", "dk", "refused")),
        select_one("programme_statuses", "prog_status", PROG_STATUS_LABEL),
        # Asked only of those who have started. Like the date of birth, a date that the
        # respondent does not know is a code in prog_start_known, never a blank date.
        select_one("yes_no_dk_ref", "prog_start_known", Text(
            "Do you know when you started taking part in the programme?",
            "Savez-vous quand vous avez commencé à participer au programme ?",
            "Sabe quando começou a participar no programa?",
            "¿Sabe cuándo empezó a participar en el programa?",
        ), relevant="${prog_status} != 'enrolled'"),
        date("prog_start_date", Text(
            "When did you start taking part in the programme?",
            "Quand avez-vous commencé à participer au programme ?",
            "Quando começou a participar no programa?",
            "¿Cuándo empezó a participar en el programa?",
        ), "2015-01-01", hint=Text(
            "If the respondent remembers only the month, enter the 15th of that month.",
            "Si la personne ne se souvient que du mois, saisissez le 15 de ce mois.",
            "Se a pessoa só se lembra do mês, introduza o dia 15 desse mês.",
            "Si la persona solo recuerda el mes, ingrese el día 15 de ese mes.",
        ), relevant="${prog_start_known} = 'yes'"),
    ]


def baseline_identity_rows() -> list[Row]:
    age_days = "(decimal-date-time(today()) - decimal-date-time(.))"
    return [
        question("text", "full_name", Text(
            "Full name of the respondent",
            "Nom complet de la personne",
            "Nome completo da pessoa",
            "Nombre completo de la persona",
        ), hint=Text(
            "As written on an identity document, if the respondent has one.",
            "Tel qu'écrit sur une pièce d'identité, si la personne en a une.",
            "Tal como está escrito num documento de identificação, se a pessoa tiver.",
            "Tal como figura en un documento de identidad, si la persona lo tiene.",
        ), required=True, save_to="full_name"),
        question("text", "other_name", Text(
            "Other name or nickname the respondent is known by",
            "Autre nom ou surnom sous lequel la personne est connue",
            "Outro nome ou alcunha pelo qual a pessoa é conhecida",
            "Otro nombre o apodo por el que se conoce a la persona",
        )),
        select_one("sexes", "sex", Text("Sex", "Sexe", "Sexo", "Sexo")),
        select_one("yes_no_dk_ref", "dob_known", Text(
            "Do you know your date of birth?",
            "Connaissez-vous votre date de naissance ?",
            "Sabe a sua data de nascimento?",
            "¿Sabe su fecha de nacimiento?",
        )),
        date("dob", Text(
            "What is your date of birth?",
            "Quelle est votre date de naissance ?",
            "Qual é a sua data de nascimento?",
            "¿Cuál es su fecha de nacimiento?",
        ),
            constraint=f"{age_days} >= 15 * 365.25 and {age_days} < 101 * 365.25",
            constraint_message=Text(
                "Enter a date of birth that makes the respondent 15 to 100 years old.",
                "Saisissez une date de naissance qui donne à la personne entre 15 et 100 ans.",
                "Introduza uma data de nascimento que dê à pessoa entre 15 e 100 anos.",
                "Ingrese una fecha de nacimiento que dé a la persona entre 15 y 100 años.",
            ),
            relevant="${dob_known} = 'yes'",
        ),
        number("age_reported", Text(
            "How old are you, in completed years?",
            "Quel âge avez-vous, en années révolues ?",
            "Que idade tem, em anos completos?",
            "¿Qué edad tiene, en años cumplidos?",
        ), 15, 100, relevant="${dob_known} != 'yes'"),
        calculate(
            "age",
            "if(${dob} != '', int((decimal-date-time(${today}) - decimal-date-time(${dob})) div 365.25), "
            "if(${age_reported} >= 0, ${age_reported}, ''))",
        ),
        calculate(
            "youth",
            f"if(${{age}} != '', if(${{age}} >= {YOUTH_MIN_AGE} and ${{age}} <= {YOUTH_MAX_AGE}, 1, 0), '')",
        ),
    ]


def baseline_contact_rows() -> list[Row]:
    has_alternative = "${alt_contact_name} != ''"
    return [
        note("contact_intro", Text(
            "We would like to contact you again in the coming months and years. Please give us the best ways to reach you.",
            "Nous aimerions vous recontacter dans les prochains mois et années. Indiquez-nous les meilleurs moyens de vous joindre.",
            "Gostaríamos de voltar a contactá-lo nos próximos meses e anos. Indique-nos as melhores formas de o contactar.",
            "Nos gustaría volver a contactarlo en los próximos meses y años. Indíquenos las mejores formas de comunicarnos con usted.",
        )),
        phone("phone_1", Text(
            "Main phone number",
            "Numéro de téléphone principal",
            "Número de telefone principal",
            "Número de teléfono principal",
        ), required=True, save_to="phone_1"),
        select_one("phone_owners", "phone_1_owner", Text(
            "Whose phone is this?",
            "À qui appartient ce téléphone ?",
            "De quem é este telefone?",
            "¿De quién es este teléfono?",
        )),
        phone("phone_2", Text(
            "Another phone number, if any",
            "Autre numéro de téléphone, s'il y en a un",
            "Outro número de telefone, se houver",
            "Otro número de teléfono, si lo hay",
        ), save_to="phone_2"),
        question("text", "alt_contact_name", Text(
            "Name of a person who will know how to reach you if we cannot, such as a relative or neighbour",
            "Nom d'une personne qui saura comment vous joindre si nous n'y arrivons pas, par exemple un parent ou un voisin",
            "Nome de uma pessoa que saberá como o contactar se não conseguirmos, como um familiar ou vizinho",
            "Nombre de una persona que sabrá cómo contactarlo si nosotros no podemos, como un familiar o vecino",
        ), hint=Text(
            "Leave blank if the respondent prefers not to name anyone.",
            "Laissez vide si la personne préfère ne nommer personne.",
            "Deixe em branco se a pessoa preferir não indicar ninguém.",
            "Déjelo en blanco si la persona prefiere no nombrar a nadie.",
        ), save_to="alt_contact_name"),
        select_one("relations", "alt_contact_relation", Text(
            "How is this person related to you?",
            "Quel est le lien de cette personne avec vous ?",
            "Qual é a relação desta pessoa consigo?",
            "¿Qué relación tiene esta persona con usted?",
        ), relevant=has_alternative),
        phone("alt_contact_phone", Text(
            "Phone number of this person",
            "Numéro de téléphone de cette personne",
            "Número de telefone desta pessoa",
            "Número de teléfono de esta persona",
        ), relevant=has_alternative, save_to="alt_contact_phone"),
        question("text", "region", Text("Region or province", "Région ou province", "Província ou região", "Región o departamento"), required=True, save_to="region"),
        question("text", "district", Text("District", "District", "Distrito", "Distrito"), required=True, save_to="district"),
        question("text", "village", Text(
            "Village or neighbourhood where the respondent lives",
            "Village ou quartier où vit la personne",
            "Aldeia ou bairro onde a pessoa vive",
            "Localidad o barrio donde vive la persona",
        ), required=True, save_to="village"),
        question("text", "directions", Text(
            "Directions to the home, with landmarks",
            "Indications pour trouver le domicile, avec des points de repère",
            "Indicações para chegar a casa, com pontos de referência",
            "Indicaciones para llegar a la vivienda, con puntos de referencia",
        ), save_to="directions"),
        # ODK Collect places entities on a map from the property named geometry.
        question("geopoint", "home_gps", Text(
            "Record the location of the home",
            "Enregistrez la position du domicile",
            "Registe a localização da casa",
            "Registre la ubicación de la vivienda",
        ), hint=Text(
            "Only if the interview takes place at the home.",
            "Seulement si l'entretien a lieu au domicile.",
            "Só se a entrevista decorrer em casa.",
            "Solo si la entrevista se realiza en la vivienda.",
        ), save_to="geometry"),
    ]


def baseline_background_rows() -> list[Row]:
    rows: list[Row] = [
        select_one("education_levels", "education_level", Text(
            "What is the highest level of education you have completed?",
            "Quel est le plus haut niveau d'études que vous avez terminé ?",
            "Qual é o nível de ensino mais alto que concluiu?",
            "¿Cuál es el nivel educativo más alto que completó?",
        )),
        number("household_size", Text(
            "How many people live in your household, including you?",
            "Combien de personnes vivent dans votre ménage, vous compris ?",
            "Quantas pessoas vivem no seu agregado familiar, incluindo você?",
            "¿Cuántas personas viven en su hogar, incluido usted?",
        ), 1, 50, hint=Text(
            "People who usually sleep in the home and share meals.",
            "Les personnes qui dorment habituellement au domicile et partagent les repas.",
            "Pessoas que normalmente dormem em casa e partilham as refeições.",
            "Personas que habitualmente duermen en la vivienda y comparten las comidas.",
        )),
        note("wg_intro", Text(
            "The next questions ask about difficulties you may have doing some activities because of a health problem.",
            "Les questions suivantes portent sur les difficultés que vous pourriez avoir à faire certaines activités à cause d'un problème de santé.",
            "As perguntas seguintes são sobre dificuldades que possa ter em fazer algumas atividades devido a um problema de saúde.",
            "Las siguientes preguntas son sobre dificultades que pueda tener para realizar algunas actividades debido a un problema de salud.",
        )),
    ]
    rows.extend(select_one("wg_difficulty", name, label) for name, label in WG_DOMAINS)
    severe = " or ".join(
        f"${{{name}}} = 'a_lot' or ${{{name}}} = 'cannot'" for name, _ in WG_DOMAINS
    )
    answered = " and ".join(
        f"(${{{name}}} = 'no_difficulty' or ${{{name}}} = 'some_difficulty')" for name, _ in WG_DOMAINS
    )
    # Washington Group disability identifier: a lot of difficulty or cannot do in at least
    # one domain. Blank when no domain is severe and some domain is don't know or refused.
    rows.append(calculate("disability", f"if({severe}, 1, if({answered}, 0, ''))"))
    return rows


def tracer_baseline() -> XLSForm:
    consented = "${consent} = 'yes'"
    survey = flatten([
        metadata_rows(),
        note("codes_note", NOTE_CODES),
        country_row(save_to="country"),
        question("text", "enumerator_id", Text(
            "Enumerator code",
            "Code de l'enquêteur",
            "Código do inquiridor",
            "Código del encuestador",
        ), hint=Text(
            "Filled in from the username of this device. Change it only if another enumerator will follow up this respondent.",
            "Rempli à partir du nom d'utilisateur de cet appareil. Ne le changez que si un autre enquêteur suivra cette personne.",
            "Preenchido a partir do nome de utilizador deste aparelho. Só o altere se outro inquiridor for acompanhar esta pessoa.",
            "Se completa con el nombre de usuario de este dispositivo. Cámbielo solo si otro encuestador hará el seguimiento de esta persona.",
        ), required=True, default="${username}", save_to="enumerator"),
        baseline_consent_rows(),
        group("programme", Text("Programme", "Programme", "Programa", "Programa"), baseline_programme_rows(), relevant=consented),
        group("identity", Text("Respondent", "Personne interrogée", "Pessoa entrevistada", "Persona entrevistada"), baseline_identity_rows(), relevant=consented),
        group("contact", Text("Contact details", "Coordonnées", "Contactos", "Datos de contacto"), baseline_contact_rows(), relevant=consented),
        group("background", Text("Education, health and household", "Études, santé et ménage", "Educação, saúde e agregado familiar", "Educación, salud y hogar"), baseline_background_rows(), relevant=consented),
        labour_market_rows(relevant=consented),
        # Id of the new respondents entity, which follow-up submissions store in their
        # `respondent` question. The path is relative so that any root name works.
        calculate("respondent", "../meta/entity/@id"),
        # Panel properties of the new respondents entity.
        calculate("baseline_date", "${today}", save_to="baseline_date"),
        calculate("latest_wave", "0", save_to="latest_wave"),
        calculate("last_outcome", "'interviewed'", save_to="last_outcome"),
        note("end_note", NOTE_END, relevant=consented),
        question("text", "enumerator_comments", LABEL_COMMENTS),
    ])
    return XLSForm(
        form_id="tracer_baseline",
        title=Text(
            "Tracer survey: baseline",
            "Enquête de suivi : situation de départ",
            "Inquérito de seguimento: linha de base",
            "Encuesta de seguimiento: línea de base",
        ),
        instance_name="concat(${full_name}, ' ', ${today})",
        survey=survey,
        choices=choices_for(survey, LABOUR_CHOICES, TRACER_CHOICES),
        entities=[
            {
                "list_name": RESPONDENTS_LIST,
                "label": "${full_name}",
                "create_if": "${consent} = 'yes'",
            }
        ],
    )


def respondent_property(name: str) -> str:
    """Return the expression that reads a property of the selected respondent entity."""
    return f"instance('{RESPONDENTS_LIST}')/root/item[name=${{respondent}}]/{name}"


def followup_selection_rows() -> list[Row]:
    """Return the respondent pick list and the preloaded entity properties."""
    preloads = [
        ("pre_name", "label"),
        ("pre_phone_1", "phone_1"),
        ("pre_phone_2", "phone_2"),
        ("pre_alt_name", "alt_contact_name"),
        ("pre_alt_phone", "alt_contact_phone"),
        ("pre_village", "village"),
        ("pre_district", "district"),
        ("pre_region", "region"),
        ("pre_directions", "directions"),
        ("pre_geometry", "geometry"),
        ("pre_baseline_date", "baseline_date"),
        ("pre_wave", "latest_wave"),
        # Same name as the baseline question so that earnings line up with the country.
        ("country", "country"),
    ]
    return [
        note("username_missing", Text(
            "This device has no username, so no respondents can be listed. Set the username in the settings of the app to your enumerator code, then open this form again.",
            "Cet appareil n'a pas de nom d'utilisateur, donc aucune personne ne peut être listée. Indiquez votre code d'enquêteur comme nom d'utilisateur dans les paramètres de l'application, puis rouvrez ce formulaire.",
            "Este aparelho não tem nome de utilizador, por isso nenhuma pessoa pode ser listada. Defina o seu código de inquiridor como nome de utilizador nas definições da aplicação e volte a abrir este formulário.",
            "Este dispositivo no tiene nombre de usuario, por lo que no se puede listar a ninguna persona. Ponga su código de encuestador como nombre de usuario en la configuración de la aplicación y vuelva a abrir este formulario.",
        ), relevant="${username} = ''"),
        # Only this enumerator's respondents; deceased respondents leave the list.
        question("select_one_from_file respondents.csv", "respondent", Text(
            "Pick the respondent to contact",
            "Choisissez la personne à contacter",
            "Escolha a pessoa a contactar",
            "Elija a la persona a contactar",
        ), hint=Text(
            "Type part of the name to search. Only the respondents assigned to you are listed.",
            "Tapez une partie du nom pour chercher. Seules les personnes qui vous sont attribuées sont listées.",
            "Escreva parte do nome para procurar. Só aparecem as pessoas atribuídas a si.",
            "Escriba parte del nombre para buscar. Solo aparecen las personas asignadas a usted.",
        ), required=True, appearance="autocomplete",
            choice_filter="enumerator = ${username} and last_outcome != 'deceased'"),
        *[calculate(name, respondent_property(prop)) for name, prop in preloads],
        note("respondent_card", Text(
            "Respondent: ${pre_name}. Phones: ${pre_phone_1} ${pre_phone_2}. Lives in: ${pre_village}, ${pre_district}, ${pre_region}. Directions: ${pre_directions}. Alternative contact: ${pre_alt_name} ${pre_alt_phone}. Baseline interview: ${pre_baseline_date}. Last wave recorded: ${pre_wave}.",
            "Personne : ${pre_name}. Téléphones : ${pre_phone_1} ${pre_phone_2}. Habite à : ${pre_village}, ${pre_district}, ${pre_region}. Indications : ${pre_directions}. Personne à contacter : ${pre_alt_name} ${pre_alt_phone}. Entretien de départ : ${pre_baseline_date}. Dernière vague enregistrée : ${pre_wave}.",
            "Pessoa: ${pre_name}. Telefones: ${pre_phone_1} ${pre_phone_2}. Vive em: ${pre_village}, ${pre_district}, ${pre_region}. Indicações: ${pre_directions}. Contacto alternativo: ${pre_alt_name} ${pre_alt_phone}. Entrevista de base: ${pre_baseline_date}. Última vaga registada: ${pre_wave}.",
            "Persona: ${pre_name}. Teléfonos: ${pre_phone_1} ${pre_phone_2}. Vive en: ${pre_village}, ${pre_district}, ${pre_region}. Indicaciones: ${pre_directions}. Contacto alternativo: ${pre_alt_name} ${pre_alt_phone}. Entrevista de base: ${pre_baseline_date}. Última ronda registrada: ${pre_wave}.",
        )),
        number("wave", Text(
            "Follow-up wave number",
            "Numéro de la vague de suivi",
            "Número da vaga de seguimento",
            "Número de la ronda de seguimiento",
        ), 1, 20, codes=False, hint=Text(
            "Use the wave number your supervisor gave for this round of visits.",
            "Utilisez le numéro de vague donné par votre superviseur pour cette série de visites.",
            "Use o número da vaga indicado pelo seu supervisor para esta ronda de visitas.",
            "Use el número de ronda que le dio su supervisor para esta serie de visitas.",
        ), constraint=". >= 1 and . <= 20 and (${pre_wave} = '' or . >= ${pre_wave})",
            constraint_message=Text(
                "Enter a wave from 1 to 20 that is not lower than the last wave recorded (${pre_wave}).",
                "Saisissez une vague de 1 à 20, au moins égale à la dernière vague enregistrée (${pre_wave}).",
                "Introduza uma vaga de 1 a 20, não inferior à última vaga registada (${pre_wave}).",
                "Ingrese una ronda de 1 a 20, no menor que la última ronda registrada (${pre_wave}).",
            )),
    ]


def followup_attempt_rows() -> list[Row]:
    """Return the repeat of contact attempts, whose last entry gives the outcome.

    Attempts are entered in date order and none follows an interview or a death, so
    that the last entry is the latest attempt and the final outcome.
    """
    previous = "indexed-repeat({field}, ${{attempts}}, ${{attempt_number}} - 1)"
    attempt = [
        calculate("attempt_number", "position(..)"),
        calculate(
            "previous_attempt_date",
            f"if(${{attempt_number}} > 1, {previous.format(field='${attempt_date}')}, '')",
        ),
        calculate(
            "previous_attempt_outcome",
            f"if(${{attempt_number}} > 1, {previous.format(field='${attempt_outcome}')}, '')",
        ),
        date("attempt_date", Text(
            "Date of this attempt",
            "Date de cette tentative",
            "Data desta tentativa",
            "Fecha de este intento",
        ),
            constraint=(
                ". <= today() and (${pre_baseline_date} = '' or . >= date(${pre_baseline_date}))"
                " and (${previous_attempt_date} = '' or . >= date(${previous_attempt_date}))"
            ),
            constraint_message=Text(
                "Enter a date from the baseline interview (${pre_baseline_date}) to today, and not before the previous attempt (${previous_attempt_date}).",
                "Saisissez une date comprise entre l'entretien de départ (${pre_baseline_date}) et aujourd'hui, et pas avant la tentative précédente (${previous_attempt_date}).",
                "Introduza uma data entre a entrevista de base (${pre_baseline_date}) e hoje, e não antes da tentativa anterior (${previous_attempt_date}).",
                "Ingrese una fecha entre la entrevista de base (${pre_baseline_date}) y hoy, y no antes del intento anterior (${previous_attempt_date}).",
            ),
            default="${today}",
        ),
        select_one("contact_modes", "attempt_mode", Text(
            "How did you try to reach the respondent?",
            "Comment avez-vous essayé de joindre la personne ?",
            "Como tentou contactar a pessoa?",
            "¿Cómo intentó contactar a la persona?",
        )),
        select_one("contact_outcomes", "attempt_outcome", Text(
            "Outcome of this attempt",
            "Résultat de cette tentative",
            "Resultado desta tentativa",
            "Resultado de este intento",
        ), hint=Text(
            "Add another attempt only if this one did not end the follow-up. The last attempt is the outcome of the follow-up.",
            "N'ajoutez une tentative que si celle-ci n'a pas clos le suivi. La dernière tentative donne le résultat du suivi.",
            "Só acrescente outra tentativa se esta não tiver terminado o seguimento. A última tentativa é o resultado do seguimento.",
            "Agregue otro intento solo si este no terminó el seguimiento. El último intento es el resultado del seguimiento.",
        ), constraint="${previous_attempt_outcome} != 'interviewed' and ${previous_attempt_outcome} != 'deceased'",
            constraint_message=Text(
                "The previous attempt already ended the follow-up (interviewed or deceased). Delete this attempt.",
                "La tentative précédente a déjà clos le suivi (interrogé(e) ou décédé(e)). Supprimez cette tentative.",
                "A tentativa anterior já terminou o seguimento (entrevistado ou falecido). Apague esta tentativa.",
                "El intento anterior ya terminó el seguimiento (entrevistado o fallecido). Elimine este intento.",
            )),
        question("text", "attempt_notes", Text(
            "Notes on this attempt",
            "Remarques sur cette tentative",
            "Notas sobre esta tentativa",
            "Notas sobre este intento",
        )),
    ]
    return [
        *repeat("attempts", Text(
            "Contact attempt", "Tentative de contact", "Tentativa de contacto", "Intento de contacto",
        ), attempt),
        calculate("n_attempts", "count(${attempts})"),
        calculate("final_outcome", "indexed-repeat(${attempt_outcome}, ${attempts}, ${n_attempts})"),
        calculate("last_contact_date", "indexed-repeat(${attempt_date}, ${attempts}, ${n_attempts})"),
    ]


def followup_moved_rows() -> list[Row]:
    return [
        question("text", "moved_to", Text(
            "Where did the respondent move to? Give the town or village and the district, or the country.",
            "Où la personne a-t-elle déménagé ? Indiquez la ville ou le village et le district, ou le pays.",
            "Para onde se mudou a pessoa? Indique a cidade ou aldeia e o distrito, ou o país.",
            "¿A dónde se mudó la persona? Indique la ciudad o localidad y el distrito, o el país.",
        ), required=True),
        phone("moved_phone", Text(
            "New phone number of the respondent, if known",
            "Nouveau numéro de téléphone de la personne, s'il est connu",
            "Novo número de telefone da pessoa, se for conhecido",
            "Nuevo número de teléfono de la persona, si se conoce",
        )),
    ]


def followup_consent_rows() -> list[Row]:
    return [
        select_one("yes_no", "identity_confirmed", Text(
            "Confirm that you are speaking with ${pre_name}, whose main phone number on record is ${pre_phone_1}.",
            "Confirmez que vous parlez avec ${pre_name}, dont le numéro de téléphone principal enregistré est le ${pre_phone_1}.",
            "Confirme que está a falar com ${pre_name}, cujo número de telefone principal registado é ${pre_phone_1}.",
            "Confirme que está hablando con ${pre_name}, cuyo número de teléfono principal registrado es ${pre_phone_1}.",
        ), hint=Text(
            "Ask the respondent to say their full name and their phone number, then compare both with the record. A changed number is updated later in the form.",
            "Demandez à la personne de dire son nom complet et son numéro de téléphone, puis comparez-les avec ceux enregistrés. Un numéro qui a changé est mis à jour plus loin dans le formulaire.",
            "Peça à pessoa que diga o nome completo e o número de telefone, e compare-os com os registados. Um número que mudou é atualizado mais adiante no formulário.",
            "Pida a la persona que diga su nombre completo y su número de teléfono, y compárelos con los registrados. Un número que cambió se actualiza más adelante en el formulario.",
        ), constraint=". = 'yes'", constraint_message=Text(
            "Do not interview anyone else. Go back and pick the right respondent, or record the attempt as not found.",
            "N'interrogez personne d'autre. Revenez en arrière et choisissez la bonne personne, ou enregistrez la tentative comme introuvable.",
            "Não entreviste outra pessoa. Volte atrás e escolha a pessoa certa, ou registe a tentativa como não encontrado.",
            "No entreviste a otra persona. Vuelva atrás y elija a la persona correcta, o registre el intento como no encontrado.",
        )),
        note("consent_intro", Text(
            "Read to the respondent: We interviewed you on ${pre_baseline_date} for the study of a jobs programme, and we would like to ask you again about your work. The interview takes about 20 minutes. Taking part is voluntary, you may skip any question or stop at any time, and your answers are confidential.",
            "Lisez à la personne : Nous vous avons interrogé(e) le ${pre_baseline_date} pour l'étude d'un programme pour l'emploi, et nous aimerions vous interroger à nouveau sur votre travail. L'entretien dure environ 20 minutes. La participation est volontaire, vous pouvez ne pas répondre à une question ou arrêter à tout moment, et vos réponses sont confidentielles.",
            "Leia à pessoa: Entrevistámo-lo em ${pre_baseline_date} para o estudo de um programa de emprego, e gostaríamos de voltar a perguntar sobre o seu trabalho. A entrevista dura cerca de 20 minutos. A participação é voluntária, pode não responder a qualquer pergunta ou parar a qualquer momento, e as suas respostas são confidenciais.",
            "Lea a la persona: Lo entrevistamos el ${pre_baseline_date} para el estudio de un programa de empleo, y nos gustaría volver a preguntarle sobre su trabajo. La entrevista dura unos 20 minutos. La participación es voluntaria, puede no responder a cualquier pregunta o detenerse en cualquier momento, y sus respuestas son confidenciales.",
        )),
        select_one("yes_no", "consent", Text(
            "Does the respondent agree to be interviewed?",
            "La personne accepte-t-elle de répondre ?",
            "A pessoa aceita ser entrevistada?",
            "¿La persona acepta ser entrevistada?",
        ), constraint=". = 'yes'", constraint_message=Text(
            "If the respondent does not agree, go back and record the outcome of the last attempt as “Refused the interview”.",
            "Si la personne n'est pas d'accord, revenez en arrière et enregistrez le résultat de la dernière tentative comme « a refusé l'entretien ».",
            "Se a pessoa não concordar, volte atrás e registe o resultado da última tentativa como «recusou a entrevista».",
            "Si la persona no acepta, vuelva atrás y registre el resultado del último intento como «se negó a la entrevista».",
        )),
    ]


def followup_contact_update_rows() -> list[Row]:
    return [
        select_one("yes_no", "phone_1_current", Text(
            "Is ${pre_phone_1} still your main phone number?",
            "Le ${pre_phone_1} est-il toujours votre numéro principal ?",
            "O ${pre_phone_1} continua a ser o seu número principal?",
            "¿El ${pre_phone_1} sigue siendo su número principal?",
        ), relevant="${pre_phone_1} != ''"),
        phone("phone_1_new", Text(
            "New main phone number",
            "Nouveau numéro de téléphone principal",
            "Novo número de telefone principal",
            "Nuevo número de teléfono principal",
        ), required=True, relevant="${phone_1_current} = 'no' or ${pre_phone_1} = ''"),
        phone("phone_2_new", Text(
            "Another phone number, if it has changed",
            "Autre numéro de téléphone, s'il a changé",
            "Outro número de telefone, se mudou",
            "Otro número de teléfono, si cambió",
        ), hint=Text(
            "The number recorded is: ${pre_phone_2}. Leave blank to keep it.",
            "Le numéro enregistré est : ${pre_phone_2}. Laissez vide pour le garder.",
            "O número registado é: ${pre_phone_2}. Deixe em branco para o manter.",
            "El número registrado es: ${pre_phone_2}. Déjelo en blanco para conservarlo.",
        )),
        select_one("yes_no", "village_current", Text(
            "Do you still live in ${pre_village}, ${pre_district}, ${pre_region}?",
            "Habitez-vous toujours à ${pre_village}, ${pre_district}, ${pre_region} ?",
            "Continua a viver em ${pre_village}, ${pre_district}, ${pre_region}?",
            "¿Sigue viviendo en ${pre_village}, ${pre_district}, ${pre_region}?",
        )),
        question("text", "region_new", Text(
            "Region or province where you live now",
            "Région ou province où vous habitez maintenant",
            "Província ou região onde vive agora",
            "Región o departamento donde vive ahora",
        ), required=True, relevant="${village_current} = 'no'"),
        question("text", "district_new", Text(
            "District where you live now",
            "District où vous habitez maintenant",
            "Distrito onde vive agora",
            "Distrito donde vive ahora",
        ), required=True, relevant="${village_current} = 'no'"),
        question("text", "village_new", Text(
            "Village or neighbourhood where you live now",
            "Village ou quartier où vous habitez maintenant",
            "Aldeia ou bairro onde vive agora",
            "Localidad o barrio donde vive ahora",
        ), required=True, relevant="${village_current} = 'no'"),
        question("text", "directions_new", Text(
            "Directions to the new home, with landmarks",
            "Indications pour trouver le nouveau domicile, avec des points de repère",
            "Indicações para chegar à nova casa, com pontos de referência",
            "Indicaciones para llegar a la nueva vivienda, con puntos de referencia",
        ), relevant="${village_current} = 'no'"),
        question("geopoint", "home_gps", Text(
            "Record the location of the new home",
            "Enregistrez la position du nouveau domicile",
            "Registe a localização da nova casa",
            "Registre la ubicación de la nueva vivienda",
        ), hint=Text(
            "Only if the interview takes place at the home.",
            "Seulement si l'entretien a lieu au domicile.",
            "Só se a entrevista decorrer em casa.",
            "Solo si la entrevista se realiza en la vivienda.",
        ), relevant="${village_current} = 'no'"),
        select_one("yes_no", "alt_contact_current", Text(
            "Is ${pre_alt_name} (${pre_alt_phone}) still a good person to contact if we cannot reach you?",
            "${pre_alt_name} (${pre_alt_phone}) est-elle toujours une bonne personne à contacter si nous ne pouvons pas vous joindre ?",
            "${pre_alt_name} (${pre_alt_phone}) continua a ser uma boa pessoa para contactar se não o conseguirmos contactar?",
            "¿${pre_alt_name} (${pre_alt_phone}) sigue siendo una buena persona para contactar si no podemos comunicarnos con usted?",
        ), relevant="${pre_alt_name} != ''"),
        question("text", "alt_contact_name_new", Text(
            "Name of another person who will know how to reach you",
            "Nom d'une autre personne qui saura comment vous joindre",
            "Nome de outra pessoa que saberá como o contactar",
            "Nombre de otra persona que sabrá cómo contactarlo",
        ), hint=Text(
            "Leave blank if the respondent prefers not to name anyone.",
            "Laissez vide si la personne préfère ne nommer personne.",
            "Deixe em branco se a pessoa preferir não indicar ninguém.",
            "Déjelo en blanco si la persona prefiere no nombrar a nadie.",
        ), relevant="${alt_contact_current} = 'no' or ${pre_alt_name} = ''"),
        phone("alt_contact_phone_new", Text(
            "Phone number of this person",
            "Numéro de téléphone de cette personne",
            "Número de telefone desta pessoa",
            "Número de teléfono de esta persona",
        ), relevant="${alt_contact_name_new} != ''"),
    ]


def followup_change_rows() -> list[Row]:
    return [
        select_one("work_changes", "chg_work", Text(
            "Compared with our first interview on ${pre_baseline_date}, which best describes your work now?",
            "Par rapport à notre premier entretien du ${pre_baseline_date}, qu'est-ce qui décrit le mieux votre travail aujourd'hui ?",
            "Em comparação com a nossa primeira entrevista em ${pre_baseline_date}, o que descreve melhor o seu trabalho agora?",
            "En comparación con nuestra primera entrevista del ${pre_baseline_date}, ¿qué describe mejor su trabajo ahora?",
        )),
        select_one("change_scale", "chg_earnings", Text(
            "Since then, have your earnings from work increased, stayed the same or decreased?",
            "Depuis, vos revenus du travail ont-ils augmenté, sont-ils restés les mêmes ou ont-ils diminué ?",
            "Desde então, os seus rendimentos do trabalho aumentaram, ficaram iguais ou diminuíram?",
            "Desde entonces, ¿sus ingresos del trabajo aumentaron, se mantuvieron o disminuyeron?",
        )),
        select_one("change_scale", "chg_hours", Text(
            "Since then, have the hours you work increased, stayed the same or decreased?",
            "Depuis, vos heures de travail ont-elles augmenté, sont-elles restées les mêmes ou ont-elles diminué ?",
            "Desde então, as suas horas de trabalho aumentaram, ficaram iguais ou diminuíram?",
            "Desde entonces, ¿sus horas de trabajo aumentaron, se mantuvieron o disminuyeron?",
        )),
        select_one("programme_statuses", "prog_status", PROG_STATUS_LABEL),
        select_multiple("programme_components", "prog_components_since", Text(
            "Since the last interview, which kinds of programme support have you received?",
            "Depuis le dernier entretien, quels types de soutien du programme avez-vous reçus ?",
            "Desde a última entrevista, que tipos de apoio do programa recebeu?",
            "Desde la última entrevista, ¿qué tipos de apoyo del programa recibió?",
        ), exclusive=("none", "dk", "refused")),
        select_one("skills_use", "skills_used", Text(
            "How often do you use in your work the skills you learned in the programme's training?",
            "À quelle fréquence utilisez-vous dans votre travail les compétences apprises lors des formations du programme ?",
            "Com que frequência usa no seu trabalho as competências que aprendeu na formação do programa?",
            "¿Con qué frecuencia usa en su trabajo las habilidades que aprendió en la capacitación del programa?",
        ), hint=Text(
            "Count any training from the programme, before or since the last interview.",
            "Comptez toute formation du programme, avant ou depuis le dernier entretien.",
            "Conte qualquer formação do programa, antes ou depois da última entrevista.",
            "Cuente cualquier capacitación del programa, antes o después de la última entrevista.",
        )),
        select_one("contribution_scale", "prog_contribution", Text(
            "How much did the programme contribute to the changes in your work since the first interview?",
            "Dans quelle mesure le programme a-t-il contribué aux changements dans votre travail depuis le premier entretien ?",
            "Em que medida o programa contribuiu para as mudanças no seu trabalho desde a primeira entrevista?",
            "¿En qué medida contribuyó el programa a los cambios en su trabajo desde la primera entrevista?",
        )),
        question("text", "chg_other", Text(
            "What else has changed in your work or business since the first interview?",
            "Qu'est-ce qui a changé d'autre dans votre travail ou votre activité depuis le premier entretien ?",
            "Que mais mudou no seu trabalho ou negócio desde a primeira entrevista?",
            "¿Qué más ha cambiado en su trabajo o negocio desde la primera entrevista?",
        )),
    ]


def followup_entity_rows() -> list[Row]:
    """Return the calculates that update the respondent entity, keeping known values."""
    return [
        calculate("latest_wave", "${wave}", save_to="latest_wave"),
        calculate("last_outcome", "${final_outcome}", save_to="last_outcome"),
        calculate("last_contact", "${last_contact_date}", save_to="last_contact_date"),
        calculate("phone_1_latest", "coalesce(${phone_1_new}, ${pre_phone_1})", save_to="phone_1"),
        calculate(
            "phone_2_latest",
            "coalesce(${phone_2_new}, coalesce(${moved_phone}, ${pre_phone_2}))",
            save_to="phone_2",
        ),
        calculate("village_latest", "coalesce(${village_new}, ${pre_village})", save_to="village"),
        calculate("district_latest", "coalesce(${district_new}, ${pre_district})", save_to="district"),
        calculate("region_latest", "coalesce(${region_new}, ${pre_region})", save_to="region"),
        # Directions and the location describe one home, so a move replaces them even
        # when the new ones are blank.
        calculate(
            "directions_latest",
            "if(${village_current} = 'no', ${directions_new}, ${pre_directions})",
            save_to="directions",
        ),
        calculate(
            "geometry_latest",
            "if(${village_current} = 'no', ${home_gps}, ${pre_geometry})",
            save_to="geometry",
        ),
        calculate("alt_name_latest", "coalesce(${alt_contact_name_new}, ${pre_alt_name})", save_to="alt_contact_name"),
        calculate("alt_phone_latest", "coalesce(${alt_contact_phone_new}, ${pre_alt_phone})", save_to="alt_contact_phone"),
        calculate("moved_to_latest", "${moved_to}", save_to="moved_to"),
    ]


def tracer_followup() -> XLSForm:
    interviewed = "${final_outcome} = 'interviewed'"
    consented = f"{interviewed} and ${{consent}} = 'yes'"
    survey = flatten([
        metadata_rows(),
        note("codes_note", NOTE_CODES),
        followup_selection_rows(),
        followup_attempt_rows(),
        group("moved", Text("Moved away", "Déménagement", "Mudança", "Mudanza"), followup_moved_rows(), relevant="${final_outcome} = 'moved_away'"),
        group("confirm", Text("Identity and consent", "Identité et consentement", "Identidade e consentimento", "Identidad y consentimiento"), followup_consent_rows(), relevant=interviewed),
        group("contact_update", Text("Contact details", "Coordonnées", "Contactos", "Datos de contacto"), followup_contact_update_rows(), relevant=consented),
        labour_market_rows(relevant=consented),
        group("change", Text("Changes since the first interview", "Changements depuis le premier entretien", "Mudanças desde a primeira entrevista", "Cambios desde la primera entrevista"), followup_change_rows(), relevant=consented),
        followup_entity_rows(),
        note("end_note", NOTE_END, relevant=consented),
        question("text", "enumerator_comments", LABEL_COMMENTS),
    ])
    return XLSForm(
        form_id="tracer_followup",
        title=Text(
            "Tracer survey: follow-up",
            "Enquête de suivi : vague de suivi",
            "Inquérito de seguimento: vaga de seguimento",
            "Encuesta de seguimiento: ronda de seguimiento",
        ),
        instance_name="concat(${pre_name}, ' wave ', ${wave}, ' ', ${final_outcome})",
        survey=survey,
        choices=choices_for(survey, LABOUR_CHOICES, TRACER_CHOICES),
        entities=[{"list_name": RESPONDENTS_LIST, "entity_id": "${respondent}"}],
    )


FORMS = (value_chain_firm, tracer_baseline, tracer_followup)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="folder to write the .xlsx files into (default: forms/ of the repository)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for build in FORMS:
        form = build()
        path = args.out / f"{form.form_id}.xlsx"
        write_workbook(form, path)
        print(f"wrote {path}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
