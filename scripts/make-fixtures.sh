#!/usr/bin/env bash
# Regenerates the TEST-ONLY PKI fixtures in test/fixtures/pki (committed as test data). Every key
# here is public and worthless; never use any of it for anything real. Needs openssl and keytool.
#   root CA -> intermediate CA -> leaves (good and broken), encrypted key variants, PKCS#12, and
#   hand-made JKS stores (the manual openssl + keytool pipeline, and its classic mistakes).
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/pki
pass=test-only-passphrase       # passphrase of every encrypted fixture key and .p12
storepass=test-only-storepass   # password of every keytool-made .jks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$out"/*.pem "$out"/*.p12 "$out"/*.txt "$out"/jks "$out"/example
mkdir -p "$out/jks" "$out/example" "$work/new"

cat >"$work/ca.cnf" <<CNF
[ ca ]
default_ca = fixture_ca
[ fixture_ca ]
database = $work/index.txt
new_certs_dir = $work/new
serial = $work/serial
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ root_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[ sub_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_no_digital_signature ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = clientAuth
[ leaf_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
CNF
: >"$work/index.txt"
echo 1000 >"$work/serial"

rsa() { openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1" 2>/dev/null || openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1"; }
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
# sign <name> <key> <issuer> <extensions> <start> <end> [digest]: CSR for <key>, signed by <issuer>.{pem,key}
sign() {
  openssl req -new -key "$2" -subj "/O=plugin-iamra TEST ONLY/CN=$1" -out "$work/$1.csr"
  openssl ca -batch -config "$work/ca.cnf" -notext -cert "$3.pem" -keyfile "$3.key" -in "$work/$1.csr" \
    -out "$out/$1.pem" -extensions "$4" -startdate "$5" -enddate "$6" -md "${7:-sha256}" 2>/dev/null
}
root() { # root <name> <start> <end>
  rsa "$work/$1.key" 2048
  openssl req -new -x509 -config "$work/ca.cnf" -key "$work/$1.key" -subj "/O=plugin-iamra TEST ONLY/CN=$1" \
    -extensions root_ca -days 10950 -sha256 -out "$out/$1.pem"
}

# CAs: long-lived so tests do not rot
root root-ca
rsa "$work/intermediate-ca.key" 2048 # CA keys stay in $work: tests need only the certificates
ln -sf "$PWD/$out/root-ca.pem" "$work/root-ca.pem"
sign intermediate-ca "$work/intermediate-ca.key" "$work/root-ca" sub_ca 20240101000000Z 20541231000000Z
ln -sf "$PWD/$out/intermediate-ca.pem" "$work/intermediate-ca.pem"
cat "$out/intermediate-ca.pem" "$out/root-ca.pem" >"$out/chain.pem"
root other-root-ca # a CA that signed none of the leaves: the "foreign certificate" case

leaf() { # leaf <name> <key> [extensions] [start] [end] [digest]
  sign "$1" "$2" "$work/intermediate-ca" "${3:-leaf}" "${4:-20250101000000Z}" "${5:-20450101000000Z}" "${6:-sha256}"
}
for bits in 2048 3072 4096 1024; do
  rsa "$out/leaf-rsa$bits.key.pem" $bits
  leaf "leaf-rsa$bits" "$out/leaf-rsa$bits.key.pem"
done
ec "$out/leaf-ec-p256.key.pem"
leaf leaf-ec-p256 "$out/leaf-ec-p256.key.pem"
k=$out/leaf-rsa2048.key.pem
leaf leaf-expired "$k" leaf 20200101000000Z 20210101000000Z
leaf leaf-not-yet-valid "$k" leaf 20400101000000Z 20450101000000Z
leaf leaf-ca "$k" leaf_ca
leaf leaf-no-digital-signature "$k" leaf_no_digital_signature
leaf leaf-sha1 "$k" leaf 20250101000000Z 20450101000000Z sha1

# the 2048-bit leaf key in every form AWS or openssl hands out
openssl pkcs8 -topk8 -in "$k" -v2 aes-256-cbc -passout "pass:$pass" -out "$out/leaf-rsa2048.key.aes256.pem"
openssl pkcs8 -topk8 -in "$k" -scrypt -passout "pass:$pass" -out "$out/leaf-rsa2048.key.scrypt.pem"
openssl pkcs8 -topk8 -in "$k" -v2 des3 -passout "pass:$pass" -out "$out/leaf-rsa2048.key.3des.pem"
openssl rsa -in "$k" -aes256 -traditional -passout "pass:$pass" -out "$out/leaf-rsa2048.key.legacy.pem" 2>/dev/null
openssl rsa -in "$k" -traditional -out "$out/leaf-rsa2048.key.pkcs1.pem" 2>/dev/null
# ACM/AWS CLI trap: a passphrase that ended in "\n" when the key was exported
openssl pkcs8 -topk8 -in "$k" -v2 aes-256-cbc -passout "pass:$pass"$'\n' -out "$out/leaf-rsa2048.key.newline-passphrase.pem"
openssl pkcs8 -topk8 -in "$out/leaf-ec-p256.key.pem" -v2 aes-256-cbc -passout "pass:$pass" -out "$out/leaf-ec-p256.key.aes256.pem"
printf '%s\n' "$pass" >"$out/passphrase.txt"
printf '%s\n' "$storepass" >"$out/storepass.txt"
cat "$out/leaf-rsa2048.pem" "$out/intermediate-ca.pem" "$out/root-ca.pem" >"$out/leaf-rsa2048.fullchain.pem"

p12() { # p12 <name> <cert> <key>
  openssl pkcs12 -export -inkey "$3" -in "$2" -certfile "$out/chain.pem" -name iamra -passout "pass:$pass" -out "$out/$1.p12"
}
p12 leaf-rsa2048 "$out/leaf-rsa2048.pem" "$k"
p12 leaf-ec-p256 "$out/leaf-ec-p256.pem" "$out/leaf-ec-p256.key.pem"

# the bundled example the README demo uses, named like an ACM export
ex=$out/example
rsa "$work/example.key" 2048
sign iamra-example "$work/example.key" "$work/intermediate-ca" leaf 20250101000000Z 20450101000000Z
mv "$out/iamra-example.pem" "$ex/certificate.pem"
cp "$out/chain.pem" "$ex/certificate_chain.pem"
openssl pkcs8 -topk8 -in "$work/example.key" -v2 aes-256-cbc -passout "pass:$pass" -out "$ex/private_key.pem"
printf '%s\n' "$pass" >"$ex/passphrase.txt"

# JKS stores made by hand the way the admin guide does it: openssl pkcs12 -export + keytool
if command -v keytool >/dev/null; then
  jks() { # jks <name> <p12> [alias]
    keytool -importkeystore -noprompt -srckeystore "$2" -srcstoretype PKCS12 -srcstorepass "$pass" \
      -srcalias iamra -destalias "${3:-iamra}" -destkeystore "$out/jks/$1.jks" -deststoretype JKS \
      -deststorepass "$storepass" -destkeypass "$storepass" >/dev/null 2>&1
  }
  manual_p12() { # manual_p12 <name> <cert> <key>: a p12 in $work, like step 1-C of the guide
    openssl pkcs12 -export -inkey "$3" -in "$2" -certfile "$out/chain.pem" -name iamra -passout "pass:$pass" -out "$work/$1.p12"
  }
  manual_p12 good "$out/leaf-rsa2048.pem" "$k"
  jks keytool-good "$work/good.p12" IAMRA # keytool itself lower-cases the alias: this store is fine
  jks keytool-key-password-differs "$work/good.p12"
  keytool -keypasswd -alias iamra -keystore "$out/jks/keytool-key-password-differs.jks" -storepass "$storepass" \
    -keypass "$storepass" -new other-key-password >/dev/null 2>&1
  manual_p12 ec "$out/leaf-ec-p256.pem" "$out/leaf-ec-p256.key.pem"
  jks keytool-ec "$work/ec.p12"
  manual_p12 expired "$out/leaf-expired.pem" "$k"
  jks keytool-expired "$work/expired.p12"
  cp "$work/good.p12" "$out/jks/not-a-jks.p12"
  # mistakes keytool will not make, written with our own JKS writer: upper-case alias on disk,
  # PKCS#1 key blob, chain stored root first (needs this repo's npm install: Node 22 + ts-node)
  TS_NODE_PROJECT=test/tsconfig.json npm exec --no -- node --loader ts-node/esm --no-warnings \
    test/keystore/faultyStores.ts "$out/jks" 2>&1 | grep -v 'npm warn' || true
else
  echo "keytool not found: test/fixtures/pki/jks not regenerated" >&2
fi
rm -f "$out"/*.csr
echo "fixtures written to $out"
