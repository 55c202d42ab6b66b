package io.weft.ml.internals.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of the MNIST distribution ({@code train-images-idx3-ubyte[.gz]} with its
 * {@code -labels-idx1-ubyte[.gz]}): unsigned-byte images and labels, gzipped or plain.
 */
public final class IdxReader {

  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Reads images and their labels; labels must lie in [0, classes). */
  public static LabeledData read(Path images, Path labels, int classes) {
    int[] labelValues = readLabels(labels, classes);
    try (DataInputStream in = open(images)) {
      int magic = in.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new DatasetException(
            images,
            String.format(
                "not an IDX image file: magic number 0x%08x, expected 0x%08x",
                magic, IMAGES_MAGIC));
      }
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (count < 0 || rows <= 0 || cols <= 0) {
        throw new DatasetException(
            images, "corrupt IDX header: " + count + " images of " + rows + "x" + cols);
      }
      if (count != labelValues.length) {
        throw new DatasetException(
            images,
            count
                + " images but "
                + labels.getFileName()
                + " has "
                + labelValues.length
                + " labels");
      }
      int width = rows * cols;
      float[] features = new float[count * width];
      byte[] image = new byte[width];
      for (int i = 0; i < count; i++) {
        try {
          in.readFully(image);
        } catch (EOFException e) {
          throw new DatasetException(
              images, i, "file ends inside the image (header promised " + count + ")");
        }
        for (int p = 0; p < width; p++) {
          features[i * width + p] = image[p] & 0xff;
        }
      }
      return new LabeledData(features, labelValues, width, classes);
    } catch (EOFException e) {
      throw new DatasetException(images, "file ends inside the IDX header");
    } catch (IOException e) {
      throw new DatasetException(images, "cannot read: " + e.getMessage(), e);
    }
  }

  private static int[] readLabels(Path labels, int classes) {
    try (DataInputStream in = open(labels)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new DatasetException(
            labels,
            String.format(
                "not an IDX label file: magic number 0x%08x, expected 0x%08x",
                magic, LABELS_MAGIC));
      }
      int count = in.readInt();
      if (count < 0) {
        throw new DatasetException(labels, "corrupt IDX header: " + count + " labels");
      }
      int[] values = new int[count];
      for (int i = 0; i < count; i++) {
        int label;
        try {
          label = in.readUnsignedByte();
        } catch (EOFException e) {
          throw new DatasetException(
              labels, i, "file ends early (header promised " + count + " labels)");
        }
        if (label >= classes) {
          throw new DatasetException(
              labels, i, "label " + label + " is out of range 0.." + (classes - 1));
        }
        values[i] = label;
      }
      return values;
    } catch (EOFException e) {
      throw new DatasetException(labels, "file ends inside the IDX header");
    } catch (IOException e) {
      throw new DatasetException(labels, "cannot read: " + e.getMessage(), e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file, "no such file");
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(file));
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      in = new BufferedInputStream(new GZIPInputStream(in));
    }
    return new DataInputStream(in);
  }
}
