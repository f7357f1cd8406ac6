#!/usr/bin/env bash
# Regenerates the TEST-ONLY TLS material the loopback fakes serve
# (test/integration/fakes/tls/): a throwaway CA and a server certificate for
# localhost / 127.0.0.1 / ::1 signed by it. The CA's private key is deleted
# right after signing, so nothing can ever be issued under this CA again.
# Never trust ca.pem outside tests.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/test/integration/fakes/tls"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  -keyout "$work/ca-key.pem" -out "$out/ca.pem" -days 36500 \
  -subj "/CN=Quarry test-only CA (never trust outside tests)" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  -keyout "$out/server-key.pem" -out "$work/server.csr" -subj "/CN=localhost"

cat > "$work/ext.cnf" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in "$work/server.csr" -CA "$out/ca.pem" -CAkey "$work/ca-key.pem" -CAcreateserial -CAserial "$work/ca.srl" \
  -out "$out/server.pem" -days 36500 -extfile "$work/ext.cnf"
chmod 644 "$out/server-key.pem"
echo "wrote $out/{ca.pem,server.pem,server-key.pem}"
