package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The configs a missing topic is created with: the catalogue's, or the component's settings'. */
class TopicAdminTest {

  private static final Map<String, Object> REQUIRED =
      Map.of("bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8081");

  @Test
  void shouldCreateTheEventsTopicWithTheCoordinatorsEventsRetention() {
    // given
    CoordinatorConfig config = coordinator(Map.of("weft.events.retention.ms", 1_209_600_000L));

    // when
    NewTopic events = created(config, WeftTopics.EVENTS);

    // then
    assertThat(events.configs()).containsEntry("retention.ms", "1209600000");
  }

  @Test
  void shouldKeepEventsForeverByDefault() {
    // when
    NewTopic events = created(coordinator(Map.of()), WeftTopics.EVENTS);

    // then
    assertThat(events.configs()).containsEntry("retention.ms", "-1");
  }

  @Test
  void shouldLeaveEveryOtherTopicItsCatalogueConfigs() {
    // given
    CoordinatorConfig config = coordinator(Map.of("weft.events.retention.ms", 3_600_000L));

    // when / then
    for (TopicSpec<?> spec : WeftTopics.CORE) {
      if (!spec.equals(WeftTopics.EVENTS)) {
        assertThat(created(config, spec).configs()).as(spec.suffix()).isEqualTo(spec.configs());
      }
    }
  }

  @Test
  void shouldRejectAnEventsRetentionOfZeroNamingTheKey() {
    assertThatThrownBy(() -> coordinator(Map.of("weft.events.retention.ms", 0L)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("weft.events.retention.ms")
        .hasMessageContaining("-1 (keep forever) or at least 1");
  }

  @Test
  void shouldCreateEveryTopicWithTheMinInsyncReplicasOfACluster() {
    // given
    CoordinatorConfig coordinator =
        coordinator(Map.of("weft.replication.factor", 3, "weft.min.insync.replicas", 2));
    ClientConfig client =
        new ClientConfig(with(Map.of("weft.replication.factor", 3, "weft.min.insync.replicas", 2)));

    // when / then: the coordinator's topics, the events topic too, and a task topic as any
    // component (here a client) creates it
    for (TopicSpec<?> spec : WeftTopics.CORE) {
      assertThat(created(coordinator, spec).configs())
          .as(spec.suffix())
          .containsEntry("min.insync.replicas", "2")
          .containsAllEntriesOf(
              spec.equals(WeftTopics.EVENTS) ? Map.of("retention.ms", "-1") : spec.configs());
    }
    assertThat(
            client
                .topicAdmin(null)
                .newTopic(client.topics().tasks("train"), WeftTopics.TASKS, 12)
                .configs())
        .containsEntry("min.insync.replicas", "2");
  }

  @Test
  void shouldLeaveTheMinInsyncReplicasToTheBrokerByDefault() {
    assertThat(created(coordinator(Map.of()), WeftTopics.RESULTS).configs())
        .doesNotContainKey("min.insync.replicas");
  }

  @Test
  void shouldRejectMoreInsyncReplicasThanReplicasNamingBothKeys() {
    assertThatThrownBy(
            () -> coordinator(Map.of("weft.replication.factor", 2, "weft.min.insync.replicas", 3)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("weft.min.insync.replicas")
        .hasMessageContaining("at most weft.replication.factor (2)");
  }

  private static Map<String, Object> with(Map<String, Object> settings) {
    Map<String, Object> all = new HashMap<>(REQUIRED);
    all.putAll(settings);
    return all;
  }

  private static CoordinatorConfig coordinator(Map<String, Object> settings) {
    Map<String, Object> all = new HashMap<>(REQUIRED);
    all.putAll(settings);
    return new CoordinatorConfig(all);
  }

  /** The topic as the component's TopicAdmin creates it when it is missing (no broker asked). */
  private static NewTopic created(WeftConfig config, TopicSpec<?> spec) {
    return config.topicAdmin(null).newTopic(config.topics().name(spec), spec, 12);
  }
}
