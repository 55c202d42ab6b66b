package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.CoordinatorConfig;
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
    String password = Files.readString(certs.resolve("password"));
    assertThat(output).doesNotContain(password);
    KeyStore kafka =
        KeyStore.getInstance(certs.resolve("kafka.p12").toFile(), password.toCharArray());
    assertThat(kafka.getCertificate("kafka")).isNotNull();

    CoordinatorConfig coordinator = new CoordinatorConfig(settings("coordinator.properties"));
    assertThat(coordinator.originals()).containsEntry("security.protocol", "SSL");
    new WorkerConfig(settings("worker.properties"));
    new InferenceConfig(settings("inference.properties"));
    new ClientConfig(settings("client.properties"));
    assertThat(settings("coordinator.properties"))
        .containsEntry("ssl.keystore.location", certs.resolve("coordinator.p12").toString())
        .containsEntry("weft.http.auth.tokens.file", certs.resolve("tokens").toString());

    // and: the tokens written for the operator and Prometheus are in the servers' token file
    TokenStore tokens = TokenStore.open(certs.resolve("tokens"));
    assertThat(tokens.find(Files.readString(certs.resolve("operator.token")).strip()))
        .map(Token::scopes)
        .hasValueSatisfying(s -> assertThat(s).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE));
    assertThat(tokens.find(Files.readString(certs.resolve("prometheus.token")).strip()))
        .map(Token::scopes)
        .hasValueSatisfying(s -> assertThat(s).containsExactly(Scope.READ));
    assertThat(Files.readString(certs.resolve("tokens")))
        .doesNotContain(Files.readString(certs.resolve("operator.token")).strip());

    // and: run again, it keeps what it made
    Process again = script("setup.sh", Map.of());
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).isZero();
    assertThat(Files.readString(certs.resolve("password"))).isEqualTo(password);
  }

  @Test
  void shouldNameOnlyRolesAndTypesWeftAcls() throws Exception {
    // given
    Files.writeString(certs.resolve("admin.properties"), "bootstrap.servers=kafka:19092\n");

    // when: printed instead of applied
    Process acls = script("acls.sh", Map.of("WEFT_ACLS_APPLY", ""));

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
      assertThat(command)
          .anyMatch(a -> a.startsWith("--config=/certs/") && a.endsWith(".properties"));
      assertThat(overlay.volumes(service)).contains("certs:/certs:ro");
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

  private Map<String, Object> settings(String file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(certs.resolve(file))) {
      props.load(in);
    }
    Map<String, Object> settings = new HashMap<>(CONNECTION);
    props.stringPropertyNames().forEach(k -> settings.put(k, props.getProperty(k)));
    return settings;
  }
}
