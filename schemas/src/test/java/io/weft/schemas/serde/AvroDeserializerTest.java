package io.weft.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.schemas.events.RunEvent;
import io.weft.schemas.registry.RegistryUnavailableException;
import io.weft.schemas.serde.UndecodableRecordException.Reason;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire-format checks that need no registry: a registry that cannot answer proves it. */
class AvroDeserializerTest {

  private AvroDeserializer<RunEvent> deserializer;

  @BeforeEach
  void createDeserializer() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    deserializer =
        new AvroDeserializer<>(
            RunEvent.class,
            Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                "http://127.0.0.1:" + closed,
                AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000));
  }

  @Test
  void shouldReadATombstoneAsNull() {
    assertThat(deserializer.deserialize("weft.events", null)).isNull();
  }

  @Test
  void shouldRejectAWrongMagicByteNamingTheTopic() {
    assertThatThrownBy(() -> deserializer.deserialize("weft.events", new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessage(
            "Cannot decode record from topic 'weft.events' (BAD_MAGIC_BYTE): first byte is 0x01,"
                + " expected 0x00 (Confluent wire format)")
        .extracting(e -> ((UndecodableRecordException) e).reason())
        .isEqualTo(Reason.BAD_MAGIC_BYTE);
  }

  @Test
  void shouldRejectBytesShorterThanTheHeader() {
    assertThatThrownBy(() -> deserializer.deserialize("weft.events", new byte[] {0, 0}))
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageContaining("topic 'weft.events'")
        .hasMessageContaining("2 bytes")
        .extracting(e -> ((UndecodableRecordException) e).reason())
        .isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void shouldNamePartitionAndOffsetOnceLocated() {
    // given
    UndecodableRecordException error =
        new UndecodableRecordException("weft.results", Reason.MALFORMED, "bad varint", null);

    // when
    UndecodableRecordException located = error.at(3, 1_234L);

    // then
    assertThat(located)
        .hasMessage(
            "Cannot decode record from topic 'weft.results', partition 3, offset 1234 (MALFORMED): bad varint");
    assertThat(located.partition()).hasValue(3);
    assertThat(located.offset()).hasValue(1_234L);
    assertThat(located.topic()).isEqualTo("weft.results");
  }

  @Test
  void shouldReportAnUnreachableRegistryAsTransientNotAsPoison() {
    assertThatThrownBy(() -> deserializer.deserialize("weft.events", new byte[] {0, 0, 0, 0, 9, 2}))
        .isInstanceOf(RegistryUnavailableException.class)
        .isNotInstanceOf(UndecodableRecordException.class)
        .hasMessageContaining("GET /schemas/ids/9");
  }
}
