"""Python drivers for the compatibility suite: `driver.py confluent` (confluent-kafka, librdkafka)
or `driver.py kafka-python`. Reads one JSON request on stdin, prints one JSON result line."""
import json
import sys
import threading
import time


def rec(p, o, k, v, m):
    return {"p": p, "o": str(o), "k": (k or b"").decode(), "v": (v or b"").decode(), "m": m}


# ---------------------------------------------------------------- confluent-kafka (librdkafka)
def confluent(req):
    from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
    from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

    c = req["connection"]
    base = {
        "bootstrap.servers": c["bootstrap"],
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanisms": c["mechanism"],
        "sasl.username": c["username"],
        "sasl.password": c["password"],
    }
    op, topic, timeout = req["op"], req["topic"], req["timeoutMs"] / 1000
    deadline = time.time() + timeout

    def topics(admin):
        return list(admin.list_topics(timeout=30).topics.keys())

    def configs(admin):
        res = ConfigResource("TOPIC", topic)
        entries = admin.describe_configs([res])[res].result(timeout=60)
        return {k: (e.value or "") for k, e in entries.items()}

    def consume(group, expect, member, records, stop=None):
        conf = dict(base, **{"group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False})
        consumer = Consumer(conf)
        consumer.subscribe([topic])
        processed = {}
        try:
            while len(records) < expect and time.time() < deadline and not (stop and stop(records)):
                m = consumer.poll(0.5)
                if m is None or m.error():
                    continue
                records.append(rec(m.partition(), m.offset(), m.key(), m.value(), member))
                processed[m.partition()] = m.offset() + 1
            if processed:
                consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in processed.items()], asynchronous=False)
        finally:
            consumer.close()

    if op == "create-topic":
        admin = AdminClient(base)
        admin.create_topics([NewTopic(topic, req["partitions"], 1)])[topic].result(timeout=60)
        # CreateTopics answers once the controller has the topic; the broker's metadata cache, which
        # answers the Metadata request behind list_topics, learns of it a moment later (KRaft applies
        # the record asynchronously), so wait for it to be listed rather than list once.
        listed = topics(admin)
        while topic not in listed and time.time() < deadline:
            time.sleep(0.2)
            listed = topics(admin)
        return {"ok": True, "topics": listed}
    if op == "produce":
        producer = Producer(dict(base, **{"compression.type": req["codec"], "enable.idempotence": req["idempotent"], "acks": "all"}))
        errors, acked = [], [0]

        def report(err, _msg):
            if err:
                errors.append(str(err))
            else:
                acked[0] += 1

        for i in range(req["count"]):
            while True:
                try:
                    producer.produce(topic, key=f"k{i}", value=f"{req['codec']}-{i}", on_delivery=report)
                    break
                except BufferError:
                    producer.poll(0.1)
            producer.poll(0)
        producer.flush(timeout)
        if errors:
            return {"ok": False, "error": errors[0]}
        return {"ok": True, "produced": acked[0]}
    if op == "consume-assign":
        consumer = Consumer(dict(base, **{"group.id": "unused-assign", "enable.auto.commit": False}))
        md = consumer.list_topics(topic, timeout=30)
        consumer.assign([TopicPartition(topic, p, -2) for p in md.topics[topic].partitions])
        records = []
        while len(records) < req["expect"] and time.time() < deadline:
            m = consumer.poll(0.5)
            if m is not None and not m.error():
                records.append(rec(m.partition(), m.offset(), m.key(), m.value(), 0))
        consumer.close()
        if len(records) < req["expect"]:
            return {"ok": False, "error": f"timed out: consumed {len(records)} of {req['expect']}"}
        return {"ok": True, "records": records}
    if op == "consume-group":
        records = []
        threads = [threading.Thread(target=consume, args=(req["group"], req["expect"], m, records)) for m in range(req["members"])]
        [t.start() for t in threads]
        [t.join() for t in threads]
        if len(records) < req["expect"]:
            return {"ok": False, "error": f"timed out: the group consumed {len(records)} of {req['expect']}"}
        return {"ok": True, "records": records}
    if op == "commit-resume":
        records = []
        consume(req["group"], req["expect"], 0, records, stop=lambda r: len(r) >= req["firstBatch"])
        consume(req["group"], req["expect"], 1, records)
        if len(records) < req["expect"]:
            return {"ok": False, "error": f"timed out: consumed {len(records)} of {req['expect']}"}
        return {"ok": True, "records": records}
    if op == "describe-configs":
        return {"ok": True, "configs": configs(AdminClient(base))}
    if op == "alter-config":
        from confluent_kafka.admin import AlterConfigOpType, ConfigEntry

        admin = AdminClient(base)
        res = ConfigResource("TOPIC", topic, incremental_configs=[ConfigEntry(req["name"], req["value"], incremental_operation=AlterConfigOpType.SET)])
        admin.incremental_alter_configs([res])[res].result(timeout=60)
        return {"ok": True, "configs": configs(admin)}
    if op == "delete-topic":
        admin = AdminClient(base)
        admin.delete_topics([topic])[topic].result(timeout=60)
        # Deletion completes asynchronously (Kafka answers before every broker has dropped the topic).
        listed = topics(admin)
        while topic in listed and time.time() < deadline:
            time.sleep(0.5)
            listed = topics(admin)
        return {"ok": True, "topics": listed}
    if op == "auth":
        errors = []
        admin = AdminClient(dict(base, **{"error_cb": lambda e: errors.append(e)}))
        try:
            admin.list_topics(timeout=30)
            return {"ok": True, "refused": False}
        except KafkaException as e:
            admin.poll(1)  # serves error_cb, which carries the authentication error
            text = " ".join([str(e)] + [str(x) for x in errors])
            return {"ok": True, "refused": "uthentication" in text, "error": text}
    return {"ok": False, "error": f"unknown op {op}"}


