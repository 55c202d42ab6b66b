package io.weft.ml.internals.dl;

import ai.djl.ModelException;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.weft.ml.api.ModelFileException;
import io.weft.ml.api.ModelFormat;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.ml.api.TensorSpec;
import io.weft.ml.api.TensorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model file trained elsewhere (TorchScript or ONNX) served through DJL: loaded with a {@link
 * Criteria} of {@link NDList} to {@link NDList} and the {@link NoopTranslator} on the format's
 * engine. Each call converts its tensors to arrays of the declared types under a sub-manager of its
 * own, freed when the call returns, runs them through a predictor of its own and checks every
 * output against the declared signature. Safe to call from several threads at once: a DJL {@link
 * Predictor} is not, but making one costs 1-3 µs, against 10-30 µs for the smallest model's forward
 * pass on these machines, so no pool is kept.
 */
public final class DjlModelFile implements Servable {

  private final String what;
  private final ModelFormat format;
  private final ModelSignature signature;
  private final ZooModel<NDList, NDList> model;

  private DjlModelFile(
      String what, ModelFormat format, ModelSignature signature, ZooModel<NDList, NDList> model) {
    this.what = what;
    this.format = format;
    this.signature = signature;
    this.model = model;
  }

  /**
   * Loads {@code file}. An ONNX model's signature is its own, read from the file; a declared one
   * (inputs, outputs or both) must match it. A TorchScript model declares none: both must be given.
   *
   * @param inputs the declared inputs; empty to take an ONNX model's own
   * @param outputs the declared outputs; empty to take an ONNX model's own
   * @param what names the model in errors, e.g. {@code model file /data/net.onnx}
   * @throws ModelFileException naming {@code what} if the file does not load, a declared signature
   *     does not match the model's, or a tensor is of a type the engine cannot take
   */
  public static DjlModelFile load(
      Path file,
      ModelFormat format,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      String what) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ModelFileException(what + ": no readable file at " + file);
    }
    ModelSignature signature = FileSignatures.resolve(file, format, inputs, outputs, what);
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine(format.engine())
            .optModelPath(file)
            .optTranslator(new NoopTranslator())
            .build();
    try {
      return new DjlModelFile(what, format, signature, criteria.loadModel());
    } catch (ModelException | IOException | RuntimeException e) {
      throw new ModelFileException(
          what + " does not load as a " + format.id() + " model: " + e.getMessage(), e);
    }
  }

  /** The signature served: the declared one, checked against the model's where it has one. */
  public ModelSignature signature() {
    return signature;
  }

  @Override
  public String platform() {
    return format.platform();
  }

  @Override
  public List<TensorSpec> inputs() {
    return signature.inputs();
  }

  @Override
  public List<TensorSpec> outputs() {
    return signature.outputs();
  }

  @Override
  public List<Tensor> infer(List<Tensor> inputs) {
    List<TensorSpec> specs = inputs();
    if (inputs.size() != specs.size()) {
      throw new IllegalArgumentException(
          what + " takes " + specs.size() + " input(s), got " + inputs.size());
    }
    try (NDManager manager = model.getNDManager().newSubManager();
        Predictor<NDList, NDList> predictor = model.newPredictor()) {
      NDList arrays = new NDList(inputs.size());
      for (int i = 0; i < specs.size(); i++) {
        TensorSpec spec = specs.get(i);
        Tensor tensor = inputs.get(i);
        if (tensor.type() != spec.type()) {
          throw new IllegalArgumentException(
              what + ": input '" + spec.name() + "' is " + spec.type() + ", got " + tensor.type());
        }
        NDArray array = DjlTensors.toArray(manager, tensor);
        if (format == ModelFormat.ONNX) {
          // ONNX Runtime feeds named arrays by name; PyTorch reads names as structure, so none
          array.setName(spec.name());
        }
        arrays.add(array);
      }
      return answer(predictor.predict(arrays));
    } catch (TranslateException | EngineException e) {
      throw new ModelFileException(what + " failed: " + e.getMessage(), e);
    }
  }

  private List<Tensor> answer(NDList arrays) {
    List<TensorSpec> specs = outputs();
    if (arrays.size() != specs.size()) {
      throw new ModelFileException(
          what
              + " answered "
              + arrays.size()
              + " output(s), it declares "
              + specs.size()
              + ": "
              + ModelSignature.format(specs));
    }
    List<Tensor> tensors = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      TensorSpec spec = specs.get(i);
      NDArray array = format == ModelFormat.ONNX ? arrays.get(spec.name()) : arrays.get(i);
      if (array == null) {
        throw new ModelFileException(what + " answered no output '" + spec.name() + "'");
      }
      TensorType type = DjlTensors.typeOf(array.getDataType());
      long[] shape = array.getShape().getShape();
      if (type != spec.type() || !spec.accepts(shape)) {
        throw new ModelFileException(
            what
                + ": output '"
                + spec.name()
                + "' is "
                + (type == null ? array.getDataType() : type)
                + " "
                + Arrays.toString(shape)
                + ", it declares "
                + spec.type()
                + " "
                + Arrays.toString(spec.shape()));
      }
      tensors.add(DjlTensors.toTensor(spec.name(), type, array));
    }
    return tensors;
  }

  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return what + " (" + format.id() + ")";
  }
}
