package io.weft.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry running as a child process on a free loopback port, serving the
 * Confluent Schema Registry API at {@link #url()}. Global compatibility is set to BACKWARD.
 *
 * <p>{@link #start} serves plain HTTP to anyone, as Weft's tests and demo need. {@link
 * #startSecured} serves HTTPS only, with a certificate from a {@link LocalPki}, and answers no
 * request without the HTTP basic credentials it was given (401).
 *
 * <p>How the secured registry authenticates, and why so: Apicurio Registry 2.6.13's runner checks
 * credentials only through OpenID Connect. Its one way to accept {@code Authorization: Basic} is
 * {@code registry.auth.basic-auth-client-credentials.enabled}: it trades the user name and
 * password, as an OIDC client id and secret, for a token at a token endpoint, and verifies the
 * token against the provider's keys. The runner holds no user store of its own (no {@code
 * quarkus-elytron-security-properties-file} or other identity provider for a user name and
 * password), and client certificates cannot stand in: {@code quarkus.http.ssl.client-auth} is fixed
 * to {@code NONE} when the runner is built, so setting it at start-up only logs "Build time
 * property cannot be changed at runtime" and no certificate is asked for. So the secured registry
 * gets its own {@link LocalOidcProvider} on loopback instead of a Keycloak: the client sends basic
 * credentials over TLS, as it would to Confluent Schema Registry, and the registry checks them.
 *
 * <p>The registry dies with this JVM, however it ends: it is started under a small shell guard that
 * reads the guard's standard input, a pipe from this JVM. When this JVM exits, even by {@code kill
 * -9}, the pipe closes, the guard reads end-of-file and stops the registry.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  private static final String API_PATH = "/apis/ccompat/v7";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final int START_ATTEMPTS = 3;
  private static final String GUARD =
      // the registry runs until the guard's stdin closes (its parent JVM ended, even by kill -9)
      // or the guard is told to stop; the guard ends with the registry, so a registry that
      // cannot start is noticed at once. A background list reads /dev/null unless redirected.
      "exec 3<&0\n"
          + "\"$@\" & child=$!\n"
          + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT HUP\n"
          + "(cat <&3 > /dev/null; kill $child 2>/dev/null) &\n"
          + "wait $child\n";

  /** The common name of the secured registry's certificate, and its key store's name. */
  public static final String SERVER_CERTIFICATE = "schema-registry";

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Process guard;
  private final String url;
  private final Path logFile;
  private final Optional<Security> security;
  private boolean stopped;

  private EmbeddedSchemaRegistry(
      Process guard, String url, Path logFile, Optional<Security> security) {
    this.guard = guard;
    this.url = url;
    this.logFile = logFile;
    this.security = security;
  }

  /** What the secured registry needs: its certificates, the one user, and who checks it. */
  private record Security(LocalPki pki, String user, String password, LocalOidcProvider oidc) {

    String basicAuthorization() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The user, never the password. */
    @Override
    public String toString() {
      return "Security[user=" + user + "]";
    }
  }

  /**
   * Starts the registry with its log in {@code workDir}, unpacking its distribution under {@code
   * distributionHome} if needed, and waits until its API answers.
   */
  public static EmbeddedSchemaRegistry start(Path workDir, Path distributionHome) {
    return start(workDir, distributionHome, Optional.empty());
  }

  /**
   * Starts the registry over HTTPS only, with the certificate {@link #SERVER_CERTIFICATE} of {@code
   * pki} (valid for 127.0.0.1 and localhost), letting in no request without HTTP basic
   * authentication as {@code user} with {@code password}; see the class comment for how. Waits
   * until its API answers that user.
   *
   * @param user letters, digits, '.', '_' or '-', at most 64
   */
  public static EmbeddedSchemaRegistry startSecured(
      Path workDir, Path distributionHome, LocalPki pki, String user, String password) {
    if (!USER_NAME.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "A registry user name is 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("The registry user's password is empty");
    }
    LocalOidcProvider oidc = LocalOidcProvider.start(user, password);
    try {
      return start(workDir, distributionHome, Optional.of(new Security(pki, user, password, oidc)));
    } catch (RuntimeException e) {
      oidc.close();
      throw e;
    }
  }

  private static EmbeddedSchemaRegistry start(
      Path workDir, Path distributionHome, Optional<Security> security) {
    Path jar = RegistryDistribution.runnerJar(distributionHome.toAbsolutePath());
    EmbeddedException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return tryStart(jar.toAbsolutePath(), workDir.toAbsolutePath(), FreePorts.next(), security);
      } catch (EmbeddedException e) {
        last = e;
        log.warn("Schema registry start attempt {} failed: {}", attempt, e.getMessage());
      }
    }
    throw last;
  }

  private static EmbeddedSchemaRegistry tryStart(
      Path jar, Path workDir, int port, Optional<Security> security) {
    Path logFile = workDir.resolve("schema-registry.log");
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, "weft-registry-guard"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.log.level=WARN",
            "-Dquarkus.log.category.\"io.apicurio\".level=WARN",
            "-Dquarkus.analytics.disabled=true"));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (security.isEmpty()) {
      command.add("-Dquarkus.http.port=" + port);
    } else {
      command.addAll(securedProperties(security.get(), port));
      // passwords go by environment, which other users of the host cannot read, not by arguments
      builder
          .environment()
          .put("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD", security.get().pki().password());
    }
    command.addAll(List.of("-jar", jar.toString()));
    Process guard;
    try {
      Files.createDirectories(workDir);
      guard =
          builder
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new EmbeddedException("Cannot start the schema registry from " + jar, e);
    }
    String url = (security.isEmpty() ? "http" : "https") + "://127.0.0.1:" + port + API_PATH;
    EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(guard, url, logFile, security);
    try {
      registry.awaitReady();
      registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
    } catch (RuntimeException e) {
      registry.stopProcesses(); // the OIDC provider stays for the next attempt
      throw e;
    }
    log.info("Schema registry ready at {} (log: {})", url, logFile);
    return registry;
  }

  /**
   * HTTPS on {@code port} only, with the registry's certificate; Apicurio's authentication on,
   * basic credentials checked at {@code oidc}'s token endpoint, no anonymous reads.
   */
  private static List<String> securedProperties(Security security, int port) {
    return List.of(
        "-Dquarkus.http.ssl-port=" + port,
        "-Dquarkus.http.insecure-requests=disabled",
        "-Dquarkus.http.ssl.certificate.key-store-file="
            + security.pki().keyStore(SERVER_CERTIFICATE).toAbsolutePath(),
        "-Dquarkus.http.ssl.certificate.key-store-file-type=PKCS12",
        "-Dregistry.auth.enabled=true",
        "-Dregistry.auth.basic-auth-client-credentials.enabled=true",
        "-Dregistry.auth.anonymous-read-access.enabled=false",
        "-Dregistry.auth.token.endpoint=" + security.oidc().tokenEndpoint(),
        "-Dquarkus.oidc.auth-server-url=" + security.oidc().issuer());
  }

  private HttpClient http(Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
    security.ifPresent(s -> builder.sslContext(s.pki().sslContext(null)));
    return builder.build();
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout);
    security.ifPresent(s -> builder.header("Authorization", s.basicAuthorization()));
    return builder;
  }

  private void awaitReady() {
    HttpClient http = http(Duration.ofSeconds(2));
    HttpRequest probe = request("/subjects", Duration.ofSeconds(5)).GET().build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!guard.isAlive()) {
        throw new EmbeddedException(
            "Schema registry exited with code "
                + guard.exitValue()
                + " before it was ready; see "
                + logFile);
      }
      try {
        int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          return;
        }
        if (status == 401 || status == 403) {
          throw new EmbeddedException(
              "Schema registry at "
                  + url
                  + " refused its own user ("
                  + status
                  + "); see "
                  + logFile);
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedException("Interrupted while waiting for the schema registry", e);
      }
      pause(200);
    }
    throw new EmbeddedException(
        "Schema registry at " + url + " not ready after " + READY_TIMEOUT + "; see " + logFile);
  }

  private void put(String path, String json) {
    HttpRequest request =
        request(path, Duration.ofSeconds(10))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response =
          http(Duration.ofSeconds(10)).send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new EmbeddedException(
            "PUT " + path + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new EmbeddedException("PUT " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedException("Interrupted during PUT " + path, e);
    }
  }

  private static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedException("Interrupted while waiting for the schema registry", e);
    }
  }

  /**
   * The Confluent-compatible API's base URL, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}, or
   * {@code https://...} when secured.
   */
  public String url() {
    return url;
  }

  /**
   * What a client of this registry sets, under Confluent's names: {@code schema.registry.url} and,
   * when secured, the trust store of the registry's authority ({@code
   * schema.registry.ssl.truststore.*}) and the user's basic credentials ({@code
   * basic.auth.user.info}).
   */
  public Map<String, Object> clientSettings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("schema.registry.url", url);
    security.ifPresent(
        s -> {
          settings.put("schema.registry.ssl.truststore.location", s.pki().trustStore().toString());
          settings.put("schema.registry.ssl.truststore.password", s.pki().password());
          settings.put("schema.registry.ssl.truststore.type", "PKCS12");
          settings.put("basic.auth.credentials.source", "USER_INFO");
          settings.put("basic.auth.user.info", s.user() + ":" + s.password());
        });
    return settings;
  }

  /** The registry's log file. */
  public Path logFile() {
    return logFile;
  }

  /** The registry's process id (the registry JVM, not its guard), if it is running. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    if (guard.isAlive()) {
      pids.add(guard.pid());
    }
    guard.descendants().filter(ProcessHandle::isAlive).forEach(p -> pids.add(p.pid()));
    return pids;
  }

  /** Stops the registry and its guard and waits for both to exit. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    stopProcesses();
    security.ifPresent(s -> s.oidc().close());
    log.info("Schema registry at {} stopped", url);
  }

  private void stopProcesses() {
    List<ProcessHandle> children = guard.descendants().toList();
    try (OutputStream stdin = guard.getOutputStream()) {
      stdin.flush(); // closing the guard's stdin tells it to stop the registry
    } catch (IOException e) {
      log.debug("Closing the registry guard's input failed: {}", e.toString());
    }
    try {
      if (!guard.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Schema registry did not stop within {}; killing it", STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    guard.destroyForcibly();
    awaitExit(children);
    awaitExit(List.of(guard.toHandle()));
  }

  /** Waits (bounded) until the killed processes are gone: destroyForcibly only sends the signal. */
  private static void awaitExit(List<ProcessHandle> processes) {
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        log.warn("Process {} of the schema registry did not exit: {}", process.pid(), e.toString());
      }
    }
  }
}
