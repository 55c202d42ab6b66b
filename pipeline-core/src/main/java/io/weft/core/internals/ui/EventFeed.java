package io.weft.core.internals.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.schemas.events.RunEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code weft.events} for the UI, {@code read_committed}, from {@code history} ago, once
 * {@link #start started} (on the UI's first request, so that an installation whose UI nobody opens
 * pays nothing for it). Keeps the events of the most recently active runs as they came (Avro, by
 * the record key, the run id), at most {@code maxEvents} in all, dropping the least recently active
 * run first, and decodes them only when asked ({@link #events}) or when a listener wants them
 * ({@link #subscribe}). A record it cannot decode is logged and skipped.
 */
final class EventFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);

  private final Map<String, Object> consumerProps;
  private KafkaConsumer<byte[], byte[]> consumer; // made on start, by this, then the thread's
  private final String topic;
  private final Deserializer<RunEvent> deserializer;
  private final Duration history;
  private final RecentRuns runs;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** Told of each event as it is read: its run id, and its JSON, decoded on first request. */
  interface Listener {
    void accept(String runId, Supplier<ObjectNode> event);
  }

  EventFeed(
      Map<String, Object> consumerProps,
      String topic,
      Deserializer<RunEvent> deserializer,
      Duration history,
      int maxEvents) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "weft-ui-events");
    this.consumerProps = props;
    this.topic = topic;
    this.deserializer = deserializer;
    this.history = history;
    this.runs = new RecentRuns(maxEvents);
    this.thread = new Thread(this::follow, "weft-ui-events");
    thread.setDaemon(true);
  }

  /** Starts following, if not yet (nor closed): the consumer is made here, not before. */
  synchronized void start() {
    if (running && consumer == null) {
      consumer =
          new KafkaConsumer<>(
              consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      thread.start();
    }
  }

  /** The kept events of {@code runId}, in order, as a JSON array (empty if none are kept). */
  ArrayNode events(String runId) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (byte[] value : runs.events(runId)) {
      ObjectNode event = decode(value);
      if (event != null) {
        array.add(event);
      }
    }
    return array;
  }

  /** Calls {@code listener} with every event read from now on, from the feed's thread. */
  AutoCloseable subscribe(Listener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void follow() {
    try {
      seekToHistory();
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          accept(record);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("The UI's event feed stopped; run pages no longer update live", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void seekToHistory() {
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    consumer.assign(partitions);
    long from = Instant.now().minus(history).toEpochMilli();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, from));
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = offsets.get(partition);
      if (offset == null) {
        consumer.seekToEnd(List.of(partition));
      } else {
        consumer.seek(partition, offset.offset());
      }
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    String runId = new String(record.key(), StandardCharsets.UTF_8);
    runs.add(runId, record.value());
    if (!listeners.isEmpty()) {
      Supplier<ObjectNode> json = memoized(record.value());
      for (Listener listener : listeners) {
        try {
          listener.accept(runId, json);
        } catch (RuntimeException e) {
          log.debug("A UI listener failed: {}", e.toString());
        }
      }
    }
  }

  private Supplier<ObjectNode> memoized(byte[] value) {
    return new Supplier<>() {
      private ObjectNode json;
      private boolean decoded;

      @Override
      public synchronized ObjectNode get() {
        if (!decoded) {
          json = decode(value);
          decoded = true;
        }
        return json;
      }
    };
  }

  /** The event as JSON, or null (logged) if it cannot be decoded. */
  private ObjectNode decode(byte[] value) {
    try {
      RunEvent event = deserializer.deserialize(topic, value);
      return event == null ? null : AvroJson.event(event);
    } catch (RuntimeException e) {
      log.warn("Skipping an undecodable record of {}: {}", topic, e.getMessage());
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      running = false;
      if (consumer == null) {
        return;
      }
      consumer.wakeup();
    }
    thread.join(10_000);
  }
}
