package io.weft.ml.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.common.WeftException;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.testkit.TinyModels;
import io.weft.workers.api.LocalArtifactStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files registered from elsewhere, loaded from the artifact store by their format. */
class ArtifactModelLoaderTest {

  @TempDir Path dir;

  @Test
  void shouldLoadOnnxAndTorchScriptVersionsByTheirFormatAndDeleteTheLocalCopies() throws Exception {
    // given: both linear models stored, registered with their signatures
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
    ModelSignature signature =
        new ModelSignature(
            "any",
            ModelSignature.parse(TinyModels.LINEAR_INPUTS, "inputs"),
            ModelSignature.parse(TinyModels.LINEAR_OUTPUTS, "outputs"));
    ModelVersion onnx =
        version(
            "linear-onnx",
            store(store, "model.onnx", TinyModels.linearOnnx()),
            signature.toProperties(ModelFormat.ONNX));
    ModelVersion torchScript =
        version(
            "linear-pt",
            store(store, "model.pt", TinyModels.linearTorchScript()),
            signature.toProperties(ModelFormat.TORCHSCRIPT));
    Path copies = dir.resolve("copies");
    ArtifactModelLoader loader = new ArtifactModelLoader(store, copies);
    float[] x = {1, 2, 3, 4};

    for (ModelVersion version : List.of(onnx, torchScript)) {
      // when
      try (Servable servable = loader.load(version)) {

        // then
        assertThat(ModelSignature.of(servable).inputs()).isEqualTo(signature.inputs());
        assertThat(servable.infer(List.of(Tensor.ofFloats("x", x, 2, 2))).get(0).toFloats())
            .containsExactly(TinyModels.linear(x, 2));
        try (var left = Files.list(copies)) {
          assertThat(left).isEmpty();
        }
      }
    }
  }

  @Test
  void shouldNameTheVersionWhoseFileDoesNotMatchItsChecksum() throws Exception {
    // given: the artifact changed after registration
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
    ArtifactRef ref = store(store, "model.onnx", TinyModels.linearOnnx());
    Files.write(Path.of(URI.create(ref.getUri())), TinyModels.mixedOnnx());
    ModelVersion version =
        version(
            "changed",
            ref,
            Map.of(
                ModelSignature.FORMAT, "onnx",
                ModelSignature.INPUTS, TinyModels.LINEAR_INPUTS,
                ModelSignature.OUTPUTS, TinyModels.LINEAR_OUTPUTS));
    Path copies = dir.resolve("copies");

    // when / then
    assertThatThrownBy(() -> new ArtifactModelLoader(store, copies).load(version))
        .isInstanceOf(WeftException.class)
        .hasMessageStartingWith("Cannot load model 'changed' version 1:");
    try (var left = Files.list(copies)) {
      assertThat(left).isEmpty();
    }
  }

  private static ArtifactRef store(LocalArtifactStore store, String name, byte[] bytes) {
    return store.put(
        "run", "register", 1, name, new ByteArrayInputStream(bytes), "application/octet-stream");
  }

  private static ModelVersion version(
      String name, ArtifactRef artifact, Map<String, String> properties) {
    return ModelVersion.newBuilder()
        .setName(name)
        .setVersion(1)
        .setArtifact(artifact)
        .setProperties(new HashMap<>(properties))
        .setCreatedAt(Instant.now())
        .build();
  }
}
