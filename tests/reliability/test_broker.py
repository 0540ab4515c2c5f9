"""The broker's Redis transport (config/broker.py) and Celery's configuration as the app reads it."""

from __future__ import annotations

import pytest
from django.conf import settings
from kombu import Connection

from guichet.config import celery_app
from tests.reliability.conftest import REDIS_HOST, REDIS_PORT

TRANSPORT = "guichet.config.broker:Transport"
QUEUE = "guichet-broker-test"


@pytest.mark.redis
def test_a_channel_sends_every_message_through_one_client(redis_db: int) -> None:
    import redis

    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}"
    with Connection(url, transport=TRANSPORT) as connection:
        producer = connection.Producer()
        producer.publish({"n": 0}, exchange="", routing_key=QUEUE)
        channel = producer.channel
        client = channel._commands
        assert client is not None  # built by the first command
        for n in range(1, 5):
            producer.publish({"n": n}, exchange="", routing_key=QUEUE)
        assert channel._commands is client
    queued = redis.Redis.from_url(url)
    try:
        assert queued.llen(QUEUE) == 5  # every message reached the broker
    finally:
        queued.close()


def test_celery_reads_the_settings_it_was_given() -> None:
    """Copied into a dict as the app is configured: the same values as Django's settings."""
    conf = celery_app.conf
    assert conf.task_acks_late is settings.CELERY_TASK_ACKS_LATE is True
    assert conf.worker_prefetch_multiplier == settings.CELERY_WORKER_PREFETCH_MULTIPLIER
    assert conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert conf.task_always_eager is settings.CELERY_TASK_ALWAYS_EAGER
    assert conf.task_default_queue == "celery"  # what the settings leave out keeps Celery's default
