package io.weft.serving.internals;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import io.weft.ml.api.TensorType;
import io.weft.serving.grpc.v2.InferTensorContents;
import io.weft.serving.grpc.v2.ModelInferRequest;
import io.weft.serving.grpc.v2.ModelInferRequest.InferInputTensor;
import io.weft.serving.grpc.v2.ModelInferRequest.InferRequestedOutputTensor;
import io.weft.serving.grpc.v2.ModelInferResponse;
import io.weft.serving.grpc.v2.ModelInferResponse.InferOutputTensor;
import io.weft.serving.grpc.v2.ModelMetadataResponse;
import io.weft.serving.grpc.v2.ModelMetadataResponse.TensorMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The v2 gRPC protocol's tensors to and from the model's: a request's inputs, each in {@code
 * raw_input_contents} (little-endian, row-major, one entry per input in the order of {@code
 * inputs}) or in the {@code contents} field of its datatype, become the model's tensors; the
 * model's outputs become the outputs asked for, in {@code raw_output_contents} as Triton answers.
 * Each input's datatype, shape and limits are checked by {@link InferRequestParser#check}, as the
 * REST endpoint checks them; every problem is a {@link HttpProblem} naming the input or output.
 */
final class GrpcTensors {

  /** The {@code contents} field each datatype's values go in. */
  private static final Map<TensorType, String> FIELDS =
      Map.ofEntries(
          Map.entry(TensorType.BOOL, "bool_contents"),
          Map.entry(TensorType.INT8, "int_contents"),
          Map.entry(TensorType.INT16, "int_contents"),
          Map.entry(TensorType.INT32, "int_contents"),
          Map.entry(TensorType.INT64, "int64_contents"),
          Map.entry(TensorType.UINT8, "uint_contents"),
          Map.entry(TensorType.UINT16, "uint_contents"),
          Map.entry(TensorType.UINT32, "uint_contents"),
          Map.entry(TensorType.UINT64, "uint64_contents"),
          Map.entry(TensorType.FP32, "fp32_contents"),
          Map.entry(TensorType.FP64, "fp64_contents"));

  private GrpcTensors() {}

  /** {@code request}'s inputs, checked against {@code servable}, model {@code model}. */
  static InferRequest input(
      ModelInferRequest request, InferRequestParser checks, String model, Servable servable) {
    List<TensorSpec> specs = servable.inputs();
    int count = request.getInputsCount();
    if (count != specs.size()) {
      throw InferRequestParser.inputCount(count == 0 ? "none" : "" + count, model, specs);
    }
    int raw = request.getRawInputContentsCount();
    if (raw != 0 && raw != count) {
      throw HttpProblem.badRequest(
          "raw_input_contents has "
              + raw
              + " entries, but the request has "
              + count
              + " input(s); send one entry per input, in the order of 'inputs'");
    }
    Tensor[] tensors = new Tensor[specs.size()];
    for (int i = 0; i < count; i++) {
      InferInputTensor input = request.getInputs(i);
      if (input.getName().isEmpty()) {
        throw HttpProblem.badRequest("input has no 'name'");
      }
      int index = InferRequestParser.indexOf(input.getName(), specs, model);
      if (tensors[index] != null) {
        throw HttpProblem.badRequest(
            "input '" + specs.get(index).name() + "' is given twice in 'inputs'");
      }
      tensors[index] =
          tensor(
              input,
              raw == 0 ? null : request.getRawInputContents(i),
              checks,
              specs.get(index),
              model);
    }
    List<Tensor> inputs = List.of(tensors);
    List<String> names = servable.outputs().stream().map(TensorSpec::name).toList();
    String id = request.getId().isEmpty() ? null : request.getId();
    return new InferRequest(
        id, inputs, InferRequestParser.rows(inputs, specs), outputs(request, names), Set.of());
  }

  private static Tensor tensor(
      InferInputTensor input,
      ByteString raw,
      InferRequestParser checks,
      TensorSpec spec,
      String model) {
    String where = InferRequestParser.where(input.getName());
    if (raw != null && input.hasContents()) {
      throw HttpProblem.badRequest(
          where + " has both contents and raw_input_contents; send one of them");
    }
    long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
    String datatype = input.getDatatype().isEmpty() ? null : input.getDatatype();
    long[] full = checks.check(input.getName(), datatype, shape, spec, model);
    int count = (int) Tensor.elements(full);
    ByteBuffer data =
        raw != null
            ? raw(raw, spec.type(), where, count, shape)
            : contents(input.getContents(), spec.type(), where, count, shape);
    return new Tensor(spec.name(), spec.type(), full, data);
  }

  private static ByteBuffer raw(
      ByteString bytes, TensorType type, String where, int count, long[] shape) {
    long expected = (long) count * type.bytes();
    if (bytes.size() != expected) {
      throw HttpProblem.badRequest(
          where
              + " has "
              + bytes.size()
              + " bytes in raw_input_contents, but its shape "
              + InferRequestParser.format(shape)
              + " of "
              + type
              + " takes "
              + expected);
    }
    ByteBuffer values = bytes.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    BinaryTensors.check(values, type, where, count, "raw_input_contents");
    return values;
  }

