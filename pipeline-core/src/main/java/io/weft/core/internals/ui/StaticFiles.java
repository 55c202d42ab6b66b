package io.weft.core.internals.ui;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The UI's files from the classpath: its own under {@code io/weft/ui/}, and the browser libraries
 * of WebJars under {@code /ui/lib/<name>/<file>}, found at whatever version is on the classpath.
 */
final class StaticFiles {

  private static final String OWN = "io/weft/ui/";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  /** Serves {@code path} (relative to {@code /ui/}); false if there is no such file. */
  boolean serve(HttpExchange exchange, String path) throws IOException {
    String file = path.isEmpty() ? "index.html" : path;
    if (!SAFE.matcher(file).matches() || file.contains("..")) {
      return false;
    }
    Optional<byte[]> body = cache.computeIfAbsent(file, StaticFiles::load);
    if (body.isEmpty()) {
      return false;
    }
    String extension = file.substring(file.lastIndexOf('.') + 1);
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    UiResponses.bytes(
        exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), body.get());
    return true;
  }

  private static Optional<byte[]> load(String file) {
    String resource;
    if (file.startsWith("lib/")) {
      String rest = file.substring("lib/".length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        return Optional.empty();
      }
      String webjar = rest.substring(0, slash);
      Optional<String> version = webjarVersion(webjar);
      if (version.isEmpty()) {
        return Optional.empty();
      }
      resource =
          "META-INF/resources/webjars/"
              + webjar
              + "/"
              + version.get()
              + "/"
              + rest.substring(slash + 1);
    } else {
      resource = OWN + file;
    }
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version of the npm WebJar {@code name} on the classpath, from its Maven metadata. */
  private static Optional<String> webjarVersion(String name) {
    String metadata = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(metadata)) {
      if (in == null) {
        return Optional.empty();
      }
      Properties properties = new Properties();
      properties.load(in);
      return Optional.ofNullable(properties.getProperty("version"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
