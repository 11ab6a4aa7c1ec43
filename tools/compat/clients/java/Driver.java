// Java kafka-clients driver for the compatibility suite: reads one JSON request on stdin, prints one
// JSON result line. Compiled at run time against kafka-clients 4.x or 3.x (tools/compat/src/clients.ts).
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.*;

public class Driver {
  // ---- a minimal JSON reader for the flat request (one nested "connection" object) ----
  static final class Json {
    final String s; int i;
    Json(String s) { this.s = s; }
    Object value() {
      ws();
      char c = s.charAt(i);
      if (c == '{') { Map<String, Object> m = new LinkedHashMap<>(); i++; ws();
        if (s.charAt(i) == '}') { i++; return m; }
        while (true) { ws(); String k = str(); ws(); i++; m.put(k, value()); ws(); if (s.charAt(i++) == '}') return m; } }
      if (c == '"') return str();
      if (s.startsWith("true", i)) { i += 4; return true; }
      if (s.startsWith("false", i)) { i += 5; return false; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i; while (i < s.length() && "-+.eE0123456789".indexOf(s.charAt(i)) >= 0) i++;
      return Double.parseDouble(s.substring(start, i));
    }
    String str() { StringBuilder b = new StringBuilder(); i++;
      while (s.charAt(i) != '"') { char c = s.charAt(i++); if (c == '\\') { char e = s.charAt(i++);
          if (e == 'u') { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; } else b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e); }
        else b.append(c); }
      i++; return b.toString(); }
    void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
  }
  static String q(String v) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toCharArray()) { if (c == '"' || c == '\\') b.append('\\').append(c); else if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c); }
    return b.append('"').toString();
  }

  static Map<String, Object> req;
  static String str(String k) { return (String) req.get(k); }
  static int num(String k) { return ((Double) req.get(k)).intValue(); }

  static Properties props() {
    @SuppressWarnings("unchecked") Map<String, Object> c = (Map<String, Object>) req.get("connection");
    Properties p = new Properties();
    p.put("bootstrap.servers", c.get("bootstrap"));
    p.put("security.protocol", "SASL_PLAINTEXT");
    String mech = (String) c.get("mechanism");
    p.put("sasl.mechanism", mech);
    String module = mech.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule" : "org.apache.kafka.common.security.scram.ScramLoginModule";
    p.put("sasl.jaas.config", module + " required username=" + q((String) c.get("username")) + " password=" + q((String) c.get("password")) + ";");
    p.put("request.timeout.ms", "30000");
    p.put("default.api.timeout.ms", "60000");
    return p;
  }

  static final List<String> records = Collections.synchronizedList(new ArrayList<>());
  static void record(ConsumerRecord<String, String> r, int member) {
    records.add("{\"p\":" + r.partition() + ",\"o\":\"" + r.offset() + "\",\"k\":" + q(r.key() == null ? "" : r.key()) + ",\"v\":" + q(r.value() == null ? "" : r.value()) + ",\"m\":" + member + "}");
  }
  static String recordsJson() { synchronized (records) { return "[" + String.join(",", records) + "]"; } }

  static KafkaConsumer<String, String> consumer(String group) {
    Properties p = props();
    if (group != null) p.put("group.id", group);
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  static String topicsJson(Admin admin) throws Exception {
    List<String> names = new ArrayList<>();
    for (String n : admin.listTopics().names().get()) names.add(q(n));
    return "[" + String.join(",", names) + "]";
  }

  static String configsJson(Admin admin, String topic) throws Exception {
    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(res)).all().get().get(res);
    List<String> entries = new ArrayList<>();
    for (ConfigEntry e : config.entries()) entries.add(q(e.name()) + ":" + q(e.value() == null ? "" : e.value()));
    return "{" + String.join(",", entries) + "}";
  }

  static String handle() throws Exception {
    String op = str("op");
    String topic = str("topic");
    long deadline = System.currentTimeMillis() + num("timeoutMs");
    switch (op) {
      case "create-topic": try (Admin admin = Admin.create(props())) {
        admin.createTopics(List.of(new NewTopic(topic, num("partitions"), (short) 1))).all().get();
        return "{\"ok\":true,\"topics\":" + topicsJson(admin) + "}"; }
      case "produce": {
        Properties p = props();
        p.put("compression.type", str("codec"));
        p.put("enable.idempotence", String.valueOf(req.get("idempotent")));
        p.put("acks", "all");
        p.put("linger.ms", "5");
        int count = num("count");
        AtomicInteger acked = new AtomicInteger();
        List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
          for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + i, str("codec") + "-" + i), (md, e) -> { if (e == null) acked.incrementAndGet(); else errors.add(e); });
          }
          producer.flush();
        }
        if (!errors.isEmpty()) return "{\"ok\":false,\"error\":" + q(errors.get(0).toString()) + "}";
        return "{\"ok\":true,\"produced\":" + acked.get() + "}";
      }
      case "consume-assign": try (KafkaConsumer<String, String> c = consumer(null)) {
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
        c.assign(parts);
        c.seekToBeginning(parts);
        int expect = num("expect");
        while (records.size() < expect && System.currentTimeMillis() < deadline) for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) record(r, 0);
        if (records.size() < expect) return "{\"ok\":false,\"error\":" + q("timed out: consumed " + records.size() + " of " + expect) + "}";
        return "{\"ok\":true,\"records\":" + recordsJson() + "}"; }
      case "consume-group": {
        int members = num("members"), expect = num("expect");
        ExecutorService pool = Executors.newFixedThreadPool(members);
        List<Future<?>> futures = new ArrayList<>();
        for (int m = 0; m < members; m++) {
          final int member = m;
          futures.add(pool.submit(() -> { try (KafkaConsumer<String, String> c = consumer(str("group"))) {
            c.subscribe(List.of(topic));
            while (records.size() < expect && System.currentTimeMillis() < deadline) for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) record(r, member);
          } return null; }));
        }
        for (Future<?> f : futures) f.get();
        pool.shutdown();
        if (records.size() < expect) return "{\"ok\":false,\"error\":" + q("timed out: the group consumed " + records.size() + " of " + expect) + "}";
        return "{\"ok\":true,\"records\":" + recordsJson() + "}";
      }
      case "commit-resume": {
        int first = num("firstBatch"), expect = num("expect");
        try (KafkaConsumer<String, String> c = consumer(str("group"))) {
          c.subscribe(List.of(topic));
          Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
          outer:
          while (System.currentTimeMillis() < deadline) for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
            record(r, 0);
            processed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            if (records.size() >= first) break outer;
          }
          // Commit exactly what was processed, not what poll() fetched beyond it.
          c.commitSync(processed);
        }
        try (KafkaConsumer<String, String> c = consumer(str("group"))) {
          c.subscribe(List.of(topic));
          while (records.size() < expect && System.currentTimeMillis() < deadline) for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) record(r, 1);
        }
        if (records.size() < expect) return "{\"ok\":false,\"error\":" + q("timed out: consumed " + records.size() + " of " + expect) + "}";
        return "{\"ok\":true,\"records\":" + recordsJson() + "}";
      }
      case "describe-configs": try (Admin admin = Admin.create(props())) { return "{\"ok\":true,\"configs\":" + configsJson(admin, topic) + "}"; }
      case "alter-config": try (Admin admin = Admin.create(props())) {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(new ConfigEntry(str("name"), str("value")), AlterConfigOp.OpType.SET)))).all().get();
        return "{\"ok\":true,\"configs\":" + configsJson(admin, topic) + "}"; }
      case "delete-topic": try (Admin admin = Admin.create(props())) {
        admin.deleteTopics(List.of(topic)).all().get();
        return "{\"ok\":true,\"topics\":" + topicsJson(admin) + "}"; }
      case "auth": try (Admin admin = Admin.create(props())) {
        admin.listTopics().names().get(60, TimeUnit.SECONDS);
        return "{\"ok\":true,\"refused\":false}";
      } catch (ExecutionException e) {
        boolean refused = e.getCause() instanceof SaslAuthenticationException;
        return "{\"ok\":true,\"refused\":" + refused + ",\"error\":" + q(String.valueOf(e.getCause())) + "}"; }
      default: return "{\"ok\":false,\"error\":" + q("unknown op " + op) + "}";
    }
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    req = (Map<String, Object>) new Json(input).value();
    String out;
    try { out = handle(); }
    catch (Throwable t) { Throwable c = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t; out = "{\"ok\":false,\"error\":" + q(c.toString()) + "}"; }
    System.out.println();
    System.out.println(out);
    System.out.flush();
    System.exit(0);
  }
}
