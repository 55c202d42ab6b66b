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
