package io.weft.serving.internals;

import io.weft.ml.api.ModelSpec;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.AliasChange;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Model versions and production aliases in memory, for unit tests of the serving internals: alias
 * moves reach followers at once, on the caller's thread, after the current aliases.
 */
public final class FakeRegistry implements ProductionModels {

  private final Map<String, ModelVersion> versions = new ConcurrentHashMap<>();
  private final Map<String, Integer> production = new ConcurrentHashMap<>();
  private final List<Consumer<ModelAliasChanged>> followers = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public FakeRegistry() {
    GeneratedClasses.trust();
  }

  /** Registers version {@code version} of {@code name} with an MLP of {@code width} inputs. */
  public ModelVersion register(String name, int version, int width, int classes) {
    ModelSpec spec = new ModelSpec("mlp", new int[0], width, classes);
    ModelVersion registered =
        ModelVersion.newBuilder()
            .setName(name)
            .setVersion(version)
            .setArtifact(new ArtifactRef("file:///nowhere/" + name + "/" + version, "00", 0L, "x"))
            .setProperties(spec.toProperties())
            .setCreatedAt(Instant.now())
            .build();
    versions.put(name + ":" + version, registered);
    return registered;
  }

  /** Points the production alias of {@code name} at {@code version} and tells the followers. */
  public void promote(String name, int version) {
    Integer previous = production.put(name, version);
    ModelAliasChanged change = change(name, version, previous);
    followers.forEach(f -> f.accept(change));
  }

  private static ModelAliasChanged change(String name, int version, Integer previous) {
    return ModelAliasChanged.newBuilder()
        .setName(name)
        .setAlias(PRODUCTION)
        .setVersion(version)
        .setPreviousVersion(previous)
        .setChange(AliasChange.PROMOTE)
        .setChangedAt(Instant.now())
        .build();
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public Set<String> models() {
    Set<String> names = new java.util.TreeSet<>();
    versions.values().forEach(v -> names.add(v.getName()));
    return names;
  }

  @Override
  public Optional<ModelVersion> production(String name) {
    return Optional.ofNullable(production.get(name)).flatMap(v -> version(name, v));
  }

  @Override
  public Optional<ModelVersion> version(String name, int version) {
    return Optional.ofNullable(versions.get(name + ":" + version));
  }

  @Override
  public AutoCloseable followAliases(Consumer<ModelAliasChanged> listener) {
    production.forEach((name, version) -> listener.accept(change(name, version, null)));
    followers.add(listener);
    return () -> followers.remove(listener);
  }

  @Override
  public void close() {
    closed = true;
  }
}
