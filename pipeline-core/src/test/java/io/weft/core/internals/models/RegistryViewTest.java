package io.weft.core.internals.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.AliasChange;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Folding the registry's topics into its state. */
class RegistryViewTest {

  @Test
  void shouldListModelsSortedAndVersionsAscending() {
    // given
    RegistryView view = new RegistryView();

    // when
    view.applyVersion("mnist:2", version("mnist", 2));
    view.applyVersion("cifar:1", version("cifar", 1));
    view.applyVersion("mnist:1", version("mnist", 1));

    // then
    assertThat(view.models()).containsExactly("cifar", "mnist");
    assertThat(view.versions("mnist")).extracting(ModelVersion::getVersion).containsExactly(1, 2);
    assertThat(view.latestVersion("mnist")).isEqualTo(2);
    assertThat(view.versions("unknown")).isEmpty();
    assertThat(view.latestVersion("unknown")).isZero();
  }

  @Test
  void shouldGiveTheSameStateWhenRecordsAreAppliedAgain() {
    // given
    RegistryView once = new RegistryView();
    RegistryView twice = new RegistryView();
    List<ModelVersion> versions = List.of(version("mnist", 1), version("mnist", 2));
    ModelAliasChanged alias = alias("mnist", 2);

    // when
    for (RegistryView view : List.of(once, twice)) {
      versions.forEach(v -> view.applyVersion("k", v));
      view.applyAlias("mnist:production", alias);
    }
    versions.forEach(v -> twice.applyVersion("k", v));
    twice.applyAlias("mnist:production", alias);

    // then
    assertThat(twice).isEqualTo(once);
    assertThat(twice.alias("mnist", "production")).contains(alias);
  }

  @Test
  void shouldRemoveWhatATombstoneDeletes() {
    // given
    RegistryView view = new RegistryView();
    view.applyVersion("mnist:1", version("mnist", 1));
    view.applyAlias("mnist:production", alias("mnist", 1));

    // when
    view.applyVersion("mnist:1", null);
    view.applyAlias("mnist:production", null);

    // then
    assertThat(view.models()).isEmpty();
    assertThat(view.alias("mnist", "production")).isEmpty();
  }

  private static ModelVersion version(String name, int version) {
    return ModelVersion.newBuilder()
        .setName(name)
        .setVersion(version)
        .setArtifact(new ArtifactRef("file:///m", "ab", 1L, "application/octet-stream"))
        .setMetrics(Map.of())
        .setProperties(Map.of())
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  private static ModelAliasChanged alias(String name, int version) {
    return ModelAliasChanged.newBuilder()
        .setName(name)
        .setAlias("production")
        .setVersion(version)
        .setHistory(List.of())
        .setChange(AliasChange.PROMOTE)
        .setChangedAt(Instant.EPOCH)
        .build();
  }
}
