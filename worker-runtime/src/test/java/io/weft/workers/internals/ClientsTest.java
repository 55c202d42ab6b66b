package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weft.workers.api.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientsTest {

  private static Map<String, Object> settings() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", "127.0.0.1:9092");
    props.put("schema.registry.url", "mock://clients-test");
    props.put("worker.id", "w1");
    return props;
  }

  @Test
  void shouldTimeOutAWorkersTransactionAfterTenSecondsByDefault() {
    // given
    Clients clients = new Clients(new WorkerConfig(settings()));

    // when
    Map<String, Object> props = clients.transactionalProducerProps("train");

    // then
    assertThat(props)
        .containsEntry("transaction.timeout.ms", 10_000)
        .containsEntry("transactional.id", clients.transactionalId("train"))
        .containsEntry("enable.idempotence", true);
  }

  @Test
  void shouldLetProducerSettingsChooseTheTransactionTimeout() {
    // given
    Map<String, Object> settings = settings();
    settings.put("producer.transaction.timeout.ms", "30000");

    // when
    Map<String, Object> props =
        new Clients(new WorkerConfig(settings)).transactionalProducerProps("train");

    // then
    assertThat(props).containsEntry("transaction.timeout.ms", "30000");
  }

  @Test
  void shouldBackOffTwoMillisecondsBetweenTransactionRetriesUnlessToldOtherwise() {
    // given
    Map<String, Object> settings = settings();
    settings.put("producer.retry.backoff.max.ms", "50");

    // when
    Map<String, Object> props =
        new Clients(new WorkerConfig(settings)).transactionalProducerProps("train");

    // then
    assertThat(props)
        .containsEntry("retry.backoff.ms", 2)
        .containsEntry("retry.backoff.max.ms", "50");
  }

  @Test
  void shouldGiveTwoWorkerProcessesWithTheSameIdDistinctTransactionalIds() {
    // given: two starts with one config, as two processes with the same worker.id
    WorkerConfig config = new WorkerConfig(settings());

    // when
    String first = new Clients(config).transactionalId("train");
    String second = new Clients(config).transactionalId("train");

    // then
    assertThat(first).startsWith("weft.workers.train.w1.");
    assertThat(second).startsWith("weft.workers.train.w1.");
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void shouldBindEachProducersAndConsumersClientMetricsUntilClosed() {
    // given
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Clients clients = new Clients(new WorkerConfig(settings()), meters);

    // when
    try (var producer = clients.transactionalProducer("train");
        var consumer = clients.taskConsumer("train")) {

      // then
      assertThat(
              meters
                  .find("kafka.producer.record.send.total")
                  .tags("client.id", "weft-worker-w1-results-train")
                  .functionCounter())
          .isNotNull();
      assertThat(
              meters
                  .find("kafka.consumer.fetch.manager.fetch.total")
                  .tags("client.id", "weft-worker-w1-tasks-train")
                  .functionCounter())
          .isNotNull();

      // and when
      clients.closeMetrics();

      // then
      assertThat(meters.find("kafka.producer.record.send.total").meters()).isEmpty();
    }
  }
}
