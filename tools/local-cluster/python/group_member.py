"""One real librdkafka group member (confluent-kafka for Python) for the consumer-group chaos tests
(tools/local-cluster/src/groups-librdkafka.chaos.spec.ts, issue 7). Each member is its own OS process
so a test can kill -9 it. Runs in the venv tools/compat prepares (@stratus/compat pythonVenv).

  group_member.py produce key=value...   bootstrap, mechanism, username, password, topic, partitions,
                                         perPartition (create=true creates the topic first)
  group_member.py consume key=value...   bootstrap, mechanism, username, password, topic, pollDelayMs,
                                         batch, plus any librdkafka consumer property (group.id,
                                         session.timeout.ms, group.protocol, ...)

It prints the same JSON lines as tools/local-cluster/java/GroupMember.java:
  {"ev":"gen","generation":-1,"member":"id"}   the member id changed (librdkafka hides the generation)
  {"ev":"assigned","parts":[0,3,...]}          the consumer's whole assignment changed
  {"ev":"rec","p":P,"o":O}                      a record handed to the application
  {"ev":"commit","p":P,"o":O}                   offset O of partition P committed (synchronous commit returned)
Commits are synchronous after every batch that returned records; "close" on stdin closes cleanly.
"""
import json
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

OWN = {"bootstrap", "mechanism", "username", "password", "topic", "partitions", "perPartition", "pollDelayMs", "batch", "create"}


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def parse(argv):
    args = {}
    for a in argv:
        k, _, v = a.partition("=")
        args[k] = v
    return args


def connection(args):
    return {
        "bootstrap.servers": args["bootstrap"],
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanisms": args.get("mechanism", "SCRAM-SHA-256"),
        "sasl.username": args["username"],
        "sasl.password": args["password"],
    }


def produce(args):
    topic, partitions, per = args["topic"], int(args["partitions"]), int(args["perPartition"])
    if args.get("create") == "true":
        admin = AdminClient(connection(args))
        # Right after start-up on a loaded machine the replication nodes may still be registering with
        # metadata, which answers INVALID_REPLICATION_FACTOR until 3 zones have one: try again for a while.
        for attempt in range(1, 61):
            try:
                admin.create_topics([NewTopic(topic, partitions, -1)])[topic].result(timeout=120)
                break
            except KafkaException as e:
                code = e.args[0].code() if e.args else None
                if attempt > 1 and code == KafkaError.TOPIC_ALREADY_EXISTS:
                    break
                if attempt == 60 or code != KafkaError.INVALID_REPLICATION_FACTOR:
                    raise
                sys.stderr.write(f"CreateTopics {topic}: {e}; trying again\n")
                time.sleep(2)
        # Metadata for a new topic can lag behind its creation: wait until every partition has a leader.
        deadline = time.time() + 120
        while time.time() < deadline:
            md = admin.list_topics(topic, timeout=30).topics.get(topic)
            if md is not None and md.error is None and len(md.partitions) == partitions and all(p.leader >= 0 for p in md.partitions.values()):
                break
            time.sleep(0.5)
    producer = Producer(dict(connection(args), **{"acks": "all", "enable.idempotence": True, "linger.ms": 5}))
    errors, acked = [], [0]

    def report(err, _msg):
        if err:
            errors.append(str(err))
        else:
            acked[0] += 1

    # Explicit partitions (keys k<partition>), so every partition gets exactly perPartition records.
    for i in range(per):
        for p in range(partitions):
            while True:
                try:
                    producer.produce(topic, key=f"k{p}", value=f"v{p}-{i}", partition=p, on_delivery=report)
                    break
                except BufferError:
                    producer.poll(0.1)
            producer.poll(0)
    remaining = producer.flush(180)
    if errors or remaining or acked[0] != partitions * per:
        out({"ev": "produceFailed", "errors": errors[:5], "remaining": remaining, "acked": acked[0]})
        sys.exit(1)
    out({"ev": "produced", "count": acked[0]})


def consume(args):
    conf = dict(connection(args), **{"enable.auto.commit": False, "auto.offset.reset": "earliest"})
    for k, v in args.items():
        if k not in OWN:
            conf[k] = v
    delay = int(args.get("pollDelayMs", "200")) / 1000
    batch = int(args.get("batch", "10"))
    closing = threading.Event()

    def watch_stdin():
        for line in sys.stdin:
            if line.strip() == "close":
                break
        closing.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    consumer = Consumer(conf)
    consumer.subscribe([args["topic"]])
    last_assigned, last_member = None, None
    try:
        while not closing.is_set():
            # consume() caps a poll at `batch` records, like max.poll.records does for the Java member.
            messages = consumer.consume(num_messages=batch, timeout=0.2)
            member = consumer.memberid()
            if member and member != last_member:
                last_member = member
                out({"ev": "gen", "generation": -1, "member": member})
            assigned = sorted(tp.partition for tp in consumer.assignment())
            if assigned != last_assigned:
                last_assigned = assigned
                out({"ev": "assigned", "parts": assigned})
            nxt = {}
            for m in messages:
                if m.error():
                    continue
                out({"ev": "rec", "p": m.partition(), "o": m.offset()})
                nxt[m.partition()] = m.offset() + 1
            if not nxt:
                continue
            try:
                done = consumer.commit(offsets=[TopicPartition(args["topic"], p, o) for p, o in nxt.items()], asynchronous=False)
                for tp in done or []:
                    if tp.error is None:
                        out({"ev": "commit", "p": tp.partition, "o": tp.offset})
                    else:
                        out({"ev": "commitFailed", "error": str(tp.error)})
            except KafkaException as e:
                # Refused during a rebalance: those records come again (at least once).
                out({"ev": "commitFailed", "error": str(e)})
            if delay > 0:
                time.sleep(delay)
    finally:
        consumer.close()
        out({"ev": "closed"})


if __name__ == "__main__":
    mode, rest = sys.argv[1], parse(sys.argv[2:])
    produce(rest) if mode == "produce" else consume(rest)
