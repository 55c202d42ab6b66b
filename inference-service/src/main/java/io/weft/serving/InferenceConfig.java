package io.weft.serving;

import io.weft.core.api.ConnectionSettings;
import io.weft.core.api.WeftConfig;
import io.weft.core.http.HttpSettings;
import io.weft.serving.internals.Batching;
import io.weft.workers.api.ArtifactSettings;
import io.weft.workers.api.RoutingArtifactStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of an {@link InferenceServer}. Every key is declared below with its documentation,
 * default and validator; an invalid value fails naming its key.
 *
 * <p>Besides these keys, the server accepts Kafka security settings ({@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}), the schema registry settings of the Avro serdes (e.g. {@code
 * basic.auth.user.info}) and keys prefixed {@code consumer.}, {@code producer.} or {@code admin.};
 * all of them are passed on to the model registry the server follows. Any other key fails at
 * start-up, naming it.
 */
public final class InferenceConfig extends WeftConfig {

  public static final String HOST_CONFIG = "serve.host";
  public static final String PORT_CONFIG = "serve.port";
  public static final String GRPC_PORT_CONFIG = "serve.grpc.port";
  public static final String ARTIFACT_DIR_CONFIG = "serve.artifact.dir";
  public static final String ARTIFACT_URI_CONFIG = "serve.artifact.uri";
  public static final String MODELS_CONFIG = "serve.models";
  public static final String MAX_REQUEST_BYTES_CONFIG = "serve.max.request.bytes";
  public static final String MAX_BATCH_CONFIG = "serve.max.batch";
  public static final String THREADS_CONFIG = "serve.threads";
  public static final String BATCHING_PREFIX = "serve.batching.";
  public static final String BATCHING_MODEL_PREFIX = BATCHING_PREFIX + "model.";
  public static final String BATCHING_MAX_BATCH_CONFIG = BATCHING_PREFIX + "max.batch";
  public static final String BATCHING_MAX_DELAY_CONFIG = BATCHING_PREFIX + "max.delay.us";
  public static final String BATCHING_CONCURRENCY_CONFIG = BATCHING_PREFIX + "concurrency";
  private static final List<String> BATCHING_KEYS =
      List.of("max.batch", "max.delay.us", "concurrency");

  private static final Set<String> CLIENT_PREFIXES = Set.of("consumer.", "producer.", "admin.");

  private static final ConfigDef CONFIG =
      ConnectionSettings.define(new ConfigDef())
          .define(
              HOST_CONFIG,
              Type.STRING,
              "127.0.0.1",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Address the HTTP server listens on; 0.0.0.0 for every interface. HTTPS with"
                  + " weft.http.tls.keystore.*, bearer tokens with weft.http.auth.tokens.file"
                  + " (infer needs the write scope, metadata and /metrics read, the health probes"
                  + " none).")
          .define(
              PORT_CONFIG,
              Type.INT,
              8000,
              ConfigDef.Range.between(0, 65_535),
              Importance.HIGH,
              "Port the HTTP server listens on; 0 picks a free port (see InferenceServer.uri()).")
          .define(
              GRPC_PORT_CONFIG,
              Type.INT,
              -1,
              ConfigDef.Range.between(-1, 65_535),
              Importance.HIGH,
              "Port of the Open Inference Protocol v2 over gRPC (KServe's"
                  + " inference.GRPCInferenceService, e.g. 8001 as Triton's), on serve.host; 0"
                  + " picks a free port (see InferenceServer.grpcPort()), -1 serves no gRPC. It"
                  + " shares the HTTP server's TLS, bearer tokens (in the authorization metadata)"
                  + " and limits: serve.max.request.bytes is its largest message.")
          .define(
              ARTIFACT_DIR_CONFIG,
              Type.STRING,
              "weft-data/artifacts",
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "Root directory of the local artifact store, used when serve.artifact.uri is"
                  + " unset; the same directory (or mount) as the workers' worker.artifact.dir.")
          .define(
              ARTIFACT_URI_CONFIG,
              Type.STRING,
              null,
              ArtifactSettings.locationValidator(),
              Importance.MEDIUM,
              "The workers' artifact store, as their worker.artifact.uri: file:///path or"
                  + " s3://bucket/prefix (see artifact.s3.*). Unset: the directory"
                  + " serve.artifact.dir. Models are read by their references' own scheme, file:"
                  + " from the file system, s3: from S3 with the artifact.s3.* settings.")
          .define(
              MODELS_CONFIG,
              Type.LIST,
              "",
              ConfigDef.ValidList.anyNonDuplicateValues(true, false),
              Importance.MEDIUM,
              "Names of the models to serve, comma-separated; empty serves every model that has"
                  + " a production alias.")
          .define(
              MAX_REQUEST_BYTES_CONFIG,
              Type.INT,
              8 * 1024 * 1024,
              ConfigDef.Range.atLeast(1024),
              Importance.MEDIUM,
              "Largest request body accepted, in bytes; a larger one is refused with 413 before"
                  + " it is read. An input's shape may hold at most half as many values.")
          .define(
              MAX_BATCH_CONFIG,
              Type.INT,
              1024,
              ConfigDef.Range.atLeast(1),
              Importance.MEDIUM,
              "Most rows (examples) one inference request may carry; more are refused with 413.")
          .define(
              THREADS_CONFIG,
              Type.INT,
              4,
              ConfigDef.Range.between(1, 256),
              Importance.LOW,
              "Threads answering HTTP requests, and as many answering gRPC calls; each runs one"
                  + " inference at a time.")
          .define(
              BATCHING_MAX_BATCH_CONFIG,
              Type.INT,
              1,
              ConfigDef.Range.atLeast(1),
              Importance.MEDIUM,
              "Dynamic batching: the most rows of one forward pass merged from concurrent requests"
                  + " for the same model; 1 turns batching off. Only models whose every input and"
                  + " output has a batch dimension (-1 first) are batched, and a model file from"
                  + " elsewhere (TorchScript, ONNX) only when set for it by name, with "
                  + BATCHING_MODEL_PREFIX
                  + "<model>.max.batch. A request waiting for its batch holds no thread.")
          .define(
              BATCHING_MAX_DELAY_CONFIG,
              Type.LONG,
              1000L,
              ConfigDef.Range.atLeast(0),
              Importance.MEDIUM,
              "Dynamic batching: the most a request waits, in microseconds, for others to join its"
                  + " forward pass (Triton's max_queue_delay_microseconds). Per model: "
                  + BATCHING_MODEL_PREFIX
                  + "<model>.max.delay.us.")
          .define(
              BATCHING_CONCURRENCY_CONFIG,
              Type.INT,
              2,
              ConfigDef.Range.between(1, 64),
              Importance.LOW,
              "Dynamic batching: how many merged forward passes of one model run at once; while"
                  + " they run, the next batch fills. Per model: "
                  + BATCHING_MODEL_PREFIX
                  + "<model>.concurrency.");

