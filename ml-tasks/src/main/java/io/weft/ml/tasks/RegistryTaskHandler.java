package io.weft.ml.tasks;

import io.weft.core.api.ModelRegistry;
import io.weft.workers.api.TaskHandler;
import java.util.Map;

/**
 * A built-in task type that works with the model registry: given one, or creating its own on first
 * use from the connection settings the worker hands over ({@link #configure}), closed with the
 * handler.
 */
abstract class RegistryTaskHandler implements TaskHandler {

  private final RegistryConnection connection;

  /**
   * @param given a registry the caller closes, or null to create one from the worker's settings
   */
  RegistryTaskHandler(ModelRegistry given) {
    this.connection = new RegistryConnection(given);
  }

  @Override
  public void configure(Map<String, ?> connectionSettings) {
    connection.configure(connectionSettings);
  }

  /** The registry, created on first use if none was given. */
  ModelRegistry registry() {
    return connection.get(taskType());
  }

  @Override
  public void close() {
    connection.close();
  }
}
