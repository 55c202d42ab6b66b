package io.weft.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.Directories;
import io.weft.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenTransactionsTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    Path dir = Path.of("target", "open-transactions-test");
    Directories.deleteRecursively(dir);
    kafka = EmbeddedKafka.start(dir);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldNameTheTransactionHoldingBackAPartitionUntilItCommits() throws Exception {
    // given: a transaction that wrote to partition 1 of a topic and is still open
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    "held-open"),
                new StringSerializer(),
                new StringSerializer())) {
      admin
          .createTopics(List.of(new NewTopic("orders", 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("orders", 1, "k", "v")).get(30, TimeUnit.SECONDS);

      // when / then: the partition's LSO is behind its HW, and the transaction is named
      String open = OpenTransactions.describe(admin, List.of("orders"));
      assertThat(open)
          .contains("unstable partitions {orders-1=LSO 0 < HW 1}")
          .contains("held-open Ongoing")
          .contains("orders-1")
          .doesNotContain("orders-0");

      // and: once it commits, nothing is held back
      producer.commitTransaction();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(OpenTransactions.describe(admin, List.of("orders")))
                      .isEqualTo("unstable partitions {}; transactions []"));
    }
  }
}
