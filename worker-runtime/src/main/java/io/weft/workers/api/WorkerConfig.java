package io.weft.workers.api;

import io.weft.core.api.ConnectionSettings;
import io.weft.core.api.Resources;
import io.weft.core.api.WeftConfig;
import io.weft.core.http.HttpSettings;
import io.weft.schemas.serde.AvroSerdeConfig;
import io.weft.workers.internals.ClientOverrides;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of a {@link Worker}. Every key is declared below with its documentation, default and
 * validator; an invalid value fails naming its key.
 *
 * <p>Besides these keys, the worker accepts only:
 *
 * <ul>
 *   <li>Kafka security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), passed
 *       to every Kafka client the worker creates;
 *   <li>keys prefixed {@code consumer.}, {@code producer.} or {@code admin.}, passed (prefix
 *       stripped) to the clients of that kind, e.g. {@code consumer.max.poll.interval.ms}; the keys
 *       the worker's guarantees rest on (group, isolation level, commits, transactions, serdes)
 *       cannot be overridden this way;
 *   <li>the schema registry settings of {@link AvroSerdeConfig} (e.g. {@code
 *       basic.auth.user.info}), passed to the Avro serdes.
 * </ul>
 *
 * Any other key fails at start-up, naming it: a typo never goes unnoticed. The values of client
 * settings are checked against the Kafka clients' own definitions here too, so that a bad value
 * fails naming its key as given (e.g. {@code consumer.max.poll.interval.ms}).
 */
public final class WorkerConfig extends WeftConfig {

  public static final String WORKER_ID_CONFIG = "worker.id";
  public static final String CONCURRENCY_CONFIG = "worker.concurrency";
  public static final String WINDOW_PER_PARTITION_CONFIG = "worker.window.per.partition";
  public static final String HEARTBEAT_INTERVAL_MS_CONFIG = "worker.heartbeat.interval.ms";
  public static final String POLL_TIMEOUT_MS_CONFIG = "worker.poll.timeout.ms";
  public static final String SHUTDOWN_TIMEOUT_MS_CONFIG = "worker.shutdown.timeout.ms";
  public static final String STOP_GRACE_MS_CONFIG = "worker.stop.grace.ms";
  public static final String ARTIFACT_DIR_CONFIG = "worker.artifact.dir";
  public static final String ARTIFACT_URI_CONFIG = "worker.artifact.uri";
  public static final String CAPACITY_CPU_CONFIG = "worker.capacity.cpu";
  public static final String CAPACITY_MEMORY_CONFIG = "worker.capacity.memory";
  public static final String CAPACITY_GPU_CONFIG = "worker.capacity.gpu";
  public static final String METRICS_PORT_CONFIG = "worker.metrics.port";
  public static final String METRICS_HOST_CONFIG = "worker.metrics.host";

