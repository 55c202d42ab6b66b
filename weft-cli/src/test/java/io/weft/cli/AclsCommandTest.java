package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AclsCommandTest {

  @Test
  void shouldPrintKafkaAclsCommandsForAWorkersRole() {
    Cli.Result result =
        Cli.run(
            "acls",
            "--role",
            "worker",
            "--task-type",
            "train",
            "--principal",
            "User:worker-train",
            "--bootstrap-servers",
            "kafka:9093");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith(
                        "kafka-acls.sh --bootstrap-server kafka:9093 --command-config"
                            + " admin.properties --add --allow-principal User:worker-train"))
        .contains(
            "kafka-acls.sh --bootstrap-server kafka:9093 --command-config admin.properties --add"
                + " --allow-principal User:worker-train --operation Read --operation Create"
                + " --topic weft.tasks.train",
            "kafka-acls.sh --bootstrap-server kafka:9093 --command-config admin.properties --add"
                + " --allow-principal User:worker-train --operation Write --transactional-id"
                + " weft.workers.train. --resource-pattern-type prefixed")
        .anySatisfy(line -> assertThat(line).contains("--operation DescribeConfigs"))
        .noneSatisfy(line -> assertThat(line).contains("--topic weft.tasks. "));
  }

  @Test
  void shouldRefuseAWorkerRoleWithoutItsTaskType() {
    Cli.Result result = Cli.run("acls", "--role", "worker", "--principal", "User:w");

    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("task type");
  }

  @Test
  void shouldRefuseAnUnknownRole() {
    Cli.Result result = Cli.run("acls", "--role", "root", "--principal", "User:w");

    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("Unknown role 'root'");
  }
}
