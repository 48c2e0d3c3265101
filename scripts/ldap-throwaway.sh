#!/bin/bash
# A throw-away OpenLDAP (slapd 2.5) on 127.0.0.1 for tests, plain LDAP on PORT and LDAPS on PORT+1 (certificate from a
# CA made here: $DIR/ca.pem). Entries under ou=people,dc=example,dc=org:
#   alice / alice-password   employeeType: staff, employeeType: vpn
#   bob   / bob-password     (no employeeType)
# and a search account cn=portolan,dc=example,dc=org / search-password.
#   scripts/ldap-throwaway.sh start [PORT]   prints `export PORTOLAN_TEST_LDAP=…` lines to eval
#   scripts/ldap-throwaway.sh stop DIR
set -euo pipefail
cmd=${1:-}
case "$cmd" in
start)
  command -v slapd >/dev/null || { echo "ldap-throwaway: slapd is not installed (apt-get install slapd ldap-utils)" >&2; exit 1; }
  PORT=${2:-$((30000 + RANDOM % 20000))}
  L=$(mktemp -d /tmp/portolan-ldap.XXXXXX)
  mkdir -p "$L/db"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Portolan LDAP test CA" \
    -keyout "$L/ca.key" -out "$L/ca.pem" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" -keyout "$L/server.key" -out "$L/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$L/server.ext"
  openssl x509 -req -in "$L/server.csr" -CA "$L/ca.pem" -CAkey "$L/ca.key" -CAcreateserial -days 2 -extfile "$L/server.ext" \
    -out "$L/server.pem" 2>/dev/null
  if id openldap >/dev/null 2>&1; then chown -R openldap:openldap "$L"; fi
  ADMIN=$(slappasswd -s admin-password); ALICE=$(slappasswd -s alice-password); BOB=$(slappasswd -s bob-password)
  SEARCH=$(slappasswd -s search-password)
  cat > "$L/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile  $L/slapd.pid
argsfile $L/slapd.args
TLSCACertificateFile $L/ca.pem
TLSCertificateFile $L/server.pem
TLSCertificateKeyFile $L/server.key
database mdb
maxsize  104857600
suffix   "dc=example,dc=org"
rootdn   "cn=admin,dc=example,dc=org"
rootpw   $ADMIN
directory $L/db
index objectClass,uid eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
CONF
  cat > "$L/data.ldif" <<LDIF
dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,dc=example,dc=org
objectClass: organizationalUnit
ou: people

dn: cn=portolan,dc=example,dc=org
objectClass: person
cn: portolan
sn: Portolan
userPassword: $SEARCH

dn: uid=alice,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: alice
cn: Alice Example
sn: Example
employeeType: staff
employeeType: vpn
userPassword: $ALICE

dn: uid=bob,ou=people,dc=example,dc=org
objectClass: inetOrgPerson
uid: bob
cn: Bob Example
sn: Example
userPassword: $BOB
LDIF
  slapadd -q -f "$L/slapd.conf" -l "$L/data.ldif"
  if id openldap >/dev/null 2>&1; then chown -R openldap:openldap "$L"; fi
  slapd -f "$L/slapd.conf" -h "ldap://127.0.0.1:$PORT/ ldaps://127.0.0.1:$((PORT + 1))/"
  for _ in $(seq 1 100); do ldapwhoami -x -H "ldap://127.0.0.1:$PORT" >/dev/null 2>&1 && break; sleep 0.05; done
  ldapwhoami -x -H "ldap://127.0.0.1:$PORT" -D "uid=alice,ou=people,dc=example,dc=org" -w alice-password >/dev/null ||
    { echo "ldap-throwaway: slapd did not start" >&2; exit 1; }
  echo "export PORTOLAN_TEST_LDAP=127.0.0.1:$PORT"
  echo "export PORTOLAN_TEST_LDAPS=127.0.0.1:$((PORT + 1))"
  echo "export PORTOLAN_LDAP_DIR=$L"
  ;;
stop)
  L=${2:?ldap-throwaway.sh stop DIR}
  [ -f "$L/slapd.pid" ] && kill "$(cat "$L/slapd.pid")" 2>/dev/null || true
  rm -rf "$L"
  ;;
*)
  echo "usage: ldap-throwaway.sh start [PORT] | stop DIR" >&2
  exit 64
  ;;
esac
