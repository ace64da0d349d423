import os
import re
from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from ..tools.numbers import parse_record_id

# What both complaint forms accept: the public form (/complaint) and the
# portal's (/new/ticket), logged in, anonymous or confidential.
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_LOCATION = 200
MEGABYTE = 1024 * 1024
MAX_FILES = 5
MAX_FILE_SIZE = 5 * MEGABYTE
MAX_TOTAL_SIZE = 10 * MEGABYTE
MAX_FILE_NAME = 255
# Extension -> the types its content may sniff as.
FILE_TYPES = {
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "pdf": ("application/pdf",),
    "txt": ("text/plain",),
}
# Control characters no one types (NUL, escape, ...); tabs and line breaks are whitespace.
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# ... and none at all in a file name.
FILE_NAME_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class LibraryComplaintForm(models.AbstractModel):
    """The one check of what a complaint form sent, before anything is stored."""

    _name = "library.complaint.form"
    _description = "Complaint Form Check"

    @api.model
    def _check_complaint(self, post, files):
        """Check a complaint form's values and files, the way the office accepts them.

        :param dict post: ``name``, ``description``, ``service_id``, ``location``
            and ``date_observed`` (a date, or a date and time in the office's time
            zone: the complaint calendar's), as posted
        :param list files: the attached files, as ``(file name, content)``
        :return: the complaint's values and its attachments' values
        :raise ValidationError: listing every problem, one per line
        """
        ticket_vals, errors = self._check_fields(post)
        attachment_vals, file_errors = self._check_files(files)
        errors += file_errors
        if errors:
            raise ValidationError("\n".join(errors))
        return ticket_vals, attachment_vals

    @api.model
    def _parse_id(self, value):
        """A posted record id as an int, or None when it cannot be one."""
        return parse_record_id(value)

    # ------------------------------------------------------------------
    # Fields

    @api.model
    def _check_fields(self, post):
        """The complaint's values and the refusals."""
        errors = []

        def text(fname, label, max_length, required=True, multiline=False):
            value, error = self._check_text(post.get(fname), label, max_length, required, multiline)
            errors.append(error)
            return value

        name = text("name", self.env._("Title"), MAX_TITLE)
        description = text(
            "description", self.env._("Description"), MAX_DESCRIPTION, multiline=True
        )
        location = text("location", self.env._("Location"), MAX_LOCATION, required=False)
        service = self._get_service(post.get("service_id"))
        if not service:
            errors.append(self.env._("Choose the service your complaint is about."))
        date_observed, date_error = self._parse_date(post.get("date_observed"))
        errors.append(date_error)
        team = service.team_id or self.env.ref("library_complaints.team_library_service_desk")
        vals = {
            "name": name,
            "description": plaintext2html(description),
            "service_id": service.id,
            "team_id": team.id,
            "location": location or False,
            "date_observed": date_observed,
        }
        return vals, [error for error in errors if error]

    @api.model
    def _check_text(self, value, label, max_length, required=True, multiline=False):
        """The text as stored (one line unless ``multiline``), and the refusal or None."""
        value = value if isinstance(value, str) else ""
        if CONTROL_CHARACTERS_RE.search(value):
            return "", self.env._(
                "%(field)s contains characters that are not allowed.", field=label
            )
        value = value.strip() if multiline else " ".join(value.split())
        if required and not value:
            return value, self.env._("%(field)s is required.", field=label)
        if len(value) > max_length:
            return value, self.env._(
                "%(field)s must be at most %(max)s characters long.", field=label, max=max_length
            )
        return value, None

    @api.model
    def _get_service(self, service_id):
        """The chosen service, if it is an active one: found and read (its team,
        division...) in one query."""
        services = self.env["library.complaint.service"].sudo()
        service_id = self._parse_id(service_id)
        if not service_id:
            return services
        return services.search_fetch([("id", "=", service_id)], limit=1)

    @api.model
    def _parse_date(self, value):
        """When the problem was observed, in naive UTC; or the refusal.

        A date and time without an offset is read in the complaint calendar's time
        zone, whoever types it; a date alone is that day's midnight there.
        """
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            return False, None
        calendar = self.env.company.sudo()._get_complaint_calendar()
        invalid = self.env._("The date observed is not a valid date.")
        if CONTROL_CHARACTERS_RE.search(value):
            return False, invalid
        try:
            if "T" in value or " " in value:
                moment = datetime.fromisoformat(value)
            else:
                moment = fields.Date.to_date(value)
            if moment.year < 1900:
                return False, invalid
            moment = calendar._to_utc(moment)
        except (TypeError, ValueError, OverflowError):
            return False, invalid
        if moment > fields.Datetime.now():
            return False, self.env._("The date observed cannot be in the future.")
        return moment, None

    # ------------------------------------------------------------------
    # Files

    @api.model
    def _read_uploads(self, uploads):
        """The uploaded files (werkzeug ``FileStorage``) as ``(name, content)``.

        Reads no more than one file over the count and one byte over the size limit.
        """
        uploads = [upload for upload in uploads if upload.filename]
        return [
            (upload.filename, upload.read(MAX_FILE_SIZE + 1)) for upload in uploads[: MAX_FILES + 1]
        ]

    @api.model
    def _check_files(self, files):
        """Attachments' values for the accepted files, and the refusals."""
        if len(files) > MAX_FILES:
            return [], [self.env._("Attach at most %(count)s files.", count=MAX_FILES)]
        attachment_vals, errors = [], []
        for filename, content in files:
            name = os.path.basename(str(filename).replace("\\", "/"))[:MAX_FILE_NAME]
            error = self._check_file(name, content)
            if error:
                errors.append(error)
            else:
                attachment_vals.append({"name": name, "raw": content})
        if sum(len(content) for __, content in files) > MAX_TOTAL_SIZE:
            errors.append(
                self.env._(
                    "The attached files may be at most %(size)s MB together.",
                    size=MAX_TOTAL_SIZE // MEGABYTE,
                )
            )
        return attachment_vals, errors

    @api.model
    def _check_file(self, name, content):
        """Why this file cannot be attached, or None: type by name AND by content."""
        if FILE_NAME_CONTROL_RE.search(name):
            return self.env._(
                "%(file)s: the file name contains characters that are not allowed.",
                file=FILE_NAME_CONTROL_RE.sub("?", name),
            )
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        if extension not in FILE_TYPES:
            return self.env._(
                "%(file)s: only images (PNG, JPEG, GIF, WebP), PDF and plain text "
                "files can be attached.",
                file=name,
            )
        if not content:
            return self.env._("%(file)s is empty.", file=name)
        if len(content) > MAX_FILE_SIZE:
            return self.env._(
                "%(file)s is larger than %(size)s MB.", file=name, size=MAX_FILE_SIZE // MEGABYTE
            )
        if guess_mimetype(content, default="") not in FILE_TYPES[extension]:
            return self.env._("%(file)s: its content is not what its name says.", file=name)
        return None