  /** {@value #METRICS_PORT_CONFIG} when the worker serves no metrics. */
  public static final int METRICS_OFF = -1;

  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private static final ConfigDef CONFIG =
      ConnectionSettings.define(new ConfigDef())
          .define(
              WORKER_ID_CONFIG,
              Type.STRING,
              defaultWorkerId(),
              (name, value) -> workerId(name, value),
              Importance.MEDIUM,
              "Id of this worker process, [A-Za-z0-9._-]+ (default: <hostname>-<pid>). It names"
                  + " the worker in results, heartbeats and logs, so give each worker its own. Two"
                  + " processes with the same id still work side by side: each draws its own"
                  + " transactional ids when it starts, so they never fence each other.")
          .define(
              CONCURRENCY_CONFIG,
              Type.INT,
              1,
              ConfigDef.Range.between(1, 1024),
              Importance.HIGH,
              "Handlers running at once per task type in this process (handler slots), taking"
                  + " requests from any partitions.")
          .define(
              WINDOW_PER_PARTITION_CONFIG,
              Type.INT,
              64,
              ConfigDef.Range.between(1, 10_000),
              Importance.MEDIUM,
              "Requests of one partition in flight at once per task type (taken, their results not"
                  + " committed yet), so that a short task does not wait behind a long one of the"
                  + " same partition. A partition whose window is full is paused. Its committed"
                  + " offset is its first unfinished request; the finished ones above it are"
                  + " recorded in the offset's metadata, and a new owner skips them.")
          .define(
              HEARTBEAT_INTERVAL_MS_CONFIG,
              Type.LONG,
              3000L,
              ConfigDef.Range.atLeast(10),
              Importance.MEDIUM,
              "Interval between heartbeats of a running task, in milliseconds. The first is due"
                  + " one interval after the start (sooner for a task whose timeout or queue"
                  + " timeout is short); a task that ends before it sends none.")
          .define(
              POLL_TIMEOUT_MS_CONFIG,
              Type.LONG,
              100L,
              ConfigDef.Range.between(1, 10_000),
              Importance.LOW,
              "How long one poll of the task topic waits for records, in milliseconds; also the"
                  + " delay before a finished task's result is committed, at most.")
          .define(
              SHUTDOWN_TIMEOUT_MS_CONFIG,
              Type.LONG,
              30_000L,
              ConfigDef.Range.atLeast(0),
              Importance.MEDIUM,
              "How long close() waits for running tasks to finish and their results to be"
                  + " committed, in milliseconds; tasks still running then are abandoned"
                  + " uncommitted, for another worker to execute.")
          .define(
              STOP_GRACE_MS_CONFIG,
              Type.LONG,
              30_000L,
              ConfigDef.Range.atLeast(0),
              Importance.MEDIUM,
              "How long a handler told to stop (its attempt timed out, or its run was cancelled or"
                  + " failed) may take to return, in milliseconds. Past it the worker abandons the"
                  + " attempt: it commits a failed result (weft.Abandoned) with its offset, frees"
                  + " its handler slot and its place in the partition's window, and logs where the"
                  + " handler's thread is. The thread itself cannot be stopped safely: it runs on"
                  + " until the handler returns, and what it returns is dropped.")
          .define(
              ARTIFACT_DIR_CONFIG,
              Type.STRING,
              "weft-data/artifacts",
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "Root directory of the local artifact store, used when worker.artifact.uri is"
                  + " unset (and the worker is given no other store).")
          .define(
              ARTIFACT_URI_CONFIG,
              Type.STRING,
              null,
              ArtifactSettings.locationValidator(),
              Importance.MEDIUM,
              "Where the worker stores artifacts: file:///path (a local or mounted directory) or"
                  + " s3://bucket/prefix (S3 or an S3-compatible server, see artifact.s3.*). Unset:"
                  + " the directory worker.artifact.dir. Whatever it is, the worker reads"
                  + " references by their own scheme: file: from the file system, s3: from S3.")
          .define(
              CAPACITY_CPU_CONFIG,
              Type.DOUBLE,
              null,
              (name, value) -> {
                if (value != null && !((Double) value > 0 && (Double) value <= 1024)) {
                  throw new ConfigException(name, value, "must be above 0 and at most 1024");
                }
              },
              Importance.MEDIUM,
              "CPU cores this worker offers its attempts (default: the cores the JVM sees). An"
                  + " attempt starts only while the cores its task declares (resources.cpu), added"
                  + " to those of the attempts running, fit; one that never could fails at once"
                  + " with weft.Unschedulable. Tasks that declare nothing need nothing.")
          .define(
              CAPACITY_MEMORY_CONFIG,
              Type.STRING,
              null,
              (name, value) -> {
                if (value != null) {
                  try {
                    if (Resources.parseSize((String) value) <= 0) {
                      throw new ConfigException(name, value, "must be above 0");
                    }
                  } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                  }
                }
              },
              Importance.MEDIUM,
              "Memory this worker offers its attempts, bytes or with a unit: 16Gi, 512Mi, 8GB"
                  + " (default: the machine's physical memory). Admits by resources.memory as"
                  + " worker.capacity.cpu does by cores.")
          .define(
              CAPACITY_GPU_CONFIG,
              Type.INT,
              0,
              ConfigDef.Range.between(0, 64),
              Importance.MEDIUM,
              "GPUs this worker offers (default 0). A worker with GPUs also serves the GPU pool"
                  + " of each of its types (topic tasks.<type>.gpu, group workers.<type>.gpu),"
                  + " where the requests of tasks that declare resources.gpu go; each attempt is"
                  + " granted as many GPU indices as it declares (TaskContext.gpus()).")
          .define(
              METRICS_PORT_CONFIG,
              Type.INT,
              METRICS_OFF,
              ConfigDef.Range.between(METRICS_OFF, 65_535),
              Importance.MEDIUM,
              "Port of the worker's HTTP server for Prometheus: GET /metrics and GET /health"
                  + " (HTTPS and tokens with weft.http.tls.keystore.* and"
                  + " weft.http.auth.tokens.file: /metrics then needs the read scope). -1"
                  + " (the default) serves none: several worker processes on one host would"
                  + " otherwise clash on one default port; give each its own, or 0 for a free port"
                  + " (logged at start).")
          .define(
              METRICS_HOST_CONFIG,
              Type.STRING,
              "127.0.0.1",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Address the metrics server listens on; 0.0.0.0 for every interface (in a"
                  + " container).");

  static {
    ArtifactSettings.define(CONFIG);
    // the metrics server's TLS and tokens
    HttpSettings.defineServer(CONFIG);
  }

  private final Map<String, Object> clientOverrides;

  /**
   * Parses and checks {@code props}.
   *
   * @throws ConfigException naming the key of an unknown key or an invalid value
   */
  public WorkerConfig(Map<String, ?> props) {
    super(CONFIG, props);
    ClientOverrides.checkKeys(originals(), CONFIG.names());
    ClientOverrides.checkValues(originals());
    ArtifactSettings.s3Options(this);
    this.clientOverrides = Collections.unmodifiableMap(new HashMap<>(originals()));
  }

  /** The definition of every setting, for documentation. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  /** How long a handler told to stop may take to return before its attempt is abandoned. */
  public Duration stopGrace() {
    return Duration.ofMillis(getLong(STOP_GRACE_MS_CONFIG));
  }

  public String workerId() {
    return getString(WORKER_ID_CONFIG);
  }

  public int concurrency() {
    return getInt(CONCURRENCY_CONFIG);
  }

  /**
   * What this worker offers its attempts: {@value #CAPACITY_CPU_CONFIG} (default: the cores the JVM
   * sees), {@value #CAPACITY_MEMORY_CONFIG} (default: the physical memory) and {@value
   * #CAPACITY_GPU_CONFIG}.
   */
  public Resources capacity() {
    Double cpu = getDouble(CAPACITY_CPU_CONFIG);
    String memory = getString(CAPACITY_MEMORY_CONFIG);
    return new Resources(
        cpu == null ? (double) Runtime.getRuntime().availableProcessors() : cpu,
        memory == null ? physicalMemory() : Resources.parseSize(memory),
        getInt(CAPACITY_GPU_CONFIG));
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  public int windowPerPartition() {
    return getInt(WINDOW_PER_PARTITION_CONFIG);
  }

  public Duration heartbeatInterval() {
    return Duration.ofMillis(getLong(HEARTBEAT_INTERVAL_MS_CONFIG));
  }

  public Duration pollTimeout() {
    return Duration.ofMillis(getLong(POLL_TIMEOUT_MS_CONFIG));
  }

  public Duration shutdownTimeout() {
    return Duration.ofMillis(getLong(SHUTDOWN_TIMEOUT_MS_CONFIG));
  }

  /** The metrics server's port, 0 for a free one, or {@link #METRICS_OFF}. */
  public int metricsPort() {
    return getInt(METRICS_PORT_CONFIG);
  }

  public String metricsHost() {
    return getString(METRICS_HOST_CONFIG);
  }

  public Path artifactDir() {
    return Path.of(getString(ARTIFACT_DIR_CONFIG));
  }

  /** Where artifacts are written: {@value #ARTIFACT_URI_CONFIG}, else the artifact directory. */
  public URI artifactLocation() {
    return ArtifactSettings.location(this, ARTIFACT_URI_CONFIG, ARTIFACT_DIR_CONFIG);
  }

  /** The artifact store these settings describe (close it to release its S3 client). */
  public RoutingArtifactStore artifactStore() {
    return ArtifactSettings.open(this, ARTIFACT_URI_CONFIG, ARTIFACT_DIR_CONFIG);
  }

  /** Settings for the worker's consumers: security settings and {@code consumer.*} keys. */
  public Map<String, Object> consumerOverrides() {
    return ClientOverrides.forClient(clientOverrides, ClientOverrides.CONSUMER);
  }

  /** Settings for the worker's producers: security settings and {@code producer.*} keys. */
  public Map<String, Object> producerOverrides() {
    return ClientOverrides.forClient(clientOverrides, ClientOverrides.PRODUCER);
  }

  /** Settings for the worker's admin client: security settings and {@code admin.*} keys. */
  public Map<String, Object> adminOverrides() {
    return ClientOverrides.forClient(clientOverrides, ClientOverrides.ADMIN);
  }

  /**
   * The worker's connection settings in the form {@code WeftClient} and {@code ModelRegistry}
   * accept: {@code bootstrap.servers}, {@code weft.topic.prefix}, the Kafka security settings and
   * the schema registry settings. Handed to {@link TaskHandler#configure}.
   */
  public Map<String, Object> connectionSettings() {
    Map<String, Object> settings = new HashMap<>(ClientOverrides.security(clientOverrides));
    settings.putAll(serdeConfig());
    settings.put(BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    settings.put(TOPIC_PREFIX_CONFIG, topics().prefix());
    settings.put(PARTITIONS_CONFIG, partitions());
    settings.put(REPLICATION_FACTOR_CONFIG, getInt(REPLICATION_FACTOR_CONFIG));
    settings.put(MIN_INSYNC_REPLICAS_CONFIG, getInt(MIN_INSYNC_REPLICAS_CONFIG));
    return Collections.unmodifiableMap(settings);
  }

  private static void workerId(String name, Object value) {
    if (value == null || !WORKER_ID.matcher(value.toString()).matches()) {
      throw new ConfigException(name, value, "must match [A-Za-z0-9._-]+, at most 200 characters");
    }
  }

  private static String defaultWorkerId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "worker";
      }
    }
    String id = host.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ProcessHandle.current().pid();
    return id.length() > 200 ? id.substring(id.length() - 200) : id;
  }
}
