package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.CoordinatorConfig;
import io.weft.core.http.HttpClientSecurity;
import io.weft.core.http.HttpServerSecurity;
import io.weft.core.http.Scope;
import io.weft.core.http.Token;
import io.weft.core.http.TokenStore;
import io.weft.serving.InferenceConfig;
import io.weft.workers.api.WorkerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What can be checked of docker/compose.secure.yaml without a Docker engine: its set-up script run
 * here writes certificates, settings files each component accepts and working tokens; its ACL
 * script names valid roles; its commands parse. {@code DockerStackIT} runs the stack where Docker
 * runs.
 */
class SecureComposeOverlayTest {

  private static final Map<String, String> CONNECTION =
      Map.of("bootstrap.servers", "kafka:19092", "schema.registry.url", "http://registry:8080");

  private final ComposeFile overlay = ComposeFile.read("compose.secure.yaml");

  @TempDir Path certs;

  @Test
  void shouldWriteSettingsEachComponentAcceptsAndTokensItsServersKnow() throws Exception {
    // when: the certs service's script, with this build's weft command instead of the image's
    Process setup = script("setup.sh", Map.of());

    // then
    assertThat(setup.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(setup.exitValue()).as(output).isZero();
    String password = Files.readString(certs.resolve("ca/password"));
    assertThat(output).doesNotContain(password);

    // and: each component's settings are accepted, and its key stores open with them
    CoordinatorConfig coordinator =
        new CoordinatorConfig(settings("coordinator", "coordinator.properties"));
    assertThat(coordinator.originals()).containsEntry("security.protocol", "SSL");
    assertThat(HttpServerSecurity.from(coordinator).isTls()).isTrue();
    assertThat(HttpClientSecurity.from(coordinator)).isNotNull();
    WorkerConfig worker = new WorkerConfig(settings("worker", "worker.properties"));
    assertThat(HttpServerSecurity.from(worker).isTls()).isTrue();
    InferenceConfig inference = new InferenceConfig(settings("inference", "inference.properties"));
    assertThat(HttpServerSecurity.from(inference).isTls()).isTrue();
    ClientConfig client = new ClientConfig(settings("client", "client.properties"));
    assertThat(HttpClientSecurity.from(client).authorization()).isPresent();
    for (String component : List.of("coordinator", "worker", "inference", "client", "kafka")) {
      Map<String, Object> kafka =
          settings(
              component,
              component.equals("kafka") ? "admin.properties" : component + ".properties");
      KeyStore store =
          KeyStore.getInstance(
              Path.of(String.valueOf(kafka.get("ssl.keystore.location"))).toFile(),
              String.valueOf(kafka.get("ssl.keystore.password")).toCharArray());
      assertThat(store.getCertificate(component)).as(component).isNotNull();
    }

    // and: a component's volume holds its own key, no other's
    for (String component :
        List.of("kafka", "registry", "coordinator", "worker", "inference", "client")) {
      try (var files = Files.list(certs.resolve(component))) {
        assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".p12")))
            .as(component)
            .containsExactlyInAnyOrder("ca.p12", component + ".p12");
      }
    }
    try (var files = Files.list(certs.resolve("prometheus"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.p12", "ca.pem", "prometheus.token");
    }

    // and: the tokens written for the operator and Prometheus are in the servers' token file
    TokenStore tokens = TokenStore.open(certs.resolve("coordinator/tokens"));
    String operator = Files.readString(certs.resolve("client/operator.token")).strip();
    assertThat(tokens.find(operator))
        .map(Token::scopes)
        .hasValueSatisfying(s -> assertThat(s).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE));
    assertThat(tokens.find(Files.readString(certs.resolve("prometheus/prometheus.token")).strip()))
        .map(Token::scopes)
        .hasValueSatisfying(s -> assertThat(s).containsExactly(Scope.READ));
    assertThat(Files.readString(certs.resolve("coordinator/tokens"))).doesNotContain(operator);

    // and: run again, it keeps what it made
    Process again = script("setup.sh", Map.of());
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).isZero();
    assertThat(Files.readString(certs.resolve("ca/password"))).isEqualTo(password);
  }

  @Test
  void shouldNameOnlyRolesAndTypesWeftAcls() throws Exception {
    // given
    Path admin = certs.resolve("admin.properties");
    Files.writeString(admin, "bootstrap.servers=kafka:19092\n");

    // when: printed instead of applied
    Process acls =
        script("acls.sh", Map.of("WEFT_ACLS_APPLY", "", "WEFT_ADMIN_CONFIG", admin.toString()));

    // then
    assertThat(acls.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = new String(acls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(acls.exitValue()).as(output).isZero();
    assertThat(output)
        .contains(
            "--allow-principal User:worker --operation Read --operation Create --topic weft.tasks.train")
        .contains("--allow-principal User:coordinator")
        .contains("--allow-principal User:inference")
        .contains("--allow-principal User:client");
  }

  @Test
  void shouldRunTheComponentsWithTheSettingsTheCertsServiceWrites() {
    for (String service : List.of("coordinator", "worker", "inference")) {
      List<String> command = overlay.command(service);
      CommandLine.ParseResult parsed = Weft.commandLine().parseArgs(command.toArray(String[]::new));
      assertThat(parsed.subcommand()).isNotNull();
      assertThat(command).contains("--config=/certs/" + service + ".properties");
      // its own volume only: no other component's key
      assertThat(overlay.volumes(service)).containsExactly("certs-" + service + ":/certs:ro");
    }
    // the worker serves the same types as the plain stack's, each with its ACLs
    assertThat(overlay.command("worker"))
        .isEqualTo(
            ComposeFile.read().command("worker").stream()
                .map(a -> a.startsWith("--config=") ? "--config=/certs/worker.properties" : a)
                .toList());
  }

  private Process script(String name, Map<String, String> env) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder("sh", ComposeFile.DOCKER.resolve("secure").resolve(name).toString())
            .redirectErrorStream(true);
    builder.environment().put("WEFT_CERTS_DIR", certs.toString());
    builder.environment().put("WEFT_SETUP_BASE", ComposeFile.DOCKER.toString());
    builder
        .environment()
        .put(
            "WEFT_COMMAND",
            java + " -cp " + System.getProperty("java.class.path") + " io.weft.cli.Weft");
    builder.environment().putAll(env);
    return builder.start();
  }

  /** A component's settings file, its paths (/certs/...) read as where this test's files are. */
  private Map<String, Object> settings(String component, String file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(certs.resolve(component).resolve(file))) {
      props.load(in);
    }
    Map<String, Object> settings = new HashMap<>(CONNECTION);
    String dir = certs.resolve(component) + "/";
    props
        .stringPropertyNames()
        .forEach(k -> settings.put(k, props.getProperty(k).replace("/certs/", dir)));
    return settings;
  }
}
