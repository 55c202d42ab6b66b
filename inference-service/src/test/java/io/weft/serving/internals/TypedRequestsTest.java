package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.ml.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests for a model of several inputs of the v2 datatypes, in JSON and in binary. */
class TypedRequestsTest {

  private final EchoModel model =
      new EchoModel(
          "x:FP64:-1,2;ids:INT64:-1;mask:BOOL:-1;small:INT8:-1;count:UINT32:-1;i:INT32:-1",
          "y:FP64:-1,2;ids2:INT64:-1;mask2:BOOL:-1;small2:INT8:-1;count2:UINT32:-1;i2:INT32:-1");
  private final InferRequestParser parser = new InferRequestParser(8);

  private static final String INPUTS =
      "{\"name\":\"mask\",\"datatype\":\"BOOL\",\"shape\":[2],\"data\":[true,false]},"
          + "{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[2,2],\"data\":[[0.1,2e300],[-3,4]]},"
          + "{\"name\":\"ids\",\"datatype\":\"INT64\",\"shape\":[2],"
          + "\"data\":[9223372036854775807,-9223372036854775808]},"
          + "{\"name\":\"small\",\"datatype\":\"INT8\",\"shape\":[2],\"data\":[-128,127]},"
          + "{\"name\":\"count\",\"datatype\":\"UINT32\",\"shape\":[2],\"data\":[4294967295,0]},"
          + "{\"name\":\"i\",\"datatype\":\"INT32\",\"shape\":[2],\"data\":[-1,2147483647]}";

  @Test
  void shouldReadEveryInputByNameInTheModelsOrderWithItsDatatype() {
    InferRequest request = parse("{\"inputs\":[" + INPUTS + "]}");

    List<Tensor> inputs = request.inputs();
    assertThat(inputs)
        .extracting(Tensor::name)
        .containsExactly("x", "ids", "mask", "small", "count", "i");
    assertThat(request.rows()).isEqualTo(2);
    assertThat(inputs.get(0).toDoubles()).containsExactly(0.1, 2e300, -3, 4);
    assertThat(inputs.get(1).toLongs()).containsExactly(Long.MAX_VALUE, Long.MIN_VALUE);
    assertThat(inputs.get(2).toBooleans()).containsExactly(true, false);
    assertThat(inputs.get(3).bytes()).containsExactly(-128, 127);
    assertThat(inputs.get(4).data().getInt(0)).isEqualTo(-1); // 4294967295 as unsigned
    assertThat(inputs.get(5).toInts()).containsExactly(-1, Integer.MAX_VALUE);
  }

  @Test
  void shouldAnswerEveryDatatypeInJsonAsItWasSent() throws Exception {
    InferRequest request = parse("{\"id\":\"t\",\"inputs\":[" + INPUTS + "]}");

    JsonNode answer = V2Json.infer("m", 1, request, model.infer(request.inputs())).json();

    JsonNode outputs = answer.get("outputs");
    assertThat(outputs.get(0).get("data").toString()).isEqualTo("[0.1,2.0E300,-3.0,4.0]");
    assertThat(outputs.get(1).get("data").toString())
        .isEqualTo("[9223372036854775807,-9223372036854775808]");
    assertThat(outputs.get(2).get("data").toString()).isEqualTo("[true,false]");
    assertThat(outputs.get(3).get("data").toString()).isEqualTo("[-128,127]");
    assertThat(outputs.get(4).get("data").toString()).isEqualTo("[4294967295,0]");
    assertThat(outputs.get(4).get("datatype").asText()).isEqualTo("UINT32");
    assertThat(outputs.get(0).get("shape").toString()).isEqualTo("[2,2]");
  }

  @Test
  void shouldCarryTheWidestAndNarrowestIntegersThroughJsonUnchanged() throws Exception {
    EchoModel wide =
        new EchoModel("a:UINT64:-1;b:INT16:-1;c:UINT16:-1", "x:UINT64:-1;y:INT16:-1;z:UINT16:-1");
    String body =
        "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"UINT64\",\"shape\":[2],"
            + "\"data\":[18446744073709551615,1]},"
            + "{\"name\":\"b\",\"datatype\":\"INT16\",\"shape\":[2],\"data\":[-32768,32767]},"
            + "{\"name\":\"c\",\"datatype\":\"UINT16\",\"shape\":[2],\"data\":[65535,0]}]}";

    InferRequest request = parser.parse(body.getBytes(StandardCharsets.UTF_8), "w", wide);
    JsonNode outputs =
        V2Json.infer("w", 1, request, wide.infer(request.inputs())).json().get("outputs");

    assertThat(request.inputs().get(0).data().getLong(0)).isEqualTo(-1L); // 2^64 - 1, unsigned
    assertThat(outputs.get(0).get("data").toString()).isEqualTo("[18446744073709551615,1]");
    assertThat(outputs.get(1).get("data").toString()).isEqualTo("[-32768,32767]");
    assertThat(outputs.get(2).get("data").toString()).isEqualTo("[65535,0]");
    assertThatThrownBy(
            () ->
                parser.parse(
                    body.replace("[65535,0]", "[65536,0]").getBytes(StandardCharsets.UTF_8),
                    "w",
                    wide))
        .hasMessage("input 'c' has 65536 in 'data', out of UINT16 range");
    assertThatThrownBy(
            () ->
                parser.parse(
                    body.replace("18446744073709551615", "18446744073709551616")
                        .getBytes(StandardCharsets.UTF_8),
                    "w",
                    wide))
        .hasMessage("input 'a' has 18446744073709551616 in 'data', out of UINT64 range");
  }

