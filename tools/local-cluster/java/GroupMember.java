// One real Java kafka-clients process for the consumer-group integration tests
// (tools/local-cluster/src/groups-*.int.spec.ts, issue 7). Compiled at test time against the
// kafka-clients jars fetched by @stratus/kafka-reference's fetchMavenClasspath.
//
//   java GroupMember produce  key=value...   bootstrap, username, password, topic, partitions, perPartition
//                                            (create=true creates the topic first)
//   java GroupMember consume  key=value...   bootstrap, username, password, topic, pollDelayMs, plus any
//                                            consumer config (group.id, group.protocol, group.instance.id, ...)
//
// The consumer prints one JSON object per line on stdout so the test can follow it:
//   {"ev":"gen","generation":G,"member":"id"}     group generation (classic) / member epoch (KIP-848) changed
//   {"ev":"assigned","parts":[0,3,...]}          the consumer's whole assignment changed
//   {"ev":"rec","p":P,"o":O}                      a record handed to the application
//   {"ev":"commit","p":P,"o":O}                   offset O of partition P committed (commitSync returned)
// It commits synchronously after every poll that returned records, so what it printed as
// committed is acknowledged by the coordinator. "close" on stdin closes the consumer cleanly.
import java.io.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.*;

public class GroupMember {
  static final Map<String, String> args = new LinkedHashMap<>();
  static final Set<String> OWN = new HashSet<>(Arrays.asList("bootstrap", "username", "password", "topic", "partitions", "perPartition", "pollDelayMs", "create"));

  static String arg(String k) {
    String v = args.get(k);
    if (v == null) throw new IllegalArgumentException("missing " + k + "=");
    return v;
  }

  static Properties connection() {
    Properties p = new Properties();
    p.put("bootstrap.servers", arg("bootstrap"));
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", "SCRAM-SHA-256");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + arg("username") + "\" password=\"" + arg("password") + "\";");
    return p;
  }

  static synchronized void out(String json) {
    System.out.println(json);
    System.out.flush();
  }

  public static void main(String[] argv) throws Exception {
    for (int i = 1; i < argv.length; i++) {
      int eq = argv[i].indexOf('=');
      args.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
    }
    if (argv[0].equals("produce")) produce();
    else consume();
  }

  /** perPartition records into every partition, explicitly partitioned so the counts are exact. */
  static void produce() throws Exception {
    Properties p = connection();
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", "5");
    int partitions = Integer.parseInt(arg("partitions"));
    int per = Integer.parseInt(arg("perPartition"));
    if ("true".equals(args.get("create"))) {
      try (Admin admin = Admin.create(connection())) {
        admin.createTopics(Collections.singletonList(new NewTopic(arg("topic"), partitions, (short) -1))).all().get();
      }
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < per; i++)
        for (int part = 0; part < partitions; part++) sent.add(producer.send(new ProducerRecord<>(arg("topic"), part, "k" + part, "v" + part + "-" + i)));
      for (java.util.concurrent.Future<RecordMetadata> f : sent) f.get();
    }
    out("{\"ev\":\"produced\",\"count\":" + (partitions * per) + "}");
  }

  static String parts(Collection<TopicPartition> tps) {
    StringBuilder b = new StringBuilder("[");
    tps.stream().map(TopicPartition::partition).sorted().forEach(n -> b.append(b.length() > 1 ? "," : "").append(n));
    return b.append("]").toString();
  }

  static void consume() throws Exception {
    Properties p = connection();
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("max.poll.records", "20");
    for (Map.Entry<String, String> e : args.entrySet()) if (!OWN.contains(e.getKey())) p.put(e.getKey(), e.getValue());
    long pollDelayMs = Long.parseLong(args.getOrDefault("pollDelayMs", "100"));
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    AtomicBoolean closing = new AtomicBoolean(false);
    Thread stdin = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in))) {
        String line;
        while ((line = r.readLine()) != null) if (line.trim().equals("close")) break;
      } catch (IOException ignored) {
        // stdin gone: close as well
      }
      closing.set(true);
      consumer.wakeup();
    });
    stdin.setDaemon(true);
    stdin.start();
    consumer.subscribe(Collections.singletonList(arg("topic")));
    String lastAssigned = null;
    String lastGen = null;
    try {
      while (!closing.get()) {
        ConsumerRecords<String, String> records;
        try {
          records = consumer.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
          break;
        }
        ConsumerGroupMetadata meta = consumer.groupMetadata();
        String gen = "{\"ev\":\"gen\",\"generation\":" + meta.generationId() + ",\"member\":\"" + meta.memberId() + "\"}";
        if (!gen.equals(lastGen)) out(lastGen = gen);
        String assigned = parts(consumer.assignment());
        if (!assigned.equals(lastAssigned)) out("{\"ev\":\"assigned\",\"parts\":" + (lastAssigned = assigned) + "}");
        if (records.isEmpty()) continue;
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
          out("{\"ev\":\"rec\",\"p\":" + r.partition() + ",\"o\":" + r.offset() + "}");
          next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        try {
          consumer.commitSync(next);
          for (Map.Entry<TopicPartition, OffsetAndMetadata> e : next.entrySet()) out("{\"ev\":\"commit\",\"p\":" + e.getKey().partition() + ",\"o\":" + e.getValue().offset() + "}");
        } catch (WakeupException e) {
          break;
        } catch (Exception e) {
          // A commit refused during a rebalance: those records will be delivered again (at least once).
          out("{\"ev\":\"commitFailed\",\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
        if (pollDelayMs > 0) Thread.sleep(pollDelayMs);
      }
    } finally {
      consumer.close(Duration.ofSeconds(20));
      out("{\"ev\":\"closed\"}");
    }
  }
}