  static {
    ArtifactSettings.define(CONFIG);
    // the HTTP server's TLS and tokens
    HttpSettings.defineServer(CONFIG);
  }

  /**
   * Parses and checks {@code props}.
   *
   * @throws ConfigException naming the key of an unknown key or an invalid value
   */
  public InferenceConfig(Map<String, ?> props) {
    super(CONFIG, props);
    Map<String, Object> known = new HashMap<>(props);
    known.keySet().removeIf(key -> key.startsWith(BATCHING_MODEL_PREFIX));
    rejectUnknown(CONFIG, known, CLIENT_PREFIXES, "inference server");
    ArtifactSettings.s3Options(this);
    props.keySet().stream()
        .filter(key -> key.startsWith(BATCHING_MODEL_PREFIX))
        .forEach(this::checkModelBatching);
  }

  /**
   * How requests for {@code model} reach it: its own {@value #BATCHING_MODEL_PREFIX}{@code
   * <model>.*} settings, else the {@value #BATCHING_PREFIX}{@code *} ones.
   */
  public Batching batching(String model) {
    String prefix = BATCHING_MODEL_PREFIX + model + ".";
    return new Batching(
        (int) modelSetting(prefix + "max.batch", getInt(BATCHING_MAX_BATCH_CONFIG), 1),
        modelSetting(prefix + "max.delay.us", getLong(BATCHING_MAX_DELAY_CONFIG), 0),
        (int) modelSetting(prefix + "concurrency", getInt(BATCHING_CONCURRENCY_CONFIG), 1),
        originals().containsKey(prefix + "max.batch"));
  }

  private void checkModelBatching(String key) {
    String rest = key.substring(BATCHING_MODEL_PREFIX.length());
    String setting =
        BATCHING_KEYS.stream()
            .filter(k -> rest.endsWith("." + k))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigException(
                        key,
                        originals().get(key),
                        "unknown per-model batching setting; use "
                            + BATCHING_MODEL_PREFIX
                            + "<model>."
                            + String.join("|", BATCHING_KEYS)));
    batching(rest.substring(0, rest.length() - setting.length() - 1));
  }

  private long modelSetting(String key, long fallback, long min) {
    Object value = originals().get(key);
    if (value == null) {
      return fallback;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "not a whole number");
    }
    if (parsed < min || parsed > Integer.MAX_VALUE) {
      throw new ConfigException(key, value, "must be at least " + min);
    }
    return parsed;
  }

  /** The definition of every setting, for documentation. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG);
  }

  public String host() {
    return getString(HOST_CONFIG);
  }

  public int port() {
    return getInt(PORT_CONFIG);
  }

  /** The gRPC port; -1 for none. */
  public int grpcPort() {
    return getInt(GRPC_PORT_CONFIG);
  }

  public Path artifactDir() {
    return Path.of(getString(ARTIFACT_DIR_CONFIG));
  }

  /** Where the workers write artifacts: {@value #ARTIFACT_URI_CONFIG}, else the directory. */
  public URI artifactLocation() {
    return ArtifactSettings.location(this, ARTIFACT_URI_CONFIG, ARTIFACT_DIR_CONFIG);
  }

  /** The artifact store the models are read from (close it to release its S3 client). */
  public RoutingArtifactStore artifactStore() {
    return ArtifactSettings.open(this, ARTIFACT_URI_CONFIG, ARTIFACT_DIR_CONFIG);
  }

  /** The models to serve; empty for every model with a production alias. */
  public Set<String> models() {
    List<String> names = getList(MODELS_CONFIG);
    return Set.copyOf(names);
  }

  public int maxRequestBytes() {
    return getInt(MAX_REQUEST_BYTES_CONFIG);
  }

  public int maxBatch() {
    return getInt(MAX_BATCH_CONFIG);
  }

  public int threads() {
    return getInt(THREADS_CONFIG);
  }

  /**
   * The settings for the model registry: every setting given except the {@code serve.*}, {@code
   * artifact.*} and {@code weft.http.*} ones.
   */
  public Map<String, Object> registrySettings() {
    Map<String, Object> settings = new HashMap<>(originals());
    settings
        .keySet()
        .removeIf(
            key ->
                key.startsWith("serve.")
                    || key.startsWith("artifact.")
                    || key.startsWith("weft.http."));
    return settings;
  }
}
