package io.weft.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * A single-node broker that lets no client in unauthenticated and authorizes every request with
 * Kafka's {@code StandardAuthorizer}: nothing is allowed that an ACL does not grant.
 *
 * <p>Clients connect to one listener, which either asks for {@link ClientAuth#SCRAM SCRAM-SHA-512
 * over TLS} ({@code SASL_SSL}) or for {@link ClientAuth#MUTUAL_TLS a client certificate} ({@code
 * SSL} with client authentication). A certificate's principal is its common name ({@code
 * CN=worker-train} is {@code User:worker-train}), like a SCRAM user's. The broker talks to itself
 * and to its controller over mutual TLS as {@code User:weft-broker}, the only super user, whose
 * {@link #adminSettings() settings} tests use to create users and ACLs.
 *
 * <p>Certificates come from a {@link LocalPki}.
 */
public final class SecuredKafka implements AutoCloseable {

  /** How clients authenticate on the client listener. */
  public enum ClientAuth {
    /** {@code SASL_SSL} with {@code SCRAM-SHA-512}: a user name and a password, over TLS. */
    SCRAM,
    /** {@code SSL} with a client certificate that the broker requires. */
    MUTUAL_TLS
  }

  /** The broker's own principal, and the common name of its certificate. */
  public static final String BROKER = "weft-broker";

  private static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  private final EmbeddedKafka broker;
  private final LocalPki pki;
  private final ClientAuth auth;
  private final String clientBootstrap;
  private final String internalBootstrap;

  private SecuredKafka(
      EmbeddedKafka broker,
      LocalPki pki,
      ClientAuth auth,
      String clientBootstrap,
      String internalBootstrap) {
    this.broker = broker;
    this.clientBootstrap = clientBootstrap;
    this.pki = pki;
    this.auth = auth;
    this.internalBootstrap = internalBootstrap;
  }

  /** Starts a secured broker with its data under {@code dataDir}, on free loopback ports. */
  public static SecuredKafka start(Path dataDir, LocalPki pki, ClientAuth auth) {
    int clientPort = FreePorts.next();
    int internalPort = FreePorts.next();
    int controllerPort = FreePorts.next();
    Properties props = EmbeddedKafka.brokerProperties(dataDir, clientPort, controllerPort);
    props.putAll(brokerSecurity(pki, auth, clientPort, internalPort, controllerPort));
    String internal = "127.0.0.1:" + internalPort;
    Map<String, Object> admin = tlsSettings(pki, BROKER);
    EmbeddedKafka broker =
        EmbeddedKafka.startWith(dataDir, props, Uuid.randomUuid().toString(), internal, admin);
    return new SecuredKafka(broker, pki, auth, "127.0.0.1:" + clientPort, internal);
  }

  static Map<String, String> brokerSecurity(
      LocalPki pki, ClientAuth auth, int clientPort, int internalPort, int controllerPort) {
    Map<String, String> props = new HashMap<>();
    String clientProtocol = auth == ClientAuth.SCRAM ? "SASL_SSL" : "SSL";
    props.put(
        "listeners",
        "CLIENT://127.0.0.1:"
            + clientPort
            + ",INTERNAL://127.0.0.1:"
            + internalPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort);
    props.put(
        "advertised.listeners",
        "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
    props.put(
        "listener.security.protocol.map",
        "CLIENT:" + clientProtocol + ",INTERNAL:SSL,CONTROLLER:SSL");
    props.put("inter.broker.listener.name", "INTERNAL");
    props.put("ssl.keystore.type", "PKCS12");
    props.put("ssl.keystore.location", pki.keyStore(BROKER).toString());
    props.put("ssl.keystore.password", pki.password());
    props.put("ssl.key.password", pki.password());
    props.put("ssl.truststore.type", "PKCS12");
    props.put("ssl.truststore.location", pki.trustStore().toString());
    props.put("ssl.truststore.password", pki.password());
    props.put("ssl.client.auth", "required");
    props.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
    if (auth == ClientAuth.SCRAM) {
      props.put("listener.name.client.ssl.client.auth", "none");
      props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      props.put("listener.name.client.sasl.enabled.mechanisms", SCRAM_MECHANISM);
      props.put(
          "listener.name.client.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("super.users", "User:" + BROKER);
    return props;
  }

  /** The client listener's address, {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return clientBootstrap;
  }

  /** How clients authenticate on {@link #bootstrapServers()}. */
  public ClientAuth clientAuth() {
    return auth;
  }

  /** The authority whose certificates the broker presents and accepts. */
  public LocalPki pki() {
    return pki;
  }

  /**
   * The super user's client settings ({@code bootstrap.servers} included): mutual TLS on the
   * broker's internal listener, allowed everything.
   */
  public Map<String, Object> adminSettings() {
    Map<String, Object> settings = tlsSettings(pki, BROKER);
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap);
    return settings;
  }

  /**
   * The security settings of a client that connects as {@code principal}: for SCRAM, the user and
   * {@code password} over TLS; for mutual TLS, {@code principal}'s certificate ({@code password} is
   * not used). Without {@code bootstrap.servers}.
   */
  public Map<String, Object> clientSecurity(String principal, String password) {
    if (auth == ClientAuth.MUTUAL_TLS) {
      return tlsSettings(pki, principal);
    }
    Map<String, Object> settings = new HashMap<>();
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.mechanism", SCRAM_MECHANISM);
    settings.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + principal
            + "\" password=\""
            + password
            + "\";");
    settings.put("ssl.truststore.type", "PKCS12");
    settings.put("ssl.truststore.location", pki.trustStore().toString());
    settings.put("ssl.truststore.password", pki.password());
    return settings;
  }

  /**
   * Makes {@code principal} known to the broker: a SCRAM-SHA-512 credential with {@code password},
   * or for mutual TLS a certificate issued by the authority (the password is not used).
   */
  public void addUser(String principal, String password) {
    if (auth == ClientAuth.MUTUAL_TLS) {
      pki.keyStore(principal);
      return;
    }
    try (Admin admin = Admin.create(adminSettings())) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      principal,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                      password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new EmbeddedException("Cannot add the SCRAM user " + principal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedException("Interrupted while adding the SCRAM user " + principal, e);
    }
  }

  private static Map<String, Object> tlsSettings(LocalPki pki, String principal) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("security.protocol", "SSL");
    settings.put("ssl.keystore.type", "PKCS12");
    settings.put("ssl.keystore.location", pki.keyStore(principal).toString());
    settings.put("ssl.keystore.password", pki.password());
    settings.put("ssl.key.password", pki.password());
    settings.put("ssl.truststore.type", "PKCS12");
    settings.put("ssl.truststore.location", pki.trustStore().toString());
    settings.put("ssl.truststore.password", pki.password());
    return settings;
  }

  /** The directory holding the broker's logs and metadata. */
  public Path dataDir() {
    return broker.dataDir();
  }

  @Override
  public void close() {
    broker.close();
  }
}
