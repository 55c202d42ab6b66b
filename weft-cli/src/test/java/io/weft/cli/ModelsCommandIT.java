package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.ModelRegistry;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.ml.api.ArtifactModelLoader;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Servable;
import io.weft.ml.api.Tensor;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.testkit.TinyModels;
import io.weft.workers.api.LocalArtifactStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code weft models} against a real broker and registry. */
@ExtendWith(WeftStackExtension.class)
class ModelsCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static CliKit kit;

  @BeforeAll
  static void start(WeftStack stack) throws Exception {
    GeneratedClasses.trust();
    kit = new CliKit(stack, "cli-models").startCoordinator();
    try (ModelRegistry registry = ModelRegistry.create(kit.common())) {
      for (int v = 1; v <= 2; v++) {
        registry.register(
            "digits",
            new ArtifactRef("file:///models/digits-" + v, "ab" + v + "0".repeat(61), 10L, "x/y"),
            Map.of("accuracy", v == 1 ? 0.95 : 0.93),
            Map.of("architecture", "mlp"),
            "run-" + v,
            "train");
      }
    }
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static Cli.Result weft(String... args) {
    return kit.weft(args);
  }

  @Test
  void shouldPromoteRefuseAWorseChallengerAndRollBack() throws Exception {
    // when / then: v1 promoted
    Cli.Result first = weft("models", "promote", "digits", "1");
    assertThat(first.exitCode()).as(first.err()).isEqualTo(Weft.OK);
    assertThat(first.out()).contains("digits: production is now version 1");

    // a worse challenger is refused with exit 1
    Cli.Result refused = weft("models", "promote", "digits", "2", "--if-better", "accuracy");
    assertThat(refused.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(refused.err()).contains("digits version 2 not promoted");

    // promoted without the comparison, then rolled back to 1
    assertThat(weft("models", "promote", "digits", "2").exitCode()).isEqualTo(Weft.OK);
    Cli.Result rollback = weft("models", "rollback", "digits");
    assertThat(rollback.exitCode()).as(rollback.err()).isEqualTo(Weft.OK);
    assertThat(rollback.out()).contains("rolled back from version 2 to version 1");

    // list and show say so, as a table and as JSON
    Cli.Result list = weft("models", "list");
    assertThat(list.out()).containsPattern("(?m)^digits +2 +1 +accuracy=0.9500");
    JsonNode shown = JSON.readTree(weft("models", "show", "digits", "--output", "json").out());
    assertThat(shown.get("versions")).hasSize(2);
    assertThat(shown.get("production").get("version").asInt()).isEqualTo(1);
    assertThat(shown.get("production").get("change").asText()).isEqualTo("ROLLBACK");
    assertThat(weft("models", "show", "digits").out()).contains("1 (production)");
  }

  @Test
  void shouldRegisterOnnxAndTorchScriptFilesAsVersionsTheLoaderServes() {
    // given: an ONNX model (its signature in the file) and a TorchScript one (declared)
    Path files = kit.dir.resolve("model-files");
    Path onnx = TinyModels.write(files, "linear.onnx", TinyModels.linearOnnx());
    Path torchScript = TinyModels.write(files, "mixed.pt", TinyModels.mixedTorchScript());
    Path artifacts = kit.dir.resolve("artifacts");

    // when
    Cli.Result linear =
        weft(
            "models",
            "register",
            "files-linear",
            "--file",
            onnx.toString(),
            "--artifact-dir",
            artifacts.toString(),
            "--metric",
            "accuracy=0.9");
    Cli.Result mixed =
        weft(
            "models",
            "register",
            "files-mixed",
            "--file",
            torchScript.toString(),
            "--artifact-dir",
            artifacts.toString(),
            "--input",
            "x:FP32:-1,2",
            "--input",
            "n:INT64:-1",
            "--output",
            "y:FP32:-1,3",
            "--output",
            "next:INT64:-1",
            "--output",
            "positive:BOOL:-1");

    // then: each a version with its format and signature, stored where the loader finds it
    assertThat(linear.exitCode()).as(linear.err()).isEqualTo(Weft.OK);
    assertThat(linear.out())
        .contains("files-linear: registered version 1 (onnx, file:")
        .contains("inputs:  " + TinyModels.LINEAR_INPUTS)
        .contains("outputs: " + TinyModels.LINEAR_OUTPUTS);
    assertThat(mixed.exitCode()).as(mixed.err()).isEqualTo(Weft.OK);
    assertThat(mixed.out()).contains("files-mixed: registered version 1 (torchscript, file:");
    ArtifactModelLoader loader =
        new ArtifactModelLoader(new LocalArtifactStore(artifacts), kit.dir.resolve("loading"));
    float[] x = {1, 2, 3, 4};
    try (ModelRegistry registry = ModelRegistry.create(kit.common())) {
      ModelVersion linearVersion = registry.version("files-linear", 1).orElseThrow();
      assertThat(linearVersion.getProperties())
          .containsEntry(ModelSignature.FORMAT, "onnx")
          .containsEntry(ModelSignature.INPUTS, TinyModels.LINEAR_INPUTS)
          .containsEntry(ModelSignature.OUTPUTS, TinyModels.LINEAR_OUTPUTS);
      assertThat(linearVersion.getMetrics()).containsEntry("accuracy", 0.9);
      ModelVersion mixedVersion = registry.version("files-mixed", 1).orElseThrow();
      assertThat(mixedVersion.getProperties())
          .containsEntry(ModelSignature.FORMAT, "torchscript")
          .containsEntry(ModelSignature.INPUTS, TinyModels.MIXED_TORCHSCRIPT_INPUTS)
          .containsEntry(ModelSignature.OUTPUTS, TinyModels.MIXED_TORCHSCRIPT_OUTPUTS);
      try (Servable fromOnnx = loader.load(linearVersion);
          Servable fromTorch = loader.load(mixedVersion)) {
        assertThat(fromOnnx.infer(List.of(Tensor.ofFloats("x", x, 2, 2))).get(0).toFloats())
            .containsExactly(TinyModels.linear(x, 2));
        List<Tensor> answer =
            fromTorch.infer(
                List.of(Tensor.ofFloats("x", x, 2, 2), Tensor.ofLongs("n", new long[] {0, 7}, 2)));
        assertThat(answer.get(0).toFloats()).containsExactly(TinyModels.linear(x, 2));
        assertThat(answer.get(1).toLongs()).containsExactly(1, 8);
        assertThat(answer.get(2).toBooleans()).containsExactly(false, true);
      }
    }
  }

  @Test
  void shouldRegisterNothingForAFileThatDoesNotLoad() {
    // given
    Path noise = TinyModels.write(kit.dir.resolve("model-files"), "noise.onnx", new byte[64]);

    // when
    Cli.Result result = weft("models", "register", "files-noise", "--file", noise.toString());

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("model file " + noise).contains("nothing registered");
    try (ModelRegistry registry = ModelRegistry.create(kit.common())) {
      assertThat(registry.versions("files-noise")).isEmpty();
    }
  }

  @Test
  void shouldSayAnUnknownModelIsNotFoundAndExit1() {
    Cli.Result show = weft("models", "show", "nope");
    Cli.Result promote = weft("models", "promote", "nope", "1");

    assertThat(show.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(show.err()).contains("model 'nope' not found");
    assertThat(promote.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(promote.err()).contains("nope");
  }
}
