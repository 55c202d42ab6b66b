package io.weft.core.api;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least Kafka ACLs each Weft role needs, for a broker whose authorizer denies what no ACL
 * allows. A role's grants follow from the topic prefix and, for the coordinator, its {@code
 * application.id}; a worker's from its task type; a model writer's, optionally, from one model.
 *
 * <p>No role needs a cluster ACL: topics are created with topic-level {@code CREATE}, and an
 * idempotent producer needs only {@code WRITE} on a topic. {@code READ} and {@code WRITE} imply
 * {@code DESCRIBE}.
 */
public final class WeftAcls {

  /** A component of a Weft installation, with one principal each. */
  public enum Role {
    /** The Kafka Streams coordinator, its query API and web UI, and {@code weft recover}. */
    COORDINATOR,
    /** The workers of one task type (and of its GPU pool). */
    WORKER,
    /** A client that registers workflows and starts, cancels, retries and follows runs. */
    CLIENT,
    /** The inference service: it reads the model registry. */
    INFERENCE,
    /** Whatever registers, promotes or rolls back models: the model tasks' workers, the CLI. */
    MODEL_WRITER,
    /**
     * The operator's commands: {@code weft dlq}, {@code schedules}, {@code scale}, {@code topics}.
     */
    OPERATOR;

    /** The name on the command line: {@code model-writer} for {@link #MODEL_WRITER}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The role named {@code name} as on the command line. */
    public static Role ofCliName(String name) {
      for (Role role : values()) {
        if (role.cliName().equals(name)) {
          return role;
        }
      }
      throw new IllegalArgumentException(
          "Unknown role '"
              + name
              + "'; the roles are coordinator, worker, client, inference, model-writer, operator");
    }
  }

