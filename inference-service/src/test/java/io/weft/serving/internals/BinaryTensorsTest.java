package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.ml.api.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The value check of raw tensor data: every element, wherever it lies in a large tensor, is a value
 * of its type, and the first that is not is named.
 */
class BinaryTensorsTest {

  /** Elements of a large tensor: 40 KB of FP32, the size of a real request's input. */
  private static final int COUNT = 10_000;

  private static ByteBuffer floats(ByteOrder order, float fill) {
    ByteBuffer values = ByteBuffer.allocate(COUNT * 4).order(order);
    for (int i = 0; i < COUNT; i++) {
      values.putFloat(i * 4, fill * (i % 7 - 3));
    }
    return values;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2047, 2048, 5000, COUNT - 1})
  void shouldNameTheFirstFp32ThatIsNotFiniteWhereverItIs(int index) {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      // given: finite values everywhere else, and one more bad value after it
      ByteBuffer values = floats(ByteOrder.LITTLE_ENDIAN, 1.5f);
      values.putFloat(index * 4, bad);
      if (index + 1 < COUNT) {
        values.putFloat((COUNT - 1) * 4, Float.NaN);
      }

      // when / then
      assertThatThrownBy(
              () -> BinaryTensors.check(values, TensorType.FP32, "input 'x'", COUNT, "f"))
          .isInstanceOf(HttpProblem.class)
          .hasMessage("input 'x' has " + bad + " at index " + index + " of f, not a finite FP32");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
  void shouldPassEveryFiniteFp32InEitherByteOrder(String order) {
    // given: the extremes of the finite values, zeros and subnormals among ordinary ones
    ByteOrder byteOrder =
        order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer values = floats(byteOrder, 1e30f);
    float[] edges = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 0f, Float.MIN_NORMAL};
    for (int i = 0; i < edges.length; i++) {
      values.putFloat((3000 + i) * 4, edges[i]);
    }

    // when / then
    assertThatCode(() -> BinaryTensors.check(values, TensorType.FP32, "input 'x'", COUNT, "f"))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2049, COUNT - 1})
  void shouldNameTheFirstFp64ThatIsNotFinite(int index) {
    // given
    ByteBuffer values = ByteBuffer.allocate(COUNT * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < COUNT; i++) {
      values.putDouble(i * 8, i == index ? Double.NEGATIVE_INFINITY : Double.MAX_VALUE / (i + 1));
    }

    // when / then
    assertThatThrownBy(() -> BinaryTensors.check(values, TensorType.FP64, "input 'y'", COUNT, "d"))
        .hasMessage("input 'y' has -Infinity at index " + index + " of d, not a finite FP64");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2048, COUNT - 1})
  void shouldNameTheFirstBoolThatIsNeitherZeroNorOne(int index) {
    // given: zeros and ones, and one byte with a high bit set
    ByteBuffer values = ByteBuffer.allocate(COUNT);
    for (int i = 0; i < COUNT; i++) {
      values.put(i, (byte) (i % 2));
    }
    values.put(index, (byte) 0x81);

    // when / then
    assertThatThrownBy(() -> BinaryTensors.check(values, TensorType.BOOL, "input 'm'", COUNT, "b"))
        .hasMessage("input 'm' has -127 at index " + index + " of b, not a BOOL (0 or 1)");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void shouldPassBoolsOfZeroAndOneAndEmptyTensors(int count) {
    ByteBuffer values = ByteBuffer.allocate(count);
    assertThatCode(() -> BinaryTensors.check(values, TensorType.BOOL, "input 'm'", count, "b"))
        .doesNotThrowAnyException();
    assertThatCode(() -> BinaryTensors.check(ByteBuffer.allocate(0), TensorType.FP32, "x", 0, "f"))
        .doesNotThrowAnyException();
  }
}
