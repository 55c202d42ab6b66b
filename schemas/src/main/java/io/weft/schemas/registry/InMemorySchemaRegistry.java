package io.weft.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A schema registry in memory, for unit tests ({@code mock://<scope>} URLs): ids, subjects,
 * versions and the compatibility levels NONE, BACKWARD, FORWARD and FULL (the transitive ones check
 * every earlier version). Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

  private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> ids = new HashMap<>();
  private final Map<String, List<Schema>> subjects = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel level = CompatibilityLevel.BACKWARD;

  /** The registry of a scope, created on first use. */
  public static InMemorySchemaRegistry scope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
  }

  /** Forgets a scope's registry. */
  public static void drop(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (versions.contains(schema)) {
      return ids.get(schema);
    }
    if (!compatible(subject, versions, schema)) {
      throw new IncompatibleSchemaException(
          "POST /subjects/"
              + subject
              + "/versions failed: the schema registry answered 409 (error_code 409): schema is incompatible with an earlier schema",
          409,
          409);
    }
    versions.add(schema);
    return ids.computeIfAbsent(
        schema,
        s -> {
          int id = byId.size() + 1;
          byId.put(id, s);
          return id;
        });
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException(
          "GET /schemas/ids/" + id + " failed: schema " + id + " not found", 404, 40403);
    }
    return schema;
  }

  @Override
  public synchronized SchemaMetadata lookup(String subject, Schema schema) {
    List<Schema> versions = versionsOf(subject);
    int index = versions.indexOf(schema);
    if (index < 0) {
      throw new SchemaNotFoundException(
          "POST /subjects/" + subject + " failed: schema not found", 404, 40403);
    }
    return new SchemaMetadata(subject, ids.get(schema), index + 1, schema);
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    return compatible(subject, subjects.getOrDefault(subject, List.of()), schema);
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 1; i <= versionsOf(subject).size(); i++) {
      numbers.add(i);
    }
    return numbers;
  }

  @Override
  public synchronized SchemaMetadata version(String subject, int version) {
    List<Schema> versions = versionsOf(subject);
    if (version < 1 || version > versions.size()) {
      throw new VersionNotFoundException(
          "GET /subjects/" + subject + "/versions/" + version + " failed: version not found",
          404,
          40402);
    }
    Schema schema = versions.get(version - 1);
    return new SchemaMetadata(subject, ids.get(schema), version, schema);
  }

  @Override
  public synchronized SchemaMetadata latest(String subject) {
    return version(subject, versionsOf(subject).size());
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  @Override
  public synchronized void setCompatibility(CompatibilityLevel level) {
    this.level = level;
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    subjectLevels.put(subject, level);
  }

  @Override
  public synchronized CompatibilityLevel compatibility() {
    return level;
  }

  private List<Schema> versionsOf(String subject) {
    List<Schema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SubjectNotFoundException("subject '" + subject + "' not found", 404, 40401);
    }
    return versions;
  }

  private boolean compatible(String subject, List<Schema> versions, Schema candidate) {
    if (versions.isEmpty()) {
      return true;
    }
    CompatibilityLevel effective = subjectLevels.getOrDefault(subject, level);
    List<Schema> against =
        effective.name().endsWith("_TRANSITIVE")
            ? versions
            : List.of(versions.get(versions.size() - 1));
    for (Schema earlier : against) {
      boolean backward = readable(candidate, earlier);
      boolean forward = readable(earlier, candidate);
      boolean ok =
          switch (effective) {
            case NONE -> true;
            case BACKWARD, BACKWARD_TRANSITIVE -> backward;
            case FORWARD, FORWARD_TRANSITIVE -> forward;
            case FULL, FULL_TRANSITIVE -> backward && forward;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean readable(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
        == SchemaCompatibilityType.COMPATIBLE;
  }
}
