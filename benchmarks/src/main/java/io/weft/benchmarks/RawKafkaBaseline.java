package io.weft.benchmarks;

import io.weft.core.api.TransactionTuning;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Section 1, raw Kafka on the same broker, with the producer settings Weft's workers use (acks=all,
 * idempotence, linger.ms=0, no compression) and consumers reading {@code read_committed} as Weft's
 * do: producer records/s of 200-byte records, and one-hop produce-to-consume latency at a low rate.
 */
final class RawKafkaBaseline implements Section {

  static final String NAME = "raw Kafka";
  private static final int RECORD_BYTES = 200;
  private static final int PARTITIONS = 12;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchContext context) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String throughputTopic = "bench-raw-throughput-" + suffix;
    String latencyTopic = "bench-raw-latency-" + suffix;
    context.stack().createTopic(throughputTopic, PARTITIONS);
    context.stack().createTopic(latencyTopic, 1);
    double rate = producerRate(context, throughputTopic);
    Percentiles latency = oneHopLatency(context, latencyTopic);
    Percentiles defaults = transactionLatency(context, throughputTopic, Map.of(), 0);
    Percentiles tuned =
        transactionLatency(context, throughputTopic, TransactionTuning.producerSettings(), 0);
    Percentiles gap = transactionLatency(context, throughputTopic, Map.of(), 1);
    context.rawBaseline(rate, latency.at(50), latency.at(99));
    context
        .report()
        .add(Measure.of(NAME, "producer records/s (200 B, acks=all)", rate, "rec/s", null));
    context.report().add(Measure.of(NAME, "one-hop latency p50", latency.at(50), "ms", null));
    context.report().add(Measure.of(NAME, "one-hop latency p99", latency.at(99), "ms", null));
    addTransactions(
        context,
        "Weft's producer settings, back to back",
        tuned,
        "begin, send, sendOffsetsToTransaction, commitTransaction, as a worker commits a result,"
            + " with retry.backoff.ms="
            + TransactionTuning.RETRY_BACKOFF_MS
            + " and retry.backoff.max.ms="
            + TransactionTuning.RETRY_BACKOFF_MAX_MS
            + ": the floor under every exactly-once hop");
    addTransactions(
        context,
        "producer defaults, back to back",
        defaults,
        "the next transaction meets the previous one's markers in progress and backs off"
            + " retry.backoff.ms (100 ms by default)");
    addTransactions(
        context,
        "producer defaults, 1 ms after each commit",
        gap,
        "the markers of the previous transaction are written by then");
  }

  private static void addTransactions(
      BenchContext context, String how, Percentiles millis, String note) {
    context
        .report()
        .add(Measure.of(NAME, "transaction p50, " + how, millis.at(50), "ms", null).withNote(note));
    context.report().add(Measure.of(NAME, "transaction p99, " + how, millis.at(99), "ms", null));
  }

  /** Latency of one transaction as a worker commits a result: a record and consumer offsets. */
  private static Percentiles transactionLatency(
      BenchContext context, String topic, Map<String, Object> extra, long gapMillis)
      throws InterruptedException {
    Map<String, Object> props = producerSettings(context.stack().bootstrapServers());
    props.putAll(extra);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-raw-" + UUID.randomUUID());
    int samples = context.plan().rawTransactions();
    List<Double> millis = new ArrayList<>(samples);
    ConsumerGroupMetadata group = new ConsumerGroupMetadata("bench-raw-" + UUID.randomUUID());
    TopicPartition consumed = new TopicPartition(topic, 0);
    byte[] value = new byte[RECORD_BYTES];
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      for (int i = 0; i <= samples; i++) {
        long start = System.nanoTime();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, Integer.toString(i), value));
        producer.sendOffsetsToTransaction(Map.of(consumed, new OffsetAndMetadata(i + 1)), group);
        producer.commitTransaction();
        if (i > 0) { // the first one sets up the transaction
          millis.add((System.nanoTime() - start) / 1e6);
        }
        if (gapMillis > 0) {
          TimeUnit.MILLISECONDS.sleep(gapMillis); // pacing the measured load, not waiting on it
        }
      }
    }
    return new Percentiles(millis);
  }

  /** The engine's producer settings (see the worker's and the client's producers). */
  static Map<String, Object> producerSettings(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    return props;
  }

  private static double producerRate(BenchContext context, String topic) throws Exception {
    byte[] value = new byte[RECORD_BYTES];
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            producerSettings(context.stack().bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      // warm up the connection and metadata
      producer.send(new ProducerRecord<>(topic, "warm-up", value)).get(30, TimeUnit.SECONDS);
      long sent = 0;
      long start = System.nanoTime();
      long end = start + context.plan().rawProduce().toNanos();
      while (System.nanoTime() < end) {
        producer.send(
            new ProducerRecord<>(topic, Long.toString(sent++), value),
            (metadata, e) -> {
              if (e == null) {
                acked.incrementAndGet();
              } else {
                failure.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (failure.get() != null) {
        throw new IllegalStateException("Raw produce failed: " + failure.get(), failure.get());
      }
      return acked.get() / seconds;
    }
  }

  private static Percentiles oneHopLatency(BenchContext context, String topic) throws Exception {
    Map<String, Object> consumerProps = new HashMap<>();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, context.stack().bootstrapServers());
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int samples = context.plan().rawLatencySamples();
    List<Double> millis = new ArrayList<>(samples);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                producerSettings(context.stack().bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      Thread sender =
          new Thread(
              () -> send(producer, topic, samples, context.plan().rawLatencyPause(), failure),
              "bench-raw-latency-sender");
      sender.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (millis.size() < samples && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          long sentAt = ByteBuffer.wrap(record.value()).getLong();
          millis.add((now - sentAt) / 1e6);
        }
      }
      sender.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Raw latency produce failed: " + failure.get());
    }
    return new Percentiles(millis);
  }

  private static void send(
      KafkaProducer<String, byte[]> producer,
      String topic,
      int samples,
      Duration pause,
      AtomicReference<Exception> failure) {
    try {
      for (int i = 0; i < samples; i++) {
        byte[] value = ByteBuffer.allocate(RECORD_BYTES).putLong(System.nanoTime()).array();
        producer.send(new ProducerRecord<>(topic, Integer.toString(i), value)).get();
        TimeUnit.NANOSECONDS.sleep(pause.toNanos());
      }
    } catch (Exception e) {
      failure.compareAndSet(null, e);
    }
  }
}
