package io.weft.serving.internals;

import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** What the inference server needs of the model registry: versions and the aliases' moves. */
public interface ProductionModels extends AutoCloseable {

  /** The alias the server serves. */
  String PRODUCTION = "production";

  /** Every registered model's name, as far as the registry has read. */
  Set<String> models();

  /** The version the {@code production} alias of {@code name} points at, if any. */
  Optional<ModelVersion> production(String name);

  /** Version {@code version} of {@code name}, if registered. */
  Optional<ModelVersion> version(String name, int version);

  /**
   * Calls {@code listener} with every alias as it stands now, then with every later move, from a
   * background thread, until the returned handle is closed.
   */
  AutoCloseable followAliases(Consumer<ModelAliasChanged> listener);

  @Override
  void close();
}
