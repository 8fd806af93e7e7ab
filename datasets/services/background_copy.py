"""Overlap the validation pass with the COPY of the records (PostgreSQL).

While the main thread checks rows and writes accepted ones into a pipe, a second
thread — with its own database connection and its own transaction — COPYs them
from the pipe into the records table. Nothing is committed until the main thread,
having checked the whole file, hands the thread the rest of the work; if any row
had a problem, the thread rolls its transaction back, so the database is exactly
as before (all or nothing is kept), and a killed worker leaves nothing either:
PostgreSQL discards the open transaction.

Only used outside an open transaction (a worker, the command, the benchmark): a
second connection cannot see rows the caller has not committed.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable

from django.db import connection, transaction

from smp.models import Partnership


def available() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class BackgroundCopy:
    def __init__(self, *, partnership_id: int, copy_sql: str) -> None:
        self.partnership_id = partnership_id
        self.copy_sql = copy_sql
        self.read_fd, self.write_fd = os.pipe()
        self.decision: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="smp-copy", daemon=True)
        self.thread.start()

    def sink(self):
        """The text file the validation pass writes accepted rows to."""
        return open(self.write_fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20)  # noqa: SIM115

    def _run(self) -> None:
        try:
            with open(self.read_fd, "rb") as reader, transaction.atomic():
                Partnership.objects.select_for_update().get(pk=self.partnership_id)
                with connection.cursor() as cursor:
                    cursor.copy_expert(self.copy_sql, reader, 1 << 20)
                work = self.decision.get()
                if work is None:
                    transaction.set_rollback(True)
                else:
                    work()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc
        finally:
            connection.close()

    def finish(self, work: Callable[[], None] | None) -> None:
        """Run ``work`` in the copy's transaction and commit, or (None) roll back."""
        self.decision.put(work)
        self.thread.join()
        if self.error is not None and work is not None:
            raise self.error
