package io.weft.core.internals.ui;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.webjars.WebJarVersionLocator;

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

  private static final WebJarVersionLocator WEBJARS = new WebJarVersionLocator();

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** Serves {@code path} (relative to {@code /ui/}); false if there is no such file. */
  boolean serve(HttpExchange exchange, String path) throws IOException {
    String file = path.isEmpty() ? "index.html" : path;
    if (!SAFE.matcher(file).matches() || file.contains("..")) {
      return false;
    }
    // only files that exist are kept: requests for missing ones must not grow the cache
    byte[] body = cache.get(file);
    if (body == null) {
      Optional<byte[]> loaded = load(file);
      if (loaded.isEmpty()) {
        return false;
      }
      body = loaded.get();
      cache.put(file, body);
    }
    String extension = file.substring(file.lastIndexOf('.') + 1);
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    UiResponses.bytes(
        exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), body);
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
      // META-INF/resources/webjars/<name>/<version>/<file>, or null if no such WebJar
      resource = WEBJARS.fullPath(rest.substring(0, slash), rest.substring(slash + 1));
      if (resource == null) {
        return Optional.empty();
      }
    } else {
      resource = OWN + file;
    }
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
