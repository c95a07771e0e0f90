#!/bin/sh
# Certificates for the carbon-aware scheduler in a cluster without cert-manager, made with openssl:
#   - a private CA (ca.crt, ca.key; kept in the output folder and reused on the next run, so renewing the
#     other certificates does not change the CA everybody trusts);
#   - the extender's serving certificate for <service>.<namespace>.svc (and .svc.cluster.local, <service>.<namespace>,
#     <service>), in the Secret carbon-extender-tls;
#   - the carbon-aware scheduler's client certificate, in the Secret carbon-scheduler-client-tls.
# It writes secrets.yaml (both Secrets, kubernetes.io/tls with tls.crt, tls.key and ca.crt) and
# webhook-ca-patch.json (a JSON patch setting the webhook's caBundle to the CA); with -a it applies both.
# Keys are written with mode 600 and never printed.
#
# Usage: deploy/certs/generate.sh [-o DIR] [-n NAMESPACE] [-s SERVICE] [-d DAYS] [-a]
#   -o DIR        output folder (default ./carbon-certs)
#   -n NAMESPACE  the extender's namespace (default carbon-system)
#   -s SERVICE    the extender's Service (default carbon-extender)
#   -d DAYS       validity of the serving and client certificates (default 365; the CA gets 10 years)
#   -a            also run kubectl: apply secrets.yaml, and patch the webhook carbon-aware if it exists
set -eu

out=./carbon-certs
namespace=carbon-system
service=carbon-extender
days=365
apply=false

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
}

while getopts 'o:n:s:d:ah' option; do
  case $option in
    o) out=$OPTARG ;;
    n) namespace=$OPTARG ;;
    s) service=$OPTARG ;;
    d) days=$OPTARG ;;
    a) apply=true ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

case $days in
  '' | *[!0-9]*) echo "generate.sh: -d takes a whole number of days, not '$days'" >&2; exit 2 ;;
esac
for name in "$namespace" "$service"; do
  case $name in
    '' | *[!a-z0-9-]* | -* | *-) echo "generate.sh: '$name' is not a Kubernetes name (lower-case letters, digits, '-')" >&2; exit 2 ;;
  esac
done
if ! command -v openssl >/dev/null 2>&1; then
  echo "generate.sh: openssl is required" >&2
  exit 1
fi

umask 077
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

host="$service.$namespace.svc"

# A minimal request configuration, so nothing depends on the system's openssl.cnf.
cat >"$work/req.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
cat >"$work/server.ext" <<EOF
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:$host,DNS:$host.cluster.local,DNS:$service.$namespace,DNS:$service
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
cat >"$work/client.ext" <<EOF
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

serial() {
  # 127 random bits, positive: RFC 5280 wants serials unique per CA.
  echo "0x0$(openssl rand -hex 16 | cut -c2-)"
}

if [ -s "$out/ca.key" ] && [ -s "$out/ca.crt" ]; then
  echo "Reusing the CA in $out (ca.crt, ca.key)."
else
  new_key "$out/ca.key"
  openssl req -x509 -new -config "$work/req.cnf" -extensions ca -key "$out/ca.key" \
    -subj "/CN=carbon-aware-scheduler-ca" -days 3650 -sha256 -set_serial "$(serial)" -out "$out/ca.crt"
  echo "Created the CA $out/ca.crt (its key: $out/ca.key; keep it private)."
fi

# sign NAME SUBJECT EXTFILE: a key and a certificate signed by the CA, in the work folder.
sign() {
  new_key "$work/$1.key"
  openssl req -new -config "$work/req.cnf" -key "$work/$1.key" -subj "$2" -out "$work/$1.csr"
  openssl x509 -req -in "$work/$1.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -set_serial "$(serial)" \
    -days "$days" -sha256 -extfile "$3" -extensions leaf -out "$work/$1.crt"
}

sign server "/CN=$host" "$work/server.ext"
sign client "/CN=carbon-aware-scheduler" "$work/client.ext"

# The certificates (public) beside the CA, to inspect or verify: openssl verify -CAfile ca.crt extender.crt
cp "$work/server.crt" "$out/extender.crt"
cp "$work/client.crt" "$out/scheduler-client.crt"

b64() {
  openssl base64 -A -in "$1"
}

# secret NAME CERT KEY: a kubernetes.io/tls Secret with the CA, as YAML.
secret() {
  cat <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: $1
  namespace: $namespace
  labels:
    app.kubernetes.io/part-of: carbon-aware-scheduler
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$2")
  tls.key: $(b64 "$3")
  ca.crt: $(b64 "$out/ca.crt")
EOF
}

{
  echo "# Written by deploy/certs/generate.sh: private keys inside; apply it, do not commit it."
  secret carbon-extender-tls "$work/server.crt" "$work/server.key"
  echo "---"
  secret carbon-scheduler-client-tls "$work/client.crt" "$work/client.key"
} >"$out/secrets.yaml"

ca_bundle=$(b64 "$out/ca.crt")
cat >"$out/webhook-ca-patch.json" <<EOF
[
  {"op": "add", "path": "/webhooks/0/clientConfig/caBundle", "value": "$ca_bundle"},
  {"op": "add", "path": "/webhooks/1/clientConfig/caBundle", "value": "$ca_bundle"}
]
EOF

echo "Wrote $out/secrets.yaml (Secrets carbon-extender-tls and carbon-scheduler-client-tls in $namespace),"
echo "      $out/webhook-ca-patch.json (the webhook's caBundle), $out/extender.crt and $out/scheduler-client.crt."

if [ "$apply" = true ]; then
  kubectl apply -f "$out/secrets.yaml"
  if kubectl get mutatingwebhookconfiguration carbon-aware >/dev/null 2>&1; then
    kubectl patch mutatingwebhookconfiguration carbon-aware --type=json --patch-file "$out/webhook-ca-patch.json"
  else
    echo "The webhook carbon-aware does not exist yet: after applying the manifests, run"
    echo "  kubectl patch mutatingwebhookconfiguration carbon-aware --type=json --patch-file $out/webhook-ca-patch.json"
  fi
else
  echo "Next: kubectl apply -f $out/secrets.yaml; kubectl apply -k deploy/overlays/no-cert-manager;"
  echo "      kubectl patch mutatingwebhookconfiguration carbon-aware --type=json --patch-file $out/webhook-ca-patch.json"
fi
