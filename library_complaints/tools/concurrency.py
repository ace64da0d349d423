"""Work that another transaction may write at the same time: done again, whole.

PostgreSQL runs Odoo's transactions in REPEATABLE READ: a transaction that updates
or locks a row another transaction changed after its snapshot fails with a
serialization failure (or a deadlock, or a lock it may not wait for). Doing it
again in a savepoint does not help (the snapshot stays the same): the transaction
is rolled back and the work done again in a new one, as Odoo does for a request
(``odoo.service.model.retrying``).

- ``run_retrying(env, work)``: the current transaction holds only `work` (nothing
  else to lose on a rollback): the LINE webhook, a cron's batch.
- ``run_cron_batch(env, commit, work)``: one batch of a scheduled job; `commit` is
  ``ir.cron._commit_progress``, committed before the batch so that a rollback undoes
  only the batch. Without `commit` (a caller's transaction, the tests) the work is
  done once, in that transaction.
"""

import logging
import random
import time

from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)


def is_concurrency_error(error):
    """Whether `error` says another transaction wrote (or locked) the same rows:
    the work is to be done again in a new transaction, never skipped."""
    return isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)


def run_retrying(env, work, *args, tries=MAX_TRIES_ON_CONCURRENCY_FAILURE):
    """``work(*args)``, flushed; on a concurrency error, the transaction is rolled
    back and the work done again, up to `tries` times (then the error is raised).
    Anything registered to run after the commit by a failed try is dropped with it."""
    for tryno in range(1, tries + 1):
        try:
            result = work(*args)
            env.flush_all()
            return result
        except Exception as error:
            if not is_concurrency_error(error):
                raise
            env.cr.rollback()
            env.transaction.reset()
            env.registry.reset_changes()
            if tryno == tries:
                _logger.info("%s: %s, giving up after %s tries", work, error.pgcode, tries)
                raise
            wait = random.uniform(0.0, 0.1 * 2**tryno)
            _logger.info(
                "%s: %s, done again in %.2f s (try %s of %s)",
                work,
                error.pgcode,
                wait,
                tryno + 1,
                tries,
            )
            time.sleep(wait)
    raise AssertionError("unreachable")


def get_cron_commit(env):
    """``ir.cron._commit_progress`` inside a scheduled run, else None (the work is
    then done in the caller's transaction: a test, a manual call)."""
    if env.context.get("ir_cron_progress_id"):
        return env["ir.cron"]._commit_progress
    return None


def run_cron_batch(env, commit, work, *args):
    """One batch of a scheduled job: committed up to here, then ``work(*args)``,
    done again in a new transaction when another transaction wrote its rows
    meanwhile. The caller commits the batch (``commit(len(batch))``)."""
    if not commit:
        return work(*args)
    commit(0)
    return run_retrying(env, work, *args)
