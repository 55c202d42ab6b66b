package io.weft.ml.tasks;

import io.weft.core.api.ModelRegistry;
import io.weft.workers.api.TaskFailedException;
import java.util.Map;

/**
 * The model registry of a model task type: either given (and then not closed here), or created on
 * first use from the connection settings the worker hands over in {@code configure}, and closed
 * with the handler. Thread-safe.
 */
final class RegistryConnection {

  private final ModelRegistry given;
  private Map<String, ?> settings;
  private ModelRegistry created;

  RegistryConnection(ModelRegistry given) {
    this.given = given;
  }

  synchronized void configure(Map<String, ?> connectionSettings) {
    this.settings = Map.copyOf(connectionSettings);
  }

  synchronized ModelRegistry get(String type) {
    if (given != null) {
      return given;
    }
    if (created == null) {
      if (settings == null) {
        throw new TaskFailedException(
            "task type "
                + type
                + " needs the model registry's connection settings: run it in a Worker, which"
                + " passes them to TaskHandler.configure",
            false);
      }
      created = ModelRegistry.create(settings);
    }
    return created;
  }

  synchronized void close() {
    if (created != null) {
      created.close();
      created = null;
    }
  }
}
