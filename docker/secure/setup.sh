#!/bin/sh
# The `certs` service of docker/compose.secure.yaml: once, in the certs volume (/certs), a
# throwaway certificate authority and a certificate per component (weft certs), each component's
# settings file (its docker/*.properties plus TLS to Kafka and HTTPS with tokens), and two tokens.
# Runs as root in the weft image, then leaves the files to the stack's users.
set -eu
# the paths and the command can be changed for a test outside the container
certs=${WEFT_CERTS_DIR:-/certs}
base=${WEFT_SETUP_BASE:-/setup/base}
if [ -f "$certs/done" ]; then
  echo "certs: already made; delete the certs volume to make new ones"
  exit 0
fi
weft() { ${WEFT_COMMAND:-java -cp /weft/weft-cli.jar:/weft/lib/* io.weft.cli.Weft} "$@"; }
weft certs --dir "$certs" --days 365 \
  --names kafka,registry,coordinator,worker,inference,client
pw=$(cat "$certs/password")

# Kafka over mutual TLS as the principal User:<name>
kafka_tls() {
  cat <<PROPS
security.protocol=SSL
ssl.keystore.type=PKCS12
ssl.keystore.location=$certs/$1.p12
ssl.keystore.password=$pw
ssl.key.password=$pw
ssl.truststore.type=PKCS12
ssl.truststore.location=$certs/ca.p12
ssl.truststore.password=$pw
PROPS
}
# HTTPS with this component's certificate, bearer tokens from the token file
https_server() {
  cat <<PROPS
weft.http.tls.keystore.type=PKCS12
weft.http.tls.keystore.location=$certs/$1.p12
weft.http.tls.keystore.password=$pw
weft.http.tls.key.password=$pw
weft.http.auth.tokens.file=$certs/tokens
PROPS
}
# trust for calling the HTTPS APIs (the coordinator's other instances, the query API)
https_client() {
  cat <<PROPS
weft.http.tls.truststore.type=PKCS12
weft.http.tls.truststore.location=$certs/ca.p12
weft.http.tls.truststore.password=$pw
PROPS
}

{ cat $base/coordinator.properties; kafka_tls coordinator; https_server coordinator; https_client; } \
  > "$certs/coordinator.properties"
{ cat $base/worker.properties; kafka_tls worker; https_server worker; } > "$certs/worker.properties"
{ kafka_tls inference; https_server inference; } > "$certs/inference.properties"
{ echo "bootstrap.servers=kafka:19092"; kafka_tls kafka; } > "$certs/admin.properties"

# tokens: the operator's (read and write) and Prometheus's (read), in the token file hashed
token() { weft token "$1" --scopes "$2"; }
operator=$(token operator read,write)
prometheus=$(token prometheus read)
{
  echo "# NAME SCOPES TOKEN: written by docker/secure/setup.sh; edit to rotate (read again within a second)"
  echo "$operator" | sed -n 's/^file line: *//p'
  echo "$prometheus" | sed -n 's/^file line: *//p'
} > "$certs/tokens"
echo "$operator" | sed -n 's/^token: *//p' > "$certs/operator.token"
echo "$prometheus" | sed -n 's/^token: *//p' > "$certs/prometheus.token"

# the client of the weft command: Kafka as User:client, the query API with the operator's token
{
  echo "bootstrap.servers=kafka:19092"
  echo "schema.registry.url=http://registry:8080/apis/ccompat/v7"
  echo "weft.query.url=https://coordinator:8090"
  echo "weft.query.token.file=$certs/operator.token"
  kafka_tls client
  https_client
} > "$certs/client.properties"

# a demo volume shared by the stack's containers, each running as its own user
chmod 0644 "$certs"/*
touch "$certs/done"
echo "certs: made in the certs volume"