  /** One ACL before it has a principal: operations on a resource pattern. */
  public record Grant(
      ResourceType resourceType,
      PatternType patternType,
      String name,
      Set<AclOperation> operations) {

    public Grant {
      Objects.requireNonNull(resourceType, "resourceType");
      Objects.requireNonNull(patternType, "patternType");
      Objects.requireNonNull(name, "name");
      operations = Set.copyOf(operations);
    }

    /** The bindings that allow {@code principal} these operations from any host. */
    public List<AclBinding> bindings(String principal) {
      ResourcePattern pattern = new ResourcePattern(resourceType, name, patternType);
      return operations.stream()
          .sorted()
          .map(
              op ->
                  new AclBinding(
                      pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)))
          .toList();
    }
  }

  private static final Pattern TYPE = Pattern.compile("[a-z0-9-]+");
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z]+:.+");

  private final WeftTopics topics;
  private final String applicationId;

  /**
   * The ACLs of an installation whose topics are named by {@code topics} and whose coordinator's
   * {@code application.id} is {@code applicationId}.
   */
  public WeftAcls(WeftTopics topics, String applicationId) {
    this.topics = Objects.requireNonNull(topics, "topics");
    if (topics.prefix().isEmpty()) {
      // a prefixed grant of "" would cover every topic of the cluster
      throw new IllegalArgumentException(
          "ACLs need a topic prefix (weft.topic.prefix): without one, Weft's topics share"
              + " their names with every other topic of the cluster");
    }
    if (applicationId == null || applicationId.isBlank()) {
      throw new IllegalArgumentException("The coordinator's application.id is required");
    }
    this.applicationId = applicationId;
  }

  /**
   * What {@code role} needs. {@code taskType} is required for a worker and ignored otherwise; for a
   * model writer, {@code model} narrows the grants to one model's lock, or is null for every model.
   */
  public List<Grant> grants(Role role, String taskType, String model) {
    return switch (role) {
      case COORDINATOR -> coordinator();
      case WORKER -> worker(requireType(taskType));
      case CLIENT -> client();
      case INFERENCE -> inference();
      case MODEL_WRITER -> modelWriter(model);
      case OPERATOR -> operator();
    };
  }

  /** {@link #grants} for {@code principal} ({@code User:name}), as bindings to create. */
  public List<AclBinding> bindings(Role role, String taskType, String model, String principal) {
    if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
      throw new IllegalArgumentException(
          "A principal is a type and a name, such as User:weft-worker; got '" + principal + "'");
    }
    List<AclBinding> bindings = new ArrayList<>();
    for (Grant grant : grants(role, taskType, model)) {
      bindings.addAll(grant.bindings(principal));
    }
    return bindings;
  }

  private List<Grant> coordinator() {
    List<Grant> grants = new ArrayList<>();
    String prefix = topics.prefix();
    grants.add(topic(topics.definitions(), READ, CREATE));
    grants.add(topic(topics.commands(), READ, WRITE, CREATE));
    grants.add(topic(topics.results(), READ, WRITE, CREATE));
    grants.add(topic(topics.events(), READ, WRITE, CREATE));
    grants.add(topic(topics.cancellations(), WRITE, CREATE));
    grants.add(topic(topics.schedules(), READ, CREATE));
    grants.add(topic(topics.deadLetters(), READ, WRITE, CREATE));
    grants.add(topic(topics.taskTypes(), READ, CREATE));
    grants.add(topic(topics.modelVersions(), READ, WRITE, CREATE));
    grants.add(topic(topics.modelAliases(), READ, WRITE, CREATE));
    // every task pool's topic: the dispatcher writes them, the UI counts their backlog
    grants.add(new Grant(TOPIC, PREFIXED, prefix + WeftTopics.TASKS.suffix(), Set.of(READ, WRITE)));
    // Kafka Streams: its group, changelog topics and exactly-once transactional ids
    grants.add(new Grant(GROUP, LITERAL, applicationId, Set.of(READ)));
    grants.add(new Grant(TOPIC, PREFIXED, applicationId + "-", Set.of(READ, WRITE, CREATE)));
    grants.add(new Grant(TRANSACTIONAL_ID, PREFIXED, applicationId + "-", Set.of(WRITE)));
    // the web UI: workers' groups, and promotions and rollbacks of models
    grants.add(new Grant(GROUP, PREFIXED, topics.workerGroup(""), Set.of(DESCRIBE)));
    grants.add(new Grant(TRANSACTIONAL_ID, PREFIXED, topics.modelLock(""), Set.of(WRITE)));
    return grants;
  }

  private List<Grant> worker(String type) {
    List<Grant> grants = new ArrayList<>();
    for (String pool : List.of(type, WeftTopics.pool(type, true))) {
      grants.add(topic(topics.tasks(pool), READ, CREATE));
      grants.add(new Grant(GROUP, LITERAL, topics.workerGroup(pool), Set.of(READ)));
    }
    // <prefix>workers.<pool>.<worker id>.<random>, the GPU pool's included: the dot keeps other
    // types out
    grants.add(
        new Grant(TRANSACTIONAL_ID, PREFIXED, topics.workerGroup(type) + ".", Set.of(WRITE)));
    grants.add(topic(topics.results(), READ, WRITE, DESCRIBE_CONFIGS, CREATE));
    grants.add(topic(topics.deadLetters(), WRITE, CREATE));
    grants.add(topic(topics.cancellations(), READ, CREATE));
    grants.add(topic(topics.taskTypes(), WRITE, CREATE));
    // to create the results topic with the commands topic's partition count if it is first
    grants.add(topic(topics.commands(), DESCRIBE));
    grants.add(topic(topics.events(), DESCRIBE));
    return grants;
  }

  private List<Grant> client() {
    return List.of(
        topic(topics.commands(), WRITE),
        topic(topics.definitions(), READ, WRITE),
        topic(topics.taskTypes(), READ),
        topic(topics.events(), READ),
        // registering a workflow creates the topics of its task types
        new Grant(
            TOPIC,
            PREFIXED,
            topics.prefix() + WeftTopics.TASKS.suffix(),
            Set.of(DESCRIBE, CREATE)));
  }

  private List<Grant> inference() {
    return List.of(
        topic(topics.modelVersions(), READ, CREATE), topic(topics.modelAliases(), READ, CREATE));
  }

  private List<Grant> modelWriter(String model) {
    Grant lock;
    if (model == null) {
      lock = new Grant(TRANSACTIONAL_ID, PREFIXED, topics.modelLock(""), Set.of(WRITE));
    } else if (MODEL.matcher(model).matches()) {
      // literal: a model's name may contain dots, so a prefix would match other models
      lock = new Grant(TRANSACTIONAL_ID, LITERAL, topics.modelLock(model), Set.of(WRITE));
    } else {
      throw new IllegalArgumentException(
          "A model name is 1 to 200 letters, digits, '.', '_' or '-'; got '" + model + "'");
    }
    return List.of(
        topic(topics.modelVersions(), READ, WRITE, CREATE),
        topic(topics.modelAliases(), READ, WRITE, CREATE),
        lock);
  }

  private List<Grant> operator() {
    String prefix = topics.prefix();
    String tasks = prefix + WeftTopics.TASKS.suffix();
    return List.of(
        // weft topics lists and describes them all
        new Grant(TOPIC, PREFIXED, prefix, Set.of(DESCRIBE)),
        topic(topics.deadLetters(), READ),
        topic(topics.deadLetterReplays(), READ, WRITE, CREATE),
        // a replay goes back to the topic the dead letter came from
        topic(topics.commands(), WRITE),
        topic(topics.results(), WRITE),
        topic(topics.schedules(), READ, WRITE),
        topic(topics.definitions(), READ),
        topic(topics.events(), READ),
        new Grant(TOPIC, PREFIXED, tasks, Set.of(READ, WRITE)),
        new Grant(TRANSACTIONAL_ID, LITERAL, prefix + "dlq-replay", Set.of(WRITE)),
        new Grant(GROUP, PREFIXED, topics.workerGroup(""), Set.of(DESCRIBE)));
  }

  private static Grant topic(String name, AclOperation... operations) {
    return new Grant(TOPIC, LITERAL, name, EnumSet.of(operations[0], operations));
  }

  private static String requireType(String taskType) {
    if (taskType == null || !TYPE.matcher(taskType).matches()) {
      throw new IllegalArgumentException(
          "A worker's ACLs need its task type (lower-case letters, digits and '-'); got '"
              + taskType
              + "'");
    }
    return taskType;
  }
}
