package io.weft.schemas.serde;

import io.weft.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes for Weft's generated Avro classes in the Confluent wire format. */
public final class AvroSerde {

  private AvroSerde() {}

  /** A serde for {@code type}'s values, configured with {@link AvroSerdeConfig}'s settings. */
  public static <T extends SpecificRecord> Serde<T> forValues(
      Class<T> type, Map<String, ?> configs) {
    return of(type, configs, false);
  }

  /** A serde for {@code type}'s keys, configured with {@link AvroSerdeConfig}'s settings. */
  public static <T extends SpecificRecord> Serde<T> forKeys(Class<T> type, Map<String, ?> configs) {
    return of(type, configs, true);
  }

  private static <T extends SpecificRecord> Serde<T> of(
      Class<T> type, Map<String, ?> configs, boolean isKey) {
    AvroSerializer<T> serializer = new AvroSerializer<>(configs, isKey);
    SchemaRegistryClient shared = serializer.registry();
    return Serdes.serdeFrom(serializer, new AvroDeserializer<>(type, shared));
  }
}
