package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  private static Map<String, Object> minimal() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", "127.0.0.1:9092");
    props.put("schema.registry.url", "mock://config-test");
    return props;
  }

  @Test
  void shouldApplyDocumentedDefaults() {
    // given
    Map<String, Object> props = minimal();

    // when
    WorkerConfig config = new WorkerConfig(props);

    // then
    assertThat(config.topics().prefix()).isEqualTo("weft.");
    assertThat(config.workerId()).matches("[A-Za-z0-9._-]+-" + ProcessHandle.current().pid());
    assertThat(config.concurrency()).isEqualTo(1);
    assertThat(config.windowPerPartition()).isEqualTo(64);
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(3000));
    assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMillis(30_000));
    assertThat(config.artifactDir()).hasToString("weft-data/artifacts");
    assertThat(config.partitions()).isEqualTo(12);
    assertThat(config.replicationFactor()).isEqualTo((short) -1);
    assertThat(config.capacity().cpu()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.capacity().memory()).isGreaterThan(0);
    assertThat(config.capacity().gpu()).isZero();
  }

  @Test
  void shouldReadTheCapacityWithUnitsAndRefuseABadOneNamingItsKey() {
    // given
    Map<String, Object> props = new java.util.HashMap<>(minimal());
    props.put("worker.capacity.cpu", "2.5");
    props.put("worker.capacity.memory", "16Gi");
    props.put("worker.capacity.gpu", "2");

    // when
    io.weft.core.api.Resources capacity = new WorkerConfig(props).capacity();

    // then
    assertThat(capacity).isEqualTo(new io.weft.core.api.Resources(2.5, 16L << 30, 2));
    props.put("worker.capacity.memory", "lots");
    assertThatThrownBy(() -> new WorkerConfig(props))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("worker.capacity.memory")
        .hasMessageContaining("is not a size");
    props.put("worker.capacity.memory", "16Gi");
    props.put("worker.capacity.cpu", "0");
    assertThatThrownBy(() -> new WorkerConfig(props))
        .hasMessageContaining("worker.capacity.cpu")
        .hasMessageContaining("above 0");
  }

  @Test
  void shouldDeclareEveryKeyWithDocumentation() {
    // given
    ConfigDef def = WorkerConfig.configDef();

    // when / then
    assertThat(def.names())
        .containsExactlyInAnyOrder(
            "bootstrap.servers",
            "schema.registry.url",
            "weft.topic.prefix",
            "worker.id",
            "worker.concurrency",
            "worker.window.per.partition",
            "worker.heartbeat.interval.ms",
            "worker.poll.timeout.ms",
            "worker.shutdown.timeout.ms",
            "worker.stop.grace.ms",
            "worker.capacity.cpu",
            "worker.capacity.memory",
            "worker.capacity.gpu",
            "worker.artifact.dir",
            "worker.artifact.uri",
            "artifact.cache.dir",
            "artifact.s3.endpoint",
            "artifact.s3.region",
            "artifact.s3.path.style.access",
            "artifact.s3.access.key.id",
            "artifact.s3.secret.access.key",
            "worker.metrics.port",
            "worker.metrics.host",
            "weft.http.tls.keystore.location",
            "weft.http.tls.keystore.password",
            "weft.http.tls.keystore.type",
            "weft.http.tls.key.password",
            "weft.http.auth.tokens.file",
            "weft.http.auth.oidc.issuer",
            "weft.http.auth.oidc.jwks.url",
            "weft.http.auth.oidc.audience",
            "weft.http.auth.oidc.read.scope",
            "weft.http.auth.oidc.write.scope",
            "weft.partitions",
            "weft.replication.factor",
            "weft.min.insync.replicas");
    assertThat(def.configKeys().values())
        .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
  }

  @Test
  void shouldFailNamingAnUnknownKey() {
    // given
    Map<String, Object> props = minimal();
    props.put("worker.concurency", 2);

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.concurency");
  }

  @Test
  void shouldPassSecuritySettingsToEveryClientAndPrefixedKeysToTheirClient() {
    // given
    Map<String, Object> props = minimal();
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", "PLAIN");
    props.put("ssl.truststore.location", "/etc/truststore.jks");
    props.put("consumer.max.poll.interval.ms", "3000");
    props.put("producer.linger.ms", "5");
    props.put("admin.request.timeout.ms", "7000");
    props.put("basic.auth.user.info", "user:secret");
    props.put("schema.registry.ssl.truststore.location", "/etc/registry-ca.p12");

    // when
    WorkerConfig config = new WorkerConfig(props);

    // then
    Map<String, Object> security =
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "PLAIN",
            "ssl.truststore.location", "/etc/truststore.jks");
    assertThat(config.consumerOverrides())
        .containsAllEntriesOf(security)
        .containsEntry("max.poll.interval.ms", "3000")
        .doesNotContainKeys("linger.ms", "request.timeout.ms");
    assertThat(config.producerOverrides())
        .containsAllEntriesOf(security)
        .containsEntry("linger.ms", "5")
        .doesNotContainKey("max.poll.interval.ms");
    assertThat(config.adminOverrides())
        .containsAllEntriesOf(security)
        .containsEntry("request.timeout.ms", "7000");
    assertThat(config.serdeConfig())
        .containsEntry("schema.registry.url", "mock://config-test")
        .containsEntry("basic.auth.user.info", "user:secret")
        .containsEntry("schema.registry.ssl.truststore.location", "/etc/registry-ca.p12")
        .doesNotContainKey("ssl.truststore.location");
    assertThat(config.consumerOverrides())
        .doesNotContainKey("schema.registry.ssl.truststore.location");
  }

  @Test
  void shouldRefuseOverridingSettingsTheGuaranteesRestOn() {
    // given
    Map<String, Object> props = minimal();
    props.put("consumer.enable.auto.commit", "true");

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("consumer.enable.auto.commit");
  }

  @Test
  void shouldFailNamingTheKeyOfAnInvalidConcurrency() {
    // given
    Map<String, Object> props = minimal();
    props.put("worker.concurrency", 0);

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.concurrency")
        .hasMessageContaining("at least 1");
  }

  @Test
  void shouldFailNamingTheKeyOfOtherInvalidValues() {
    // given
    Map<String, Object> badPrefix = minimal();
    badPrefix.put("weft.topic.prefix", "a/b");
    Map<String, Object> badId = minimal();
    badId.put("worker.id", "has space");
    Map<String, Object> badRf = minimal();
    badRf.put("weft.replication.factor", 0);
    Map<String, Object> notANumber = minimal();
    notANumber.put("worker.heartbeat.interval.ms", "often");
    Map<String, Object> noBootstrap = minimal();
    noBootstrap.remove("bootstrap.servers");

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(badPrefix)).hasMessageContaining("weft.topic.prefix");
    assertThatThrownBy(() -> new WorkerConfig(badId)).hasMessageContaining("worker.id");
    assertThatThrownBy(() -> new WorkerConfig(badRf))
        .hasMessageContaining("weft.replication.factor");
    assertThatThrownBy(() -> new WorkerConfig(notANumber))
        .hasMessageContaining("worker.heartbeat.interval.ms");
    assertThatThrownBy(() -> new WorkerConfig(noBootstrap))
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void shouldFailNamingThePrefixedKeyOfAnInvalidClientValue() {
    // given
    Map<String, Object> badConsumer = minimal();
    badConsumer.put("consumer.max.poll.interval.ms", "soon");
    Map<String, Object> badSecurity = minimal();
    badSecurity.put("security.protocol", "CARRIER_PIGEON");

    // when / then
    assertThatThrownBy(() -> new WorkerConfig(badConsumer))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("consumer.max.poll.interval.ms");
    assertThatThrownBy(() -> new WorkerConfig(badSecurity))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("security.protocol");
  }

  @Test
  void shouldAcceptExplicitValues() {
    // given
    Map<String, Object> props = minimal();
    props.put("weft.topic.prefix", "it-1.");
    props.put("worker.id", "w-1");
    props.put("worker.concurrency", "4");
    props.put("weft.replication.factor", 3);
    props.put("weft.partitions", 3);

    // when
    WorkerConfig config = new WorkerConfig(props);

    // then
    assertThat(config.topics().tasks("train")).isEqualTo("it-1.tasks.train");
    assertThat(config.workerId()).isEqualTo("w-1");
    assertThat(config.concurrency()).isEqualTo(4);
    assertThat(config.replicationFactor()).isEqualTo((short) 3);
    assertThat(config.partitions()).isEqualTo(3);
  }
}
