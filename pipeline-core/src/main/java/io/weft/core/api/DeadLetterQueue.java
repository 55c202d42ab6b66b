package io.weft.core.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.common.WeftException;
import io.weft.core.internals.client.TopicSnapshot;
import io.weft.core.internals.config.PassThrough;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The dead-letter topic ({@code weft.dlq}) for people: its records with the headers saying where
 * each came from and why it was set aside, and the replay of chosen ones to where they came from
 * (the same topic and partition, key, value and headers) once what was wrong is fixed.
 *
 * <p>A replay writes the record and a mark on {@code weft.dlq.replays} (compacted, keyed by the
 * dead letter's {@code partition:offset}) in one transaction, so a dead letter is replayed once:
 * replaying a marked one again is refused unless forced. The transactional id is the same for every
 * replayer of an installation, so two replays at once do not both commit.
 */
public final class DeadLetterQueue {

  /** Header of a replayed record: the dead letter it came from, {@code <topic>:<p>:<offset>}. */
  public static final String REPLAYED_FROM = "weft.dlq.replayed-from";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final WeftTopics topics;
  private final Map<String, Object> clientProps;
  private final Map<String, ?> settings;

  /** One dead letter: {@link #id()} is {@code partition:offset} on the dead-letter topic. */
  public record DeadLetter(
      int partition,
      long offset,
      Instant timestamp,
      byte[] key,
      byte[] value,
      Map<String, String> headers,
      Optional<String> replay) {

    public String id() {
      return partition + ":" + offset;
    }

    public String originTopic() {
      return headers.get(DeadLetterHeaders.TOPIC);
    }

    public Optional<Integer> originPartition() {
      return number(DeadLetterHeaders.PARTITION).map(Long::intValue);
    }

    public Optional<Long> originOffset() {
      return number(DeadLetterHeaders.OFFSET);
    }

    public String errorClass() {
      return headers.get(DeadLetterHeaders.ERROR_CLASS);
    }

    public String errorMessage() {
      return headers.get(DeadLetterHeaders.ERROR_MESSAGE);
    }

    public String component() {
      return headers.get(DeadLetterHeaders.COMPONENT);
    }

    private Optional<Long> number(String header) {
      try {
        return Optional.ofNullable(headers.get(header)).map(Long::parseLong);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /** Where a replay wrote the record. */
  public record Replayed(String deadLetter, String topic, int partition, long offset) {}

  private DeadLetterQueue(Map<String, ?> settings, ClientConfig config) {
    this.settings = settings;
    this.topics = config.topics();
    this.clientProps = new HashMap<>(PassThrough.security(settings));
    clientProps.put("bootstrap.servers", String.join(",", config.getList("bootstrap.servers")));
    try (Admin admin = Admin.create(props("admin."))) {
      config.topicAdmin(admin).ensure(List.of(topics.deadLetters(), topics.deadLetterReplays()));
    }
  }

  /** With the connection settings of {@link WeftClient}; creates the topics if missing. */
  public static DeadLetterQueue create(Map<String, ?> settings) {
    return new DeadLetterQueue(settings, new ClientConfig(settings));
  }

  /** The newest {@code limit} dead letters, oldest first, each with its replay if it had one. */
  public List<DeadLetter> list(int limit) {
    Map<String, String> replays = replays();
    List<DeadLetter> all = new ArrayList<>();
    TopicSnapshot.forEach(
        props("consumer."),
        topics.deadLetters(),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        TIMEOUT,
        record -> all.add(deadLetter(record, replays)));
    all.sort(Comparator.comparing(DeadLetter::timestamp).thenComparing(DeadLetter::id));
    return all.subList(Math.max(0, all.size() - limit), all.size());
  }

  /** The dead letter {@code id} ({@code partition:offset}), if there is one. */
  public Optional<DeadLetter> get(String id) {
    return find(id).map(record -> deadLetter(record, replays()));
  }

  private Optional<ConsumerRecord<byte[], byte[]>> find(String id) {
    TopicPartition partition;
    long offset;
    try {
      String[] parts = id.split(":");
      partition = new TopicPartition(topics.deadLetters(), Integer.parseInt(parts[0]));
      offset = Long.parseLong(parts[1]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + id + "' is not a dead letter's id: partition:offset, e.g. 0:42");
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      if (consumer.partitionsFor(topics.deadLetters(), TIMEOUT).stream()
          .noneMatch(p -> p.partition() == partition.partition())) {
        return Optional.empty();
      }
      consumer.assign(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).getOrDefault(partition, 0L);
      if (offset < 0 || offset >= end) {
        return Optional.empty();
      }
      consumer.seek(partition, offset);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline && consumer.position(partition) <= offset) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() >= offset) {
            return record.offset() == offset ? Optional.of(record) : Optional.empty();
          }
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Writes the dead letter {@code id} back to the topic and partition it came from, with its key,
   * value and original headers, and marks it replayed, in one transaction.
   *
   * @throws IllegalArgumentException if there is no such dead letter, if its headers do not say
   *     where it came from, or if it was replayed before and {@code force} is false
   */
  public Replayed replay(String id, boolean force) {
    ConsumerRecord<byte[], byte[]> record =
        find(id)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no dead letter " + id + " on " + topics.deadLetters()));
    DeadLetter letter = deadLetter(record, replays());
    if (letter.replay().isPresent() && !force) {
      throw new IllegalArgumentException(
          "dead letter "
              + id
              + " was replayed before ("
              + letter.replay().get()
              + "); replaying it again must be forced");
    }
    if (letter.originTopic() == null || letter.originPartition().isEmpty()) {
      throw new IllegalArgumentException(
          "dead letter " + id + " does not say where it came from (no origin headers)");
    }
    Headers headers = new RecordHeaders();
    record
        .headers()
        .forEach(
            h -> {
              if (!h.key().startsWith("weft.dlq.")) {
                headers.add(h);
              }
            });
    String from = topics.deadLetters() + ":" + id;
    headers.add(REPLAYED_FROM, from.getBytes(StandardCharsets.UTF_8));
    Map<String, Object> props = props("producer.");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.prefix() + "dlq-replay");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      var sent =
          producer.send(
              new ProducerRecord<>(
                  letter.originTopic(),
                  letter.originPartition().get(),
                  letter.key(),
                  letter.value(),
                  headers));
      ObjectNode mark = JSON.createObjectNode();
      mark.put("replayedAt", Instant.now().toString());
      mark.put("topic", letter.originTopic());
      mark.put("partition", letter.originPartition().get());
      producer.send(
          new ProducerRecord<>(
              topics.deadLetterReplays(),
              id.getBytes(StandardCharsets.UTF_8),
              JSON.writeValueAsBytes(mark)));
      producer.commitTransaction();
      RecordMetadata metadata = sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new Replayed(id, metadata.topic(), metadata.partition(), metadata.offset());
    } catch (IOException | ExecutionException | TimeoutException e) {
      throw new WeftException("Replaying dead letter " + id + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeftException("Interrupted while replaying dead letter " + id, e);
    }
  }

  /** The replays so far: the dead letter's id, and where it went and when (JSON text). */
  public Map<String, String> replays() {
    return TopicSnapshot.read(
        props("consumer."), topics.deadLetterReplays(), new StringDeserializer(), TIMEOUT);
  }

  private static DeadLetter deadLetter(
      ConsumerRecord<byte[], byte[]> record, Map<String, String> replays) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(
          header.key(),
          header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    String id = record.partition() + ":" + record.offset();
    return new DeadLetter(
        record.partition(),
        record.offset(),
        Instant.ofEpochMilli(record.timestamp()),
        record.key(),
        record.value(),
        headers,
        Optional.ofNullable(replays.get(id)));
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> props = props("consumer.");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private Map<String, Object> props(String prefix) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.putAll(PassThrough.withPrefix(settings, prefix));
    return props;
  }
}
