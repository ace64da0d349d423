import hashlib
from datetime import timedelta

from odoo import api, fields, models

DEFAULT_FORM_RATE_LIMIT = 10
RATE_LIMIT_WINDOW = timedelta(hours=1)


class LibraryComplaintRateLimit(models.Model):
    """One anonymous complaint sent from the public form, counted per sender.

    Kept in the database so that every Odoo worker sees the same count. The
    sender's IP address is never stored: only a salted hash of it.
    """

    _name = "library.complaint.rate.limit"
    _description = "Anonymous Complaint Form Submission"
    _order = "submitted_at desc, id desc"
    _log_access = False  # no creator: the row must not say who sent the form

    ip_hash = fields.Char(string="Sender (salted hash)", required=True, index=True)
    submitted_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _hash_ip(self, ip_address):
        """Salted SHA-256 of an IP address; the salt is the database secret."""
        salt = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        return hashlib.sha256(f"{salt}:{ip_address or ''}".encode()).hexdigest()

    @api.model
    def _get_limit(self):
        """Submissions allowed per sender and hour (``library_complaints.form_rate_limit``)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("library_complaints.form_rate_limit", DEFAULT_FORM_RATE_LIMIT)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_FORM_RATE_LIMIT

    @api.model
    def _is_rate_limited(self, ip_address):
        """Whether this sender has used up the submissions of the last hour.

        Takes a transaction lock on the sender, so that two workers handling
        the same sender at once count one after the other.
        """
        ip_hash = self._hash_ip(ip_address)
        self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ip_hash])
        since = fields.Datetime.now() - RATE_LIMIT_WINDOW
        count = self.search_count(
            [("ip_hash", "=", ip_hash), ("submitted_at", ">", since)],
            limit=self._get_limit() + 1,
        )
        return count >= self._get_limit()

    @api.model
    def _record_submission(self, ip_address):
        return self.create({"ip_hash": self._hash_ip(ip_address)})

    @api.model
    def _cron_purge_rate_limits(self):
        """Forget the submissions older than the counting window."""
        self.search([("submitted_at", "<=", fields.Datetime.now() - RATE_LIMIT_WINDOW)]).unlink()
