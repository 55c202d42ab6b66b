package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.api.ModelRegistry;
import io.weft.core.http.Scope;
import io.weft.core.http.TokenFile;
import io.weft.embedded.Directories;
import io.weft.embedded.EmbeddedSchemaRegistry;
import io.weft.embedded.LocalPki;
import io.weft.embedded.SecuredKafka;
import io.weft.embedded.SecuredKafka.ClientAuth;
import io.weft.schemas.common.ArtifactRef;
import io.weft.serving.InferenceServer;
import io.weft.testkit.WeftInstallation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole Weft on a broker that requires authentication (SCRAM-SHA-512 over TLS, or mutual TLS) and
 * allows only what ACLs grant, and on a registry that answers only HTTPS with basic credentials:
 * every component connects with its documented settings, to Kafka as its own principal holding
 * exactly the ACLs {@code weft acls --apply} gives its role.
 */
class SecuredKafkaIT {

  private static final Path ECHO = Path.of("src/test/resources/workflows/echo.yaml");
  private static final Path TEST_DIR =
      Path.of(System.getProperty("weft.test.dir", "target/weft-test"), "secured");
  private static final String REGISTRY_PASSWORD = secret();

  private static LocalPki pki;
  private static EmbeddedSchemaRegistry registry;

  @TempDir Path dir;

  @BeforeAll
  static void startRegistry() {
    Directories.deleteRecursively(TEST_DIR);
    pki = LocalPki.create(TEST_DIR.resolve("pki"));
    Path distribution =
        Path.of(
            System.getProperty("weft.registry.home", TEST_DIR.resolveSibling("dist").toString()));
    registry =
        EmbeddedSchemaRegistry.startSecured(
            TEST_DIR.resolve("registry"), distribution, pki, "weft", REGISTRY_PASSWORD);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private final Map<String, String> passwords = new HashMap<>();
  private SecuredKafka kafka;
  private WeftInstallation weft;
  private String token;
  private Path tokenFile;

  @ParameterizedTest
  @EnumSource(ClientAuth.class)
  void shouldRunAWorkflowWithEachRoleHoldingOnlyItsAcls(ClientAuth auth) throws Exception {
    for (String user :
        List.of("coordinator", "worker-echo", "client", "models", "inference", "operator")) {
      passwords.put(user, secret());
    }
    // the clients log their configurations at INFO, and Weft its details at DEBUG
    Configurator.setLevel("org.apache.kafka", Level.INFO);
    Configurator.setLevel("io.weft", Level.DEBUG);
    try (SecuredKafka started = SecuredKafka.start(dir.resolve("kafka"), pki, auth);
        WeftInstallation installation =
            WeftInstallation.forTests(started.bootstrapServers(), registry.url(), "sec")
                .withSharedSettings(registry.clientSettings())) {
      kafka = started;
      weft = installation;
      passwords.forEach(kafka::addUser);
      grantEveryRoleItsAcls();
      startCoordinatorAndWorker();

      clientRunsAWorkflowWithItsToken();
      modelWriterRegistersWhatTheInferenceServiceReads();
      operatorListsTopicsAndLag();
      workerAndClientAreRefusedWhatIsNotTheirs();
      noSecretReachedTheLog();
    } finally {
      Configurator.setLevel("org.apache.kafka", Level.ERROR);
      Configurator.setLevel("io.weft", Level.INFO);
    }
  }

  private void grantEveryRoleItsAcls() {
    Path admin = weft.writeSettings("admin.properties", kafka.adminSettings());
    String prefix = weft.topics().prefix();
    grant(admin, prefix, weft.applicationId(), "coordinator", "coordinator");
    grant(admin, prefix, weft.applicationId(), "worker", "worker-echo", "--task-type", "cli-echo");
    grant(admin, prefix, weft.applicationId(), "client", "client");
    grant(admin, prefix, weft.applicationId(), "model-writer", "models");
    grant(admin, prefix, weft.applicationId(), "inference", "inference");
    grant(admin, prefix, weft.applicationId(), "operator", "operator");
  }

  /** The coordinator with its query API over HTTPS, answering only a token holder; a worker. */
  private void startCoordinatorAndWorker() throws Exception {
    token = secret() + secret();
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens, TokenFile.hashedLine("operator", Set.of(Scope.READ, Scope.WRITE), token) + "\n");
    tokenFile = dir.resolve("operator.token");
    Files.writeString(tokenFile, token);
    Map<String, Object> coordinator = security("coordinator");
    coordinator.put("weft.http.tls.keystore.location", pki.keyStore("coordinator").toString());
    coordinator.put("weft.http.tls.keystore.password", pki.password());
    coordinator.put("weft.http.auth.tokens.file", tokens.toString());
    weft.withCoordinatorSettings(coordinator).startCoordinator();
    assertThat(weft.queryUrl()).startsWith("https://");
    Map<String, Object> worker = security("worker-echo");
    worker.put("worker.concurrency", "2");
    weft.startWorker(worker, new TestHandlers.Echo());
  }