# ---------------------------------------------------------------- kafka-python
def kafka_python(req):
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
    from kafka.errors import KafkaError
    from kafka.structs import OffsetAndMetadata

    c = req["connection"]
    base = {
        "bootstrap_servers": c["bootstrap"].split(","),
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": c["mechanism"],
        "sasl_plain_username": c["username"],
        "sasl_plain_password": c["password"],
        "request_timeout_ms": 30000,
    }
    op, topic = req["op"], req["topic"]
    deadline = time.time() + req["timeoutMs"] / 1000

    def configs(admin):
        try:
            # kafka-python 3.x: {resource type: {name: {key: {value...}}}}, only modified keys unless asked for all.
            result = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)], config_filter="all")
        except TypeError:
            result = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        if isinstance(result, dict):
            for by_name in result.values():
                entries = by_name.get(topic, {}) if isinstance(by_name, dict) else {}
                if entries:
                    return {k: str((v.get("value") if isinstance(v, dict) else v) or "") for k, v in entries.items()}
            return {}
        resources = result[0].resources if isinstance(result, list) else result.resources
        return {e[0]: (e[1] or "") for e in resources[0][4]}

    def consume(group, expect, member, records, stop=None):
        consumer = KafkaConsumer(topic, group_id=group, auto_offset_reset="earliest", enable_auto_commit=False, **base)
        processed = {}
        try:
            while len(records) < expect and time.time() < deadline and not (stop and stop(records)):
                for tp, msgs in consumer.poll(timeout_ms=500, max_records=200).items():
                    for m in msgs:
                        if stop and stop(records):
                            break
                        records.append(rec(m.partition, m.offset, m.key, m.value, member))
                        processed[tp] = m.offset + 1
            if processed:
                consumer.commit({tp: OffsetAndMetadata(o, "", -1) for tp, o in processed.items()})
        finally:
            consumer.close()

    if op == "create-topic":
        admin = KafkaAdminClient(**base)
        admin.create_topics([NewTopic(topic, req["partitions"], 1)])
        return {"ok": True, "topics": admin.list_topics()}
    if op == "produce":
        codec = None if req["codec"] == "none" else req["codec"]
        extra = {"enable_idempotence": True} if req["idempotent"] else {}
        producer = KafkaProducer(compression_type=codec, acks="all", **extra, **base)
        futures = [producer.send(topic, key=f"k{i}".encode(), value=f"{req['codec']}-{i}".encode()) for i in range(req["count"])]
        producer.flush()
        for f in futures:
            f.get(timeout=60)
        producer.close()
        return {"ok": True, "produced": len(futures)}
    if op == "consume-assign":
        consumer = KafkaConsumer(enable_auto_commit=False, **base)
        parts = [TopicPartition(topic, p) for p in (consumer.partitions_for_topic(topic) or [])]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        records = []
        while len(records) < req["expect"] and time.time() < deadline:
            for msgs in consumer.poll(timeout_ms=500).values():
                records.extend(rec(m.partition, m.offset, m.key, m.value, 0) for m in msgs)
        consumer.close()
        if len(records) < req["expect"]:
            return {"ok": False, "error": f"timed out: consumed {len(records)} of {req['expect']}"}
        return {"ok": True, "records": records}
    if op == "consume-group":
        records = []
        threads = [threading.Thread(target=consume, args=(req["group"], req["expect"], m, records)) for m in range(req["members"])]
        [t.start() for t in threads]
        [t.join() for t in threads]
        if len(records) < req["expect"]:
            return {"ok": False, "error": f"timed out: the group consumed {len(records)} of {req['expect']}"}
        return {"ok": True, "records": records}
    if op == "commit-resume":
        records = []
        consume(req["group"], req["expect"], 0, records, stop=lambda r: len(r) >= req["firstBatch"])
        consume(req["group"], req["expect"], 1, records)
        if len(records) < req["expect"]:
            return {"ok": False, "error": f"timed out: consumed {len(records)} of {req['expect']}"}
        return {"ok": True, "records": records}
    if op == "describe-configs":
        return {"ok": True, "configs": configs(KafkaAdminClient(**base))}
    if op == "alter-config":
        admin = KafkaAdminClient(**base)
        admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={req["name"]: req["value"]})])
        return {"ok": True, "configs": configs(admin)}
    if op == "delete-topic":
        admin = KafkaAdminClient(**base)
        admin.delete_topics([topic])
        return {"ok": True, "topics": admin.list_topics()}
    if op == "auth":
        import logging

        class Seen(logging.Handler):
            messages = []

            def emit(self, record):
                Seen.messages.append(record.getMessage())

        # kafka-python reports the SASL failure in its log and then gives up bootstrapping with a timeout.
        logging.getLogger("kafka").addHandler(Seen())
        logging.getLogger("kafka").setLevel(logging.ERROR)
        try:
            KafkaAdminClient(**base).list_topics()
            return {"ok": True, "refused": False}
        except KafkaError as e:
            text = " ".join([f"{type(e).__name__}: {e}"] + [m for m in Seen.messages if "uthentication" in m][:1])
            return {"ok": True, "refused": "uthentication" in text, "error": text}
    return {"ok": False, "error": f"unknown op {op}"}


def main():
    req = json.loads(sys.stdin.read())
    try:
        result = confluent(req) if sys.argv[1] == "confluent" else kafka_python(req)
    except Exception as e:  # every failure becomes a result the runner can report
        result = {"ok": False, "error": f"{type(e).__name__}: {e}"}
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    import os

    os._exit(0)


if __name__ == "__main__":
    main()
