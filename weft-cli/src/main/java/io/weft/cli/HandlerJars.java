package io.weft.cli;

import io.weft.workers.api.TaskHandler;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler jars of {@code weft worker --handlers DIR}: every {@code .jar} in the directory, on a
 * class loader whose parent is Weft's own, so the handlers share Weft's classes (the worker
 * runtime, Kafka, Avro, Jackson) and bring only their own code and libraries.
 */
final class HandlerJars {

  private static final Logger log = LoggerFactory.getLogger(HandlerJars.class);

  private final ClassLoader loader;

  private HandlerJars(ClassLoader loader) {
    this.loader = loader;
  }

  /** No handler jars: the classpath alone. */
  static HandlerJars none() {
    return new HandlerJars(HandlerJars.class.getClassLoader());
  }

  /** The jars in {@code dir}, which must hold at least one. */
  static HandlerJars load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CliException(Weft.INVALID, "--handlers " + dir + ": not a directory");
    }
    List<URL> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(url(jar));
      }
    } catch (IOException e) {
      throw new CliException(Weft.INVALID, "--handlers " + dir + ": cannot list it: " + e);
    }
    if (jars.isEmpty()) {
      throw new CliException(Weft.INVALID, "--handlers " + dir + ": no .jar files in it");
    }
    return new HandlerJars(
        new URLClassLoader(
            "weft-handlers", jars.toArray(URL[]::new), HandlerJars.class.getClassLoader()));
  }

  ClassLoader classLoader() {
    return loader;
  }

  /** Whether {@code handler} came from the handler jars rather than the classpath. */
  boolean loaded(TaskHandler handler) {
    return loader != HandlerJars.class.getClassLoader()
        && handler.getClass().getClassLoader() == loader;
  }

  /**
   * The handlers {@code loader} finds, by task type: a handler of the jars before one of the
   * classpath (a jar may replace a built-in type, with a warning); else the first of a type wins.
   */
  static Map<String, TaskHandler> handlers(ClassLoader loader) {
    Map<String, TaskHandler> handlers = new TreeMap<>();
    List<TaskHandler> found = new ArrayList<>();
    try {
      ServiceLoader.load(TaskHandler.class, loader).forEach(found::add);
    } catch (ServiceConfigurationError | LinkageError e) {
      throw new CliException(Weft.INVALID, "cannot load a task handler: " + e.getMessage());
    }
    found.stream()
        .filter(h -> h.getClass().getClassLoader() == loader && loader != classpath())
        .forEach(h -> handlers.putIfAbsent(h.taskType(), h));
    for (TaskHandler h : found) {
      TaskHandler jar = handlers.putIfAbsent(h.taskType(), h);
      if (jar != null && jar != h && h.getClass().getClassLoader() != loader) {
        log.warn(
            "Task type '{}': the handler {} of --handlers replaces {} of the classpath",
            h.taskType(),
            jar.getClass().getName(),
            h.getClass().getName());
      }
    }
    return handlers;
  }

  private static ClassLoader classpath() {
    return HandlerJars.class.getClassLoader();
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new CliException(Weft.INVALID, "--handlers: bad jar path " + jar + ": " + e);
    }
  }
}
