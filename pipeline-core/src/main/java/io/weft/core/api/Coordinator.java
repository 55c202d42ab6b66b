package io.weft.core.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.weft.common.WeftException;
import io.weft.core.http.HttpClientSecurity;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.internals.config.PassThrough;
import io.weft.core.internals.coordinator.CoordinatorMetrics;
import io.weft.core.internals.coordinator.CoordinatorTopology;
import io.weft.core.internals.coordinator.ProcessingSettings;
import io.weft.core.internals.coordinator.RunEngine;
import io.weft.core.internals.query.RunQueryServer;
import io.weft.core.internals.query.RunsInFlight;
import io.weft.core.internals.ui.WebUi;
import io.weft.core.metrics.WeftMeters;
import io.weft.core.metrics.WeftRegistry;
import io.weft.schemas.GeneratedClasses;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator: creates Weft's core topics, runs the Kafka Streams topology with exactly-once
 * processing, and serves the query API. Run several with the same {@code application.id} to spread
 * runs over them.
 */
public final class Coordinator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final KafkaStreams streams;
  private final RunQueryServer query;
  private final WebUi ui;
  private final CoordinatorMetrics metrics;
  private final WeftRegistry registry;
  private final KafkaStreamsMetrics streamsMetrics;

  private Coordinator(
      KafkaStreams streams,
      RunQueryServer query,
      WebUi ui,
      CoordinatorMetrics metrics,
      WeftRegistry registry,
      KafkaStreamsMetrics streamsMetrics) {
    this.streams = streams;
    this.query = query;
    this.ui = ui;
    this.metrics = metrics;
    this.registry = registry;
    this.streamsMetrics = streamsMetrics;
  }

  /** Starts a coordinator and waits until it processes. */
  public static Coordinator start(Map<String, ?> settings) {
    GeneratedClasses.trust();
    CoordinatorConfig config = new CoordinatorConfig(settings);
    // key stores and token file read before anything else: a mistake fails at once
    HttpServerSecurity security = HttpServerSecurity.from(config);
    HttpClientSecurity peers = HttpClientSecurity.from(config);
    WeftTopics topics = config.topics();
    int partitions = createTopics(config, settings);
    RunQueryServer query =
        RunQueryServer.bind(
            config.getString(CoordinatorConfig.QUERY_HOST_CONFIG),
            config.getInt(CoordinatorConfig.QUERY_PORT_CONFIG),
            security,
            peers);
    WeftRegistry registry = WeftRegistry.create("coordinator");
    CoordinatorMetrics metrics = new CoordinatorMetrics(registry.registry());
    int maxRecordBytes = config.getInt(CoordinatorConfig.MAX_RECORD_BYTES_CONFIG);
    var topology =
        CoordinatorTopology.build(
            topics,
            config.serdeConfig(),
            new RunEngine(
                Duration.ofMillis(config.getLong(CoordinatorConfig.DEFAULT_TASK_TIMEOUT_MS_CONFIG)),
                maxRecordBytes),
            new ProcessingSettings(
                Duration.ofMillis(config.getLong(CoordinatorConfig.TIMER_INTERVAL_MS_CONFIG)),
                Duration.ofMillis(config.getLong(CoordinatorConfig.RUN_RETENTION_MS_CONFIG)),
                partitions,
                maxRecordBytes),
            metrics);
    KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config, settings, query));
    streams.setUncaughtExceptionHandler(
        e -> {
          if (Thread.currentThread().getName().endsWith("GlobalStreamThread")) {
            log.error("Coordinator's definitions reader failed; stopping", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          }
          log.error("Coordinator stream thread failed; replacing it", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry.registry());
    WeftMeters.RUNS_IN_FLIGHT.gauge(
        registry.registry(), new RunsInFlight(streams), RunsInFlight::count);
    query.serve(streams, registry.registry());
    WebUi ui = null;
    if (config.getBoolean(CoordinatorConfig.UI_ENABLED_CONFIG)) {
      ui =
          WebUi.create(
              settings,
              topics,
              Duration.ofMillis(config.getLong(CoordinatorConfig.UI_HISTORY_MS_CONFIG)));
      query.serveUi(ui);
    }
    Coordinator coordinator =
        new Coordinator(streams, query, ui, metrics, registry, streamsMetrics);
    streams.start();
    coordinator.awaitRunning();
    log.info(
        "Coordinator {} running; queries at {}{}",
        config.getString(CoordinatorConfig.APPLICATION_ID_CONFIG),
        query.url(),
        ui == null ? "" : ", web UI at " + query.url() + "/ui/");
    return coordinator;
  }

  /** Creates the topics the coordinator needs; returns the run-keyed topics' partition count. */
  private static int createTopics(CoordinatorConfig config, Map<String, ?> settings) {
    Map<String, Object> adminProps = new HashMap<>(PassThrough.security(settings));
    adminProps.put("bootstrap.servers", config.bootstrapServers());
    try (Admin admin = Admin.create(adminProps)) {
      TopicAdmin topicAdmin = config.topicAdmin(admin);
      Map<String, Integer> counts = topicAdmin.ensureCore();
      // the model registry's topics, so that they get this replication factor too
      topicAdmin.ensureModels();
      return counts.get(config.topics().commands());
    }
  }

  private static final int MAX_REQUEST_SIZE_DEFAULT = 1024 * 1024;

  /** Streams' {@code poll.ms} unless {@code streams.poll.ms} says otherwise. */
  static final long POLL_MS = 2L;

  private static Properties streamsProperties(
      CoordinatorConfig config, Map<String, ?> settings, RunQueryServer query) {
    Properties props = new Properties();
    props.putAll(PassThrough.security(settings));
    props.put(
        StreamsConfig.APPLICATION_ID_CONFIG,
        config.getString(CoordinatorConfig.APPLICATION_ID_CONFIG));
    props.put(
        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
        String.join(",", config.getList(CoordinatorConfig.BOOTSTRAP_SERVERS_CONFIG)));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(CoordinatorConfig.STATE_DIR_CONFIG));
    props.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
        config.getInt(CoordinatorConfig.STREAM_THREADS_CONFIG));
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        config.getLong(CoordinatorConfig.COMMIT_INTERVAL_MS_CONFIG));
    // a stream thread with nothing buffered waits this long for input before it commits what
    // it has processed: short, so that a dispatch is not held back (override: streams.poll.ms)
    props.put(StreamsConfig.POLL_MS_CONFIG, POLL_MS);
    props.put(
        StreamsConfig.APPLICATION_SERVER_CONFIG,
        query.hostInfo().host() + ":" + query.hostInfo().port());
    short rf = config.replicationFactor();
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) rf);
    if (config.minInsyncReplicas() > 0) { // its changelogs, as Weft's own topics
      props.put(
          StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
          config.minInsyncReplicas());
    }
    // the run processor reads bytes and sets undecodable records aside itself; this covers the
    // definitions' global store, whose writer validates what it writes
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    // transactions back to back without the producer's 100 ms back-off (see TransactionTuning)
    TransactionTuning.producerSettings()
        .forEach((key, value) -> props.put(StreamsConfig.producerPrefix(key), value));
    int maxRecordBytes = config.getInt(CoordinatorConfig.MAX_RECORD_BYTES_CONFIG);
    if (maxRecordBytes + 64 * 1024 > MAX_REQUEST_SIZE_DEFAULT) {
      props.put(
          StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
          maxRecordBytes + 64 * 1024);
    }
    props.putAll(PassThrough.withPrefix(settings, CoordinatorConfig.STREAMS_PREFIX));
    return props;
  }

  private void awaitRunning() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (!streams.state().isRunningOrRebalancing()
          && streams.state() != KafkaStreams.State.CREATED) {
        close();
        throw new WeftException("Coordinator stopped while starting: " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new WeftException(
            "Coordinator not running after " + START_TIMEOUT + " (state " + streams.state() + ")");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new WeftException("Interrupted while starting the coordinator", e);
      }
    }
  }

  /** The query API's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String queryUrl() {
    return query.url();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** What this instance did since it started. */
  public CoordinatorStats stats() {
    return metrics;
  }

  /**
   * Stops this instance and leaves the coordinator's group, so that its partitions move to the
   * other instances at once (and so that {@link Recovery} sees it stopped).
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    query.close();
    if (ui != null) {
      ui.close();
    }
    streamsMetrics.close();
    registry.close();
  }

  /** The meters this instance exposes at {@code /metrics} of its query API. */
  public MeterRegistry meterRegistry() {
    return registry.registry();
  }
}
