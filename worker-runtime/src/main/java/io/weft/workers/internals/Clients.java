package io.weft.workers.internals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.weft.core.api.TransactionTuning;
import io.weft.schemas.registry.SchemaRegistryClient;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.WorkerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

/**
 * Makes the worker's Kafka clients and serdes from its config: the worker's settings first, then
 * the user's pass-through settings, then the settings its guarantees rest on, which always win.
 * Every client reads and writes bytes; the Avro serdes run on the poll threads, so that a bad
 * record or an unreachable registry is handled there rather than inside a client. With a meter
 * registry, each consumer and producer it makes has its client metrics there ({@code
 * KafkaClientMetrics}: {@code kafka_consumer_*}, {@code kafka_producer_*}, by {@code client_id})
 * until {@link #closeMetrics}.
 */
public final class Clients implements TaskLoopClients.Factory {

  /** How long a worker's transaction may stay open unless {@code producer.} settings say. */
  static final int TRANSACTION_TIMEOUT_MS = 10_000;

  private final WorkerConfig config;
  private final SchemaRegistryClient registry;
  private final String instance = UUID.randomUUID().toString().substring(0, 8);
  private final MeterRegistry meters;
  private final List<KafkaClientMetrics> bound = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService refresher; // one thread for every binding's refresh

  /** Clients without client metrics. */
  public Clients(WorkerConfig config) {
    this(config, null);
  }

  /** Clients whose metrics go to {@code meters} (none if null). */
  public Clients(WorkerConfig config, MeterRegistry meters) {
    this.config = config;
    this.registry = new AvroSerializer<>(config.serdeConfig(), false).registry();
    this.meters = meters;
  }

  /**
   * Unbinds the client metrics of every client made so far. A transactional producer replaced after
   * a failure keeps its binding until then; its meters go when the closed client stops reporting
   * them.
   */
  public synchronized void closeMetrics() {
    bound.forEach(KafkaClientMetrics::close);
    bound.clear();
    if (refresher != null) {
      refresher.shutdownNow();
      refresher = null;
    }
  }

  /** The thread that looks for new client metrics of every binding, started with the first. */
  private synchronized ScheduledExecutorService refresher() {
    if (refresher == null) {
      refresher =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "weft-worker-client-metrics");
                thread.setDaemon(true);
                return thread;
              });
    }
    return refresher;
  }

  private <C> C metered(C client, KafkaClientMetrics metrics) {
    metrics.bindTo(meters);
    bound.add(metrics);
    return client;
  }

  private KafkaConsumer<byte[], byte[]> metered(KafkaConsumer<byte[], byte[]> consumer) {
    return meters == null
        ? consumer
        : metered(consumer, new KafkaClientMetrics(consumer, Tags.empty(), refresher()));
  }

  private KafkaProducer<byte[], byte[]> metered(KafkaProducer<byte[], byte[]> producer) {
    return meters == null
        ? producer
        : metered(producer, new KafkaClientMetrics(producer, Tags.empty(), refresher()));
  }

  /** The consumer of one task type's topic, in the type's group, reading committed records. */
  @Override
  public KafkaConsumer<byte[], byte[]> taskConsumer(String type) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("tasks-" + type));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    props.putAll(config.consumerOverrides());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.topics().workerGroup(type));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return metered(
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  /** A consumer without a group, for following the cancellations topic. */
  public KafkaConsumer<byte[], byte[]> standaloneConsumer(String name) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(name));
    props.putAll(config.consumerOverrides());
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return metered(
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  /**
   * The transactional producer of one task type, with the id {@link #transactionalId}. Zombies are
   * fenced by the consumer group's generation, which every commit carries ({@code
   * sendOffsetsToTransaction} with the group's metadata), not by the transactional id. A
   * transaction holds results and offsets, so it times out after {@value #TRANSACTION_TIMEOUT_MS}
   * ms (Kafka Streams' default under exactly-once) rather than the producer's 60 s: a worker killed
   * inside one holds the results partition's readers back until the broker aborts it (that, plus up
   * to the broker's 10 s cleanup interval).
   */
  @Override
  public KafkaProducer<byte[], byte[]> transactionalProducer(String type) {
    return metered(
        new KafkaProducer<>(
            transactionalProducerProps(type),
            new ByteArraySerializer(),
            new ByteArraySerializer()));
  }

  Map<String, Object> transactionalProducerProps(String type) {
    Map<String, Object> props = producerProps("results-" + type);
    props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    TransactionTuning.producerSettings().forEach(props::putIfAbsent);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(type));
    return props;
  }

  /** The largest request the transactional producers send ({@code max.request.size}). */
  int maxRequestSize() {
    Object given = config.producerOverrides().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return given == null
        ? (Integer)
            ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
        : Integer.parseInt(given.toString());
  }

  /** An idempotent, non-transactional producer, for advisory reports and declarations. */
  @Override
  public KafkaProducer<byte[], byte[]> plainProducer(String name) {
    return metered(
        new KafkaProducer<>(
            producerProps(name), new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /** An idempotent producer for a few records, closed at once: without client metrics. */
  public KafkaProducer<byte[], byte[]> shortLivedProducer(String name) {
    return new KafkaProducer<>(
        producerProps(name), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private Map<String, Object> producerProps(String name) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(name));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.putAll(config.producerOverrides());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  public Admin admin() {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId("admin"));
    props.putAll(config.adminOverrides());
    return Admin.create(props);
  }

  /** A serializer of record values sharing the worker's registry client. */
  public <T extends SpecificRecord> AvroSerializer<T> serializer() {
    return new AvroSerializer<>(registry, config.serdeConfig(), false);
  }

  @Override
  public AvroDeserializer<TaskRequest> requestDeserializer() {
    return deserializer(TaskRequest.class);
  }

  @Override
  public AvroSerializer<TaskReport> reportSerializer() {
    return serializer();
  }

  /**
   * Reads the results topic with a consumer of its own for each read ({@link #standaloneConsumer}).
   */
  @Override
  public ResultsReader resultsReader(String type, Time time) {
    return new ResultsTopicReader(
        () -> standaloneConsumer("results-" + type),
        config.topics().results(),
        deserializer(TaskReport.class),
        ResultsTopicReader.TIMEOUT,
        time);
  }

  /** A deserializer of {@code type}'s values sharing the worker's registry client. */
  public <T extends SpecificRecord> AvroDeserializer<T> deserializer(Class<T> type) {
    return new AvroDeserializer<>(type, registry);
  }

  /**
   * The transactional id of one task type's producer in this worker process: the type's group, the
   * worker id and an instance id drawn when the worker starts. Two processes started with the same
   * {@code worker.id} by mistake so get distinct ids and never fence each other's transactions.
   */
  @Override
  public String transactionalId(String type) {
    return config.topics().workerGroup(type) + "." + config.workerId() + "." + instance;
  }

  private String clientId(String name) {
    return "weft-worker-" + config.workerId() + "-" + name;
  }
}
