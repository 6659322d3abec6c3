"""Domain errors with stable codes.

A code is a decimal whose integer part is the HTTP status. Where ODK Central has the
same problem, Kazi uses Central's code so that clients written for Central (pyodk,
scripts matching ``code``) behave the same; the messages are Kazi's own. JSON routes
render a ``Problem`` as ``{"message", "code", "details"}``; OpenRosa routes render it
as an ``OpenRosaResponse`` document that ODK Collect shows to the enumerator.
"""

from typing import Any


class Problem(Exception):
    """An error the client caused or can act on, with a stable code."""

    def __init__(
        self,
        code: float,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}

    @property
    def status(self) -> int:
        return int(self.code)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.details:
            body["details"] = self.details
        return body


def unparseable(format_name: str, reason: str) -> Problem:
    return Problem(
        400.1,
        f"Could not parse the request body as {format_name}: {reason}",
        {"format": format_name, "reason": reason},
    )


def missing_parameter(field: str) -> Problem:
    return Problem(400.2, f"Required parameter '{field}' is missing.", {"field": field})


def unexpected_value(field: str, value: Any, reason: str) -> Problem:
    if value is None:
        message = f"Invalid {field}: the value is missing or null, but {reason}"
    else:
        message = f"Invalid {field} value {value!r}: {reason}"
    return Problem(400.8, message, {"field": field, "value": value, "reason": reason})


def invalid_header(field: str, value: str | None, expected: str) -> Problem:
    if value is None:
        message = f"Header {field} is missing, but {expected}."
    else:
        message = f"Header {field} has the value {value!r}, but {expected}."
    return Problem(400.6, message, {"field": field, "value": value})


def invalid_json(
    reason: str, line: int | None = None, column: int | None = None
) -> Problem:
    where = f" (line {line}, column {column})" if line is not None else ""
    return Problem(
        400.1,
        f"The request body is not valid JSON{where}: {reason}",
        {"format": "json", "reason": reason, "line": line, "column": column},
    )


def invalid_text(field: str, reason: str) -> Problem:
    """A name, email or description the database must not store as sent."""
    return Problem(
        400.8, f"Invalid {field}: {reason}", {"field": field, "reason": reason}
    )


def last_administrator(actor_id: int) -> Problem:
    return Problem(
        # ODK Central has no such error, so this code has three decimals, which none
        # of Central's codes have.
        409.101,
        f"Actor {actor_id} is the only remaining administrator, so this would leave the "
        "server without one. Promote another administrator first.",
        {"actorId": actor_id},
    )


def missing_multipart_field(field: str) -> Problem:
    return Problem(
        400.7,
        f"The multipart body has no '{field}' part. Send the submission XML in a part "
        f"named '{field}'.",
        {"field": field},
    )


def invalid_xml(reason: str, line: int | None = None) -> Problem:
    where = f" (line {line})" if line else ""
    return Problem(
        400.1,
        f"The XML is not acceptable{where}: {reason}",
        {"format": "xml", "reason": reason, "line": line},
    )


def xlsform_invalid(error: str, warnings: list[str] | None = None) -> Problem:
    return Problem(
        400.15,
        f"The XLSForm is not valid: {error}",
        {"error": error, "warnings": warnings or []},
    )


def form_warnings(xls_form_warnings: list[str]) -> Problem:
    """pyxform's warnings, which block a form upload unless ignored.

    ``details.warnings`` has ODK Central's shape, ``{"xlsFormWarnings": [...]}``.
    Central adds ``workflowWarnings`` from its structure-change and deleted-form
    checks, which Kazi does not run.
    """
    return Problem(
        400.16,
        "The form is valid but has warnings. Fix them, or send the request again with "
        "?ignoreWarnings=true to accept them.",
        {"warnings": {"xlsFormWarnings": xls_form_warnings}},
    )


def password_too_short(minimum: int) -> Problem:
    return Problem(
        400.21,
        f"The password is too short: use at least {minimum} characters.",
        {"minimum": minimum},
    )


def authentication_failed() -> Problem:
    return Problem(401.2, "Could not authenticate with the provided credentials.")


def https_only() -> Problem:
    return Problem(
        401.3,
        "Basic authentication is only accepted over HTTPS. Put Kazi behind a TLS proxy "
        "that sets X-Forwarded-Proto, or connect devices with an app user URL.",
    )


def insufficient_rights(verb: str | None = None) -> Problem:
    detail = f" (needs {verb})" if verb else ""
    return Problem(
        403.1,
        f"The authenticated user does not have the right to perform this action{detail}.",
        {"verb": verb} if verb else None,
    )


def not_found(what: str = "resource", value: Any = None) -> Problem:
    if value is None:
        return Problem(404.1, f"Could not find the {what} you were looking for.")
    return Problem(
        404.1, f"Could not find the {what} {value!r}.", {"what": what, "value": value}
    )


