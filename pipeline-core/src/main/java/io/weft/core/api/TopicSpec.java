package io.weft.core.api;

import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerde;
import io.weft.schemas.serde.AvroSerializer;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One entry of Weft's topic catalogue ({@link WeftTopics}): the name under the installation's
 * prefix, the key and the value type, how many partitions it gets, and its topic configs (cleanup
 * policy, retention). The serdes of a topic are built from its entry. Immutable.
 *
 * @param suffix the name after the prefix; for a family of topics such as the task topics, the part
 *     before the member's name ({@code tasks.})
 * @param valueType the Avro class of its values, or {@code byte[]} for raw records (dead letters)
 * @param partitioning how its partition count is chosen
 * @param configs its topic configs when Weft creates it
 * @param key what its key is, for documentation
 */
public record TopicSpec<V>(
    String suffix,
    Class<V> valueType,
    Partitioning partitioning,
    Map<String, String> configs,
    String key) {

  /** How a topic's partition count is chosen when Weft creates it. */
  public enum Partitioning {
    /**
     * The installation's {@code weft.partitions}; commands, results and events, which the
     * coordinator reads together by run id, always share one count (see {@link #RUN_KEYED}).
     */
    SHARED,
    /**
     * Like {@link #SHARED}, and co-partitioned with the other run-keyed topics: a missing one gets
     * the count of those that exist, and existing ones must agree.
     */
    RUN_KEYED,
    /** Exactly one partition: one total order of every change (the model registry). */
    SINGLE
  }

  public TopicSpec {
    Objects.requireNonNull(suffix, "suffix");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(partitioning, "partitioning");
    configs = Map.copyOf(configs);
  }

  /** Whether this entry names a family of topics, one per member (the task types' topics). */
  public boolean isFamily() {
    return suffix.endsWith(".");
  }

  /**
   * The serde of its keys: every Weft key is a UTF-8 string, a dead letter's the original bytes.
   */
  public Serde<?> keySerde() {
    return valueType == byte[].class ? Serdes.ByteArray() : Serdes.String();
  }

  /** The serde of its values, with the schema registry settings {@code serdeConfig}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Serde<V> valueSerde(Map<String, ?> serdeConfig) {
    if (valueType == byte[].class) {
      return (Serde<V>) Serdes.ByteArray();
    }
    return (Serde<V>) AvroSerde.forValues((Class) valueType, serdeConfig);
  }

  /** A deserializer of its values. */
  @SuppressWarnings("unchecked")
  public Deserializer<V> deserializer(Map<String, ?> serdeConfig) {
    if (valueType == byte[].class) {
      return (Deserializer<V>) Serdes.ByteArray().deserializer();
    }
    return new AvroDeserializer<>(valueType, serdeConfig);
  }

  /** A serializer of its values (registering their schemas as the producer's serdes do). */
  @SuppressWarnings("unchecked")
  public Serializer<V> serializer(Map<String, ?> serdeConfig) {
    if (valueType == byte[].class) {
      return (Serializer<V>) Serdes.ByteArray().serializer();
    }
    return (Serializer<V>) new AvroSerializer<SpecificRecord>(serdeConfig, false);
  }
}
