package io.weft.ml.internals.dl;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: the epochs done, the architecture, and the metrics and parameters after
 * the last of them, in one file so that it is stored atomically.
 */
public record Checkpoint(
    int epochsDone, Map<String, String> spec, Map<String, Double> metrics, byte[] parameters) {

  /** Media type of a stored checkpoint. */
  public static final String MEDIA_TYPE = "application/x-weft-checkpoint";

  private static final int MAGIC = 0x5746434b; // "WFCK"
  private static final int FORMAT = 1;

  public Checkpoint {
    spec = Map.copyOf(spec);
    metrics = Map.copyOf(metrics);
  }

  /** The checkpoint's bytes. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(parameters.length + 256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeInt(epochsDone);
      out.writeInt(spec.size());
      for (Map.Entry<String, String> entry : spec.entrySet()) {
        out.writeUTF(entry.getKey());
        out.writeUTF(entry.getValue());
      }
      out.writeInt(metrics.size());
      for (Map.Entry<String, Double> entry : metrics.entrySet()) {
        out.writeUTF(entry.getKey());
        out.writeDouble(entry.getValue());
      }
      out.writeInt(parameters.length);
      out.write(parameters);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a checkpoint.
   *
   * @throws IOException if the bytes are not a checkpoint of this format
   */
  public static Checkpoint decode(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readInt() != MAGIC) {
      throw new IOException("not a Weft training checkpoint");
    }
    int format = data.readInt();
    if (format != FORMAT) {
      throw new IOException("checkpoint format " + format + " is not " + FORMAT);
    }
    int epochs = data.readInt();
    int entries = data.readInt();
    Map<String, String> spec = new LinkedHashMap<>();
    for (int i = 0; i < entries; i++) {
      spec.put(data.readUTF(), data.readUTF());
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    int count = data.readInt();
    for (int i = 0; i < count; i++) {
      metrics.put(data.readUTF(), data.readDouble());
    }
    byte[] parameters = new byte[data.readInt()];
    data.readFully(parameters);
    return new Checkpoint(epochs, spec, metrics, parameters);
  }
}