  private void clientRunsAWorkflowWithItsToken() {
    Map<String, Object> client = weft.clientSettings();
    client.putAll(security("client"));
    client.put("weft.http.tls.truststore.location", pki.trustStore().toString());
    client.put("weft.http.tls.truststore.password", pki.password());
    Path untokened = weft.writeSettings("untokened.properties", client);
    client.put("weft.query.token.file", tokenFile.toString());
    Path config = weft.writeSettings("client.properties", client);

    Cli.Result run =
        Cli.run("run", ECHO.toString(), "--wait", "--timeout", "2m", "--config", config.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("SUCCEEDED");
    Cli.Result refused = Cli.run("runs", "--config", untokened.toString());
    assertThat(refused.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(refused.err()).contains("401");
  }

  private void modelWriterRegistersWhatTheInferenceServiceReads() throws Exception {
    Map<String, Object> writer = weft.connection();
    writer.putAll(security("models"));
    try (ModelRegistry models = ModelRegistry.create(writer)) {
      models.register(
          "sec-model",
          new ArtifactRef("file:///m.params", "00", 1L, "x"),
          Map.of(),
          Map.of(),
          null,
          null);
    }
    Map<String, Object> reader = weft.connection();
    reader.putAll(security("inference"));
    try (ModelRegistry models = ModelRegistry.create(reader)) {
      assertThat(models.versions("sec-model")).hasSize(1);
    }
    // and the inference service itself reads the registry's aliases as that principal
    reader.put("serve.host", "127.0.0.1");
    reader.put("serve.port", "0");
    reader.put("serve.artifact.dir", dir.resolve("artifacts").toString());
    try (InferenceServer server = InferenceServer.start(reader)) {
      assertThat(server.awaitReady(Duration.ofSeconds(60))).isTrue();
    }
  }

  private void operatorListsTopicsAndLag() {
    Map<String, Object> operator = weft.connection();
    operator.putAll(security("operator"));
    Cli.Result topics =
        Cli.run(
            "topics", "--config", weft.writeSettings("operator.properties", operator).toString());
    assertThat(topics.exitCode()).as(topics.out() + topics.err()).isZero();
    assertThat(topics.out())
        .containsPattern(
            "(?m)^"
                + Pattern.quote(weft.topics().tasks("cli-echo"))
                + " +\\d+ +"
                + Pattern.quote(weft.topics().workerGroup("cli-echo"))
                + " +0$");
  }

  /** A worker of one type reads no other type's requests and writes no commands. */
  private void workerAndClientAreRefusedWhatIsNotTheirs() throws Exception {
    Map<String, Object> worker = security("worker-echo");
    worker.put("bootstrap.servers", kafka.bootstrapServers());
    String train = weft.topics().tasks("train");
    try (Admin superUser = Admin.create(kafka.adminSettings())) {
      superUser
          .createTopics(List.of(new NewTopic(train, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> poll(worker, train, null))
        .isInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> poll(worker, train, weft.topics().workerGroup("train")))
        .isInstanceOf(AuthorizationException.class);
    assertThatThrownBy(() -> send(worker, weft.topics().commands()))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(AuthorizationException.class);
    // nor does the client read what workers are sent
    Map<String, Object> client = security("client");
    client.put("bootstrap.servers", kafka.bootstrapServers());
    assertThatThrownBy(() -> poll(client, weft.topics().tasks("cli-echo"), null))
        .isInstanceOf(AuthorizationException.class);
  }

  /** No password or token is in the log, which holds the clients' configurations. */
  private void noSecretReachedTheLog() throws Exception {
    String log = Files.readString(testLog());
    assertThat(log).contains("ssl.truststore.password = [hidden]");
    for (Map.Entry<String, String> user : passwords.entrySet()) {
      assertThat(log)
          .as("the log holds %s's password", user.getKey())
          .doesNotContain(user.getValue());
    }
    assertThat(log)
        .doesNotContain(pki.password())
        .doesNotContain(REGISTRY_PASSWORD)
        .doesNotContain(token);
  }

  /** {@code user}'s Kafka security settings; mutable. */
  private Map<String, Object> security(String user) {
    return new HashMap<>(kafka.clientSecurity(user, passwords.get(user)));
  }

  private static void grant(
      Path admin, String prefix, String applicationId, String role, String user, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "acls",
                "--role",
                role,
                "--principal",
                "User:" + user,
                "--topic-prefix",
                prefix,
                "--application-id",
                applicationId,
                "--config",
                admin.toString(),
                "--apply"));
    args.addAll(List.of(extra));
    Cli.Result result = Cli.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
  }

  private static void poll(Map<String, Object> security, String topic, String group) {
    Map<String, Object> config = new HashMap<>(security);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      if (group != null) {
        consumer.subscribe(List.of(topic));
      } else {
        consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200));
      }
    }
  }

  private static void send(Map<String, Object> security, String topic) throws Exception {
    Map<String, Object> config = new HashMap<>(security);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topic, new byte[1])).get(30, TimeUnit.SECONDS);
    }
  }

  private static Path testLog() {
    return Path.of(System.getProperty("weft.test.dir", "target/weft-test"), "test.log");
  }

  private static String secret() {
    byte[] bytes = new byte[12];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
