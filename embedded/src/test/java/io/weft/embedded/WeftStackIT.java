package io.weft.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.weft.embedded.junit.WeftStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(WeftStackExtension.class)
class WeftStackIT {

  @Test
  void shouldListenOnLoopbackOnly(WeftStack stack) {
    assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
    assertThat(stack.schemaRegistryUrl())
        .startsWith("http://127.0.0.1:")
        .endsWith("/apis/ccompat/v7");
  }

  @Test
  void shouldCommitTransactionsOnTheSingleNodeBroker(WeftStack stack) throws Exception {
    // given
    String topic = "stack-it-transactions";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin
                      .describeTopics(Set.of(topic))
                      .allTopicNames()
                      .get()
                      .get(topic)
                      .partitions()
                      .stream()
                      .allMatch(p -> p.leader() != null));
    }

    // when: one transaction of 10 records commits, a second one aborts
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "stack-it",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                20_000),
            new StringSerializer(),
            new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
      }
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "aborted")).get(10, TimeUnit.SECONDS);
      producer.abortTransaction();
    }

    // then: a read_committed consumer sees exactly the committed ten
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "stack-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  values.add(r.value());
                }
                return values.size() >= 10;
              });
      values.addAll(
          consumer.poll(Duration.ofMillis(500)).records(topic).iterator().hasNext()
              ? List.of("unexpected")
              : List.of());
    }
    assertThat(values).hasSize(10).allMatch(v -> v.startsWith("committed-"));
  }

  @Test
  void shouldSetRegistryCompatibilityToBackward(WeftStack stack) throws Exception {
    // when
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());

    // then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("BACKWARD");
  }
}
