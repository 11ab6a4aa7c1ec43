"""Drives librdkafka (through confluent-kafka) through the golden-capture scenario (see ../README.md).

Every step uses its own client.id so the recorder can keep one frame per step.
Usage: golden_capture.py <plaintext-bootstrap> <sasl-bootstrap> <user> <password> <topic> <group>
"""
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def main() -> None:
    plain, sasl, user, password, topic, group = sys.argv[1:7]

    admin = AdminClient({"bootstrap.servers": plain, "client.id": "librdkafka-admin"})
    for future in admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)]).values():
        future.result(30)
    admin.list_topics(timeout=30)

    for codec in CODECS:
        producer = Producer({
            "bootstrap.servers": plain,
            "client.id": f"librdkafka-produce-{codec}",
            "enable.idempotence": True,
            "acks": "all",
            "compression.type": codec,
            "linger.ms": 5,
        })
        for i in range(3):
            producer.produce(topic, key=f"key-{i}", value=f"golden {codec} record {i}")
        if producer.flush(30) != 0:
            raise RuntimeError(f"produce with {codec} did not complete")

    txn = Producer({"bootstrap.servers": plain, "client.id": "librdkafka-txn", "transactional.id": "golden-librdkafka-txn"})
    txn.init_transactions(30)
    txn.begin_transaction()
    txn.produce(topic, key="txn", value="golden transactional record")
    txn.commit_transaction(30)

    consumer = Consumer({
        "bootstrap.servers": plain,
        "client.id": "librdkafka-consumer",
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "heartbeat.interval.ms": 200,
    })
    consumer.subscribe([topic])
    seen = 0
    deadline = time.time() + 30
    while seen < 16 and time.time() < deadline:
        message = consumer.poll(0.2)
        if message is not None and message.error() is None:
            seen += 1
    if seen < 16:
        raise RuntimeError(f"consumed only {seen} records")
    until = time.time() + 1
    while time.time() < until:
        consumer.poll(0.1)
    consumer.commit(asynchronous=False)
    consumer.committed(consumer.assignment(), timeout=10)
    consumer.close()

    for mechanism in ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]:
        client = AdminClient({
            "bootstrap.servers": sasl,
            "client.id": f"librdkafka-sasl-{mechanism.lower()}",
            "security.protocol": "SASL_PLAINTEXT",
            "sasl.mechanism": mechanism,
            "sasl.username": user,
            "sasl.password": password,
        })
        client.list_topics(timeout=30)
    print("GOLDEN-CAPTURE-DONE")


if __name__ == "__main__":
    main()
