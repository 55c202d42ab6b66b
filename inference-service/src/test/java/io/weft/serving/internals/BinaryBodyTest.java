package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ml.api.ModelSpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Requests of the v2 binary tensor extension: a JSON header, then the inputs' raw bytes. */
class BinaryBodyTest {

  private final InferRequestParser parser = new InferRequestParser(32, 1 << 20);
  private final FakeClassifier model =
      new FakeClassifier(new ModelSpec("mlp", new int[0], 4, 3), 1);

  private static byte[] body(String json, float... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    ByteBuffer floats = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      floats.putFloat(v);
    }
    out.writeBytes(floats.array());
    return out.toByteArray();
  }

  private static String header(String shape, int bytes) {
    return "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":"
        + shape
        + ",\"parameters\":{\"binary_data_size\":"
        + bytes
        + "}}]}";
  }

  private InferRequest parse(byte[] body, int headerLength) {
    return parser.parse(BinaryBody.split(body, String.valueOf(headerLength)), "m", model);
  }

  @Test
  void shouldReadTheSameRowsFromBinaryDataAsFromJson() {
    // given
    String json = header("[2, 4]", 32);
    byte[] binary = body(json, 1, 2, 3, 4, 5, 6, 7, 8.5f);

    // when
    InferRequest fromBinary = parse(binary, json.length());
    InferRequest fromJson =
        parser.parse(
            ("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,4],"
                    + "\"data\":[1,2,3,4,5,6,7,8.5]}]}")
                .getBytes(StandardCharsets.UTF_8),
            "m",
            model);

    // then
    assertThat(fromBinary.rows()).isEqualTo(2);
    assertThat(fromBinary.features()).containsExactly(fromJson.features());
  }

  @Test
  void shouldLetAnOutputsOwnFlagOverrideTheRequestsBinaryDataOutput() {
    String json =
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,4],"
            + "\"data\":[1,2,3,4]}],\"parameters\":{\"binary_data_output\":true},"
            + "\"outputs\":[{\"name\":\"label\",\"parameters\":{\"binary_data\":false}}]}";

    InferRequest request = parser.parse(json.getBytes(StandardCharsets.UTF_8), "m", model);

    assertThat(request.binaryOutputs()).containsExactly(V2Json.LOGITS);
  }

  @Test
  void shouldNameWhatIsWrongWithABinaryRequest() {
    String json = header("[1, 4]", 16);
    byte[] body = body(json, 1, 2, 3, 4);
    assertThatThrownBy(() -> BinaryBody.split(body, "abc"))
        .hasMessageContaining("Inference-Header-Content-Length must be a whole number");
    assertThatThrownBy(() -> BinaryBody.split(body, String.valueOf(body.length + 1)))
        .hasMessageContaining("but the body has " + body.length + " bytes");
    String wrongSize = header("[1, 4]", 12);
    assertThatThrownBy(() -> parse(body(wrongSize, 1, 2, 3), wrongSize.length()))
        .hasMessageContaining("binary_data_size 12, but its shape [1, 4] of FP32 takes 16 bytes");
    assertThatThrownBy(() -> parse(body(json, 1, 2, 3), json.length()))
        .hasMessageContaining("declares 16 bytes of binary data, but only 12 follow");
    assertThatThrownBy(() -> parse(body(json, 1, 2, 3, 4, 5), json.length()))
        .hasMessageContaining("4 bytes after the inputs' binary data");
    assertThatThrownBy(() -> parse(body(json, 1, Float.NaN, 3, 4), json.length()))
        .hasMessageContaining("NaN at index 1");
    String both =
        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4],"
            + "\"parameters\":{\"binary_data_size\":16}}]}";
    assertThatThrownBy(() -> parse(body(both, 1, 2, 3, 4), both.length()))
        .hasMessageContaining("both 'data' and parameters.binary_data_size");
    assertThatCode(() -> parse(body(json, 1, 2, 3, 4), json.length())).doesNotThrowAnyException();
  }
}
