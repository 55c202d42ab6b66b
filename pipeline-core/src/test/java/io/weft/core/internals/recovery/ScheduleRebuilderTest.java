package io.weft.core.internals.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunStarted;
import io.weft.schemas.schedules.MissedTicks;
import io.weft.schemas.schedules.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ScheduleRebuilderTest {

  static {
    GeneratedClasses.trust();
  }

  private static final Instant CREATED = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static Schedule schedule(String name) {
    return new Schedule(name, "w", null, "0 * * * *", "UTC", Map.of(), MissedTicks.ALL, CREATED);
  }

  private static RunEvent started(String runKey) {
    return new RunEvent("r", 0L, NOW, new RunStarted("w", 1, Map.of(), runKey));
  }

  @Test
  void shouldResumeEachScheduleAfterTheNewestTickTheLogShowsAndOthersFromNow() {
    // given: the log shows two ticks of 'hourly', none of 'quiet', and a client's own run key
    ScheduleRebuilder rebuilder = new ScheduleRebuilder();
    rebuilder.observe(started("schedule:hourly:2026-12-06T10:00:00Z"));
    rebuilder.observe(started("schedule:hourly:2026-12-06T11:00:00Z"));
    rebuilder.observe(started("schedule:quiet:not-a-time"));
    rebuilder.observe(started("nightly-import-42"));
    Serializer<Schedule> noRegistry = (topic, value) -> value.getName().getBytes();
    MockProducer<String, Schedule> schedules =
        new MockProducer<>(true, null, new StringSerializer(), noRegistry);
    MockProducer<String, Long> ticks =
        new MockProducer<>(true, null, new StringSerializer(), new LongSerializer());

    // when
    int written =
        rebuilder.write(
            "app",
            Map.of("hourly", schedule("hourly"), "quiet", schedule("quiet")),
            schedules,
            ticks,
            NOW,
            Duration.ofSeconds(5));

    // then
    assertThat(written).isEqualTo(2);
    assertThat(schedules.history())
        .extracting(ProducerRecord::topic)
        .containsOnly("app-schedules-changelog");
    Map<String, Long> last =
        ticks.history().stream()
            .collect(Collectors.toMap(ProducerRecord::key, ProducerRecord::value));
    assertThat(last)
        .containsEntry("hourly", Instant.parse("2026-12-06T11:00:00Z").toEpochMilli())
        .containsEntry("quiet", NOW.toEpochMilli());
  }
}
