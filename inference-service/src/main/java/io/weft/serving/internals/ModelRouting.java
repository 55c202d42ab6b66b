package io.weft.serving.internals;

import io.weft.ml.api.ModelSignature;
import io.weft.schemas.models.ModelVersion;

/**
 * Finds the model a request names, the same way for every protocol (REST and gRPC): by its name
 * and, optionally, a version; without one, the production version. A name not served or a version
 * not registered is a {@link HttpProblem} 404, a model not loaded yet a 503.
 */
final class ModelRouting {

  private final ServedModels models;

  ModelRouting(ServedModels models) {
    this.models = models;
  }

  /**
   * A model's description for its metadata.
   *
   * @param version the version asked for, else the production version
   */
  record Described(String name, int version, ModelSignature signature) {}

  /**
   * Version {@code version} of {@code name} (the production version if null), acquired: the caller
   * releases it.
   */
  ServedModel acquire(String name, String version) {
    requireServed(name);
    if (version == null) {
      return models.acquire(name).orElseThrow(() -> loading(name));
    }
    int number = version(name, version);
    return models.acquire(name, number).orElseThrow(() -> noVersion(name, number));
  }

  /** Whether {@code name} answers now with {@code version} (any, if null). */
  boolean isReady(String name, String version) {
    requireServed(name);
    if (version == null) {
      return models.isReady(name);
    }
    int number = version(name, version);
    requireRegistered(name, number);
    return models.peek(name).map(m -> m.version() == number).orElse(false);
  }

  /** {@code name} at {@code version} (the production version if null), without loading it. */
  Described describe(String name, String version) {
    requireServed(name);
    if (version != null) {
      ModelVersion registered = requireRegistered(name, version(name, version));
      return new Described(
          name, registered.getVersion(), ModelSignature.fromProperties(registered.getProperties()));
    }
    ServedModel served = models.peek(name).orElseThrow(() -> loading(name));
    return new Described(served.name(), served.version(), ModelSignature.of(served.servable()));
  }

  /**
   * Whether the production version of {@code name} merges its requests ({@link
   * ServedModel#isBatched()}): a request for it only waits for its batch.
   */
  boolean isBatched(String name) {
    return models.peek(name).map(ServedModel::isBatched).orElse(false);
  }

  /** Whether {@code name} is served here: its meters may be tagged with it. */
  boolean isServed(String name) {
    return models.isServed(name);
  }

  private void requireServed(String name) {
    if (!models.isServed(name)) {
      throw HttpProblem.notFound(
          "model '"
              + name
              + "' not found; served models: "
              + (models.loaded().isEmpty() ? "none" : String.join(", ", models.loaded())));
    }
  }

  private ModelVersion requireRegistered(String name, int version) {
    return models.registered(name, version).orElseThrow(() -> noVersion(name, version));
  }

  private HttpProblem noVersion(String name, int version) {
    return HttpProblem.notFound(
        "model '"
            + name
            + "' has no version "
            + version
            + models.peek(name).map(m -> "; production is version " + m.version()).orElse(""));
  }

  private static HttpProblem loading(String name) {
    return HttpProblem.unavailable("model '" + name + "' is not loaded yet");
  }

  private static int version(String name, String version) {
    try {
      int number = Integer.parseInt(version);
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw HttpProblem.notFound(
        "model '" + name + "' has no version '" + version + "'; versions are 1, 2, ...");
  }
}
