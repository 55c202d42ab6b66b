package io.weft.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client for the Confluent Schema Registry API, which Confluent Schema Registry, Apicurio (under
 * {@code /apis/ccompat/v7}), Karapace and Redpanda all serve. Thread-safe.
 *
 * <p>Ids and schemas are cached: a schema registered or looked up once under a subject, and a
 * schema fetched once by id, cost no further request. Several base URLs may be given; a request
 * that cannot reach one tries the next.
 *
 * <p>An {@code https://} registry is reached with the {@link RegistryTls} settings: its trust
 * store, a key store for mutual TLS. Basic credentials go in every request's {@code Authorization}
 * header and nowhere else: not in logs (the client logs nothing) and not in exception messages.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> baseUrls;
  private final Optional<String> authorization;
  private final RegistryTls tls;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

  /**
   * @param baseUrls the API's base URLs, e.g. {@code http://127.0.0.1:8081}
   * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, if the registry
   *     needs it
   * @param timeout bound on connecting and on each request
   */
  public HttpSchemaRegistryClient(
      List<String> baseUrls, Optional<String> basicAuthUserInfo, Duration timeout) {
    this(baseUrls, basicAuthUserInfo, timeout, RegistryTls.DEFAULT);
  }

  /**
   * @param baseUrls the API's base URLs, e.g. {@code https://registry:8081}
   * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, if the registry
   *     needs it
   * @param timeout bound on connecting and on each request
   * @param tls trust and key stores for {@code https://} URLs
   * @throws org.apache.kafka.common.config.ConfigException naming the setting if a store cannot be
   *     read
   */
  public HttpSchemaRegistryClient(
      List<String> baseUrls,
      Optional<String> basicAuthUserInfo,
      Duration timeout,
      RegistryTls tls) {
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("At least one schema registry URL is required");
    }
    this.baseUrls = baseUrls.stream().map(HttpSchemaRegistryClient::trimSlash).toList();
    this.authorization =
        basicAuthUserInfo.map(
            info ->
                "Basic "
                    + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    this.timeout = Objects.requireNonNull(timeout);
    this.tls = Objects.requireNonNull(tls);
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    if (!tls.isDefault()) {
      builder.sslContext(tls.sslContext());
    }
    this.http = builder.build();
  }

  /**
   * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}), or
   * finds it if it is registered already, and returns its id.
   *
   * @throws IncompatibleSchemaException if the subject's compatibility level refuses it
   */
  @Override
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> ids =
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer;
    try {
      answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    } catch (IncompatibleSchemaException conflict) {
      // some registries (Apicurio) answer 409 when another client registered the same schema
      // under a new subject at the same moment: the schema is there, so look it up
      try {
        return lookup(subject, schema).id();
      } catch (SchemaRegistryException notThere) {
        throw conflict;
      }
    }
    int id = answer.path("id").asInt();
    ids.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /** The schema with the given id ({@code GET /schemas/ids/{id}}). */
  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "/schemas/ids/" + id, null);
    Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  /**
   * Finds {@code schema} among the versions of {@code subject} ({@code POST /subjects/{subject}}).
   *
   * @throws SchemaNotFoundException if the subject does not hold it
   * @throws SubjectNotFoundException if the subject does not exist
   */
  @Override
  public SchemaMetadata lookup(String subject, Schema schema) {
    JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
    SchemaMetadata metadata = metadata(subject, answer, schema);
    idsBySubject
        .computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
        .put(schema, metadata.id());
    schemasById.putIfAbsent(metadata.id(), schema);
    return metadata;
  }

  /**
   * Whether {@code schema} may be registered under {@code subject} as its next version ({@code POST
   * /compatibility/subjects/{subject}/versions/latest}). A subject without versions accepts any
   * schema.
   */
  @Override
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode answer =
          send(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest",
              schemaBody(schema));
      return answer.path("is_compatible").asBoolean();
    } catch (SubjectNotFoundException | VersionNotFoundException e) {
      return true;
    }
  }

  /** The subject's version numbers ({@code GET /subjects/{subject}/versions}). */
  @Override
  public List<Integer> versions(String subject) {
    JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", null);
    List<Integer> versions = new ArrayList<>();
    answer.forEach(v -> versions.add(v.asInt()));
    return versions;
  }

  /** One version of a subject ({@code GET /subjects/{subject}/versions/{version}}). */
  @Override
  public SchemaMetadata version(String subject, int version) {
    return fetchVersion(subject, Integer.toString(version));
  }

  /** The subject's latest version ({@code GET /subjects/{subject}/versions/latest}). */
  @Override
  public SchemaMetadata latest(String subject) {
    return fetchVersion(subject, "latest");
  }

  /** Every subject of the registry ({@code GET /subjects}). */
  @Override
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    send("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  /** Sets the global compatibility level ({@code PUT /config}). */
  @Override
  public void setCompatibility(CompatibilityLevel level) {
    send("PUT", "/config", compatibilityBody(level));
  }

  /** Sets one subject's compatibility level ({@code PUT /config/{subject}}). */
  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    send("PUT", "/config/" + encode(subject), compatibilityBody(level));
  }

  /** The global compatibility level ({@code GET /config}). */
  @Override
  public CompatibilityLevel compatibility() {
    JsonNode answer = send("GET", "/config", null);
    JsonNode level =
        answer.has("compatibilityLevel")
            ? answer.get("compatibilityLevel")
            : answer.path("compatibility");
    return CompatibilityLevel.valueOf(level.asText());
  }

  private SchemaMetadata fetchVersion(String subject, String version) {
    JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
    Schema schema = parse(answer.path("schema").asText(), subject + " version " + version);
    SchemaMetadata metadata = metadata(subject, answer, schema);
    schemasById.putIfAbsent(metadata.id(), schema);
    return metadata;
  }

  private static SchemaMetadata metadata(String subject, JsonNode answer, Schema schema) {
    return new SchemaMetadata(
        answer.path("subject").asText(subject),
        answer.path("id").asInt(),
        answer.path("version").asInt(),
        schema);
  }

  private JsonNode send(String method, String path, ObjectNode body) {
    String request = method + " " + path;
    SchemaRegistryException unreachable = null;
    for (String baseUrl : baseUrls) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(timeout)
              .header("Accept", CONTENT_TYPE + ", application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body.toString()));
      if (body != null) {
        builder.header("Content-Type", CONTENT_TYPE);
      }
      authorization.ifPresent(value -> builder.header("Authorization", value));
      HttpResponse<String> response;
      try {
        response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        unreachable = unreachable(request, baseUrl, e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(
            request + " interrupted", SchemaRegistryException.NO_STATUS, -1, e);
      }
      return answer(request + " on " + baseUrl, response);
    }
    throw unreachable;
  }

  private SchemaRegistryException unreachable(String request, String baseUrl, IOException e) {
    SSLException tlsFailure = tlsFailure(e);
    if (tlsFailure == null) {
      // under TLS 1.3 a server refuses a missing client certificate after the handshake, so the
      // client only sees the connection close
      String hint =
          baseUrl.startsWith("https:") && !tls.hasKeyStore()
              ? " (a registry that requires a client certificate closes the connection: set "
                  + RegistryTls.KEYSTORE_LOCATION_CONFIG
                  + ")"
              : "";
      return new RegistryUnavailableException(
          request + " failed: cannot reach the schema registry at " + baseUrl + ": " + e + hint,
          SchemaRegistryException.NO_STATUS,
          SchemaRegistryException.NO_STATUS,
          e);
    }
    return new RegistryHandshakeException(
        request
            + " failed: the TLS handshake with the schema registry at "
            + baseUrl
            + " failed: "
            + tlsFailure.getMessage()
            + ". Check "
            + RegistryTls.TRUSTSTORE_LOCATION_CONFIG
            + " (the authorities trusted"
            + (tls.hasTrustStore() ? "" : ", unset: the JDK's")
            + "), "
            + RegistryTls.ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG
            + " (whether the certificate must name the URL's host) and, if the registry asks for"
            + " a client certificate, "
            + RegistryTls.KEYSTORE_LOCATION_CONFIG,
        e);
  }

  /** The TLS failure behind {@code e}, if that is what it is. */
  private static SSLException tlsFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }

  private JsonNode answer(String request, HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode json;
    try {
      json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      if (status / 100 == 2) {
        throw new SchemaRegistryException(
            request + " answered " + status + " with a body that is not JSON: " + response.body(),
            status,
            status,
            e);
      }
      json = JSON.nullNode();
    }
    if (status / 100 == 2) {
      return json;
    }
    int errorCode = json.path("error_code").asInt(status);
    String message = json.path("message").asText(response.body());
    if (status == 401) {
      message +=
          authorization.isPresent()
              ? " (the registry refused the credentials of basic.auth.user.info)"
              : " (no credentials were sent: set basic.auth.user.info)";
    }
    throw SchemaRegistryException.of(request, status, errorCode, message);
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private static ObjectNode compatibilityBody(CompatibilityLevel level) {
    return JSON.createObjectNode().put("compatibility", level.name());
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          "The schema registry returned an unparseable schema for " + what + ": " + e.getMessage(),
          200,
          200,
          e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
