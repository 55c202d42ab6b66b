package io.weft.core.internals.models;

import io.weft.core.api.ModelNotFoundException;
import io.weft.core.api.ModelRegistryException;
import io.weft.core.api.Promotion;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.AliasChange;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the registry writes for each operation, decided from its state alone: pure functions of a
 * {@link RegistryView}, so that they can be tested without Kafka and re-run after a conflict.
 */
public final class RegistryDecisions {

  /** The alias that serving follows. */
  public static final String PRODUCTION = "production";

  private RegistryDecisions() {}

  /**
   * The version to register: the one already registered from the same run and task (when either is
   * given), or the next number after the highest.
   *
   * @return the version, and whether it is new (to be written)
   */
  public static Registration register(
      RegistryView view,
      String name,
      ArtifactRef artifact,
      Map<String, Double> metrics,
      Map<String, String> properties,
      String sourceRunId,
      String sourceTaskId,
      Instant now) {
    if (sourceRunId != null || sourceTaskId != null) {
      Optional<ModelVersion> existing = view.registeredFrom(name, sourceRunId, sourceTaskId);
      if (existing.isPresent()) {
        return new Registration(existing.get(), false);
      }
    }
    ModelVersion version =
        ModelVersion.newBuilder()
            .setName(name)
            .setVersion(view.latestVersion(name) + 1)
            .setArtifact(artifact)
            .setMetrics(new TreeMap<>(metrics))
            .setProperties(new TreeMap<>(properties))
            .setSourceRunId(sourceRunId)
            .setSourceTaskId(sourceTaskId)
            .setCreatedAt(now)
            .build();
    return new Registration(version, true);
  }

  /** A registration's outcome. */
  public record Registration(ModelVersion version, boolean isNew) {}

  /**
   * Whether and how {@code production} moves to {@code version}; see {@code ModelRegistry.promote}.
   *
   * @throws ModelNotFoundException if the model or version is unknown
   * @throws ModelRegistryException if the comparison's metric is missing from either version
   */
  public static Promotion promote(
      RegistryView view,
      String name,
      int version,
      String metric,
      boolean higherIsBetter,
      Instant now) {
    ModelVersion candidate = require(view, name, version);
    Optional<ModelAliasChanged> current = view.alias(name, PRODUCTION);
    if (current.isPresent() && current.get().getVersion() == version) {
      return new Promotion(false, null, "already production");
    }
    String reason;
    if (current.isEmpty()) {
      reason = "first production version";
    } else if (metric == null) {
      reason = "promoted without comparison, replacing version " + current.get().getVersion();
    } else {
      ModelVersion champion = require(view, name, current.get().getVersion());
      double challenger = metric(candidate, metric, "candidate");
      double incumbent = metric(champion, metric, "production");
      boolean better = higherIsBetter ? challenger > incumbent : challenger < incumbent;
      String comparison =
          String.format(
              "version %d %s %s production version %d %s %s (%s is better)",
              version,
              metric + " " + challenger,
              better ? "beats" : "does not beat",
              champion.getVersion(),
              metric,
              incumbent,
              higherIsBetter ? "higher" : "lower");
      if (!better) {
        return new Promotion(false, null, comparison);
      }
      reason = comparison;
    }
    List<Integer> history = new ArrayList<>();
    current.ifPresent(
        c -> {
          history.addAll(c.getHistory());
          history.add(c.getVersion());
        });
    ModelAliasChanged change =
        ModelAliasChanged.newBuilder()
            .setName(name)
            .setAlias(PRODUCTION)
            .setVersion(version)
            .setPreviousVersion(current.map(ModelAliasChanged::getVersion).orElse(null))
            .setHistory(history)
            .setChange(AliasChange.PROMOTE)
            .setReason(reason)
            .setChangedAt(now)
            .build();
    return new Promotion(true, change, reason);
  }

  /**
   * Moves {@code production} back to the version it pointed at before the current one.
   *
   * @throws ModelNotFoundException if the model is unknown
   * @throws ModelRegistryException if there is no earlier production version
   */
  public static ModelAliasChanged rollback(RegistryView view, String name, Instant now) {
    requireModel(view, name);
    ModelAliasChanged current =
        view.alias(name, PRODUCTION)
            .filter(c -> !c.getHistory().isEmpty())
            .orElseThrow(
                () ->
                    new ModelRegistryException(
                        "model '" + name + "' has no earlier production version to roll back to"));
    List<Integer> history = new ArrayList<>(current.getHistory());
    int target = history.remove(history.size() - 1);
    return ModelAliasChanged.newBuilder()
        .setName(name)
        .setAlias(PRODUCTION)
        .setVersion(target)
        .setPreviousVersion(current.getVersion())
        .setHistory(history)
        .setChange(AliasChange.ROLLBACK)
        .setReason("rolled back from version " + current.getVersion())
        .setChangedAt(now)
        .build();
  }

  /**
   * The version, or an exception naming what there is.
   *
   * @throws ModelNotFoundException if the model or version is unknown
   */
  public static ModelVersion require(RegistryView view, String name, int version) {
    requireModel(view, name);
    return view.version(name, version)
        .orElseThrow(
            () ->
                new ModelNotFoundException(
                    "model '"
                        + name
                        + "' has no version "
                        + version
                        + "; versions: "
                        + view.versions(name).stream()
                            .map(v -> String.valueOf(v.getVersion()))
                            .collect(Collectors.joining(", "))));
  }

  private static void requireModel(RegistryView view, String name) {
    if (view.latestVersion(name) == 0) {
      throw new ModelNotFoundException(
          "model '"
              + name
              + "' is not registered; models: "
              + (view.models().isEmpty() ? "none" : String.join(", ", view.models())));
    }
  }

  private static double metric(ModelVersion version, String metric, String role) {
    Double value = version.getMetrics().get(metric);
    if (value == null) {
      throw new ModelRegistryException(
          "cannot compare on metric '"
              + metric
              + "': "
              + role
              + " version "
              + version.getVersion()
              + " of model '"
              + version.getName()
              + "' has no such metric; its metrics: "
              + (version.getMetrics().isEmpty()
                  ? "none"
                  : String.join(", ", new TreeMap<>(version.getMetrics()).keySet())));
    }
    return value;
  }
}