  private static ByteBuffer contents(
      InferTensorContents contents, TensorType type, String where, int count, long[] shape) {
    String field = FIELDS.get(type);
    String other = otherContents(contents, field);
    if (other != null) {
      throw HttpProblem.badRequest(
          where + " has values in contents." + other + "; " + type + " takes " + field);
    }
    int sent = sent(contents, field);
    if (sent == 0 && count > 0) {
      throw HttpProblem.badRequest(
          where + " has no data; send its values in contents." + field + " or raw_input_contents");
    }
    if (sent != count) {
      throw HttpProblem.badRequest(
          where
              + " has "
              + sent
              + " values in contents."
              + field
              + ", but its shape "
              + InferRequestParser.format(shape)
              + " holds "
              + count);
    }
    ByteBuffer values = ByteBuffer.allocate(count * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (type) {
        case BOOL -> values.put((byte) (contents.getBoolContents(i) ? 1 : 0));
        case FP32 -> values.putFloat(contents.getFp32Contents(i));
        case FP64 -> values.putDouble(contents.getFp64Contents(i));
        case INT64 -> values.putLong(contents.getInt64Contents(i));
        case UINT64 -> values.putLong(contents.getUint64Contents(i));
        case INT8, INT16, INT32 -> put(values, type, contents.getIntContents(i), where, i);
        case UINT8, UINT16, UINT32 ->
            put(values, type, Integer.toUnsignedLong(contents.getUintContents(i)), where, i);
      }
    }
    values.flip();
    BinaryTensors.check(values, type, where, count, "contents." + field);
    return values;
  }

  /** Puts an int_contents or uint_contents value, checked to fit {@code type}. */
  private static void put(ByteBuffer values, TensorType type, long value, String where, int i) {
    int bits = type.bytes() * 8;
    boolean unsigned = type.name().startsWith("U");
    long min = unsigned ? 0 : -(1L << (bits - 1));
    long max = unsigned ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;
    if (value < min || value > max) {
      throw HttpProblem.badRequest(
          where
              + " has "
              + value
              + " at index "
              + i
              + " of its contents, out of "
              + type
              + " range");
    }
    switch (type.bytes()) {
      case 1 -> values.put((byte) value);
      case 2 -> values.putShort((short) value);
      default -> values.putInt((int) value);
    }
  }

  private static int sent(InferTensorContents contents, String field) {
    return switch (field) {
      case "bool_contents" -> contents.getBoolContentsCount();
      case "int_contents" -> contents.getIntContentsCount();
      case "int64_contents" -> contents.getInt64ContentsCount();
      case "uint_contents" -> contents.getUintContentsCount();
      case "uint64_contents" -> contents.getUint64ContentsCount();
      case "fp32_contents" -> contents.getFp32ContentsCount();
      default -> contents.getFp64ContentsCount();
    };
  }

  /** The name of a typed field of {@code contents} other than {@code field} that has values. */
  private static String otherContents(InferTensorContents contents, String field) {
    for (String other :
        List.of(
            "bool_contents",
            "int_contents",
            "int64_contents",
            "uint_contents",
            "uint64_contents",
            "fp32_contents",
            "fp64_contents")) {
      if (!other.equals(field) && sent(contents, other) > 0) {
        return other;
      }
    }
    return contents.getBytesContentsCount() > 0 ? "bytes_contents" : null;
  }

  /** The outputs {@code request} asks for, in the model's order; all of them if it names none. */
  static List<String> outputs(ModelInferRequest request, List<String> all) {
    List<String> named = new ArrayList<>();
    for (InferRequestedOutputTensor output : request.getOutputsList()) {
      String name = output.getName();
      if (!all.contains(name)) {
        throw HttpProblem.badRequest(
            "'outputs' names "
                + (name.isEmpty() ? "no output" : "'" + InferRequestParser.abbreviate(name) + "'")
                + "; the outputs are "
                + String.join(", ", all));
      }
      named.add(name);
    }
    return named.isEmpty() ? all : all.stream().filter(named::contains).toList();
  }

  /** The answer to {@code request}: the outputs it asked for, as raw contents. */
  static ModelInferResponse response(
      String model, int version, InferRequest request, List<Tensor> outputs) {
    ModelInferResponse.Builder response =
        ModelInferResponse.newBuilder().setModelName(model).setModelVersion("" + version);
    if (request.id() != null) {
      response.setId(request.id());
    }
    for (Tensor output : outputs) {
      if (!request.outputs().contains(output.name())) {
        continue;
      }
      InferOutputTensor.Builder tensor =
          InferOutputTensor.newBuilder().setName(output.name()).setDatatype(output.type().name());
      for (long size : output.shape()) {
        tensor.addShape(size);
      }
      response.addOutputs(tensor);
      response.addRawOutputContents(UnsafeByteOperations.unsafeWrap(output.data()));
    }
    return response.build();
  }

  /** The metadata of {@code version} of model {@code name}: its inputs and outputs. */
  static ModelMetadataResponse metadata(String name, int version, ModelSignature signature) {
    ModelMetadataResponse.Builder model =
        ModelMetadataResponse.newBuilder()
            .setName(name)
            .addVersions("" + version)
            .setPlatform(signature.platform());
    signature.inputs().forEach(spec -> model.addInputs(metadata(spec)));
    signature.outputs().forEach(spec -> model.addOutputs(metadata(spec)));
    return model.build();
  }

  private static TensorMetadata metadata(TensorSpec spec) {
    TensorMetadata.Builder tensor =
        TensorMetadata.newBuilder().setName(spec.name()).setDatatype(spec.type().name());
    for (long size : spec.shape()) {
      tensor.addShape(size);
    }
    return tensor.build();
  }
}
