package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ml.api.ModelSpec;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InferRequestParserTest {

  private static final FakeClassifier MODEL =
      new FakeClassifier(new ModelSpec("mlp", new int[0], 4, 3), 1);
  private final InferRequestParser parser = new InferRequestParser(3);

  @Test
  void shouldReadABatchWithFlatData() {
    // when
    InferRequest request =
        parse(
            "{\"id\":\"r-1\",\"inputs\":[{\"name\":\"input-0\",\"shape\":[2,4],"
                + "\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6,7,8.5]}]}");

    // then
    assertThat(request.id()).isEqualTo("r-1");
    assertThat(request.inputs().get(0).name()).isEqualTo("input-0");
    assertThat(request.rows()).isEqualTo(2);
    assertThat(request.features()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8.5f);
  }

  @Test
  void shouldReadNestedDataInRowMajorOrder() {
    // when
    InferRequest request =
        parse(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,4],\"datatype\":\"FP32\","
                + "\"data\":[[1,2,3,4],[5,6,7,8]]}]}");

    // then
    assertThat(request.id()).isNull();
    assertThat(request.features()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void shouldReadASingleRowShapedAsAVector() {
    // when
    InferRequest request =
        parse(
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}");

    // then
    assertThat(request.rows()).isEqualTo(1);
    assertThat(request.features()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void shouldRefuseAnotherDatatypeNamingFp32() {
    assertBadRequest(input("[1,4]", "INT32", "[1,2,3,4]"))
        .hasMessage("input 'input-0' has datatype INT32; expected datatype FP32");
  }

  @Test
  void shouldRefuseAMissingDatatype() {
    assertBadRequest("{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}")
        .hasMessage("input 'input-0' has datatype none; expected datatype FP32");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"[1,3]|[1, 3]", "[1,2,2]|[1, 2, 2]", "[3]|[3]", "[]|[]"})
  void shouldRefuseAWrongShapeNamingTheExpectedOne(String shape, String shown) {
    assertBadRequest(input(shape, "FP32", "[1,2,3]"))
        .hasMessage(
            "input 'input-0' has shape "
                + shown
                + "; model 'm' expects [-1, 4] (or [4] for one row)");
  }

  @Test
  void shouldRefuseAShapeOfNoRows() {
    assertBadRequest(input("[0,4]", "FP32", "[]"))
        .hasMessage("input 'input-0' has shape [0, 4], which has no rows");
  }

  @Test
  void shouldRefuseAShapeWithNegativeOrFractionalSizes() {
    assertBadRequest(input("[-1,4]", "FP32", "[1,2,3,4]"))
        .hasMessage("input 'input-0' has shape [-1,4]; sizes must be whole numbers, at least 0");
    assertBadRequest(input("[1.5,4]", "FP32", "[1,2,3,4]"))
        .hasMessageContaining("sizes must be whole numbers");
  }

  @Test
  void shouldRefuseFewerValuesThanTheShapeHolds() {
    assertBadRequest(input("[2,4]", "FP32", "[1,2,3,4,5,6,7]"))
        .hasMessage("input 'input-0' has 7 values in 'data', but its shape [2, 4] holds 8");
  }

  @Test
  void shouldRefuseMoreValuesThanTheShapeHolds() {
    assertBadRequest(input("[1,4]", "FP32", "[[1,2,3,4],[5]]"))
        .hasMessage(
            "input 'input-0' has more than 4 values in 'data', but its shape [1, 4] holds 4");
  }

  @Test
  void shouldRefuseValuesThatAreNotNumbers() {
    assertBadRequest(input("[1,4]", "FP32", "[1,2,\"3\",4]"))
        .hasMessage("input 'input-0' has a string \"3\" in 'data'; FP32 data holds numbers only");
  }

  @Test
  void shouldRefuseMissingData() {
    assertBadRequest("{\"inputs\":[{\"name\":\"input-0\",\"shape\":[1,4],\"datatype\":\"FP32\"}]}")
        .hasMessage("input 'input-0' has no 'data' (an array of 4 numbers, flat or nested)");
  }

  @Test
  void shouldRefuseABatchOverTheLimitAsTooLarge() {
    assertRefused(input("[4,4]", "FP32", "[]"), Refusal.TENSOR_TOO_LARGE)
        .hasMessage(
            "input 'input-0' has 4 rows, more than serve.max.batch allows (3); send smaller"
                + " batches");
  }

  @Test
  void shouldRefuseAShapeOfMoreValuesThanABodyCanHoldAsTooLarge() {
    InferRequestParser smallBodies = new InferRequestParser(1_000, 2048);

    assertThatThrownBy(
            () ->
                smallBodies.parse(
                    input("[257,4]", "FP32", "[]").getBytes(StandardCharsets.UTF_8), "m", MODEL))
        .isInstanceOf(HttpProblem.class)
        .hasMessage(
            "input 'input-0' has shape [257, 4], 1028 values, more than a body of"
                + " serve.max.request.bytes (2048 bytes) can hold (1024); send smaller batches")
        .satisfies(
            e -> assertThat(((HttpProblem) e).refusal()).isEqualTo(Refusal.TENSOR_TOO_LARGE));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"1e39|1.0E39", "-1e400|-Infinity", "1e400|Infinity"})
  void shouldRefuseValuesOutOfFp32Range(String value, String shown) {
    assertBadRequest(input("[1,4]", "FP32", "[1,2,3," + value + "]"))
        .hasMessage("input 'input-0' has " + shown + " in 'data', out of FP32 range");
  }

  @Test
  void shouldRefuseNoInputOrTwoInputs() {
    assertBadRequest("{\"inputs\":[]}")
        .hasMessage(
            "expected exactly one input in 'inputs', got 0; model 'm' takes one FP32 input of"
                + " shape [-1, 4]");
    String one = "{\"name\":\"a\",\"shape\":[4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}";
    assertBadRequest("{\"inputs\":[" + one + "," + one + "]}")
        .hasMessageStartingWith("expected exactly one input in 'inputs', got 2;");
    assertBadRequest("{\"id\":\"x\"}")
        .hasMessageStartingWith("expected exactly one input in 'inputs', got none;");
  }

  @Test
  void shouldRefuseAnInputWithoutName() {
    assertBadRequest("{\"inputs\":[{\"shape\":[4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")
        .hasMessage("input has no 'name' (a string)");
  }

  @Test
  void shouldRefuseMalformedJson() {
    assertBadRequest("{\"inputs\":[").hasMessageStartingWith("request body is not valid JSON: ");
    assertBadRequest("{} {}").hasMessageStartingWith("request body is not valid JSON: ");
    assertBadRequest("").hasMessage("request body is empty; expected a JSON object");
    assertBadRequest("[1]")
        .hasMessage("request body must be a JSON object {\"inputs\": [...]}, got an array");
  }

  @Test
  void shouldRefuseAnIdThatIsNotAString() {
    assertBadRequest("{\"id\":5,\"inputs\":[]}").hasMessage("'id' must be a string, got a number");
  }

  private InferRequest parse(String body) {
    return parser.parse(body.getBytes(StandardCharsets.UTF_8), "m", MODEL);
  }

  private static String input(String shape, String datatype, String data) {
    return "{\"inputs\":[{\"name\":\"input-0\",\"shape\":"
        + shape
        + ",\"datatype\":\""
        + datatype
        + "\",\"data\":"
        + data
        + "}]}";
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertBadRequest(String body) {
    return assertRefused(body, Refusal.BAD_REQUEST);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      String body, Refusal refusal) {
    return assertThatThrownBy(() -> parse(body))
        .isInstanceOf(HttpProblem.class)
        .satisfies(e -> assertThat(((HttpProblem) e).refusal()).isEqualTo(refusal))
        .satisfies(e -> assertThat(((HttpProblem) e).status()).isEqualTo(refusal.status()));
  }
}
