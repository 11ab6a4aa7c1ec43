// Drives the Java kafka-clients through the golden-capture scenario (see ../README.md). Every step
// uses its own client.id so the recorder can keep one frame per step (e.g. one Produce per codec).
// Usage: java -cp <kafka-clients classpath>:. GoldenCapture <plaintext-bootstrap> <sasl-bootstrap> <user> <password> <topic> <group>
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class GoldenCapture {
  private static final String[] CODECS = {"none", "gzip", "snappy", "lz4", "zstd"};

  public static void main(String[] args) throws Exception {
    String plain = args[0], sasl = args[1], user = args[2], password = args[3], topic = args[4], group = args[5];

    try (Admin admin = Admin.create(base(plain, "java-admin"))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      admin.listTopics().names().get();
    }

    for (String codec : CODECS) {
      Properties p = base(plain, "java-produce-" + codec);
      p.put("enable.idempotence", "true");
      p.put("acks", "all");
      p.put("compression.type", codec);
      p.put("key.serializer", StringSerializer.class.getName());
      p.put("value.serializer", StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        for (int i = 0; i < 3; i++) producer.send(new ProducerRecord<>(topic, "key-" + i, "golden " + codec + " record " + i)).get();
      }
    }

    Properties t = base(plain, "java-txn");
    t.put("transactional.id", "golden-java-txn");
    t.put("key.serializer", StringSerializer.class.getName());
    t.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(t)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "txn", "golden transactional record")).get();
      producer.commitTransaction();
    }

    consume(plain, "java-consumer-classic", group + "-classic", "classic", topic);
    consume(plain, "java-consumer-kip848", group + "-kip848", "consumer", topic);

    for (String mechanism : new String[] {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"}) {
      Properties s = base(sasl, "java-sasl-" + mechanism.toLowerCase());
      s.put("security.protocol", "SASL_PLAINTEXT");
      s.put("sasl.mechanism", mechanism);
      String module = mechanism.equals("PLAIN")
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      s.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
      try (Admin admin = Admin.create(s)) {
        admin.listTopics().names().get();
      }
    }
    System.out.println("GOLDEN-CAPTURE-DONE");
  }

  private static void consume(String bootstrap, String clientId, String group, String protocol, String topic) {
    Properties c = base(bootstrap, clientId);
    c.put("group.id", group);
    c.put("group.protocol", protocol);
    c.put("auto.offset.reset", "earliest");
    c.put("enable.auto.commit", "false");
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", StringDeserializer.class.getName());
    if (protocol.equals("classic")) c.put("heartbeat.interval.ms", "200");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      int seen = 0;
      long deadline = System.currentTimeMillis() + 30_000;
      while (seen < 16 && System.currentTimeMillis() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        seen += records.count();
      }
      if (seen < 16) throw new IllegalStateException(clientId + " consumed only " + seen + " records");
      // Stay in the group a little longer so at least one Heartbeat is sent, then commit.
      long until = System.currentTimeMillis() + 1_000;
      while (System.currentTimeMillis() < until) consumer.poll(Duration.ofMillis(100));
      consumer.commitSync();
    }
  }

  private static Properties base(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", clientId);
    return p;
  }
}
