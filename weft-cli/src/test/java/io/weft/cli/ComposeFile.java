package io.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker/compose.yaml, read as the tests need it: each service's image, environment, command. */
final class ComposeFile {

  /** The docker/ folder, from the module's directory (where the build runs its tests). */
  static final Path DOCKER = Path.of("..", "docker");

  private final JsonNode services;

  private ComposeFile(JsonNode root) {
    this.services = root.path("services");
  }

  static ComposeFile read() {
    return read("compose.yaml");
  }

  /** Another compose file of docker/, such as the overlay {@code compose.secure.yaml}. */
  static ComposeFile read(String name) {
    try {
      return new ComposeFile(
          new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve(name).toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> services() {
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode service = services.path(name);
    if (service.isMissingNode()) {
      throw new IllegalArgumentException("docker/compose.yaml has no service " + name);
    }
    return service;
  }

  String image(String service) {
    return service(service).path("image").asText();
  }

  Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    service(service)
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  List<String> command(String service) {
    List<String> command = new ArrayList<>();
    service(service).path("command").forEach(arg -> command.add(arg.asText()));
    return command;
  }

  /** The service's published ports, {@code host:container}. */
  List<String> ports(String service) {
    List<String> ports = new ArrayList<>();
    service(service).path("ports").forEach(p -> ports.add(p.asText()));
    return ports;
  }

  /** The service's volume entries, {@code source:target[:mode]}. */
  List<String> volumes(String service) {
    List<String> volumes = new ArrayList<>();
    service(service).path("volumes").forEach(v -> volumes.add(v.asText()));
    return volumes;
  }

  /** Where the service mounts a host file of docker/ ({@code ./name}), by the file's name. */
  Map<String, String> mountedFiles(String service) {
    Map<String, String> files = new LinkedHashMap<>();
    for (String volume : volumes(service)) {
      String[] parts = volume.split(":");
      if (parts[0].startsWith("./")) {
        files.put(parts[0].substring(2), parts[1]);
      }
    }
    return files;
  }
}
