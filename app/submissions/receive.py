"""Receiving a submission: new, resent, edited, or split over several requests.

Duplicates are kept out by the database, not by locks in this process, so any number
of workers can receive at once. Each attempt runs in a savepoint; when a unique key
(instanceID per form, or one edit per version) stops it because another request got
there first, the savepoint is rolled back and the attempt starts again from a fresh
read, which then takes the resend or conflict path.
"""

import logging
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import errors
from app.audits import service as audits
from app.audits.models import Audit
from app.auth import Principal
from app.blobs.store import BlobStore
from app.core.timeutil import utcnow
from app.forms.models import Form, FormDef
from app.submissions.instance import Instance, binary_paths, check_file_name, is_cached
from app.submissions.models import Submission, SubmissionAttachment, SubmissionDef

logger = logging.getLogger(__name__)

ATTEMPTS = 5


@dataclass
class Context:
    """The sender of a submission: principal, project, device and client.

    ``device_id`` and ``user_agent`` are stored cut to 255 characters, and a blank
    one as None, as ODK Central stores them: a device cannot change what its client
    sends, so rejecting a long value would block that submission for good.
    """

    principal: Principal
    project_id: int
    device_id: str | None
    user_agent: str | None

    def __post_init__(self) -> None:
        self.device_id = _clip(self.device_id)
        self.user_agent = _clip(self.user_agent)


CLIPPED_LENGTH = 255
# The submission_def.instance_name column stores this many characters; the full name
# stays in the stored XML.
MAX_INSTANCE_NAME = 1000


def client_user_agent(odk_client: str | None, user_agent: str | None) -> str | None:
    """Join the ``odk-client`` header and the User-Agent, as ODK Central stores them.

    Web form clients name themselves in ``odk-client``, in front of the browser's
    User-Agent.
    """
    parts = [part for part in (odk_client, user_agent) if part]
    return " ".join(parts) or None


