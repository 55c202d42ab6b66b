package io.weft.workers.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.api.ClientConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connection settings a worker hands its handlers. */
class WorkerConnectionSettingsTest {

  @Test
  void shouldHandOverConnectionSecurityAndRegistrySettingsThatAClientAccepts() {
    // given
    WorkerConfig config =
        new WorkerConfig(
            Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "schema.registry.url", "http://127.0.0.1:8081",
                "basic.auth.user.info", "u:p",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN",
                "worker.concurrency", "4",
                "consumer.max.poll.records", "10"));

    // when
    Map<String, Object> settings = config.connectionSettings();

    // then
    assertThat(settings)
        .containsOnlyKeys(
            "bootstrap.servers",
            "schema.registry.url",
            "weft.topic.prefix",
            "weft.partitions",
            "weft.replication.factor",
            "weft.min.insync.replicas",
            "basic.auth.user.info",
            "security.protocol",
            "sasl.mechanism")
        .containsEntry("weft.topic.prefix", "weft.")
        .containsEntry("weft.partitions", 12)
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(new ClientConfig(settings).topics().prefix()).isEqualTo("weft.");
  }
}
