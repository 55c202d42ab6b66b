package io.weft.ml.internals.dl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import io.weft.common.WeftException;
import io.weft.ml.api.ModelSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Saves and loads a classifier's parameters in DJL's parameter format (what {@code Model.save}
 * writes into a {@code .params} file). The architecture travels beside it as a {@link ModelSpec}.
 */
public final class ModelCodec {

  /** Media type of a saved model's artifact. */
  public static final String MEDIA_TYPE = "application/x-djl-params";

  private ModelCodec() {}

  /** Writes the parameters of an initialised block to {@code out} (not closed). */
  public static void save(Block block, OutputStream out) {
    try {
      DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
      block.saveParameters(data);
      data.flush();
    } catch (IOException e) {
      throw new WeftException("Cannot save model parameters: " + e.getMessage(), e);
    }
  }

  /**
   * A PyTorch model of {@code spec} with the parameters read from {@code params}; the caller closes
   * it.
   *
   * @throws WeftException if the parameters do not fit the architecture or cannot be read
   */
  public static Model load(String name, ModelSpec spec, InputStream params) {
    return load(name, spec, params, null);
  }

  /**
   * Loads as {@link #load(String, ModelSpec, InputStream)} does, onto {@code device} ({@link
   * Devices}; null: the engine's default).
   */
  public static Model load(String name, ModelSpec spec, InputStream params, Device device) {
    Model model = Model.newInstance(name, device, "PyTorch");
    try {
      Block block = spec.block();
      model.setBlock(block);
      block.loadParameters(
          model.getNDManager(), new DataInputStream(new BufferedInputStream(params)));
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new WeftException(
          "Cannot load model '" + name + "' as " + spec.toProperties() + ": " + e.getMessage(), e);
    }
  }
}
