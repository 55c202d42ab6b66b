package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.api.WeftAcls.Grant;
import io.weft.core.api.WeftAcls.Role;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WeftAclsTest {

  private final WeftAcls acls = new WeftAcls(new WeftTopics("acme."), "acme-coordinator");

  @Test
  void shouldGiveAWorkerItsOwnTypesTopicsGroupsAndTransactionsOnly() {
    List<Grant> grants = acls.grants(Role.WORKER, "train", null);

    assertThat(grants)
        .filteredOn(g -> g.name().startsWith("acme.tasks.") || g.name().startsWith("acme.workers."))
        .extracting(Grant::name)
        .containsExactlyInAnyOrder(
            "acme.tasks.train",
            "acme.workers.train",
            "acme.workers.train.",
            "acme.tasks.train.gpu",
            "acme.workers.train.gpu");
    assertThat(grants)
        .filteredOn(g -> g.patternType() == PatternType.PREFIXED)
        .allSatisfy(
            g -> {
              assertThat(g.resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
              // a dot ends the prefix, so train does not match training's ids
              assertThat(g.name()).endsWith(".");
            });
    assertThat(grants)
        .filteredOn(g -> g.name().equals("acme.commands"))
        .singleElement()
        .satisfies(g -> assertThat(g.operations()).containsExactly(AclOperation.DESCRIBE));
  }

  @Test
  void shouldGiveTheCoordinatorItsStreamsGroupTopicsAndTransactions() {
    List<Grant> grants = acls.grants(Role.COORDINATOR, null, null);

    assertThat(grants)
        .contains(
            new Grant(
                ResourceType.GROUP,
                PatternType.LITERAL,
                "acme-coordinator",
                java.util.Set.of(AclOperation.READ)),
            new Grant(
                ResourceType.TRANSACTIONAL_ID,
                PatternType.PREFIXED,
                "acme-coordinator-",
                java.util.Set.of(AclOperation.WRITE)));
  }

  @Test
  void shouldNarrowAModelWritersLockToOneModelLiterally() {
    assertThat(acls.grants(Role.MODEL_WRITER, null, "mnist.v2"))
        .filteredOn(g -> g.resourceType() == ResourceType.TRANSACTIONAL_ID)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.name()).isEqualTo("acme.models.mnist.v2");
              assertThat(g.patternType()).isEqualTo(PatternType.LITERAL);
            });
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void shouldNeverGrantClusterOperationsOrAllTopics(Role role) {
    List<AclBinding> bindings = acls.bindings(role, "train", null, "User:x");

    assertThat(bindings).isNotEmpty();
    assertThat(bindings)
        .allSatisfy(
            b -> {
              assertThat(b.pattern().resourceType()).isNotEqualTo(ResourceType.CLUSTER);
              assertThat(b.pattern().name()).isNotEqualTo("*").isNotEmpty();
              assertThat(b.entry().principal()).isEqualTo("User:x");
              assertThat(b.entry().operation()).isNotEqualTo(AclOperation.ALL);
            });
  }

  @Test
  void shouldRefuseAnEmptyTopicPrefixWhosePrefixedGrantsWouldCoverEveryTopic() {
    assertThatThrownBy(() -> new WeftAcls(new WeftTopics(""), "app"))
        .hasMessageContaining("weft.topic.prefix");
  }

  @Test
  void shouldNameWhatIsMissingOrMalformed() {
    assertThatThrownBy(() -> acls.grants(Role.WORKER, null, null))
        .hasMessageContaining("task type");
    assertThatThrownBy(() -> acls.grants(Role.WORKER, "Train!", null))
        .hasMessageContaining("'Train!'");
    assertThatThrownBy(() -> acls.bindings(Role.CLIENT, null, null, "alice"))
        .hasMessageContaining("User:");
    assertThatThrownBy(() -> Role.ofCliName("admin")).hasMessageContaining("'admin'");
    assertThat(Role.ofCliName("model-writer")).isEqualTo(Role.MODEL_WRITER);
  }
}