  @Test
  void shouldReadBinaryDataOfEachDatatypeAndAnswerOnlyTheOutputsAskedFor() {
    String json =
        "{\"inputs\":["
            + "{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[1,2],\"parameters\":{\"binary_data_size\":16}},"
            + "{\"name\":\"ids\",\"datatype\":\"INT64\",\"shape\":[1],\"parameters\":{\"binary_data_size\":8}},"
            + "{\"name\":\"mask\",\"datatype\":\"BOOL\",\"shape\":[1],\"parameters\":{\"binary_data_size\":1}},"
            + "{\"name\":\"small\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[5]},"
            + "{\"name\":\"count\",\"datatype\":\"UINT32\",\"shape\":[1],\"data\":[6]},"
            + "{\"name\":\"i\",\"datatype\":\"INT32\",\"shape\":[1],\"data\":[7]}],"
            + "\"outputs\":[{\"name\":\"ids2\",\"parameters\":{\"binary_data\":true}},{\"name\":\"y\"}]}";
    ByteBuffer binary = ByteBuffer.allocate(25).order(ByteOrder.LITTLE_ENDIAN);
    binary.putDouble(1.25).putDouble(-0.5).putLong(42).put((byte) 1);
    byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[jsonBytes.length + 25];
    System.arraycopy(jsonBytes, 0, body, 0, jsonBytes.length);
    System.arraycopy(binary.array(), 0, body, jsonBytes.length, 25);

    InferRequest request =
        parser.parse(BinaryBody.split(body, String.valueOf(jsonBytes.length)), "m", model);
    V2Json.InferResponse answer = V2Json.infer("m", 1, request, model.infer(request.inputs()));

    assertThat(request.inputs().get(0).toDoubles()).containsExactly(1.25, -0.5);
    assertThat(request.inputs().get(2).toBooleans()).containsExactly(true);
    assertThat(request.outputs()).containsExactly("y", "ids2");
    assertThat(answer.json().get("outputs")).hasSize(2);
    assertThat(answer.json().get("outputs").get(0).get("data").toString()).isEqualTo("[1.25,-0.5]");
    assertThat(
            answer.json().get("outputs").get(1).get("parameters").get("binary_data_size").asInt())
        .isEqualTo(8);
    assertThat(ByteBuffer.wrap(answer.binary()).order(ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(42);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ids|INT64|1.5|input 'ids' has a number 1.5 in 'data'; INT64 data holds whole numbers only",
        "ids|INT64|9223372036854775808|input 'ids' has 9223372036854775808 in 'data', out of INT64 range",
        "small|INT8|128|input 'small' has 128 in 'data', out of INT8 range",
        "count|UINT32|-1|input 'count' has -1 in 'data', out of UINT32 range",
        "mask|BOOL|1|input 'mask' has a number 1 in 'data'; BOOL data holds true or false only",
        "x|FP64|true|input 'x' has a boolean true in 'data'; FP64 data holds numbers only",
      })
  void shouldRefuseAValueNotOfTheInputsDatatypeNamingIt(
      String name, String type, String value, String message) {
    String shape = name.equals("x") ? "[1,2]" : "[1]";
    String data = name.equals("x") ? "[" + value + ",1]" : "[" + value + "]";
    String body =
        INPUTS.replaceAll(
            "\\{\"name\":\"" + name + "\"[^}]*}",
            "{\"name\":\""
                + name
                + "\",\"datatype\":\""
                + type
                + "\",\"shape\":"
                + shape
                + ",\"data\":"
                + data
                + "}");
    assertThatThrownBy(() -> parse("{\"inputs\":[" + body + "]}"))
        .isInstanceOf(HttpProblem.class)
        .hasMessage(message);
  }

  @Test
  void shouldRefuseMissingUnknownRepeatedAndDisagreeingInputs() {
    assertThatThrownBy(
            () -> parse("{\"inputs\":[" + INPUTS.replace("\"mask\"", "\"masks\"") + "]}"))
        .hasMessage(
            "model 'm' has no input 'masks'; it takes inputs x FP64 [-1, 2], ids INT64 [-1],"
                + " mask BOOL [-1], small INT8 [-1], count UINT32 [-1], i INT32 [-1]");
    assertThatThrownBy(() -> parse("{\"inputs\":[" + INPUTS.replace("\"mask\"", "\"ids\"") + "]}"))
        .hasMessageStartingWith("input 'ids' is given twice in 'inputs'");
    assertThatThrownBy(() -> parse("{\"inputs\":[]}"))
        .hasMessageStartingWith("expected 6 inputs in 'inputs', got 0; model 'm' takes inputs x");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"inputs\":["
                        + INPUTS.replace("\"shape\":[2],\"data\":[-1,", "\"shape\":[1],\"data\":[")
                        + "]}"))
        .hasMessage(
            "input 'i' has 1 rows, but the inputs before it have 2; every batched input needs as"
                + " many rows");
  }

  private InferRequest parse(String body) {
    return parser.parse(body.getBytes(StandardCharsets.UTF_8), "m", model);
  }
}
