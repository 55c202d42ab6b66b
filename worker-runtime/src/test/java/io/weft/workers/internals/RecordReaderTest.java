package io.weft.workers.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.registry.RegistryUnavailableException;
import io.weft.schemas.serde.AvroDeserializer;
import io.weft.schemas.serde.AvroSerializer;
import io.weft.schemas.serde.UndecodableRecordException;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.internals.Triage.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecordReaderTest {

  private static final Map<String, Object> SERDE =
      Map.of("schema.registry.url", "mock://record-reader-test");
  private static final String TOPIC = "weft.tasks.train";

  @BeforeAll
  static void trust() {
    GeneratedClasses.trust();
  }

  private static RecordReader reader() {
    return new RecordReader("train", new AvroDeserializer<>(TaskRequest.class, SERDE));
  }

  private static byte[] bytes(TaskRequest request) {
    return new AvroSerializer<TaskRequest>(SERDE, false).serialize(TOPIC, request);
  }

  private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ConsumerRecord<>(
        TOPIC, 3, 17L, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static TaskRequest.Builder request() {
    return TaskRequest.newBuilder(TaskResultsTest.request()).setAttempt(1);
  }

  @Test
  void shouldExecuteAValidRequestWithParsedParamsAndUpstream() {
    // given
    TaskRequest request = request().setParams(Map.of("epochs", "5", "name", "\"x\"")).build();

    // when
    Triage triage = reader().read(record("run-1/train", bytes(request)));

    // then
    assertThat(triage.kind()).isEqualTo(Kind.EXECUTE);
    assertThat(triage.request()).isEqualTo(request);
    assertThat(triage.params().get("epochs").intValue()).isEqualTo(5);
    assertThat(triage.params().get("name").textValue()).isEqualTo("x");
  }

  @Test
  void shouldDeadLetterGarbageUnknownSchemaIdsAndNullValuesNamingTheOffset() {
    // given
    byte[] garbage = "{\"runId\":\"run-1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(1).array();

    // when
    Triage fromGarbage = reader().read(record("run-1/train", garbage));
    Triage fromUnknownId = reader().read(record("run-1/train", unknownId));
    Triage fromNull = reader().read(record("run-1/train", null));

    // then
    assertThat(fromGarbage.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(fromGarbage.error())
        .isInstanceOf(UndecodableRecordException.class)
        .hasMessageContaining("partition 3, offset 17");
    assertThat(fromUnknownId.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(fromUnknownId.error()).hasMessageContaining("schema id 987654");
    assertThat(fromNull.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(fromNull.error())
        .isInstanceOf(InvalidTaskRequestException.class)
        .hasMessageContaining("no value");
  }

  @Test
  void shouldDeadLetterAKeyThatIsNotRunIdSlashTaskIdOrAnotherType() {
    // given
    byte[] train = bytes(request().build());
    byte[] predict = bytes(request().setType("predict").build());

    // when
    Triage wrongKey = reader().read(record("run-1", train));
    Triage noKey = reader().read(record(null, train));
    Triage wrongType = reader().read(record("run-1/train", predict));

    // then
    assertThat(wrongKey.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(wrongKey.error()).hasMessageContaining("record key 'run-1'");
    assertThat(noKey.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(wrongType.kind()).isEqualTo(Kind.DEAD_LETTER);
    assertThat(wrongType.error()).hasMessageContaining("type 'predict'");
  }

  @Test
  void shouldRejectARequestWhoseParameterIsNotJsonAsNotRetryable() {
    // given
    byte[] value = bytes(request().setParams(Map.of("epochs", "five")).build());

    // when
    Triage triage = reader().read(record("run-1/train", value));

    // then
    assertThat(triage.kind()).isEqualTo(Kind.REJECT);
    assertThat(triage.rejection().getErrorClass()).isEqualTo(RecordReader.INVALID_REQUEST);
    assertThat(triage.rejection().getMessage()).contains("parameter 'epochs'");
    assertThat(triage.rejection().getRetryable()).isFalse();
  }

  @Test
  void shouldRetryLaterWhenTheRegistryIsUnreachableInsteadOfDeadLettering() throws IOException {
    // given: a registry URL on a loopback port nobody listens on
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RecordReader reader =
        new RecordReader(
            "train",
            new AvroDeserializer<>(
                TaskRequest.class,
                Map.of(
                    "schema.registry.url",
                    "http://127.0.0.1:" + port,
                    "schema.registry.request.timeout.ms",
                    2000)));
    byte[] value = ByteBuffer.allocate(9).put((byte) 0).putInt(123_456).putInt(1).array();

    // when
    Triage triage = reader.read(record("run-1/train", value));

    // then
    assertThat(triage.kind()).isEqualTo(Kind.RETRY_LATER);
    assertThat(triage.error()).isInstanceOf(RegistryUnavailableException.class);
  }
}
