package io.weft.core.internals.coordinator;

import io.weft.schemas.internal.RunState;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The runs store's serde: refuses, with {@link StateTooLargeException}, to encode a run state
 * larger than the limit, before the store or its changelog sees it. The store encodes each state it
 * is given once, so the check costs nothing more than the write.
 */
final class BoundedStateSerde implements Serde<RunState> {

  private final Serde<RunState> inner;
  private final Serializer<RunState> serializer;

  BoundedStateSerde(Serde<RunState> inner, int limit) {
    this.inner = inner;
    Serializer<RunState> encoder = inner.serializer();
    this.serializer =
        (topic, state) -> {
          byte[] bytes = encoder.serialize(topic, state);
          if (bytes != null && bytes.length > limit) {
            throw new StateTooLargeException(bytes.length, limit);
          }
          return bytes;
        };
  }

  @Override
  public Serializer<RunState> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<RunState> deserializer() {
    return inner.deserializer();
  }
}
