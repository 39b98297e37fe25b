"""tests.worker.publishing_to: a broker on a port an earlier test used gets a working pool.

kombu keeps its connection and producer pools in a process-wide registry keyed by broker URL;
publishing_to closes its pool on the way out. Without clearing the registry, a later test
whose private Redis got the same port was handed the closed pool, every publish failed
("Acquire on closed pool") and the PDF sweep queued 0 jobs instead of 2: the flake of
tests/applications/test_pdf_sweep.py::test_sweep_queues_each_missing_pdf_once_after_one_query.
"""

import redis

from applications.services.pdf import queue_application_pdf
from tests.worker import RedisServer, free_port, publishing_to


def test_a_broker_on_a_port_used_before_gets_a_fresh_pool(tmp_path, db):
    server = RedisServer(free_port(), tmp_path / "redis.log")
    server.start()
    try:
        for _ in range(2):  # two tests in turn on the same port
            with publishing_to(server.url):
                assert queue_application_pdf(999_999) is True
        assert redis.Redis(port=server.port).llen("celery") == 2
    finally:
        server.stop()
