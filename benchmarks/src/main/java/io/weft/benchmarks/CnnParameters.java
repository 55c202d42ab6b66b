package io.weft.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.weft.ml.api.ModelSpec;
import io.weft.ml.internals.dl.ModelCodec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.workers.api.LocalArtifactStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

/** Freshly initialised parameters of an architecture, stored as a model artifact. */
final class CnnParameters {

  private CnnParameters() {}

  /** Initialises {@code spec}'s block and stores its parameters in {@code store}. */
  static ArtifactRef store(LocalArtifactStore store, ModelSpec spec) {
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = spec.block();
      block.initialize(manager, DataType.FLOAT32, new Shape(1, spec.width()));
      ModelCodec.save(block, params);
    }
    return store.put(
        "bench",
        "untrained-" + spec.architecture(),
        1,
        "model.params",
        new ByteArrayInputStream(params.toByteArray()),
        ModelCodec.MEDIA_TYPE);
  }
}
