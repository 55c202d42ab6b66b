package io.weft.core.internals.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.api.ModelNotFoundException;
import io.weft.core.api.ModelRegistryException;
import io.weft.core.api.Promotion;
import io.weft.core.internals.models.RegistryDecisions.Registration;
import io.weft.schemas.common.ArtifactRef;
import io.weft.schemas.models.AliasChange;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry's decisions as pure functions of its folded state. */
class RegistryDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private final RegistryView view = new RegistryView();

  @Test
  void shouldNumberVersionsOfEachModelFromOne() {
    // given
    register("mnist", Map.of(), "run-1", "train");
    register("mnist", Map.of(), "run-2", "train");

    // when
    Registration third = decideRegister("mnist", "run-3", "train");
    Registration other = decideRegister("cifar", "run-1", "train");

    // then
    assertThat(third.isNew()).isTrue();
    assertThat(third.version().getVersion()).isEqualTo(3);
    assertThat(other.version().getVersion()).isEqualTo(1);
  }

  @Test
  void shouldReturnTheExistingVersionWhenTheSameRunAndTaskRegistersAgain() {
    // given
    ModelVersion first = register("mnist", Map.of(), "run-1", "train");
    register("mnist", Map.of(), "run-2", "train");

    // when
    Registration again = decideRegister("mnist", "run-1", "train");

    // then
    assertThat(again.isNew()).isFalse();
    assertThat(again.version()).isEqualTo(first);
  }

  @Test
  void shouldRegisterANewVersionEachTimeWithoutSource() {
    // given
    register("mnist", Map.of(), null, null);

    // when
    Registration again = decideRegister("mnist", null, null);

    // then
    assertThat(again.isNew()).isTrue();
    assertThat(again.version().getVersion()).isEqualTo(2);
  }

  @Test
  void shouldPromoteTheFirstVersionWithoutComparison() {
    // given
    register("mnist", Map.of("accuracy", 0.9), "r1", "t");

    // when
    Promotion promotion = RegistryDecisions.promote(view, "mnist", 1, "accuracy", true, NOW);

    // then
    assertThat(promotion.promoted()).isTrue();
    assertThat(promotion.reason()).isEqualTo("first production version");
    assertThat(promotion.change().getVersion()).isEqualTo(1);
    assertThat(promotion.change().getPreviousVersion()).isNull();
    assertThat(promotion.change().getHistory()).isEmpty();
    assertThat(promotion.change().getChange()).isEqualTo(AliasChange.PROMOTE);
  }

  @Test
  void shouldPromoteAChallengerThatBeatsTheChampionAndRecordHistory() {
    // given
    register("mnist", Map.of("accuracy", 0.90), "r1", "t");
    register("mnist", Map.of("accuracy", 0.95), "r2", "t");
    apply(RegistryDecisions.promote(view, "mnist", 1, null, true, NOW));

    // when
    Promotion promotion = RegistryDecisions.promote(view, "mnist", 2, "accuracy", true, NOW);

    // then
    assertThat(promotion.promoted()).isTrue();
    assertThat(promotion.reason())
        .isEqualTo(
            "version 2 accuracy 0.95 beats production version 1 accuracy 0.9 (higher is better)");
    assertThat(promotion.change().getPreviousVersion()).isEqualTo(1);
    assertThat(promotion.change().getHistory()).containsExactly(1);
  }

  @Test
  void shouldRefuseAChallengerThatDoesNotStrictlyBeatTheChampion() {
    // given
    register("mnist", Map.of("accuracy", 0.90, "loss", 0.3), "r1", "t");
    register("mnist", Map.of("accuracy", 0.90, "loss", 0.4), "r2", "t");
    apply(RegistryDecisions.promote(view, "mnist", 1, null, true, NOW));

    // when
    Promotion equal = RegistryDecisions.promote(view, "mnist", 2, "accuracy", true, NOW);
    Promotion worseLoss = RegistryDecisions.promote(view, "mnist", 2, "loss", false, NOW);

    // then
    assertThat(equal.promoted()).isFalse();
    assertThat(equal.change()).isNull();
    assertThat(equal.reason())
        .isEqualTo(
            "version 2 accuracy 0.9 does not beat production version 1 accuracy 0.9 (higher is"
                + " better)");
    assertThat(worseLoss.promoted()).isFalse();
    assertThat(worseLoss.reason()).contains("lower is better");
  }

  @Test
  void shouldPromoteALowerLossWhenLowerIsBetter() {
    // given
    register("mnist", Map.of("loss", 0.4), "r1", "t");
    register("mnist", Map.of("loss", 0.3), "r2", "t");
    apply(RegistryDecisions.promote(view, "mnist", 1, null, true, NOW));

    // when
    Promotion promotion = RegistryDecisions.promote(view, "mnist", 2, "loss", false, NOW);

    // then
    assertThat(promotion.promoted()).isTrue();
  }

  @Test
  void shouldDoNothingWhenPromotingTheProductionVersion() {
    // given
    register("mnist", Map.of(), "r1", "t");
    apply(RegistryDecisions.promote(view, "mnist", 1, null, true, NOW));

    // when
    Promotion again = RegistryDecisions.promote(view, "mnist", 1, null, true, NOW);

    // then
    assertThat(again).isEqualTo(new Promotion(false, null, "already production"));
  }

  @Test
  void shouldNameTheMissingMetricAndVersion() {
    // given
    register("mnist", Map.of("accuracy", 0.9), "r1", "t");
    register("mnist", Map.of("loss", 0.1), "r2", "t");
    apply(RegistryDecisions.promote(view, "mnist", 1, null, true, NOW));

    // when / then
    assertThatThrownBy(() -> RegistryDecisions.promote(view, "mnist", 2, "accuracy", true, NOW))
        .isInstanceOf(ModelRegistryException.class)
        .hasMessage(
            "cannot compare on metric 'accuracy': candidate version 2 of model 'mnist' has no"
                + " such metric; its metrics: loss");
    assertThatThrownBy(() -> RegistryDecisions.promote(view, "mnist", 2, "loss", false, NOW))
        .isInstanceOf(ModelRegistryException.class)
        .hasMessageContaining("production version 1 of model 'mnist' has no such metric");
  }

  @Test
  void shouldNameUnknownModelsAndVersions() {
    // given
    register("mnist", Map.of(), "r1", "t");
    register("mnist", Map.of(), "r2", "t");

    // when / then
    assertThatThrownBy(() -> RegistryDecisions.promote(view, "mnist", 7, null, true, NOW))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'mnist' has no version 7; versions: 1, 2");
    assertThatThrownBy(() -> RegistryDecisions.promote(view, "cifar", 1, null, true, NOW))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessage("model 'cifar' is not registered; models: mnist");
    assertThatThrownBy(() -> RegistryDecisions.rollback(view, "cifar", NOW))
        .isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void shouldRollBackThroughTheHistoryOneVersionAtATime() {
    // given: production moved 1 -> 2 -> 3
    for (int i = 1; i <= 3; i++) {
      register("mnist", Map.of(), "r" + i, "t");
      apply(RegistryDecisions.promote(view, "mnist", i, null, true, NOW));
    }

    // when
    ModelAliasChanged first = RegistryDecisions.rollback(view, "mnist", NOW);
    view.applyAlias("mnist:production", first);
    ModelAliasChanged second = RegistryDecisions.rollback(view, "mnist", NOW);
    view.applyAlias("mnist:production", second);

    // then
    assertThat(first.getVersion()).isEqualTo(2);
    assertThat(first.getPreviousVersion()).isEqualTo(3);
    assertThat(first.getHistory()).containsExactly(1);
    assertThat(first.getChange()).isEqualTo(AliasChange.ROLLBACK);
    assertThat(second.getVersion()).isEqualTo(1);
    assertThat(second.getHistory()).isEmpty();
    assertThatThrownBy(() -> RegistryDecisions.rollback(view, "mnist", NOW))
        .isInstanceOf(ModelRegistryException.class)
        .hasMessage("model 'mnist' has no earlier production version to roll back to");
  }

  @Test
  void shouldRefuseARollbackWithoutProductionVersion() {
    // given
    register("mnist", Map.of(), "r1", "t");

    // when / then
    assertThatThrownBy(() -> RegistryDecisions.rollback(view, "mnist", NOW))
        .isInstanceOf(ModelRegistryException.class)
        .hasMessage("model 'mnist' has no earlier production version to roll back to");
  }

  private ModelVersion register(
      String name, Map<String, Double> metrics, String runId, String taskId) {
    Registration registration =
        RegistryDecisions.register(
            view, name, artifact(), metrics, Map.of("architecture", "mlp"), runId, taskId, NOW);
    view.applyVersion(null, registration.version());
    return registration.version();
  }

  private Registration decideRegister(String name, String runId, String taskId) {
    return RegistryDecisions.register(
        view, name, artifact(), Map.of(), Map.of(), runId, taskId, NOW);
  }

  private void apply(Promotion promotion) {
    assertThat(promotion.promoted()).as(promotion.reason()).isTrue();
    view.applyAlias(null, promotion.change());
  }

  private static ArtifactRef artifact() {
    return new ArtifactRef("file:///m.params", "ab", 10L, "application/x-djl-params");
  }
}