def _clip(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value[:CLIPPED_LENGTH]


@dataclass
class Received:
    """The outcome of one request: what was stored and which files are still missing."""

    instance_id: str
    submission_id: int
    new: bool
    expected: list[str]
    missing: list[str]


@dataclass
class _Incoming:
    """One request's submission, checked against its form and with its files stored."""

    context: Context
    form: Form
    form_def_id: int
    instance: Instance
    xml: bytes
    expected: list[str]
    blob_ids: dict[str, int]
    # Content-Type of each received file part that named one.
    content_types: dict[str, str] = field(default_factory=dict)

    @property
    def actor_id(self) -> int:
        return self.context.principal.actor.id


def receive(
    db: Session,
    blobs: BlobStore,
    context: Context,
    instance: Instance,
    xml_bytes: bytes,
    files: dict[str, bytes],
    content_types: dict[str, str] | None = None,
) -> Received:
    """Store a submission and its files durably and commit, or raise a problem.

    ``content_types`` maps file names to the Content-Type their parts carried.
    """
    form, form_def_id, xml_md5 = _accepting_form(db, context, instance)

    for name in files:
        check_file_name(name)
    form_xml = None if is_cached(xml_md5) else _form_xml(db, form_def_id)
    paths = binary_paths(xml_md5, form_xml)
    expected = instance.expected_files(paths, set(files))
    for name in expected:
        check_file_name(name)
    # Files are written and fsynced before the transaction, so that a committed row
    # never points at bytes that are not on disk. Unreferenced parts are ignored.
    blob_ids = {
        name: blobs.store_id(db, files[name]) for name in expected if name in files
    }
    incoming = _Incoming(
        context,
        form,
        form_def_id,
        instance,
        xml_bytes,
        expected,
        blob_ids,
        {name: kind for name, kind in (content_types or {}).items() if name in blob_ids},
    )

    for _attempt in range(ATTEMPTS):
        try:
            with db.begin_nested():
                received = _apply(db, incoming)
            break
        except IntegrityError:
            # Rows read in the failed attempt may be stale now; read them again.
            db.expire_all()
            logger.info(
                "submission raced, retrying form=%s instance_id=%s",
                form.xml_form_id,
                instance.instance_id,
            )
    else:
        raise RuntimeError(
            f"instance {instance.instance_id} still conflicts after retries"
        )
    db.commit()
    logger.info(
        "submission received project=%d form=%s instance_id=%s new=%s files=%d/%d",
        context.project_id,
        form.xml_form_id,
        instance.instance_id,
        received.new,
        len(received.expected) - len(received.missing),
        len(received.expected),
    )
    return received


def _accepting_form(
    db: Session, context: Context, instance: Instance
) -> tuple[Form, int, str]:
    """Load the form and the id of the published version the instance names, at once."""
    xml_form_id = instance.xml_form_id
    row = db.exec(
        select(Form, FormDef.id, FormDef.md5)
        .outerjoin(
            FormDef,
            and_(
                col(FormDef.form_id) == Form.id,
                FormDef.version == instance.version,
                col(FormDef.published_at).is_not(None),
            ),
        )
        .where(
            Form.project_id == context.project_id,
            Form.xml_form_id == xml_form_id,
            col(Form.deleted_at).is_(None),
        )
    ).first()
    form, form_def_id, xml_md5 = row if row is not None else (None, None, None)
    if form is None or form.current_def_id is None:
        raise errors.not_found("form", xml_form_id)
    if not context.principal.can("submission.create", context.project_id, form.id):
        # ODK Central answers 401 rather than 403 here, so Collect reports a
        # credentials problem for a form that is not assigned to the app user.
        raise errors.authentication_failed()
    if form.state == "closed":
        raise errors.form_not_accepting_submissions(xml_form_id)
    if form_def_id is None:
        raise errors.form_version_not_found(xml_form_id, instance.version)
    return form, form_def_id, xml_md5


def _instance_name(instance: Instance) -> str | None:
    name = instance.instance_name
    return name[:MAX_INSTANCE_NAME] if name is not None else None


def _form_xml(db: Session, form_def_id: int) -> str:
    return db.exec(select(FormDef.xml).where(FormDef.id == form_def_id)).one()


def _apply(db: Session, incoming: _Incoming) -> Received:
    existing = db.exec(
        select(SubmissionDef).where(
            SubmissionDef.form_id == incoming.form.id,
            SubmissionDef.instance_id == incoming.instance.instance_id,
        )
    ).first()
    if existing is not None:
        return _resend(db, incoming, existing)
    if incoming.instance.deprecated_id:
        return _edit(db, incoming)
    return _create(db, incoming)


def _new_def(incoming: _Incoming, submission_id: int) -> SubmissionDef:
    instance = incoming.instance
    return SubmissionDef(
        submission_id=submission_id,
        form_id=incoming.form.id,
        form_def_id=incoming.form_def_id,
        instance_id=instance.instance_id,
        deprecated_id=instance.deprecated_id,
        xml=incoming.xml,
        instance_name=_instance_name(instance),
        submitter_id=incoming.actor_id,
        device_id=incoming.context.device_id,
        user_agent=incoming.context.user_agent,
        encrypted=instance.encrypted,
        invalid_characters=bool(instance.invalid_characters),
    )


def _audit(db: Session, incoming: _Incoming, action: str, **details) -> None:
    audits.record(
        db,
        action,
        actor_id=incoming.actor_id,
        actee_id=incoming.form.actee_id,
        project_id=incoming.form.project_id,
        details=details,
    )


# Built once: executing the same statement object reuses its cache key and compiled
# form, where building one per request costs more CPU than the database round trip.
_SUBMISSION = Submission.__table__
_DEF = SubmissionDef.__table__
_INSERT_SUBMISSION = insert(_SUBMISSION).returning(_SUBMISSION.c.id)
_INSERT_DEF = insert(_DEF).returning(_DEF.c.id)
_SET_CURRENT_DEF = (
    update(_SUBMISSION)
    .where(_SUBMISSION.c.id == bindparam("submission_id"))
    .values(current_def_id=bindparam("def_id"))
)
_INSERT_ATTACHMENT = insert(SubmissionAttachment.__table__)
_INSERT_AUDIT = insert(Audit.__table__)


def _create(db: Session, incoming: _Incoming) -> Received:
    # Core statements with RETURNING: a new submission is the hot path, and the ORM's
    # unit of work would cost more CPU than the statements themselves.
    instance = incoming.instance
    context = incoming.context
    now = utcnow()
    common = {
        "form_id": incoming.form.id,
        "instance_id": instance.instance_id,
        "submitter_id": incoming.actor_id,
        "device_id": context.device_id,
        "user_agent": context.user_agent,
        "invalid_characters": bool(instance.invalid_characters),
        "created_at": now,
    }
    submission_id = db.execute(
        _INSERT_SUBMISSION, {**common, "project_id": incoming.form.project_id}
    ).scalar_one()
    submission_def_id = db.execute(
        _INSERT_DEF,
        {
            **common,
            "submission_id": submission_id,
            "form_def_id": incoming.form_def_id,
            "deprecated_id": instance.deprecated_id,
            "xml": incoming.xml,
            "instance_name": _instance_name(instance),
            "encrypted": instance.encrypted,
            "current": True,
        },
    ).scalar_one()
    db.execute(
        _SET_CURRENT_DEF, {"submission_id": submission_id, "def_id": submission_def_id}
    )
    if incoming.expected:
        db.execute(
            _INSERT_ATTACHMENT,
            [
                {
                    "submission_def_id": submission_def_id,
                    "name": name,
                    "blob_id": incoming.blob_ids.get(name),
                    "index": index,
                    "content_type": incoming.content_types.get(name),
                }
                for index, name in enumerate(incoming.expected)
            ],
        )
    db.execute(
        _INSERT_AUDIT,
        {
            "action": "submission.create",
            "actor_id": incoming.actor_id,
            "actee_id": incoming.form.actee_id,
            "project_id": incoming.form.project_id,
            "details": {
                "instanceId": instance.instance_id,
                "submissionId": submission_id,
                "submissionDefId": submission_def_id,
            },
            "logged_at": now,
        },
    )
    missing = [name for name in incoming.expected if name not in incoming.blob_ids]
    return Received(instance.instance_id, submission_id, True, incoming.expected, missing)


def _edit(db: Session, incoming: _Incoming) -> Received:
    """Add a version that replaces the current one named by meta/deprecatedID."""
    deprecated_id = incoming.instance.deprecated_id
    replaced = db.exec(
        select(SubmissionDef).where(
            SubmissionDef.form_id == incoming.form.id,
            SubmissionDef.instance_id == deprecated_id,
        )
    ).first()
    if replaced is None:
        raise errors.deprecated_id_not_found(deprecated_id)
    submission = db.get(Submission, replaced.submission_id)
    if submission.deleted_at is not None:
        raise errors.submission_deleted(submission.instance_id)
    if not replaced.current:
        raise errors.deprecated_version_not_current(deprecated_id)

    # The unique key on (form_id, deprecated_id) makes the insert fail when a
    # concurrent request has just replaced the same version; the retry then finds
    # that version as no longer current.
    submission_def = _new_def(incoming, submission.id)
    db.add(submission_def)
    db.flush()
    db.execute(
        update(SubmissionDef)
        .where(col(SubmissionDef.id) == replaced.id)
        .values(current=False)
    )
    # Files the edit does not send again are the ones the device kept: carry them over
    # from the replaced version by name.
    carried_rows = [
        row
        for row in db.exec(
            select(SubmissionAttachment).where(
                SubmissionAttachment.submission_def_id == replaced.id,
                col(SubmissionAttachment.blob_id).is_not(None),
            )
        )
        if row.name in incoming.expected
    ]
    blob_ids = {row.name: row.blob_id for row in carried_rows} | incoming.blob_ids
    content_types = {
        row.name: row.content_type for row in carried_rows if row.content_type
    } | incoming.content_types
    _add_attachments(db, submission_def.id, incoming.expected, blob_ids, content_types)

    submission.current_def_id = submission_def.id
    submission.review_state = "edited"
    submission.updated_at = utcnow()
    if incoming.instance.invalid_characters:
        submission.invalid_characters = True
    db.add(submission)
    _audit(
        db,
        incoming,
        "submission.update.version",
        instanceId=incoming.instance.instance_id,
        submissionId=submission.id,
        submissionDefId=submission_def.id,
        deprecatedId=deprecated_id,
    )
    db.flush()
    missing = [name for name in incoming.expected if name not in blob_ids]
    return Received(
        submission.instance_id, submission.id, True, incoming.expected, missing
    )


def _resend(db: Session, incoming: _Incoming, existing: SubmissionDef) -> Received:
    """Accept a byte-identical resend, storing the files it carries.

    Files not received before are added. A file received before with other bytes is
    replaced, as ODK Central does; the audit entry names the old blob.
    """
    submission = db.get(Submission, existing.submission_id)
    if submission.deleted_at is not None:
        raise errors.submission_deleted(submission.instance_id)
    if not existing.current:
        # ODK Central rejects a resend of a replaced version, so that files it carries
        # never attach to a version that is no longer current.
        raise errors.resent_version_not_current(existing.instance_id)
    if existing.xml != incoming.xml:
        raise errors.submission_xml_conflict(existing.instance_id)

    rows = {
        row.name: row
        for row in db.exec(
            select(SubmissionAttachment).where(
                SubmissionAttachment.submission_def_id == existing.id
            )
        )
    }
    # File name to the blob it replaced, or None for a file that had not arrived.
    added: dict[str, int | None] = {}
    for name, blob_id in incoming.blob_ids.items():
        row = rows.get(name)
        if row is None:
            row = SubmissionAttachment(
                submission_def_id=existing.id,
                name=name,
                blob_id=blob_id,
                index=len(rows),
                content_type=incoming.content_types.get(name),
            )
            rows[name] = row
            db.add(row)
            added[name] = None
        elif row.blob_id is None:
            # Conditional, so that of two concurrent resends only one records the file.
            result = db.execute(
                update(SubmissionAttachment)
                .where(
                    col(SubmissionAttachment.id) == row.id,
                    col(SubmissionAttachment.blob_id).is_(None),
                )
                .values(blob_id=blob_id, content_type=incoming.content_types.get(name))
            )
            if result.rowcount == 1:
                added[name] = None
        elif row.blob_id != blob_id:
            # Read first: the ORM update also sets the attribute on the loaded row.
            added[name] = row.blob_id
            db.execute(
                update(SubmissionAttachment)
                .where(col(SubmissionAttachment.id) == row.id)
                .values(blob_id=blob_id, content_type=incoming.content_types.get(name))
            )
    for name, old_blob_id in added.items():
        _audit(
            db,
            incoming,
            "submission.attachment.update",
            instanceId=existing.instance_id,
            submissionId=submission.id,
            submissionDefId=existing.id,
            name=name,
            oldBlobId=old_blob_id,
            newBlobId=incoming.blob_ids[name],
        )
    db.flush()
    names = list(rows)
    missing = [n for n in names if rows[n].blob_id is None and n not in incoming.blob_ids]
    return Received(submission.instance_id, submission.id, False, names, missing)


def _add_attachments(
    db: Session,
    submission_def_id: int,
    expected: list[str],
    blob_ids: dict[str, int],
    content_types: dict[str, str],
) -> None:
    for index, name in enumerate(expected):
        db.add(
            SubmissionAttachment(
                submission_def_id=submission_def_id,
                name=name,
                blob_id=blob_ids.get(name),
                index=index,
                content_type=content_types.get(name),
            )
        )
