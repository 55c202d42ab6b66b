package io.weft.core.internals.schedules;

import io.weft.schemas.schedules.Schedule;
import io.weft.schemas.serde.AvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The schedule processor's stores. */
public final class ScheduleStores {

  /** Schedules by name, as last read from {@code weft.schedules}. */
  public static final String SCHEDULES = "schedules";

  /** The newest tick handled (fired or skipped) per schedule, epoch milliseconds. */
  public static final String TICKS = "schedule-ticks";

  private ScheduleStores() {}

  public static StoreBuilder<KeyValueStore<String, Schedule>> schedules(
      Map<String, ?> serdeConfig) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(SCHEDULES),
        Serdes.String(),
        AvroSerde.forValues(Schedule.class, serdeConfig));
  }

  public static StoreBuilder<KeyValueStore<String, Long>> ticks() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(TICKS), Serdes.String(), Serdes.Long());
  }
}
