package io.weft.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive as {@code torch.jit.save} does, without PyTorch: a zip of the
 * module's code ({@code code/__torch__.py}), its attributes pickled ({@code data.pkl}, protocol 2,
 * parameters as persistent references to storages) and each parameter's storage ({@code data/N},
 * raw little-endian FP32). Enough for a module of FP32 parameters and a {@code forward} written in
 * TorchScript.
 */
final class TorchScriptWriter {

  private final String code;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();

  /**
   * @param forward the {@code forward} method of class {@code Model}, TorchScript as serialized
   *     (indented by two spaces, {@code self: __torch__.Model} as its first argument)
   */
  TorchScriptWriter(String forward) {
    this.code = forward;
  }

  /** A parameter of shape {@code shape}, contiguous. */
  TorchScriptWriter parameter(String name, float[] values, int... shape) {
    parameters.put(name, new Parameter(values, shape));
    return this;
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      stored(zip, "model/version", "3\n".getBytes(StandardCharsets.US_ASCII));
      stored(zip, "model/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      stored(zip, "model/code/__torch__.py", module().getBytes(StandardCharsets.UTF_8));
      stored(zip, "model/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      stored(zip, "model/data.pkl", data());
      int key = 0;
      for (Parameter parameter : parameters.values()) {
        stored(zip, "model/data/" + key++, OnnxWriter.floats(parameter.values()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private String module() {
    StringBuilder text = new StringBuilder("class Model(Module):\n  __parameters__ = [");
    parameters.keySet().forEach(name -> text.append('"').append(name).append("\", "));
    text.append("]\n  __buffers__ = []\n");
    parameters.keySet().forEach(name -> text.append("  ").append(name).append(" : Tensor\n"));
    return text.append("  training : bool\n").append(code).toString();
  }

  /** The module object: {@code __torch__.Model} with its training flag and parameters. */
  private byte[] data() {
    Pickle pickle = new Pickle().op(0x80, 2).global("__torch__", "Model").op(')', 0x81, '}', '(');
    pickle.text("training").op(0x88);
    int key = 0;
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      pickle.text(entry.getKey()).tensor(String.valueOf(key++), entry.getValue());
    }
    return pickle.op('u', 'b', '.').toBytes();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }

  private record Parameter(float[] values, int[] shape) {}

  /** Python's pickle protocol 2, the opcodes a module's attributes need. */
  private static final class Pickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle op(int... opcodes) {
      for (int opcode : opcodes) {
        out.write(opcode);
      }
      return this;
    }

    Pickle global(String module, String name) {
      out.write('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Pickle text(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      out.write('X');
      out.writeBytes(
          ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
      out.writeBytes(utf8);
      return this;
    }

    Pickle integer(int value) {
      if (value < 256) {
        return op('K', value);
      }
      out.write('J');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
      return this;
    }

    Pickle tuple(int[] values) {
      op('(');
      for (int value : values) {
        integer(value);
      }
      return op('t');
    }

    /** {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}. */
    Pickle tensor(String key, Parameter parameter) {
      int[] shape = parameter.shape();
      int[] stride = new int[shape.length];
      int step = 1;
      for (int i = shape.length - 1; i >= 0; i--) {
        stride[i] = step;
        step *= shape[i];
      }
      global("torch._utils", "_rebuild_tensor_v2").op('(');
      op('(').text("storage").global("torch", "FloatStorage").text(key).text("cpu");
      integer(parameter.values().length).op('t', 'Q');
      integer(0).tuple(shape).tuple(stride).op(0x89).global("collections", "OrderedDict");
      return op(')', 'R', 't', 'R');
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }
}