def payload_too_large(limit: int, what: str = "request body") -> Problem:
    return Problem(
        413.1,
        f"The {what} is larger than this server accepts ({limit} bytes). "
        "Send a smaller file or ask the administrator to raise the limit.",
        {"limit": limit},
    )


def unsupported_media_type(content_type: str | None, allowed: list[str]) -> Problem:
    sent = (
        "No Content-Type was sent"
        if not content_type
        else f"Content-Type {content_type!r} is not supported here"
    )
    return Problem(
        415.1,
        f"{sent}; send one of: {', '.join(allowed)}.",
        {"contentType": content_type, "allowed": allowed},
    )


def not_multipart(content_type: str | None, field: str) -> Problem:
    """Build the 400 for a submission body without multipart/form-data and a boundary.

    ODK Central treats such a body as one without the XML part and returns 400.
    """
    if not content_type:
        sent = "The request has no Content-Type"
    elif content_type.split(";", 1)[0].strip().lower() == "multipart/form-data":
        sent = f"The Content-Type {content_type!r} has no boundary parameter"
    else:
        sent = f"The body is {content_type!r}, not multipart/form-data"
    return Problem(
        400.7,
        f"{sent}. Send a multipart/form-data body with a boundary, with the "
        f"submission XML in a part named '{field}'.",
        {"field": field, "contentType": content_type},
    )


def uniqueness_violation(fields: str, values: str) -> Problem:
    return Problem(
        409.3,
        f"A resource already exists with {fields} {values}.",
        {"fields": fields, "values": values},
    )


def version_conflict(xml_form_id: str, version: str) -> Problem:
    return Problem(
        409.6,
        f"Form '{xml_form_id}' already has a published version '{version}'. Publish "
        "with a new version, for example by adding ?version=NEW to the publish request.",
        {"xmlFormId": xml_form_id, "version": version},
    )


def no_published_version(xml_form_id: str) -> Problem:
    return Problem(
        409.7,
        f"Form '{xml_form_id}' has never been published, so its draft cannot be deleted. "
        "Replace the draft or delete the whole form instead.",
        {"xmlFormId": xml_form_id},
    )


def too_many_login_attempts(minutes: int) -> Problem:
    return Problem(
        429.1,
        f"Too many failed logins for this account. Try again in {minutes} minutes.",
        {"retryAfterMinutes": minutes},
        headers={"Retry-After": str(minutes * 60)},
    )


def submission_without_form_id() -> Problem:
    return Problem(
        400.8,
        "The submission's root element has no 'id' attribute, so its form is unknown. "
        'Send the instance as the form produced it, with id="FORM_ID" on the root.',
        {"field": "id"},
    )


def invalid_attachment_name(name: str) -> Problem:
    return Problem(
        400.8,
        f"Invalid attachment name '{name}': a file name must not contain '/' or '\\', "
        "must not be '.' or '..', and has at most 255 characters. Send each file under "
        "its plain name, as the submission XML refers to it.",
        {"field": "attachment name", "value": name},
    )


def deprecated_id_not_found(deprecated_id: str) -> Problem:
    return Problem(
        404.5,
        f"The submission edits version {deprecated_id!r} (meta/deprecatedID), but no "
        "submission of this form has that instanceID. Send the original first.",
        {"deprecatedId": deprecated_id},
    )


def form_version_not_found(xml_form_id: str, version: str) -> Problem:
    return Problem(
        404.6,
        f"Form '{xml_form_id}' has no published version {version!r}. Download the "
        "current version of the form and fill it again, or publish that version.",
        {"xmlFormId": xml_form_id, "version": version},
    )


def submission_xml_conflict(instance_id: str) -> Problem:
    return Problem(
        409.1,
        f"A submission with instanceID {instance_id!r} was already received with "
        "different XML. To add missing files, resend the identical XML; to change the "
        "data, edit the submission so that it gets a new instanceID.",
        {"instanceId": instance_id},
    )


def form_not_accepting_submissions(xml_form_id: str) -> Problem:
    return Problem(
        409.2,
        f"Form '{xml_form_id}' is closed and accepts no more submissions. Ask a project "
        "manager to reopen it.",
        {"xmlFormId": xml_form_id},
    )


def deprecated_version_not_current(deprecated_id: str) -> Problem:
    return Problem(
        409.9,
        f"Version {deprecated_id!r} (meta/deprecatedID) has already been replaced by a "
        "newer edit. Download the current version of the submission and edit that.",
        {"deprecatedId": deprecated_id},
    )


def resent_version_not_current(instance_id: str) -> Problem:
    return Problem(
        409.9,
        f"The submission version with instanceID {instance_id!r} has been replaced by "
        "a newer edit on the server, so it cannot be received again. Send the newer "
        "version instead.",
        {"instanceId": instance_id},
    )


def submission_deleted(instance_id: str) -> Problem:
    return Problem(
        409.18,
        f"The submission with instanceID {instance_id!r} was deleted on the server, so "
        "it cannot be received again. Tell your supervisor; the copy on the device is "
        "kept until it is deleted there.",
        {"instanceId": instance_id},
    )
