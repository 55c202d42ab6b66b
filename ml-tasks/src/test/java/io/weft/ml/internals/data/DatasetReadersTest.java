package io.weft.ml.internals.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReadersTest {

  @TempDir Path dir;

  private Path idxImages(
      String name, int magic, int count, int rows, int cols, int bytes, boolean gzip)
      throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(magic);
      out.writeInt(count);
      out.writeInt(rows);
      out.writeInt(cols);
      for (int i = 0; i < bytes; i++) {
        out.writeByte(i % 256);
      }
    }
    return write(name, buffer.toByteArray(), gzip);
  }

  private Path idxLabels(String name, int... labels) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(0x00000801);
      out.writeInt(labels.length);
      for (int label : labels) {
        out.writeByte(label);
      }
    }
    return write(name, buffer.toByteArray(), false);
  }

  private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }

  @Test
  void shouldReadGzippedIdxImagesWithTheirLabels() throws IOException {
    // given: three 2x2 images
    Path images = idxImages("images.gz", 0x00000803, 3, 2, 2, 12, true);
    Path labels = idxLabels("labels", 7, 0, 9);

    // when
    LabeledData data = IdxReader.read(images, labels, 10);

    // then
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.width()).isEqualTo(4);
    assertThat(data.labels()).containsExactly(7, 0, 9);
    assertThat(data.row(1)).containsExactly(4f, 5f, 6f, 7f);
    assertThat(data.normalized().row(1)[3]).isEqualTo(7f / 255f);
  }

  @Test
  void shouldNameTheFileOfACorruptIdxHeader() throws IOException {
    // given
    Path images = idxImages("bad-images", 0x12345678, 1, 2, 2, 4, false);
    Path labels = idxLabels("labels", 1);

    // when / then
    assertThatThrownBy(() -> IdxReader.read(images, labels, 10))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("bad-images")
        .hasMessageContaining("magic number 0x12345678");
  }

  @Test
  void shouldNameTheRecordWhereImagesEndEarly() throws IOException {
    // given: the header promises 3 images, the file holds 2
    Path images = idxImages("short-images", 0x00000803, 3, 2, 2, 8, false);
    Path labels = idxLabels("labels", 1, 2, 3);

    // when / then
    assertThatThrownBy(() -> IdxReader.read(images, labels, 10))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("short-images, record 2");
  }

  @Test
  void shouldNameTheRecordOfALabelOutOfRange() throws IOException {
    // given
    Path images = idxImages("images", 0x00000803, 2, 1, 1, 2, false);
    Path labels = idxLabels("labels", 3, 12);

    // when / then
    assertThatThrownBy(() -> IdxReader.read(images, labels, 10))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("labels, record 1: label 12 is out of range 0..9");
  }

  @Test
  void shouldRejectAMissingFile() {
    assertThatThrownBy(() -> IdxReader.read(dir.resolve("nope"), dir.resolve("nope-labels"), 10))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("no such file");
  }

  @Test
  void shouldReadCsvWithAHeaderNamingTheLabelColumn() throws IOException {
    // given
    Path csv = write("digits.csv", "p0,label,p1\n0.5,3,0.25\n1,1,0\n".getBytes(), false);

    // when
    LabeledData data = CsvReader.read(csv, "label", 10);

    // then
    assertThat(data.labels()).containsExactly(3, 1);
    assertThat(data.row(0)).containsExactly(0.5f, 0.25f);
  }

  @Test
  void shouldNameTheLineOfARaggedCsvRow() throws IOException {
    // given
    Path csv = write("ragged.csv", "1,0.1,0.2\n2,0.3\n".getBytes(), false);

    // when / then
    assertThatThrownBy(() -> CsvReader.read(csv, "0", 10))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("ragged.csv, record 2: ragged row: 2 columns, expected 3");
  }

  @Test
  void shouldNameTheLineOfACsvLabelOutOfRange() throws IOException {
    // given
    Path csv = write("labels.csv", "1,0.1\n10,0.3\n".getBytes(), false);

    // when / then
    assertThatThrownBy(() -> CsvReader.read(csv, "0", 10))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("labels.csv, record 2: label 10 is out of range 0..9");
  }

  @Test
  void shouldReadTheNpmMnistDigitsByFile() throws IOException {
    // given: digit d has d+1 images, each filled with d/10
    for (int d = 0; d < 10; d++) {
      float[] values = new float[(d + 1) * MnistJsonReader.WIDTH];
      Arrays.fill(values, d / 10f);
      write(d + ".json", ("{\"data\": " + Arrays.toString(values) + "}").getBytes(), false);
    }

    // when
    LabeledData data = MnistJsonReader.read(dir);

    // then
    assertThat(data.size()).isEqualTo(55);
    assertThat(data.histogram()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(data.row(54)[0]).isEqualTo(0.9f);
  }

  @Test
  void shouldNameTheFileWhoseValuesDoNotMakeWholeImages() throws IOException {
    // given
    for (int d = 0; d < 10; d++) {
      write(d + ".json", ("{\"data\": [" + (d == 4 ? "0.5, 0.5" : "") + "]}").getBytes(), false);
    }

    // when / then
    assertThatThrownBy(() -> MnistJsonReader.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("4.json")
        .hasMessageContaining("2 left over");
  }

  @Test
  void shouldSplitReproduciblyByRatiosWithoutLosingOrRepeatingExamples() {
    // given: 100 examples whose only feature is their index
    float[] features = new float[100];
    int[] labels = new int[100];
    for (int i = 0; i < 100; i++) {
      features[i] = i;
      labels[i] = i % 10;
    }
    LabeledData data = new LabeledData(features, labels, 1, 10);

    // when
    Splits.Split first = Splits.shuffleAndSplit(data, 7, 0.1, 0.2);
    Splits.Split again = Splits.shuffleAndSplit(data, 7, 0.1, 0.2);

    // then
    assertThat(first.train().size()).isEqualTo(70);
    assertThat(first.validation().size()).isEqualTo(10);
    assertThat(first.test().size()).isEqualTo(20);
    assertThat(again.test().features()).containsExactly(first.test().features());
    float[] all = new float[100];
    System.arraycopy(first.train().features(), 0, all, 0, 70);
    System.arraycopy(first.validation().features(), 0, all, 70, 10);
    System.arraycopy(first.test().features(), 0, all, 80, 20);
    Arrays.sort(all);
    assertThat(all).containsExactly(features);
    assertThat(first.train().features()).isNotEqualTo(Arrays.copyOf(features, 70));
  }
}
