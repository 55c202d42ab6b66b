package io.weft.cli;

import io.weft.core.api.ClientConfig;
import io.weft.core.api.WeftAcls;
import io.weft.core.api.WeftAcls.Grant;
import io.weft.core.api.WeftAcls.Role;
import io.weft.core.api.WeftTopics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft acls}: the least Kafka ACLs of one role, printed or applied. */
@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the kafka-acls commands that give PRINCIPAL exactly what one Weft role needs on a"
          + " broker that denies what no ACL allows, or with --apply creates those ACLs through"
          + " the Admin API (as the principal of --config, which needs ALTER on the cluster).",
      "Roles: coordinator, worker (with --task-type), client, inference, model-writer (optionally"
          + " --model), operator (weft dlq, schedules, scale, topics). Names follow --topic-prefix"
          + " and --application-id."
    })
final class AclsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--role",
      required = true,
      paramLabel = "ROLE",
      description = "coordinator, worker, client, inference, model-writer or operator.")
  String role;

  @Option(
      names = "--principal",
      required = true,
      paramLabel = "TYPE:NAME",
      description = "The principal to allow, e.g. User:weft-worker-train.")
  String principal;

  @Option(
      names = "--task-type",
      paramLabel = "TYPE",
      description = "The worker's task type (and its GPU pool); required with --role worker.")
  String taskType;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "With --role model-writer: one model only (default: every model).")
  String model;

  @Option(
      names = "--application-id",
      defaultValue = "weft-coordinator",
      paramLabel = "ID",
      description = "The coordinator's application.id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--apply",
      description = "Create the ACLs through the Admin API instead of printing commands.")
  boolean apply;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Object> settings = connection.componentSettings();
    Object prefix = settings.get(ClientConfig.TOPIC_PREFIX_CONFIG);
    WeftTopics topics =
        prefix == null ? WeftTopics.withDefaultPrefix() : new WeftTopics(String.valueOf(prefix));
    WeftAcls acls = new WeftAcls(topics, applicationId);
    Role parsed;
    List<Grant> grants;
    List<AclBinding> bindings;
    try {
      parsed = Role.ofCliName(role);
      grants = acls.grants(parsed, taskType, model);
      bindings = acls.bindings(parsed, taskType, model, principal);
    } catch (IllegalArgumentException e) {
      throw new CliException(Weft.INVALID, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!apply) {
      Object bootstrap = settings.getOrDefault(ClientConfig.BOOTSTRAP_SERVERS_CONFIG, "$BOOTSTRAP");
      for (Grant grant : grants) {
        out.println(kafkaAcls(grant, principal, String.valueOf(bootstrap)));
      }
      return Weft.OK;
    }
    Map<String, Object> adminProps = Kafka.adminProps(settings);
    if (adminProps.get("bootstrap.servers") == null) {
      throw new CliException(Weft.INVALID, "--apply needs --bootstrap-servers or --config");
    }
    try (Admin admin = Kafka.admin(adminProps)) {
      admin.createAcls(bindings).all().get(Kafka.CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new CliException(
          Weft.FAILED, "cannot create the ACLs of " + principal + ": " + cause.getMessage());
    }
    out.printf("Created %d ACLs for %s as role %s%n", bindings.size(), principal, parsed.cliName());
    return Weft.OK;
  }

  /** One {@code kafka-acls.sh} command that adds {@code grant}'s operations for a principal. */
  static String kafkaAcls(Grant grant, String principal, String bootstrap) {
    List<String> words = new ArrayList<>();
    words.add("kafka-acls.sh --bootstrap-server " + bootstrap);
    words.add("--command-config admin.properties --add");
    words.add("--allow-principal " + quote(principal));
    grant.operations().stream()
        .sorted()
        .map(op -> "--operation " + operationName(op))
        .forEach(words::add);
    words.add(
        switch (grant.resourceType()) {
          case TOPIC -> "--topic " + quote(grant.name());
          case GROUP -> "--group " + quote(grant.name());
          case TRANSACTIONAL_ID -> "--transactional-id " + quote(grant.name());
          default -> throw new IllegalArgumentException("No ACL of Weft is on " + grant);
        });
    if (grant.patternType() == PatternType.PREFIXED) {
      words.add("--resource-pattern-type prefixed");
    }
    return String.join(" ", words);
  }

  /** Kafka's spelling on the command line: {@code DescribeConfigs} for DESCRIBE_CONFIGS. */
  private static String operationName(AclOperation operation) {
    StringBuilder name = new StringBuilder();
    for (String part : operation.name().split("_")) {
      name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }

  private static String quote(String word) {
    return word.matches("[A-Za-z0-9._:=/@-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
