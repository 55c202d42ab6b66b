package io.weft.serving.internals;

import io.weft.core.api.ModelRegistry;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link ProductionModels} over the {@link ModelRegistry}. A registered version never changes, so
 * versions once read are kept here and asked of the registry (a read up to the end of its topics)
 * only the first time.
 */
public final class RegistryProductionModels implements ProductionModels {

  private final ModelRegistry registry;
  private final Map<String, ModelVersion> known = new ConcurrentHashMap<>();

  private RegistryProductionModels(ModelRegistry registry) {
    this.registry = registry;
  }

  /** Connects to the registry with {@code settings} ({@link ModelRegistry#create}). */
  public static RegistryProductionModels open(Map<String, ?> settings) {
    return new RegistryProductionModels(ModelRegistry.create(settings));
  }

  @Override
  public Set<String> models() {
    return registry.models();
  }

  @Override
  public Optional<ModelVersion> production(String name) {
    Optional<ModelVersion> version = registry.production(name);
    version.ifPresent(this::remember);
    return version;
  }

  @Override
  public Optional<ModelVersion> version(String name, int version) {
    ModelVersion cached = known.get(name + ":" + version);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<ModelVersion> read = registry.version(name, version);
    read.ifPresent(this::remember);
    return read;
  }

  @Override
  public AutoCloseable followAliases(Consumer<ModelAliasChanged> listener) {
    return registry.followAliases(listener);
  }

  private void remember(ModelVersion version) {
    known.put(version.getName() + ":" + version.getVersion(), version);
  }

  @Override
  public void close() {
    registry.close();
  }
}
