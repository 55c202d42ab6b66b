package io.weft.cli;

import io.weft.core.api.ConnectionSettings;
import io.weft.workers.api.RoutingArtifactStore;
import io.weft.workers.api.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/**
 * The artifact store the workers use, for a command that stores a file there: the workers' keys
 * {@code worker.artifact.uri}, {@code worker.artifact.dir} and {@code artifact.s3.*} from {@code
 * --config} (a worker's properties file will do), overridden by the options given.
 */
final class ArtifactOptions {

  @Option(
      names = "--artifact-dir",
      paramLabel = "DIR",
      description =
          "The workers' artifact directory (worker.artifact.dir; default weft-data/artifacts).")
  String dir;

  @Option(
      names = "--artifact-uri",
      paramLabel = "URI",
      description =
          "The workers' artifact store as a URI, file:///path or s3://bucket/prefix"
              + " (worker.artifact.uri); S3 settings (artifact.s3.*) go in --config.")
  String uri;

  /**
   * Opens the store {@code settings} (a command's {@link ConnectionOptions#componentSettings()})
   * and the options describe; the caller closes it.
   *
   * @throws CliException (invalid) naming the key of a bad setting
   */
  RoutingArtifactStore open(Map<String, Object> settings) {
    Map<String, Object> store = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (key.startsWith("artifact.")
              || key.startsWith("worker.artifact.")
              || key.equals(ConnectionSettings.BOOTSTRAP_SERVERS_CONFIG)
              || key.equals(ConnectionSettings.SCHEMA_REGISTRY_URL_CONFIG)) {
            store.put(key, value);
          }
        });
    if (dir != null) {
      store.put(WorkerConfig.ARTIFACT_DIR_CONFIG, dir);
    }
    if (uri != null) {
      store.put(WorkerConfig.ARTIFACT_URI_CONFIG, uri);
    }
    try {
      return new WorkerConfig(store).artifactStore();
    } catch (ConfigException | IllegalArgumentException e) {
      throw new CliException(Weft.INVALID, "artifact store: " + e.getMessage());
    }
  }
}
