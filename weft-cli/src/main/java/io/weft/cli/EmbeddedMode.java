package io.weft.cli;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.Coordinator;
import io.weft.core.api.CoordinatorConfig;
import io.weft.embedded.WeftStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole Weft installation in this process: the embedded broker and schema registry, and a
 * coordinator on them whose query API answers at {@link #queryUrl()}. Everything is kept under one
 * work directory; closing stops the coordinator first, then the stack (the JVM's shutdown hook does
 * the same).
 */
final class EmbeddedMode implements AutoCloseable {

  private final WeftStack stack;
  private final Coordinator coordinator;

  private EmbeddedMode(WeftStack stack, Coordinator coordinator) {
    this.stack = stack;
    this.coordinator = coordinator;
  }

  /**
   * Starts the stack with its data under {@code workDir}, then a coordinator whose state is in
   * {@code workDir/coordinator} and whose query API listens on loopback at {@code queryPort} (0
   * picks a free port).
   */
  static EmbeddedMode start(Path workDir, int queryPort) {
    WeftStack stack = WeftStack.start(workDir, workDir.resolve("dist"));
    try {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put(CoordinatorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      settings.put(CoordinatorConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
      settings.put(CoordinatorConfig.STATE_DIR_CONFIG, workDir.resolve("coordinator").toString());
      settings.put(CoordinatorConfig.QUERY_PORT_CONFIG, queryPort);
      Coordinator coordinator = Coordinator.start(settings);
      stack.closeFirst(coordinator);
      return new EmbeddedMode(stack, coordinator);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return stack.bootstrapServers();
  }

  String schemaRegistryUrl() {
    return stack.schemaRegistryUrl();
  }

  /** The coordinator's query API (HTTP): {@code /health}, {@code /runs}, {@code /runs/<id>}. */
  String queryUrl() {
    return coordinator.queryUrl();
  }

  /** Settings with which a client, a worker or another command reaches this installation. */
  Map<String, Object> clientSettings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put(ClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    settings.put(ClientConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl());
    settings.put(ClientConfig.QUERY_URL_CONFIG, queryUrl());
    return settings;
  }

  @Override
  public void close() {
    stack.close();
  }
}
