import hashlib
from datetime import timedelta

from odoo import api, fields, models

from ..tools.numbers import parse_ascii_int

# What a sender may do per hour, and the system parameter that changes it.
RATE_LIMITS = {
    "submission": ("library_complaints.form_rate_limit", 10),
    "failed_lookup": ("library_complaints.status_rate_limit", 20),
    "survey_start": ("library_complaints.survey_rate_limit", 20),
}
RATE_LIMIT_WINDOW = timedelta(hours=1)
# Uses deleted per committed step of the hourly clean-up.
PURGE_BATCH = 1000


class LibraryComplaintRateLimit(models.Model):
    """One use of the public complaint pages, counted per sender: a complaint
    sent from the form, or a tracking code looked up in vain.

    Kept in the database so that every Odoo worker sees the same count. The
    sender's IP address is never stored: only a salted hash of it.
    """

    _name = "library.complaint.rate.limit"
    _description = "Anonymous Complaint Form Submission"
    _order = "submitted_at desc, id desc"
    _log_access = False  # no creator: the row must not say who sent the form

    ip_hash = fields.Char(string="Sender (salted hash)", required=True, index=True)
    submitted_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    kind = fields.Selection(
        selection=[
            ("submission", "Complaint sent"),
            ("failed_lookup", "Unknown tracking code looked up"),
            ("survey_start", "Satisfaction survey started"),
        ],
        required=True,
        default="submission",
    )

    @api.model
    def _hash_ip(self, ip_address):
        """Salted SHA-256 of an IP address; the salt is the database secret."""
        salt = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        return hashlib.sha256(f"{salt}:{ip_address or ''}".encode()).hexdigest()

    @api.model
    def _get_limit(self, kind="submission"):
        """Uses of this kind allowed per sender and hour (a system parameter)."""
        param, default = RATE_LIMITS[kind]
        value = self.env["ir.config_parameter"].sudo().get_param(param, default)
        value = parse_ascii_int(value, maximum=None)
        return default if value is None else value

    @api.model
    def _is_rate_limited(self, ip_address, kind="submission"):
        """Whether this sender has used up the uses of this kind of the last hour.

        Takes a transaction lock on the sender, so that two workers handling
        the same sender at once count one after the other.
        """
        ip_hash = self._hash_ip(ip_address)
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ip_hash])
        since = fields.Datetime.now() - RATE_LIMIT_WINDOW
        limit = self._get_limit(kind)
        count = self.search_count(
            [("ip_hash", "=", ip_hash), ("kind", "=", kind), ("submitted_at", ">", since)],
            limit=limit + 1,
        )
        return count >= limit

    @api.model
    def _record_submission(self, ip_address, kind="submission"):
        return self.create({"ip_hash": self._hash_ip(ip_address), "kind": kind})

    @api.model
    def _cron_purge_rate_limits(self):
        """Forget the uses whose hour is over (the job runs every hour)."""
        self._purge_rate_limits(commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _purge_rate_limits(self, commit=None):
        """Delete the uses older than the counting window, PURGE_BATCH at a time.

        :param commit: ir.cron's _commit_progress, to commit after each batch
        :return: the number of uses deleted
        """
        domain = [("submitted_at", "<=", fields.Datetime.now() - RATE_LIMIT_WINDOW)]
        Counter = self.sudo()
        if commit:
            commit(remaining=Counter.search_count(domain))
        deleted = 0
        while expired := Counter.search(domain, order="id", limit=PURGE_BATCH):
            expired.unlink()
            deleted += len(expired)
            if commit and not commit(len(expired)):
                break
        return deleted
