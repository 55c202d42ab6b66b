package io.weft.core.internals.models;

import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The model registry's state, folded from its two compacted topics: every version of every model,
 * and the latest record of every alias. A pure fold: applying the records of the topics in order
 * gives the state, and applying a record again changes nothing. Not thread-safe.
 */
public final class RegistryView {

  private final Map<String, NavigableMap<Integer, ModelVersion>> versions = new TreeMap<>();
  private final Map<String, Map<String, ModelAliasChanged>> aliases = new TreeMap<>();

  /** Key of a version record: {@code name:version}. */
  public static String versionKey(String name, int version) {
    return name + ":" + version;
  }

  /** Key of an alias record: {@code name:alias}. */
  public static String aliasKey(String name, String alias) {
    return name + ":" + alias;
  }

  /**
   * Applies a record of the versions topic.
   *
   * @param value the version, or null for a tombstone of {@code key}
   */
  public void applyVersion(String key, ModelVersion value) {
    if (value != null) {
      versions
          .computeIfAbsent(value.getName(), n -> new TreeMap<>())
          .put(value.getVersion(), value);
      return;
    }
    String[] parts = split(key);
    if (parts != null && parts[1].matches("\\d{1,9}")) {
      NavigableMap<Integer, ModelVersion> ofModel = versions.get(parts[0]);
      if (ofModel != null) {
        ofModel.remove(Integer.parseInt(parts[1]));
        if (ofModel.isEmpty()) {
          versions.remove(parts[0]);
        }
      }
    }
  }

  /**
   * Applies a record of the aliases topic.
   *
   * @param value the alias's new state, or null for a tombstone of {@code key}
   */
  public void applyAlias(String key, ModelAliasChanged value) {
    if (value != null) {
      aliases.computeIfAbsent(value.getName(), n -> new TreeMap<>()).put(value.getAlias(), value);
      return;
    }
    String[] parts = split(key);
    if (parts != null && aliases.containsKey(parts[0])) {
      aliases.get(parts[0]).remove(parts[1]);
    }
  }

  /** Names of the models with at least one version, sorted. */
  public SortedSet<String> models() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(versions.keySet()));
  }

  /** The versions of {@code name}, ascending; empty if there are none. */
  public List<ModelVersion> versions(String name) {
    NavigableMap<Integer, ModelVersion> ofModel = versions.get(name);
    return ofModel == null ? List.of() : List.copyOf(ofModel.values());
  }

  public Optional<ModelVersion> version(String name, int version) {
    NavigableMap<Integer, ModelVersion> ofModel = versions.get(name);
    return Optional.ofNullable(ofModel == null ? null : ofModel.get(version));
  }

  /** The highest version number of {@code name}, 0 if it has none. */
  public int latestVersion(String name) {
    NavigableMap<Integer, ModelVersion> ofModel = versions.get(name);
    return ofModel == null || ofModel.isEmpty() ? 0 : ofModel.lastKey();
  }

  public Optional<ModelAliasChanged> alias(String name, String alias) {
    Map<String, ModelAliasChanged> ofModel = aliases.get(name);
    return Optional.ofNullable(ofModel == null ? null : ofModel.get(alias));
  }

  /** Every alias record, by model then alias name. */
  public List<ModelAliasChanged> aliases() {
    List<ModelAliasChanged> all = new ArrayList<>();
    aliases.values().forEach(ofModel -> all.addAll(ofModel.values()));
    return all;
  }

  /** The version of {@code name} registered from this run and task, if any. */
  public Optional<ModelVersion> registeredFrom(String name, String runId, String taskId) {
    return versions(name).stream()
        .filter(
            v ->
                Objects.equals(v.getSourceRunId(), runId)
                    && Objects.equals(v.getSourceTaskId(), taskId))
        .findFirst();
  }

  private static String[] split(String key) {
    int colon = key == null ? -1 : key.lastIndexOf(':');
    return colon <= 0 ? null : new String[] {key.substring(0, colon), key.substring(colon + 1)};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryView other
        && versions.equals(other.versions)
        && aliases.equals(other.aliases);
  }

  @Override
  public int hashCode() {
    return Objects.hash(versions, aliases);
  }
}
