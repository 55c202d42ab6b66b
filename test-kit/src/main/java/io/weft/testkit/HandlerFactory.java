package io.weft.testkit;

import io.weft.workers.api.TaskHandler;
import java.util.ServiceLoader;

/**
 * Makes the handler of a task type for the workers an installation starts. A worker in a JVM of its
 * own makes its handlers with a new instance of the same class, so an implementation given to
 * {@link WeftInstallation#withHandlers} for such workers needs a public no-argument constructor.
 */
@FunctionalInterface
public interface HandlerFactory {

  /**
   * The handler of {@code type}.
   *
   * @throws IllegalArgumentException if this factory has none for {@code type}
   */
  TaskHandler handler(String type);

  /** The handlers found with {@link ServiceLoader}, by task type (the built-in ones and yours). */
  final class ServiceLoaded implements HandlerFactory {

    @Override
    public TaskHandler handler(String type) {
      for (TaskHandler handler : ServiceLoader.load(TaskHandler.class)) {
        if (handler.taskType().equals(type)) {
          return handler;
        }
      }
      throw new IllegalArgumentException("No TaskHandler on the classpath serves '" + type + "'");
    }
  }
}
