#!/bin/sh
# The `certs` service of docker/compose.secure.yaml: once, a throwaway certificate authority and
# a certificate per component (weft certs), each component's settings file (its docker/*.properties
# plus TLS to Kafka and HTTPS with tokens) and two tokens, each component's in a directory of its
# own (/out/<component>), which is a volume only that component mounts (at /certs).
set -eu
# the paths and the command can be changed for a test outside the container
out=${WEFT_CERTS_DIR:-/out}
base=${WEFT_SETUP_BASE:-/setup/base}
weft() { ${WEFT_COMMAND:-java -cp /weft/weft-cli.jar:/weft/lib/* io.weft.cli.Weft} "$@"; }
if [ -f "$out/ca/done" ]; then
  echo "certs: already made; delete the certs-* volumes to make new ones"
  exit 0
fi
ca="$out/ca"
mkdir -p "$ca"
weft certs --dir "$ca" --days 365 --names kafka,registry,coordinator,worker,inference,client
pw=$(cat "$ca/password")

# Kafka over mutual TLS as the principal User:<name>; paths as the component sees them (/certs)
kafka_tls() {
  cat <<PROPS
security.protocol=SSL
ssl.keystore.type=PKCS12
ssl.keystore.location=/certs/$1.p12
ssl.keystore.password=$pw
ssl.key.password=$pw
ssl.truststore.type=PKCS12
ssl.truststore.location=/certs/ca.p12
ssl.truststore.password=$pw
PROPS
}
# HTTPS with this component's certificate, bearer tokens from the token file
https_server() {
  cat <<PROPS
weft.http.tls.keystore.type=PKCS12
weft.http.tls.keystore.location=/certs/$1.p12
weft.http.tls.keystore.password=$pw
weft.http.tls.key.password=$pw
weft.http.auth.tokens.file=/certs/tokens
PROPS
}
# trust for calling the HTTPS APIs (the coordinator's other instances, the query API)
https_client() {
  cat <<PROPS
weft.http.tls.truststore.type=PKCS12
weft.http.tls.truststore.location=/certs/ca.p12
weft.http.tls.truststore.password=$pw
PROPS
}
# a component's directory: the authority, its own key store, and what else it is given
give() {
  name=$1
  shift
  mkdir -p "$out/$name"
  cp "$ca/ca.p12" "$ca/ca.pem" "$out/$name/"
  for file in "$@"; do cp "$ca/$file" "$out/$name/"; done
}

# tokens: the operator's (read and write) and Prometheus's (read), in the token file hashed
operator=$(weft token operator --scopes read,write)
prometheus=$(weft token prometheus --scopes read)
{
  echo "# NAME SCOPES TOKEN: written by docker/secure/setup.sh; edit to rotate (read again within a second)"
  echo "$operator" | sed -n 's/^file line: *//p'
  echo "$prometheus" | sed -n 's/^file line: *//p'
} > "$ca/tokens"
echo "$operator" | sed -n 's/^token: *//p' > "$ca/operator.token"
echo "$prometheus" | sed -n 's/^token: *//p' > "$ca/prometheus.token"

give kafka kafka.p12 password
{ echo "bootstrap.servers=kafka:19092"; kafka_tls kafka; } > "$out/kafka/admin.properties"
give registry registry.p12 password
give coordinator coordinator.p12 tokens
{ cat "$base/coordinator.properties"; kafka_tls coordinator; https_server coordinator; https_client; } \
  > "$out/coordinator/coordinator.properties"
give worker worker.p12 tokens
{ cat "$base/worker.properties"; kafka_tls worker; https_server worker; } \
  > "$out/worker/worker.properties"
give inference inference.p12 tokens
{ kafka_tls inference; https_server inference; } > "$out/inference/inference.properties"
give prometheus prometheus.token
# the weft command: Kafka as User:client, the query API with the operator's token
give client client.p12 operator.token
{
  echo "bootstrap.servers=kafka:19092"
  echo "schema.registry.url=http://registry:8080/apis/ccompat/v7"
  echo "weft.query.url=https://coordinator:8090"
  echo "weft.query.token.file=/certs/operator.token"
  kafka_tls client
  https_client
} > "$out/client/client.properties"

# each directory is one component's volume, read by that component's user only through it
for dir in kafka registry coordinator worker inference prometheus client; do
  chmod 0755 "$out/$dir"
  chmod 0644 "$out/$dir"/*
done
touch "$ca/done"
echo "certs: made"
