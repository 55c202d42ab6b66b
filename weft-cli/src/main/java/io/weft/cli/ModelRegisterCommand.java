package io.weft.cli;

import io.weft.core.api.ModelRegistry;
import io.weft.ml.api.ModelFileException;
import io.weft.ml.api.ModelFiles;
import io.weft.ml.api.ModelFormat;
import io.weft.ml.api.ModelSignature;
import io.weft.ml.api.Servable;
import io.weft.ml.api.TensorSpec;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.ModelVersion;
import io.weft.workers.api.ArtifactException;
import io.weft.workers.api.RoutingArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft models register NAME --file PATH}: a model trained elsewhere, as a new version. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Registers a model file trained elsewhere, TorchScript or ONNX, as the next version of"
          + " model NAME, for the inference service to serve once promoted.",
      "The file is loaded here first and run once on zeros of its inputs: a file that does not"
          + " load or run, or a signature that does not fit it, registers nothing and exits 2.",
      "An ONNX model's signature is read from the file (a given --input/--output must match it);"
          + " a TorchScript model has none, give every --input and --output. Datatypes: BOOL,"
          + " UINT8, INT8, INT32, INT64, FP32, FP64.",
      "The file is stored in the workers' artifact store (--artifact-dir, --artifact-uri or their"
          + " keys in --config) under model-files/NAME-<sha256 prefix>/."
    })
final class ModelRegisterCommand implements Callable<Integer> {

  /** The run under which registered files are stored: {@code model-files/NAME-<sha256>/1/}. */
  static final String ARTIFACT_RUN = "model-files";

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin ArtifactOptions artifacts;

  @Parameters(paramLabel = "NAME", description = "The model ([A-Za-z0-9._-]+).")
  String name;

  @Option(names = "--file", required = true, paramLabel = "PATH", description = "The model file.")
  Path file;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "torchscript or onnx; default: by the file's extension (.pt, .pth, .torchscript, .onnx).")
  String format;

  @Option(
      names = "--input",
      paramLabel = "NAME:TYPE:SHAPE",
      description =
          "An input, in order (repeatable), e.g. x:FP32:-1,784 (-1: any size); required for"
              + " TorchScript.")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--output",
      paramLabel = "NAME:TYPE:SHAPE",
      description = "An output, in order (repeatable), e.g. logits:FP32:-1,10.")
  List<String> outputs = new ArrayList<>();

  @Option(
      names = "--metric",
      paramLabel = "NAME=VALUE",
      description = "A metric of the version (repeatable), for promote --if-better.")
  Map<String, Double> metrics = new LinkedHashMap<>();

  @Override
  public Integer call() {
    try {
      ModelRegistry.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new CliException(Weft.INVALID, e.getMessage());
    }
    ModelFormat modelFormat = format();
    ModelSignature signature = check(modelFormat);
    PrintWriter out = spec.commandLine().getOut();
    try (ModelRegistry registry = ModelRegistry.create(connection.clientSettings());
        RoutingArtifactStore store = artifacts.open(connection.componentSettings())) {
      ArtifactRef artifact =
          store.put(
              ARTIFACT_RUN,
              name + "-" + sha256(file).substring(0, 16),
              1,
              "model" + modelFormat.extensions().get(0),
              file,
              "application/octet-stream");
      ModelVersion version =
          registry.register(
              name, artifact, metrics, signature.toProperties(modelFormat), null, null);
      out.println(
          name
              + ": registered version "
              + version.getVersion()
              + " ("
              + modelFormat.id()
              + ", "
              + artifact.getUri()
              + ")");
      out.println("  inputs:  " + ModelSignature.format(signature.inputs()));
      out.println("  outputs: " + ModelSignature.format(signature.outputs()));
    } catch (ArtifactException e) {
      throw new CliException(Weft.FAILED, "cannot store " + file + ": " + e.getMessage());
    }
    return Weft.OK;
  }

  private ModelFormat format() {
    if (format != null) {
      try {
        return ModelFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw new CliException(Weft.INVALID, "--format: " + e.getMessage());
      }
    }
    return ModelFormat.ofFileName(file.getFileName().toString())
        .orElseThrow(
            () ->
                new CliException(
                    Weft.INVALID,
                    "cannot tell the format of "
                        + file
                        + " by its extension (.pt, .pth, .torchscript, .onnx): give --format"
                        + " torchscript or onnx"));
  }

  /** Loads the file, runs it once, and answers the signature it is served with. */
  private ModelSignature check(ModelFormat modelFormat) {
    List<TensorSpec> in = specs(inputs, "--input");
    List<TensorSpec> out = specs(outputs, "--output");
    String what = "model file " + file;
    try (Servable servable = ModelFiles.load(file, modelFormat, in, out, what)) {
      ModelFiles.tryOnce(servable, what);
      return ModelSignature.of(servable);
    } catch (ModelFileException e) {
      throw new CliException(Weft.INVALID, e.getMessage() + "; nothing registered");
    }
  }

  private static List<TensorSpec> specs(List<String> texts, String option) {
    if (texts.isEmpty()) {
      return List.of();
    }
    try {
      return ModelSignature.parse(String.join(";", texts), option);
    } catch (IllegalArgumentException e) {
      throw new CliException(Weft.INVALID, e.getMessage());
    }
  }

  private static String sha256(Path file) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new CliException(Weft.FAILED, "cannot read " + file + ": " + e.getMessage());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
